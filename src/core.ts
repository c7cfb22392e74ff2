// The library API. The CLI is a thin layer over these functions.
import { createConnection } from 'node:net';
import type {
  ApiSpec,
  Case,
  Chain,
  CheckContext,
  Exchange,
  CheckCoverage,
  Finding,
  OperationCoverage,
  Report,
  Validator,
} from './model.js';
import { InputError } from './errors.js';
import { loadSpec, readRefMap, type LoadOptions } from './spec/index.js';
import { createValidator } from './schema/validator.js';
import { selectOperations, type Credentials, type LimitedIdentity, type NegativeOptions, type OperationFilter, type PlanContext } from './plan/index.js';
import { cleanUpCreated, planAdaptive, type Send, type UnitOutcome } from './plan/adaptive.js';
import { createLimit } from './send/limit.js';
import { createSender } from './send/index.js';
import { runChecks, selectChecks } from './check/registry.js';
import { checkErrorStatusPointer } from './check/error-status-member.js';
import { MUTATION_FAMILIES } from './generate/mutate.js';
import { REQUEST_MUTATION_FAMILIES } from './plan/negative.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';
import { createAuthSession, openIdentities, planIdentities, type IdentityConfig } from './auth/index.js';

export type { ApiSpec, Report, Finding, Exchange, Case, Operation } from './model.js';
export { InputError } from './errors.js';
export { loadSpec, readRefMap };
export { explainRequest, parseCurl, readHar } from './explain/index.js';
export type { Diagnosis, ExplainInput, ExplainOptions } from './explain/index.js';
export { filterOperations, planOperations, selectOperations, type OperationFilter } from './plan/index.js';
export { applyBaseline, createBaseline, readBaseline, writeBaseline, type Baseline, type BaselineEntry, type BaselineOutcome } from './report/baseline.js';

export interface RunOptions {
  /** a path or URL, or an already loaded spec */
  spec: string | ApiSpec;
  baseUrl: string;
  refMap?: LoadOptions['refMap'];
  seed?: number;
  concurrency?: number;
  timeoutMs?: number;
  maxBodyBytes?: number;
  ratePerSecond?: number;
  /** the longest a 429's Retry-After is waited before its one retry (default 30 s) */
  retryAfterCapMs?: number;
  /** extra headers on every request (--header) */
  headers?: Record<string, string>;
  credentials?: Credentials;
  checks?: string[];
  excludeChecks?: string[];
  /** positive cases per operation at most */
  maxPositive?: number;
  /** negative cases (one broken constraint each); on by default */
  negative?: boolean;
  /** negative cases per operation at most */
  maxNegative?: number;
  /** mutation families to use (see generate/mutate and plan/negative); all by default */
  mutations?: string[];
  /** auth cases (no / bad / limited credentials); on by default */
  auth?: boolean;
  /** a second identity with fewer scopes, for 403 cases */
  limited?: LimitedIdentity;
  /** undocumented methods and an unknown path; on by default */
  methods?: boolean;
  /** stateful chains (create → read/update/delete); on by default */
  stateful?: boolean;
  /** delete what the chains created (default true) */
  cleanup?: boolean;
  /** send only GET, HEAD and OPTIONS; report what was skipped */
  readOnly?: boolean;
  /** which rule applies to error bodies where the document is silent (default 'documented') */
  errorFormat?: 'problem' | 'documented' | 'none';
  /** JSON pointer of the member of error bodies that carries the HTTP status, e.g. /error/code */
  errorStatusPointer?: string;
  /** named identities (config file `identities`): static, login flow or OAuth2; they replace credentials/limited */
  identities?: Record<string, IdentityConfig>;
  /** --operation, --exclude-operation, --tag, --path, --method: applied before sharding */
  filter?: OperationFilter;
  shard?: { index: number; count: number };
  /** abort to stop the run: in-flight requests are abandoned and the report is marked incomplete */
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; planned: number; findings: number; operationsPlanned: number; operationsTotal: number }) => void;
}

export const DEFAULTS = {
  concurrency: 8,
  timeoutMs: 10_000,
  maxBodyBytes: 4 * 1024 * 1024,
  maxPositive: 5,
  maxNegative: 40,
  seed: 1,
} as const;

export async function loadContract(spec: string | ApiSpec, refMap?: LoadOptions['refMap']): Promise<ApiSpec> {
  return typeof spec === 'string' ? loadSpec(spec, { refMap }) : spec;
}

