// Shard reports (--shard i/n) back into one: the report one full run with the same seed would have written.
import { readFile } from 'node:fs/promises';
import type { CheckCoverage, OperationCoverage, Severity } from '../model.js';
import { InputError } from '../errors.js';
import { groupsOfJson, JSON_REPORT_FORMAT, JSON_REPORT_VERSION, type JsonFinding, type JsonReport } from './json.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a JSON report written by --report-json; anything else is an InputError naming the file. */
export async function readJsonReport(file: string): Promise<JsonReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not JSON (${(err as Error).message})`);
  }
  return checkedJsonReport(value, file);
}

export function checkedJsonReport(value: unknown, file: string): JsonReport {
  if (!isObject(value) || value['format'] !== JSON_REPORT_FORMAT) {
    throw new InputError(`${file}: not an api-contract-check JSON report (no "format": "${JSON_REPORT_FORMAT}")`);
  }
  if (value['formatVersion'] !== JSON_REPORT_VERSION) {
    throw new InputError(`${file}: report format version ${String(value['formatVersion'])} is not supported (expected ${JSON_REPORT_VERSION})`);
  }
  for (const key of ['findings', 'operations', 'checks', 'warnings'] as const) {
    if (!Array.isArray(value[key])) throw new InputError(`${file}: /${key} is not an array`);
  }
  for (const key of ['summary', 'spec', 'tool'] as const) {
    if (!isObject(value[key])) throw new InputError(`${file}: /${key} is not an object`);
  }
  if (typeof value['seed'] !== 'number') throw new InputError(`${file}: /seed is not a number`);
  const findings = value['findings'] as unknown[];
  findings.forEach((f, i) => {
    if (!isObject(f) || typeof f['operation'] !== 'string' || typeof f['check'] !== 'string' || !isObject(f['case']) || typeof f['curl'] !== 'string') {
      throw new InputError(`${file}: /findings/${i} is not a finding (operation, check, case, curl)`);
    }
  });
  return value as unknown as JsonReport;
}

export interface ReportInput {
  /** named in errors */
  file: string;
  report: JsonReport;
}

function sameSpec(a: JsonReport['spec'], b: JsonReport['spec']): boolean {
  return a.source === b.source && a.title === b.title && a.version === b.version;
}

/** Each input's operations in document order: with --shard i/n, shard i ran operations i-1, i-1+n, … */
function documentIndexes(inputs: ReportInput[]): Map<string, number> {
  const index = new Map<string, number>();
  for (const { report } of inputs) {
    const shard = report.shard ?? { index: 1, count: 1 };
    const own = report.operations.slice(0, report.summary.operations);
    own.forEach((op, k) => {
      if (!index.has(op.operation)) index.set(op.operation, shard.index - 1 + k * shard.count);
    });
  }
  return index;
}

function checkCompatible(inputs: ReportInput[]): string[] {
  const warnings: string[] = [];
  const first = inputs[0]!;
  const seen = new Map<number, string>();
  for (const input of inputs) {
    const { file, report } = input;
    if (!sameSpec(report.spec, first.report.spec)) {
      throw new InputError(`${file}: spec ${report.spec.source} (${report.spec.title} ${report.spec.version}) differs from ${first.file}'s ${first.report.spec.source} (${first.report.spec.title} ${first.report.spec.version})`);
    }
    if (report.seed !== first.report.seed) {
      throw new InputError(`${file}: seed ${report.seed} differs from ${first.file}'s seed ${first.report.seed}: shards must be run with the same --seed`);
    }
    if (inputs.length > 1 && !report.shard) {
      throw new InputError(`${file}: a full run (no --shard) cannot be merged with other reports`);
    }
    if (report.shard && first.report.shard && report.shard.count !== first.report.shard.count) {
      throw new InputError(`${file}: shard ${report.shard.index}/${report.shard.count} does not split like ${first.file}'s ${first.report.shard.index}/${first.report.shard.count}`);
    }
    if (report.shard) {
      const twice = seen.get(report.shard.index);
      if (twice !== undefined) throw new InputError(`${file}: shard ${report.shard.index}/${report.shard.count} is already given by ${twice}`);
      seen.set(report.shard.index, file);
    }
    if (report.baseUrl !== first.report.baseUrl) warnings.push(`merge: ${file} ran against ${report.baseUrl}, ${first.file} against ${first.report.baseUrl}`);
    if (report.tool.version !== first.report.tool.version) warnings.push(`merge: ${file} was written by ${report.tool.name} ${report.tool.version}, ${first.file} by ${first.report.tool.version}`);
  }
  const count = first.report.shard?.count;
  if (count !== undefined && inputs.length > 0) {
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
    if (missing.length > 0) warnings.push(`merge: shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: their operations are not in this report`);
  }
  return warnings;
}

