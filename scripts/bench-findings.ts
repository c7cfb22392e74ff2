// npm run bench:findings: how much a person has to read. For the example API with every misbehave switch on
// alone, then all together: findings, groups (operation, check, rule) and causes. Figures only, no assertions.
// `--only a,b` limits the switches; `--json` prints one JSON object per line instead of the table.
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';
import { MISBEHAVE_NAMES, startExampleServer } from '../examples/server.js';
import { runContract } from '../src/core.js';
import { finalizeFindings } from '../src/report/finalize.js';
import { reportToJson } from '../src/report/json.js';

interface Figures { switches: string; findings: number; groups: number; causes: number; folded: number }

async function measure(switches: readonly string[]): Promise<Figures> {
  const server = await startExampleServer({ port: 0, misbehave: switches });
  try {
    const { report, spec } = await runContract({ spec: EXAMPLE_CONTRACTS['3.1'], baseUrl: server.url, credentials: { bearer: 'full-token' }, concurrency: 4 });
    finalizeFindings(report.findings, spec, { names: [], show: false });
    const json = reportToJson(report) as ReturnType<typeof reportToJson> & { causes?: unknown[] };
    const folded = report.findings.reduce((n, f) => n + ((f as { folded?: unknown[] }).folded?.length ?? 0), 0);
    return {
      switches: switches.length === MISBEHAVE_NAMES.length ? `all ${switches.length}` : switches.join(',') || '(clean)',
      findings: report.findings.length,
      groups: json.groups.length,
      causes: json.causes?.length ?? json.groups.length,
      folded,
    };
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const only = process.argv.indexOf('--only');
  const names = only >= 0 ? (process.argv[only + 1] ?? '').split(',').filter(Boolean) : [...MISBEHAVE_NAMES];
  const asJson = process.argv.includes('--json');
  const rows: Figures[] = [];
  const emit = (f: Figures): void => {
    rows.push(f);
    if (asJson) process.stdout.write(`${JSON.stringify(f)}\n`);
  };
  emit(await measure([]));
  for (const name of names) emit(await measure([name]));
  if (names.length > 1) emit(await measure(names));
  if (asJson) return;
  const width = Math.max(...rows.map((r) => r.switches.length), 8);
  process.stdout.write(`${'switches'.padEnd(width)}  findings  groups  causes  folded\n`);
  for (const r of rows) {
    process.stdout.write(`${r.switches.padEnd(width)}  ${String(r.findings).padStart(8)}  ${String(r.groups).padStart(6)}  ${String(r.causes).padStart(6)}  ${String(r.folded).padStart(6)}\n`);
  }
}

await main();