/** Parses and checks a --base-url value. */
export function parseBaseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`--base-url '${value}' is not an absolute URL (expected e.g. http://localhost:8080)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`--base-url '${value}': only http and https are supported`);
  }
  if (url.search || url.hash) throw new InputError(`--base-url '${value}' must not carry a query or fragment`);
  return url;
}

/** Fails fast, before any case, when nothing listens at the base URL. */
export async function assertReachable(baseUrl: URL, timeoutMs: number): Promise<void> {
  const port = Number(baseUrl.port || (baseUrl.protocol === 'https:' ? 443 : 80));
  const host = baseUrl.hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) => {
    const socket = createConnection({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new InputError(`--base-url ${baseUrl.origin}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new InputError(`--base-url ${baseUrl.origin}: cannot connect (${error.code ?? error.message})`));
    });
  });
}

export interface RunResult {
  report: Report;
  spec: ApiSpec;
  validator: Validator;
}

export async function runContract(options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const baseUrl = parseBaseUrl(options.baseUrl);
  const selected = selectChecks(options.checks, options.excludeChecks);
  if (options.errorStatusPointer !== undefined) checkErrorStatusPointer(options.errorStatusPointer);
  const knownFamilies = [...MUTATION_FAMILIES, ...REQUEST_MUTATION_FAMILIES];
  for (const family of options.mutations ?? []) {
    if (!knownFamilies.includes(family as never)) {
      throw new InputError(`--mutations: unknown family '${family}' (known: ${knownFamilies.join(', ')})`);
    }
  }
  const spec = await loadContract(options.spec, options.refMap);
  const validator = createValidator(spec.schemas);
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  // every shard of the run together covers `scope`; this one covers `operations`
  const scope = selectOperations(spec.operations, { filter: options.filter });
  const operations = selectOperations(scope, { shard: options.shard });
  // a short --timeout is for answers; the probe gets at least a second, so that a busy machine does not fail it
  await assertReachable(baseUrl, Math.min(Math.max(timeoutMs, 1000), 5000));
  // Logins happen now: a failing one is an InputError (exit 2) before any case is sent.
  const identities = options.identities && Object.keys(options.identities).length > 0
    ? await openIdentities(options.identities, { spec, baseUrl: baseUrl.href, timeoutMs })
    : [];
  const identityPlan = identities.length > 0 ? await planIdentities(identities) : undefined;
  const session = identities.length > 0 ? createAuthSession(identities) : undefined;

  const seed = options.seed ?? DEFAULTS.seed;
  const credentials = identityPlan?.credentials ?? options.credentials ?? {};
  const limited = identityPlan ? identityPlan.limited : options.limited;
  const planContext: PlanContext = { spec, validator, seed, maxPositive: options.maxPositive ?? DEFAULTS.maxPositive, credentials };
  const adaptive = planAdaptive(
    operations,
    planContext,
    {
      negative: options.negative === false ? undefined : {
        maxNegative: options.maxNegative ?? DEFAULTS.maxNegative,
        families: options.mutations as NegativeOptions['families'],
      },
      auth: options.auth === false ? undefined : { limited },
      methods: options.methods !== false,
      stateful: options.stateful === false ? false : { cleanup: options.cleanup !== false },
      readOnly: options.readOnly,
    },
    scope,
  );

  const sender = createSender({
    baseUrl: baseUrl.href,
    concurrency: options.concurrency ?? DEFAULTS.concurrency,
    timeoutMs,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    ratePerSecond: options.ratePerSecond,
    retryAfterCapMs: options.retryAfterCapMs,
    headers: options.headers,
  });

  const checkContext: CheckContext = {
    spec,
    validator,
    options: { errorFormat: options.errorFormat, errorStatusPointer: options.errorStatusPointer },
  };
  const coverage = new Map<string, OperationCoverage>();
  const checkCoverage = new Map<string, CheckCoverage>(
    selected.map((c) => [c.id, { id: c.id, category: c.category, ran: 0, failed: 0 }]),
  );
  const findings: Finding[] = [];
  const warnings = [...(identityPlan?.warnings ?? [])];
  warnings.push(...spec.warnings.map((w) => (w.location ? `${w.message} (${w.location.file}#${w.location.pointer})` : w.message)));
  let planned = 0;
  let done = 0;
  let operationsPlanned = 0;
  let dropped = 0;
  let requests = 0;

  const coverageOf = (op: Case['operation']): OperationCoverage => {
    let cov = coverage.get(op.id);
    if (!cov) {
      cov = { operation: op.id, method: op.method, path: op.path, cases: {}, findings: 0, notCovered: [] };
      coverage.set(op.id, cov);
    }
    return cov;
  };
  const signal = options.signal;
  const units = adaptive.levels.flat();
  const operationsTotal = units.filter((u) => !u.setup).length;
  const progress = (): void =>
    options.onProgress?.({ done, planned: Math.max(planned, done), findings: findings.length, operationsPlanned, operationsTotal });
  // observations are ordered by the operation's place in the scope, not by arrival, so that shards fill alike
  const orderOf = new Map(scope.map((op, i) => [op, i]));
  const levelOf = new Map(units.map((u) => [u.operation, u.level]));
  const limit = createLimit(options.concurrency ?? DEFAULTS.concurrency);
  /** Sends one case; runs every selected check on the answer when `checks`; the pool learns from it. */
  const exec: Send = async (given, how) => {
    // a token planned earlier may have expired since: send the identity's current one
    const c = session ? { ...given, request: await session.current(given.request) } : given;
    let exchange = await limit(() => sender.send(c, signal));
    // a 401 to an identity's token: refresh once and retry; the retry is what counts
    const retry = session && exchange.response ? await session.retryAfter401(c.request, exchange.response.status) : undefined;
    if (retry && !signal?.aborted) exchange = await limit(() => sender.send({ ...c, request: retry }, signal));
    adaptive.pool.observe(exchange, { feed: how.feed, level: levelOf.get(c.operation) ?? 0, order: orderOf.get(c.operation) ?? 0 });
    if (how.checks) judge(exchange);
    return exchange;
  };
  /** Runs every selected check on an answer and counts its case; for probes, once they turned out to count. */
  const judge = (exchange: Exchange): void => {
    const c = exchange.case;
    if (signal?.aborted) {
      const notCovered = coverageOf(c.operation).notCovered;
      const reason = 'interrupted: requests in flight were abandoned';
      if (!notCovered.includes(reason)) notCovered.push(reason);
      return;
    }
    const result = runChecks(exchange, checkContext, selected);
    const cov = coverageOf(c.operation);
    cov.cases[c.kind] = (cov.cases[c.kind] ?? 0) + 1;
    cov.findings += result.findings.length;
    for (const id of result.ran) checkCoverage.get(id)!.ran++;
    for (const f of result.findings) checkCoverage.get(f.check)!.failed++;
    findings.push(...result.findings);
    requests++;
    done++;
    planned++;
    progress();
  };
  exec.judge = judge;
  const record = (outcome: UnitOutcome): void => {
    const notCovered = coverageOf(outcome.operation).notCovered;
    for (const reason of [...outcome.notCovered, ...outcome.skipped]) if (!notCovered.includes(reason)) notCovered.push(reason);
    dropped += outcome.dropped;
  };
  let leftovers: string[] = [];
  try {
    // levels one after the other (producers before consumers); the units of a level side by side
    for (const level of adaptive.levels) {
      if (signal?.aborted) break;
      await Promise.all(level.map(async (unit) => {
        if (signal?.aborted) return;
        const outcome = await unit.run(exec, signal);
        if (unit.setup) return;
        record(outcome);
        operationsPlanned++;
        progress();
      }));
    }
    // what the run created and did not delete itself, newest first; interrupted runs try too
    leftovers = await cleanUpCreated(adaptive.pool, planContext, exec, options.cleanup !== false, signal);
  } finally {
    await sender.close();
  }
  warnings.push(...leftovers);

  const incomplete = signal?.aborted ?? false;
  // Stable order: by operation (document order), then check, then case id.
  const order = new Map(operations.map((op, i) => [op.id, i]));
  findings.sort(
    (a, b) =>
      (order.get(a.operation) ?? 0) - (order.get(b.operation) ?? 0) ||
      a.check.localeCompare(b.check) ||
      a.exchange.case.id.localeCompare(b.exchange.case.id),
  );
  const bySeverity: Report['summary']['bySeverity'] = {};
  const byCheck: Record<string, number> = {};
  for (const f of findings) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    byCheck[f.check] = (byCheck[f.check] ?? 0) + 1;
  }
  const report: Report = {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    spec: { source: spec.source, title: spec.title, version: spec.versionString },
    baseUrl: baseUrl.href,
    seed,
    shard: options.shard,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    incomplete,
    summary: { operations: operations.length, cases: requests, findings: findings.length, bySeverity, byCheck, dropped },
    operations: [
      ...operations.map((op) => coverage.get(op.id) ?? { operation: op.id, method: op.method, path: op.path, cases: {}, findings: 0, notCovered: incomplete ? ['not reached: the run was interrupted'] : [] }),
      ...[...coverage.values()].filter((c) => !order.has(c.operation)),
    ],
    checks: [...checkCoverage.values()],
    findings,
    warnings: [...warnings, ...(session?.warnings() ?? [])],
  };
  return { report, spec, validator };
}