function mergeOperation(into: OperationCoverage, from: OperationCoverage): void {
  for (const [kind, n] of Object.entries(from.cases) as Array<[keyof OperationCoverage['cases'], number | undefined]>) {
    into.cases[kind] = (into.cases[kind] ?? 0) + (n ?? 0);
  }
  into.findings += from.findings;
  for (const reason of from.notCovered) if (!into.notCovered.includes(reason)) into.notCovered.push(reason);
}

/**
 * Merges shard reports of one spec and seed. Operations and findings come out in the order of the full
 * run (document order, then check, then case id); counts are sums; groups are recomputed.
 */
export function mergeReports(inputs: ReportInput[]): JsonReport {
  if (inputs.length === 0) throw new InputError('merge: no report given');
  const warnings = checkCompatible(inputs);
  const first = inputs[0]!.report;
  const order = documentIndexes(inputs);
  const orderOf = (id: string): number => order.get(id) ?? Number.MAX_SAFE_INTEGER;

  const operations = new Map<string, OperationCoverage>();
  for (const { report } of inputs) {
    for (const op of report.operations) {
      const known = operations.get(op.operation);
      if (known) mergeOperation(known, op);
      else operations.set(op.operation, { ...op, cases: { ...op.cases }, notCovered: [...op.notCovered] });
    }
  }
  const mergedOperations = [...operations.values()];
  const arrival = new Map(mergedOperations.map((op, i) => [op.operation, i]));
  mergedOperations.sort((a, b) => orderOf(a.operation) - orderOf(b.operation) || arrival.get(a.operation)! - arrival.get(b.operation)!);

  const checks = new Map<string, CheckCoverage>();
  for (const { report } of inputs) {
    for (const c of report.checks) {
      const known = checks.get(c.id);
      if (known) {
        known.ran += c.ran;
        known.failed += c.failed;
      } else checks.set(c.id, { ...c });
    }
  }

  const findings: JsonFinding[] = inputs.flatMap(({ report }) => report.findings);
  findings.sort((a, b) => orderOf(a.operation) - orderOf(b.operation) || a.check.localeCompare(b.check) || a.case.id.localeCompare(b.case.id));
  const bySeverity: Partial<Record<Severity, number>> = {};
  const byCheck: Record<string, number> = {};
  for (const f of findings) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    byCheck[f.check] = (byCheck[f.check] ?? 0) + 1;
  }
  const starts = inputs.map(({ report }) => Date.parse(report.startedAt));
  const ends = inputs.map(({ report }, i) => starts[i]! + report.durationMs);
  const start = Math.min(...starts);
  const sum = (pick: (r: JsonReport) => number): number => inputs.reduce((total, { report }) => total + pick(report), 0);

  const merged: JsonReport = {
    format: JSON_REPORT_FORMAT,
    formatVersion: JSON_REPORT_VERSION,
    tool: { ...first.tool },
    spec: { ...first.spec },
    baseUrl: first.baseUrl,
    seed: first.seed,
    startedAt: new Date(start).toISOString(),
    durationMs: Math.max(...ends) - start,
    incomplete: inputs.some(({ report }) => report.incomplete),
    summary: {
      operations: sum((r) => r.summary.operations),
      cases: sum((r) => r.summary.cases),
      findings: findings.length,
      bySeverity,
      byCheck,
      dropped: sum((r) => r.summary.dropped ?? 0),
    },
    operations: mergedOperations,
    checks: [...checks.values()],
    warnings: [...new Set([...inputs.flatMap(({ report }) => report.warnings), ...warnings])],
    findings,
    groups: groupsOfJson(findings),
  };
  const baseline = mergedBaseline(inputs.map(({ report }) => report));
  if (baseline) merged.baseline = baseline;
  // a single input keeps its shard: merging it alone changes nothing
  if (inputs.length === 1 && first.shard) merged.shard = { ...first.shard };
  return merged;
}

/** Suppressed counts add up; an entry is stale only if no shard met it (each shard sees only its operations). */
function mergedBaseline(reports: JsonReport[]): JsonReport['baseline'] {
  const withBaseline = reports.filter((r) => r.baseline);
  if (withBaseline.length === 0) return undefined;
  const key = (e: { check: string; operation: string; rule: string }): string => `${e.check}\n${e.operation}\n${e.rule}`;
  const staleIn = (r: JsonReport): Set<string> => new Set((r.baseline?.stale ?? []).map(key));
  const sets = reports.map(staleIn);
  return {
    suppressed: withBaseline.reduce((sum, r) => sum + r.baseline!.suppressed, 0),
    stale: (withBaseline[0]!.baseline!.stale).filter((e) => sets.every((s) => s.has(key(e)))),
  };
}
