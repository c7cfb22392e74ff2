// The run: options (and the config file) → core → reports. Report writers are imported only when asked for.
import { InputError } from '../errors.js';
import { runContract, type RunOptions } from '../core.js';
import type { FilterCliOptions } from './options.js';
import { readRefMap } from '../spec/index.js';
import type { ApiSpec, Report } from '../model.js';
import { renderConsole, createProgress } from '../report/console.js';
import { finalizeFindings } from '../report/finalize.js';
import { prepareReportPaths, STDOUT_PATH } from '../report/output.js';
import { checks as registeredChecks } from '../check/registry.js';
import { closest } from '../explain/similar.js';
import type { OperationFilter } from '../plan/filter.js';
import type { Command } from 'commander';
import { withConfig } from './config.js';
import { colorEnabled } from './terminal.js';

export interface RunCliOptions extends FilterCliOptions {
  baseUrl?: string;
  seed?: number;
  concurrency?: number;
  rate?: number;
  timeout?: number;
  retryAfterMax?: number;
  maxBody?: number;
  maxPositive?: number;
  negative?: boolean;
  maxNegative?: number;
  mutations?: string[];
  header?: Record<string, string>;
  authBearer?: string;
  authBearerLimited?: string;
  limitedScopes?: string[];
  authCases?: boolean;
  methodCases?: boolean;
  stateful?: boolean;
  cleanup?: boolean;
  readOnly?: boolean;
  errorFormat?: 'problem' | 'documented' | 'none';
  errorStatusPointer?: string;
  authBasic?: { user: string; password: string };
  authApiKey?: Record<string, string>;
  checks?: string[];
  excludeChecks?: string[];
  shard?: { index: number; count: number };
  refMap?: string;
  reportJson?: string;
  junit?: string;
  reportHtml?: string;
  sarif?: string;
  sarifRoot?: string;
  verbose?: boolean;
  quiet?: boolean;
  color?: boolean;
  redact?: string[];
  showSecrets?: boolean;
  config?: string | false;
  baseline?: string;
  writeBaseline?: string;
}

/** The filter options as the library takes them. */
export function filterOf(opts: FilterCliOptions): OperationFilter {
  return { operations: opts.operation, excludeOperations: opts.excludeOperation, tags: opts.tag, paths: opts.path, methods: opts.method };
}

/** Exit code for a finished report: 1 when any error or warning was found, advisories never fail a run. */
export function exitCodeFor(report: Report): number {
  const failing = (report.summary.bySeverity.error ?? 0) + (report.summary.bySeverity.warning ?? 0);
  return failing > 0 ? 1 : 0;
}

