// Known findings (--baseline FILE): suppressed by check, operation and rule (the spec pointer), never by
// message text, so a reworded message or a different generated value does not bring a known finding back.
import { readFile } from 'node:fs/promises';
import { writeReportText } from './output.js';
import path from 'node:path';
import type { Finding, Report, Severity } from '../model.js';
import { InputError } from '../errors.js';

export const BASELINE_FORMAT = 'api-contract-check/baseline';
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  check: string;
  /** operation id */
  operation: string;
  /** the spec pointer of the rule broken: '#/paths/~1pets/get/…' in the root document, 'other.yaml#/…' in
   * another file (relative to the root document), '' when the finding names no rule */
  rule: string;
}

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  version: typeof BASELINE_VERSION;
  entries: BaselineEntry[];
}

export interface BaselineOutcome {
  /** findings of the run that the baseline knew, removed from the report */
  suppressed: number;
  /** entries that no longer occur although their check ran on their operation */
  stale: BaselineEntry[];
}

function isUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

/** The rule of a finding, written so that the same document at another place on disk gives the same text. */
export function ruleOf(finding: Finding, specSource: string): string {
  const pointer = finding.specPointer;
  if (!pointer) return '';
  const root = isUrl(specSource) ? specSource : path.resolve(specSource);
  if (pointer.file === root || pointer.file === specSource) return `#${pointer.pointer}`;
  if (!isUrl(pointer.file) && !isUrl(root)) {
    return `${path.relative(path.dirname(root), pointer.file).split(path.sep).join('/')}#${pointer.pointer}`;
  }
  return `${pointer.file}#${pointer.pointer}`;
}

function keyOf(entry: BaselineEntry): string {
  return JSON.stringify([entry.check, entry.operation, entry.rule]);
}

function entryOf(finding: Finding, specSource: string): BaselineEntry {
  return { check: finding.check, operation: finding.operation, rule: ruleOf(finding, specSource) };
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const text = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return text(a.operation, b.operation) || text(a.check, b.check) || text(a.rule, b.rule);
}

/** One entry per (check, operation, rule) of the report's findings, sorted by operation, check, rule. */
export function createBaseline(report: Report): Baseline {
  const byKey = new Map<string, BaselineEntry>();
  for (const finding of report.findings) {
    const entry = entryOf(finding, report.spec.source);
    byKey.set(keyOf(entry), entry);
  }
  return { format: BASELINE_FORMAT, version: BASELINE_VERSION, entries: [...byKey.values()].sort(compareEntries) };
}

/** Operations this run actually sent cases for: only there can an entry be known to no longer occur. */
function exercisedOperations(report: Report): Set<string> {
  return new Set(report.operations.filter((op) => Object.values(op.cases).some((n) => (n ?? 0) > 0)).map((op) => op.operation));
}

function summarize(findings: Finding[]): Pick<Report['summary'], 'findings' | 'bySeverity' | 'byCheck'> {
  const bySeverity: Partial<Record<Severity, number>> = {};
  const byCheck: Record<string, number> = {};
  for (const f of findings) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    byCheck[f.check] = (byCheck[f.check] ?? 0) + 1;
  }
  return { findings: findings.length, bySeverity, byCheck };
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/**
 * The report without the findings the baseline knows, its counts recomputed (so the exit code follows only
 * new findings), and `baseline` telling how many were suppressed and which entries are stale.
 */
export function applyBaseline(report: Report, baseline: Baseline): Report {
  const known = new Set(baseline.entries.map(keyOf));
  const seen = new Set<string>();
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const finding of report.findings) {
    const key = keyOf(entryOf(finding, report.spec.source));
    seen.add(key);
    (known.has(key) ? suppressed : kept).push(finding);
  }
  const exercised = exercisedOperations(report);
  const checksRun = new Set(report.checks.map((c) => c.id));
  const stale = baseline.entries
    .filter((e) => !seen.has(keyOf(e)) && exercised.has(e.operation) && checksRun.has(e.check))
    .sort(compareEntries);
  const suppressedByOperation = countBy(suppressed, (f) => f.operation);
  const suppressedByCheck = countBy(suppressed, (f) => f.check);
  return {
    ...report,
    summary: { ...report.summary, ...summarize(kept) },
    operations: report.operations.map((op) => ({ ...op, findings: op.findings - (suppressedByOperation.get(op.operation) ?? 0) })),
    checks: report.checks.map((c) => ({ ...c, failed: c.failed - (suppressedByCheck.get(c.id) ?? 0) })),
    findings: kept,
    baseline: { suppressed: suppressed.length, stale },
  };
}

/** What the console says about the baseline: one line, then one line per stale entry. */
export function describeBaselineOutcome(outcome: BaselineOutcome): string {
  const stale = outcome.stale.length;
  const head = `baseline: ${outcome.suppressed} known finding(s) suppressed; ${stale} baseline entr${stale === 1 ? 'y' : 'ies'} no longer occur${stale === 1 ? 's' : ''}`;
  const lines = [stale ? `${head} (remove ${stale === 1 ? 'it' : 'them'} from the baseline):` : head];
  for (const e of outcome.stale) lines.push(`  ${e.check} on ${e.operation}${e.rule ? ` (${e.rule})` : ''}`);
  return `${lines.join('\n')}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A baseline as parsed JSON, checked member by member; `file` names it in errors. */
export function parseBaseline(value: unknown, file: string): Baseline {
  if (!isRecord(value) || value['format'] !== BASELINE_FORMAT) {
    throw new InputError(`--baseline ${file}: not a baseline (expected "format": "${BASELINE_FORMAT}"; write one with --write-baseline)`);
  }
  if (value['version'] !== BASELINE_VERSION) {
    throw new InputError(`--baseline ${file}#/version: version ${JSON.stringify(value['version'])} is not supported (expected ${BASELINE_VERSION})`);
  }
  const entries = value['entries'];
  if (!Array.isArray(entries)) throw new InputError(`--baseline ${file}#/entries: must be an array`);
  return {
    format: BASELINE_FORMAT,
    version: BASELINE_VERSION,
    entries: entries.map((entry, i): BaselineEntry => {
      const at = `--baseline ${file}#/entries/${i}`;
      if (!isRecord(entry)) throw new InputError(`${at}: must be an object with check, operation and rule`);
      for (const member of ['check', 'operation', 'rule'] as const) {
        if (typeof entry[member] !== 'string') throw new InputError(`${at}/${member}: must be a string`);
      }
      return { check: entry['check'] as string, operation: entry['operation'] as string, rule: entry['rule'] as string };
    }),
  };
}

export async function readBaseline(file: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`--baseline ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(`--baseline ${file}: not JSON (${(err as Error).message})`);
  }
  return parseBaseline(value, file);
}

/** Pretty JSON, entries in a stable order, so that a baseline under version control diffs well. */
export function baselineText(baseline: Baseline): string {
  const entries = [...baseline.entries].sort(compareEntries).map((e) => ({ check: e.check, operation: e.operation, rule: e.rule }));
  return `${JSON.stringify({ format: BASELINE_FORMAT, version: BASELINE_VERSION, entries }, null, 2)}\n`;
}

export async function writeBaseline(file: string, baseline: Baseline): Promise<void> {
  await writeReportText('--write-baseline', file, baselineText(baseline));
}
