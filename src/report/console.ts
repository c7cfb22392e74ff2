// What a person reads at the end of a run: a table per operation, then every finding with its proof.
import path from 'node:path';
import { COMPACT_CHARS } from './table-style.js';
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Finding, OperationCoverage, Report, Severity } from '../model.js';
import { renderCurl } from '../send/curl.js';
import type { SecretPolicy } from '../send/secrets.js';
import { policyFor, sentRequest, viewOf, type BodyExcerpt } from './view.js';
import { groupFindings, type FindingGroup } from './groups.js';

export interface ConsoleOptions {
  color: boolean;
  /** longer body excerpts */
  verbose?: boolean;
  /** only the final summary line */
  quiet?: boolean;
  secrets?: SecretPolicy;
}

const SHORT_BODY_CHARS = 400;
const LONG_BODY_CHARS = 8 * 1024;

export function renderConsole(report: Report, opts: ConsoleOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const summary = summaryLine(report, c);
  if (opts.quiet) return `${summary}\n`;
  const parts: string[] = [];
  if (report.operations.length > 0) parts.push(operationTable(report.operations, opts.color));
  if (report.findings.length > 0) {
    const groups = groupFindings(report.findings, exampleSize, (f) => f.specLine);
    const head = groups.length === report.findings.length ? `Findings (${report.findings.length})` : `Findings (${report.findings.length}, in ${plural(groups.length, 'group')})`;
    parts.push(c.bold(head));
    groups.forEach((g, i) => parts.push(renderFinding(report.findings[g.example]!, i + 1, c, opts, g)));
  }
  const uncovered = report.operations.filter((op) => op.notCovered.length > 0);
  if (uncovered.length > 0) {
    parts.push(
      [c.bold(`Not covered (${uncovered.length} operation${uncovered.length === 1 ? '' : 's'})`)]
        .concat(uncovered.flatMap((op) => op.notCovered.map((reason) => `  ${op.operation}: ${reason}`)))
        .join('\n'),
    );
  }
  for (const w of report.warnings) parts.push(c.yellow(`warning: ${w}`));
  parts.push(summary);
  return `${parts.join('\n\n')}\n`;
}

function casesByKind(op: OperationCoverage): string {
  const entries = Object.entries(op.cases).filter(([, n]) => (n ?? 0) > 0);
  if (entries.length === 0) return op.notCovered.length > 0 ? `none (${op.notCovered.join('; ')})` : 'none';
  return entries.map(([kind, n]) => `${kind} ${n}`).join(', ');
}

function operationTable(operations: OperationCoverage[], color: boolean): string {
  const table = new Table({
    head: ['operation', 'method path', 'cases', 'findings'],
    // cli-table3 colours the head red unless told otherwise
    style: color ? { head: ['bold'], border: ['grey'] } : { head: [], border: [] },
    wordWrap: true,
    colWidths: [null, null, 44, null] as unknown as number[],
    chars: COMPACT_CHARS,
  });
  for (const op of operations) {
    table.push([op.operation, `${op.method.toUpperCase()} ${op.path}`, casesByKind(op), String(op.findings)]);
  }
  return table.toString();
}

/** A file under the current directory is shown relative to it, the way a person typed it; URLs as they are. */
function displayPath(file: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file) || !path.isAbsolute(file)) return file;
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

function severityLabel(severity: Severity, c: ChalkInstance): string {
  if (severity === 'error') return c.red.bold('error');
  if (severity === 'warning') return c.yellow.bold('warning');
  return c.cyan('advisory');
}

function bodyText(body: BodyExcerpt, maxChars: number): string {
  if (body.bytes === 0) return '(empty)';
  if (body.encoding === 'base64') return `(${body.bytes} bytes, binary; base64 of the first bytes) ${clip(body.data, maxChars)}`;
  const shown = clip(visible(body.data), maxChars);
  const cut = body.excerpt || shown.length < visible(body.data).length;
  return `${shown}${cut ? ` … (${body.bytes} bytes in all)` : ''}`;
}

function clip(text: string, maxChars: number): string {
  return text.length > maxChars ? text.slice(0, maxChars) : text;
}

/** Control characters would move the cursor or colour the terminal: show them as escapes. */
function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function indent(text: string, pad: string): string {
  return text.split('\n').map((l) => pad + l).join('\n');
}