export async function runCommand(specArgument: string | undefined, cliOpts: RunCliOptions, command: Command): Promise<void> {
  const { spec: specPath, opts, config } = await withConfig(command, specArgument, cliOpts, process.env, process.cwd(), ['identities']);
  if (!specPath) {
    throw new InputError('no OpenAPI document: give it as the first argument, or as "spec" in api-contract-check.config.json');
  }
  checkIds(opts.checks, '--checks');
  checkIds(opts.excludeChecks, '--exclude-checks');
  // read before the run, so that a bad baseline fails fast
  const baselines = opts.baseline || opts.writeBaseline ? await import('../report/baseline.js') : undefined;
  const baseline = opts.baseline ? await baselines!.readBaseline(opts.baseline) : undefined;
  if (!opts.baseUrl) {
    throw new InputError(
      '--base-url is required: the servers listed in the document are never contacted unless you choose one',
    );
  }
  const reports = [
    { option: '--report-json', file: opts.reportJson },
    { option: '--junit', file: opts.junit },
    { option: '--report-html', file: opts.reportHtml },
    { option: '--sarif', file: opts.sarif },
    { option: '--write-baseline', file: opts.writeBaseline },
  ];
  // before the first request: a report that cannot be written must not cost a whole run
  await prepareReportPaths(reports);
  // a report on stdout keeps stdout to itself; the console text goes to stderr
  const out = reports.some((r) => r.file === STDOUT_PATH) ? process.stderr : process.stdout;
  const controller = new AbortController();
  let interruptedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interruptedBy) {
      // a second signal: die by it at once (shells show 130/143); process.exit() would wait for a stuck report write
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.kill(process.pid, signal);
      return;
    }
    interruptedBy = signal;
    process.stderr.write(`\n${signal}: stopping; writing the reports with what finished (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const progress = createProgress(process.stderr, { quiet: opts.quiet });
  const options: RunOptions = {
    spec: specPath,
    baseUrl: opts.baseUrl,
    refMap: opts.refMap ? await readRefMap(opts.refMap) : undefined,
    seed: opts.seed,
    concurrency: opts.concurrency,
    ratePerSecond: opts.rate,
    timeoutMs: opts.timeout,
    retryAfterCapMs: opts.retryAfterMax,
    maxBodyBytes: opts.maxBody,
    maxPositive: opts.maxPositive,
    negative: opts.negative,
    maxNegative: opts.maxNegative,
    mutations: opts.mutations,
    headers: opts.header,
    credentials: { bearer: opts.authBearer, basic: opts.authBasic, apiKeys: opts.authApiKey },
    auth: opts.authCases,
    methods: opts.methodCases,
    stateful: opts.stateful,
    cleanup: opts.cleanup,
    readOnly: opts.readOnly,
    errorFormat: opts.errorFormat,
    errorStatusPointer: opts.errorStatusPointer,
    limited: opts.authBearerLimited ? { credentials: { bearer: opts.authBearerLimited }, scopes: opts.limitedScopes ?? [] } : undefined,
    checks: opts.checks,
    excludeChecks: opts.excludeChecks,
    filter: filterOf(opts),
    shard: opts.shard,
    signal: controller.signal,
    onProgress: progress.onProgress,
    identities: config?.sections['identities'] as RunOptions['identities'],
  };
  const run = await runContract(options);
  progress.done();
  const spec = run.spec;
  const secrets = secretPolicy(opts, spec);
  finalizeFindings(run.report.findings, spec, secrets);

  if (opts.writeBaseline) await baselines!.writeBaseline(opts.writeBaseline, baselines!.createBaseline(run.report));
  const report = baseline ? baselines!.applyBaseline(run.report, baseline) : run.report;
  if (opts.reportJson) await (await import('../report/json.js')).writeJsonReport(opts.reportJson, report);
  if (opts.junit) await (await import('../report/junit.js')).writeJUnitReport(opts.junit, report);
  if (opts.reportHtml) await (await import('../report/html.js')).writeHtmlReport(opts.reportHtml, report);
  if (opts.sarif) await (await import('../report/sarif.js')).writeSarifReport(opts.sarif, report, { root: opts.sarifRoot });
  await (await import('../report/github.js')).writeGithubOutputs(report, { root: opts.sarifRoot, out });
  const color = colorEnabled(out, opts.color);
  const text = renderConsole(report, { color, verbose: opts.verbose, quiet: opts.quiet });
  out.write(text.endsWith('\n') ? text : `${text}\n`);
  if (report.baseline && !opts.quiet) out.write(baselines!.describeBaselineOutcome(report.baseline));

  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (interruptedBy) process.exitCode = interruptedBy === 'SIGINT' ? 130 : 143;
  else process.exitCode = exitCodeFor(report);
}

/** An unknown check id is refused with the id it most likely meant. */
function checkIds(ids: string[] | undefined, option: string): void {
  const known = registeredChecks.map((c) => c.id);
  for (const id of ids ?? []) {
    if (known.includes(id)) continue;
    const near = closest(id, known);
    throw new InputError(`${option}: unknown check '${id}' (${near ? `did you mean '${near}'?` : `known: ${known.join(', ')}`})`);
  }
}

/** What is redacted in every output: API-key names of the document and of the options, --redact, secret-looking --header names. */
export function secretPolicy(opts: RunCliOptions, spec: ApiSpec): { names: string[]; show: boolean } {
  const names = new Set<string>([...Object.keys(opts.authApiKey ?? {}), ...(opts.redact ?? [])]);
  for (const scheme of Object.values(spec.securitySchemes)) {
    if (scheme.type === 'apiKey' && 'name' in scheme) names.add(scheme.name);
  }
  for (const name of Object.keys(opts.header ?? {})) {
    if (/auth|token|key|secret|session|cookie|passw/i.test(name)) names.add(name);
  }
  return { names: [...names], show: opts.showSecrets === true };
}
