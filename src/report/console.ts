// What a person reads at the end of a run: a table per operation, then every finding with its proof.
import { COMPACT_CHARS } from './table-style.js';
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Finding, OperationCoverage, Report, Severity } from '../model.js';
import { renderCurl } from '../send/curl.js';
import type { SecretPolicy } from '../send/secrets.js';
import { policyFor, sentRequest, viewOf, type BodyExcerpt } from './view.js';

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
    parts.push(c.bold(`Findings (${report.findings.length})`));
    report.findings.forEach((f, i) => parts.push(renderFinding(f, i + 1, c, opts)));
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

function renderFinding(finding: Finding, n: number, c: ChalkInstance, opts: ConsoleOptions): string {
  const view = viewOf(finding, opts.secrets);
  const maxBody = opts.verbose ? LONG_BODY_CHARS : SHORT_BODY_CHARS;
  const label = (text: string): string => c.dim(text.padEnd(10));
  const lines: string[] = [];
  lines.push(`${c.bold(`${n})`)} ${severityLabel(finding.severity, c)}  ${c.bold(finding.check)}  ${c.dim('·')} ${finding.operation}`);
  lines.push(`   ${visible(view.message)}`);
  if (view.expected !== undefined) lines.push(`   ${label('expected')}${c.green(visible(view.expected))}`);
  if (view.actual !== undefined) lines.push(`   ${label('actual')}${c.red(visible(view.actual))}`);
  if (finding.specPointer) {
    const where = `${finding.specPointer.file}#${finding.specPointer.pointer}`;
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

/** One line rewritten in place on a terminal; nothing at all when the stream is not a TTY. */
export function createProgress(stream: NodeJS.WriteStream): {
  update(done: number, total: number, findings: number): void;
  done(): void;
} {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let lastWrite = 0;
  let shown = false;
  return {
    update(done: number, total: number, findings: number): void {
      const now = Date.now();
      // repainting on every answer would cost more than the requests themselves
      if (now - lastWrite < 80 && done < total) return;
      lastWrite = now;
      shown = true;
      const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
      stream.write(`\r\u001b[K${done}/${total} cases (${pct}%), ${plural(findings, 'finding')}`);
    },
    done(): void {
      if (shown) stream.write('\r\u001b[K');
      shown = false;
    },
  };
}