function headerLines(headers: Record<string, string | string[]>): string[] {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${visible(v)}`);
  }
  return lines;
}

/** The size of an example: the shorter its reproduction, the better it explains the group. */
function exampleSize(finding: Finding): number {
  const request = sentRequest(finding);
  return finding.curl?.length ?? finding.exchange.url.length + (request.body?.length ?? 0);
}

function renderFinding(finding: Finding, n: number, c: ChalkInstance, opts: ConsoleOptions, group?: FindingGroup): string {
  const view = viewOf(finding, opts.secrets);
  const maxBody = opts.verbose ? LONG_BODY_CHARS : SHORT_BODY_CHARS;
  const label = (text: string): string => c.dim(text.padEnd(10));
  const lines: string[] = [];
  const times = group && group.count > 1 ? `  ${c.bold(`×${group.count}`)}` : '';
  lines.push(`${c.bold(`${n})`)} ${severityLabel(group?.severity ?? finding.severity, c)}  ${c.bold(finding.check)}  ${c.dim('·')} ${finding.operation}${times}`);
  lines.push(`   ${visible(view.message)}`);
  if (group && group.count > 1) lines.push(`   ${c.dim(`found by ${group.count} cases; the smallest is shown`)}`);
  if (view.expected !== undefined) lines.push(`   ${label('expected')}${c.green(visible(view.expected))}`);
  if (view.actual !== undefined) lines.push(`   ${label('actual')}${c.red(visible(view.actual))}`);
  if (finding.specPointer) {
    const where = `${displayPath(finding.specPointer.file)}#${finding.specPointer.pointer}`;
    lines.push(`   ${label('rule')}${where}${finding.specLine !== undefined ? ` (line ${finding.specLine})` : ''}`);
  }
  const why = view.why ? ` — ${view.why.where} ${view.why.keyword}: ${visible(view.why.description)}` : '';
  lines.push(`   ${label('case')}${view.caseKind}${why}`);

  lines.push(`   ${label('sent')}${view.request.method} ${view.request.url}`);
  for (const h of headerLines(view.request.headers)) lines.push(`   ${' '.repeat(10)}${c.dim(h)}`);
  if (view.request.body) lines.push(`   ${' '.repeat(10)}${c.dim('body')} ${bodyText(view.request.body, maxBody)}`);

  if (view.response) {
    const r = view.response;
    const ms = Math.round(finding.exchange.timings.durationMs);
    lines.push(`   ${label('received')}${r.status} ${c.dim(`(${ms} ms${r.truncatedAtCap ? ', body cut at --max-body' : ''}${r.contentEncoding ? `, decoded from ${r.contentEncoding}` : ''})`)}`);
    for (const h of headerLines(r.headers)) lines.push(`   ${' '.repeat(10)}${c.dim(h)}`);
    lines.push(`   ${' '.repeat(10)}${c.dim('body')} ${bodyText(r.body, maxBody)}`);
  }
  if (view.transportError) lines.push(`   ${label('transport')}${c.red(view.transportError.kind)}: ${visible(view.transportError.message)}`);

  const curl = finding.curl ?? renderCurl(finding.exchange.url, sentRequest(finding), { secrets: policyFor(finding, opts.secrets) });
  lines.push(`   ${c.dim('curl')}`);
  lines.push(indent(curl, '     '));
  return lines.join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summaryLine(report: Report, c: ChalkInstance): string {
  const s = report.summary;
  const bySeverity = (['error', 'warning', 'advisory'] as const)
    .filter((sev) => (s.bySeverity[sev] ?? 0) > 0)
    .map((sev) => plural(s.bySeverity[sev]!, sev === 'advisory' ? 'advisory' : sev).replace('advisorys', 'advisories'));
  const findings = s.findings === 0 ? c.green('no findings') : `${plural(s.findings, 'finding')} (${bySeverity.join(', ')})`;
  const parts = [
    plural(s.operations, 'operation'),
    plural(s.cases, 'case'),
    findings,
    `${(report.durationMs / 1000).toFixed(1)} s`,
    `seed ${report.seed}`,
  ];
  if (report.shard) parts.push(`shard ${report.shard.index}/${report.shard.count}`);
  const line = parts.join(', ');
  const failing = (s.bySeverity.error ?? 0) + (s.bySeverity.warning ?? 0) > 0;
  const head = report.incomplete ? c.yellow.bold('INCOMPLETE') : failing ? c.red.bold('FAIL') : c.green.bold('PASS');
  return `${head} ${line}${report.incomplete ? c.yellow(' — the run was interrupted; only what finished is reported') : ''}`;
}

