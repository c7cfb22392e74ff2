// The machine-readable report: the whole run in a stable shape (documented in README.md).
import { writeReportText } from './output.js';
import type { CaseKind, CheckCategory, CheckCoverage, Finding, OperationCoverage, Report, Severity, TransportErrorKind } from '../model.js';
import { InputError } from '../errors.js';
import { renderCurl } from '../send/curl.js';
import type { SecretPolicy } from '../send/secrets.js';
import { operationLineOf, policyFor, sentRequest, viewOf, type BodyExcerpt } from './view.js';
import { groupFindings, type FindingGroup } from './groups.js';

export const JSON_REPORT_FORMAT = 'api-contract-check/report';
export const JSON_REPORT_VERSION = 1;

export type JsonBody = BodyExcerpt;

export interface JsonFinding {
  check: string;
  category: CheckCategory;
  severity: Severity;
  /** operation id (see `operations`) */
  operation: string;
  message: string;
  expected?: string;
  actual?: string;
  /** the rule broken: file, JSON pointer, and the 1-based line when known */
  specPointer?: { file: string; pointer: string; line?: number };
  /** where the operation is documented: SARIF and annotations point here when no rule is cited */
  operationLocation?: { file: string; pointer: string; line?: number };
  case: {
    id: string;
    kind: CaseKind;
    /** how the values were obtained: 'example', 'boundary', 'random' */
    source?: string;
    /** for a negative case: the one constraint broken on purpose */
    why?: { where: string; keyword: string; rule?: { file: string; pointer: string }; value?: unknown; description: string };
  };
  /** as sent, secrets replaced by "[redacted]" */
  request: { method: string; url: string; headers: Record<string, string>; body?: JsonBody };
  /** absent when no status line arrived */
  response?: {
    status: number;
    headers: Record<string, string | string[]>;
    /** at most 8 KiB */
    body: JsonBody;
    /** the sender cut the body at --max-body */
    truncatedAtCap: boolean;
    /** the body was decoded from this Content-Encoding */
    contentEncoding?: string;
  };
  transportError?: { kind: TransportErrorKind; message: string };
  timings: { start: string; durationMs: number };
  /** a POSIX shell command reproducing the request byte for byte; secrets as $API_… variables */
  curl: string;
}

export interface JsonReport {
  format: typeof JSON_REPORT_FORMAT;
  formatVersion: typeof JSON_REPORT_VERSION;
  tool: { name: string; version: string };
  spec: { source: string; title: string; version: string };
  baseUrl: string;
  seed: number;
  shard?: { index: number; count: number };
  startedAt: string;
  durationMs: number;
  /** the run was interrupted: only what finished is here */
  incomplete: boolean;
  summary: Report['summary'];
  operations: OperationCoverage[];
  checks: CheckCoverage[];
  warnings: string[];
  findings: JsonFinding[];
  /** one entry per (operation, check, rule); `example` and `members` index `findings` */
  groups: JsonGroup[];
  /** set when --baseline was applied (see Report.baseline) */
  baseline?: NonNullable<Report['baseline']>;
}

export type JsonGroup = FindingGroup;

/** The groups a JSON report carries, or computed when it was written before groups existed. */
export function groupsOf(report: JsonReport): JsonGroup[] {
  return (report.groups as JsonGroup[] | undefined) ?? groupsOfJson(report.findings);
}

/** The groups of JSON findings: recomputed, so that a report written before groups existed reads the same. */
export function groupsOfJson(findings: readonly JsonFinding[]): JsonGroup[] {
  return groupFindings(findings, (f) => f.curl.length, (f) => f.specPointer?.line);
}

export function findingToJson(finding: Finding, secrets?: SecretPolicy): JsonFinding {
  const view = viewOf(finding, secrets);
  const out: JsonFinding = {
    check: finding.check,
    category: finding.category,
    severity: finding.severity,
    operation: finding.operation,
    message: view.message,
    case: { id: view.caseId, kind: view.caseKind },
    request: view.request,
    timings: { start: new Date(finding.exchange.timings.start).toISOString(), durationMs: round(finding.exchange.timings.durationMs) },
    curl: finding.curl ?? renderCurl(finding.exchange.url, sentRequest(finding), { secrets: policyFor(finding, secrets) }),
  };
  if (view.expected !== undefined) out.expected = view.expected;
  if (view.actual !== undefined) out.actual = view.actual;
  if (finding.specPointer) {
    out.specPointer = { file: finding.specPointer.file, pointer: finding.specPointer.pointer };
    if (finding.specLine !== undefined) out.specPointer.line = finding.specLine;
  }
  const opLocation = finding.exchange.case.operation.location;
  if (opLocation && opLocation.file) {
    out.operationLocation = { file: opLocation.file, pointer: opLocation.pointer };
    const line = operationLineOf(finding);
    if (line !== undefined) out.operationLocation.line = line;
  }
  if (view.caseSource) out.case.source = view.caseSource;
  if (view.why) out.case.why = view.why;
  if (view.response) out.response = view.response;
  if (view.transportError) out.transportError = view.transportError;
  return out;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export function reportToJson(report: Report, opts: { secrets?: SecretPolicy } = {}): JsonReport {
  const findings = report.findings.map((f) => findingToJson(f, opts.secrets));
  const out: JsonReport = {
    format: JSON_REPORT_FORMAT,
    formatVersion: JSON_REPORT_VERSION,
    tool: { ...report.tool },
    spec: { ...report.spec },
    baseUrl: report.baseUrl,
    seed: report.seed,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    incomplete: report.incomplete,
    summary: report.summary,
    operations: report.operations,
    checks: report.checks,
    warnings: report.warnings,
    findings,
    groups: groupsOfJson(findings),
  };
  if (report.shard) out.shard = { ...report.shard };
  if (report.baseline) out.baseline = { suppressed: report.baseline.suppressed, stale: report.baseline.stale.map((e) => ({ ...e })) };
  return out;
}

/** A Report as its JSON shape; a JSON report (e.g. read back for `merge`) as it is. */
export function asJsonReport(report: Report | JsonReport, opts: { secrets?: SecretPolicy } = {}): JsonReport {
  return isJsonReport(report) ? report : reportToJson(report, opts);
}

export function isJsonReport(report: Report | JsonReport): report is JsonReport {
  return (report as Partial<JsonReport>).format === JSON_REPORT_FORMAT;
}

export async function writeJsonReport(
  file: string,
  report: Report | JsonReport,
  opts: { secrets?: SecretPolicy; /** the option named in an error, default --report-json */ option?: string } = {},
): Promise<void> {
  const text = `${JSON.stringify(asJsonReport(report, opts), null, 2)}\n`;
  await writeReportText(opts.option ?? '--report-json', file, text);
}
