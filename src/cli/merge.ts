// `merge`: shard reports (--shard i/n --report-json) into one report, and JUnit, HTML and SARIF rendered from it.
// Registered up front (commander only); the report modules are imported when it runs.
import type { Command } from 'commander';
import type { JsonReport } from '../report/json.js';

export interface MergeCliOptions {
  output: string;
  junit?: string;
  reportHtml?: string;
  sarif?: string;
  sarifRoot?: string;
  quiet?: boolean;
}

const EXAMPLES = `
Examples:
  $ api-contract-check openapi.yaml --base-url http://localhost:8080 --seed 7 --shard 1/2 --report-json r1.json
  $ api-contract-check openapi.yaml --base-url http://localhost:8080 --seed 7 --shard 2/2 --report-json r2.json
  $ api-contract-check merge r1.json r2.json -o report.json --junit junit.xml --report-html report.html --sarif report.sarif

Exit codes: 0 no finding, 1 findings (errors or warnings), 2 bad input (reports of different specs or seeds).`;

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('merge the JSON reports of shards (--shard i/n) of one spec and seed, and render JUnit, HTML and SARIF from the result')
    .argument('<reports...>', 'JSON reports written by --report-json')
    .requiredOption('-o, --output <file>', 'the merged JSON report ("-": stdout)')
    .option('--junit <file>', 'write a JUnit XML report of the merged run')
    .option('--report-html <file>', 'write a self-contained HTML report of the merged run')
    .option('--sarif <file>', 'write a SARIF 2.1.0 report of the merged run')
    .option('--sarif-root <dir>', 'SARIF file locations are relative to this directory (default: the current directory)')
    .option('--quiet', 'print nothing on success')
    .addHelpText('after', EXAMPLES)
    .action(async (files: string[], opts: MergeCliOptions) => {
      process.exitCode = await mergeCommand(files, opts);
    });
}

/** Exit code for a merged report: 1 when any error or warning was found, as for a run. */
export function mergedExitCode(report: JsonReport): number {
  return (report.summary.bySeverity.error ?? 0) + (report.summary.bySeverity.warning ?? 0) > 0 ? 1 : 0;
}

/** Reads, merges and writes; returns the exit code. Bad input throws InputError (exit 2 in main). */
export async function mergeCommand(files: string[], opts: MergeCliOptions): Promise<number> {
  const reports = [
    { option: '--output', file: opts.output },
    { option: '--junit', file: opts.junit },
    { option: '--report-html', file: opts.reportHtml },
    { option: '--sarif', file: opts.sarif },
  ];
  const { prepareReportPaths, STDOUT_PATH } = await import('../report/output.js');
  await prepareReportPaths(reports);
  // a report on stdout keeps stdout to itself
  const text = reports.some((r) => r.file === STDOUT_PATH) ? process.stderr : process.stdout;
  const { mergeReports, readJsonReport } = await import('../report/merge.js');
  const { groupsOf, writeJsonReport } = await import('../report/json.js');
  const inputs = [];
  for (const file of files) inputs.push({ file, report: await readJsonReport(file) });
  const merged = mergeReports(inputs);
  await writeJsonReport(opts.output, merged, { option: '--output' });
  if (opts.junit) await (await import('../report/junit.js')).writeJUnitReport(opts.junit, merged);
  if (opts.reportHtml) await (await import('../report/html.js')).writeHtmlReport(opts.reportHtml, merged);
  if (opts.sarif) await (await import('../report/sarif.js')).writeSarifReport(opts.sarif, merged, { root: opts.sarifRoot });
  await (await import('../report/github.js')).writeGithubOutputs(merged, { root: opts.sarifRoot, out: text });
  if (!opts.quiet) {
    const s = merged.summary;
    text.write(
      `merged ${files.length} report${files.length === 1 ? '' : 's'}: ${s.operations} operations, ${s.cases} cases, ${s.findings} findings in ${groupsOf(merged).length} groups → ${opts.output}\n`,
    );
    for (const w of merged.warnings.filter((w) => w.startsWith('merge: '))) process.stderr.write(`warning: ${w}\n`);
  }
  return mergedExitCode(merged);
}