/** What core's onProgress reports. */
export interface ProgressSnapshot {
  done: number;
  planned: number;
  findings: number;
  operationsPlanned?: number;
  operationsTotal?: number;
}

export interface ProgressOptions {
  /** nothing at all (--quiet) */
  quiet?: boolean;
  /** when not a TTY: at most one plain line per this many ms (default 10 s) */
  intervalMs?: number;
  /** the clock, for tests */
  now?: () => number;
}

export interface Progress {
  update(done: number, total: number, findings: number): void;
  /** takes core's onProgress argument as it is: `onProgress: progress.onProgress` */
  onProgress(snapshot: ProgressSnapshot): void;
  done(): void;
}

const BAR_WIDTH = 20;

/** Share of the run done: cases done of those planned, scaled by the operations planned so far (planning is lazy). */
function fractionDone(p: ProgressSnapshot): number {
  const cases = p.planned > 0 ? p.done / p.planned : 0;
  const ops = p.operationsTotal ? (p.operationsPlanned ?? 0) / p.operationsTotal : 1;
  return Math.max(0, Math.min(1, cases * ops));
}

/** e.g. `120/400 cases, 3/12 operations, 45 cases/s, 2 findings` */
export function progressText(p: ProgressSnapshot, elapsedMs: number): string {
  const parts = [`${p.done}/${p.planned} cases`];
  if (p.operationsTotal !== undefined) parts.push(`${p.operationsPlanned ?? 0}/${p.operationsTotal} operations`);
  if (elapsedMs > 0) parts.push(`${Math.round((p.done * 1000) / elapsedMs)} cases/s`);
  parts.push(plural(p.findings, 'finding'));
  return parts.join(', ');
}

export function progressBar(fraction: number, width = BAR_WIDTH): string {
  const full = Math.round(fraction * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${String(Math.floor(fraction * 100)).padStart(3)}%`;
}

/**
 * On a TTY: one line rewritten in place (bar, cases, operations, cases/s, findings). Otherwise: a plain
 * line at most every `intervalMs`, and a last one at the end if any was written. Nothing when quiet.
 */
export function createProgress(stream: NodeJS.WriteStream, opts: ProgressOptions = {}): Progress {
  const silent: Progress = { update: () => undefined, onProgress: () => undefined, done: () => undefined };
  if (opts.quiet) return silent;
  const now = opts.now ?? Date.now;
  const started = now();
  // a terminal of unknown or zero width gets plain lines: a bar cut to nothing leaves escape fragments
  const tty = Boolean(stream.isTTY) && (stream.columns ?? 0) > 0;
  const interval = tty ? 80 : opts.intervalMs ?? 10_000;
  let lastWrite = tty ? 0 : started;
  let shown = false;
  let last: ProgressSnapshot | undefined;

  const line = (p: ProgressSnapshot): string => {
    const text = progressText(p, now() - started);
    if (!tty) return `progress: ${text}\n`;
    const full = `\r\u001b[K${progressBar(fractionDone(p))} ${text}`;
    const columns = stream.columns;
    // a line longer than the terminal wraps, and \r then repaints only its last part
    return full.length - 4 > columns - 1 ? full.slice(0, columns - 1 + 4) : full;
  };
  const onProgress = (p: ProgressSnapshot): void => {
    last = p;
    const t = now();
    // repainting on every answer would cost more than the requests themselves
    const finished = p.done >= p.planned && (p.operationsTotal === undefined || p.operationsPlanned === p.operationsTotal);
    if (t - lastWrite < interval && !(tty && finished)) return;
    lastWrite = t;
    shown = true;
    stream.write(line(p));
  };
  return {
    update: (done, total, findings) => onProgress({ done, planned: total, findings }),
    onProgress,
    done(): void {
      if (tty && shown) stream.write('\r\u001b[K');
      else if (!tty && shown && last) stream.write(line(last));
      shown = false;
    },
  };
}
