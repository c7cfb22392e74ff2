// GitHub Actions: workflow-command annotations on the spec lines, and a Markdown job summary.
import { appendFile } from 'node:fs/promises';
import type { CheckCategory, Report } from '../model.js';
import { InputError } from '../errors.js';
import type { SecretPolicy } from '../send/secrets.js';
import { asJsonReport, groupsOf, type JsonGroup, type JsonReport } from './json.js';
import { placeOf, relativePath } from './location.js';

export interface GithubOptions {
  /** annotation paths are relative to this directory, the checkout (default: the current directory) */
  root?: string;
  secrets?: SecretPolicy;
}

/** Escaping of a workflow command's message (as @actions/core does it). */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a workflow command's property value: also ':' and ',' which end a property. */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND = { error: 'error', warning: 'warning', advisory: 'notice' } as const;

/** One `::error file=…,line=…,title=…::message` line per finding group. */
export function renderGithubAnnotations(source: Report | JsonReport, opts: GithubOptions = {}): string {
  const report = asJsonReport(source, { secrets: opts.secrets });
  const root = opts.root ?? process.cwd();
  const lines = groupsOf(report).map((group) => {
    const example = report.findings[group.example]!;
    const place = placeOf(example, report);
    const props: string[] = [];
    const file = relativePath(place.file, root);
    if (file !== undefined) {
      props.push(`file=${escapeCommandProperty(file)}`);
      if (place.line !== undefined) props.push(`line=${place.line}`);
    }
    props.push(`title=${escapeCommandProperty(`${group.check} · ${group.operation}${group.count > 1 ? ` (×${group.count})` : ''}`)}`);
    const text = [example.message];
    if (example.expected !== undefined) text.push(`expected: ${example.expected}`);
    if (example.actual !== undefined) text.push(`actual: ${example.actual}`);
    if (place.pointer !== undefined) text.push(`rule: #${place.pointer}`);
    text.push(`reproduce: ${example.curl}`);
    return `::${COMMAND[group.severity]} ${props.join(',')}::${escapeCommandData(text.join('\n'))}`;
  });
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

const MAX_SUMMARY_ROWS = 200;
const MAX_CELL_CHARS = 300;

function cell(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const clipped = flat.length > MAX_CELL_CHARS ? `${flat.slice(0, MAX_CELL_CHARS)}…` : flat;
  return clipped.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, '\\`');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const ICON = { error: ':x:', warning: ':warning:', advisory: ':information_source:' } as const;

/** The job summary: verdict, counts per check family, and one row per finding group. */
export function renderMarkdownSummary(source: Report | JsonReport, opts: { secrets?: SecretPolicy } = {}): string {
  const report = asJsonReport(source, opts);
  const groups = groupsOf(report);
  const s = report.summary;
  const failing = (s.bySeverity.error ?? 0) + (s.bySeverity.warning ?? 0) > 0;
  const verdict = report.incomplete ? 'INCOMPLETE' : failing ? 'FAIL' : 'PASS';
  const out: string[] = [];
  out.push(`## ${cell(report.tool.name)}: ${cell(report.spec.title)} — ${verdict}`, '');
  const facts = [plural(s.operations, 'operation'), plural(s.cases, 'case'), `${plural(s.findings, 'finding')} in ${plural(groups.length, 'group')}`, `seed ${report.seed}`];
  if (report.shard) facts.push(`shard ${report.shard.index}/${report.shard.count}`);
  out.push(facts.join(', '), '');

  const byCategory = new Map<CheckCategory, { ran: number; findings: number; groups: number }>();
  for (const c of report.checks) {
    const row = byCategory.get(c.category) ?? { ran: 0, findings: 0, groups: 0 };
    row.ran += c.ran;
    row.findings += c.failed;
    byCategory.set(c.category, row);
  }
  for (const g of groups) {
    const row = byCategory.get(g.category) ?? { ran: 0, findings: 0, groups: 0 };
    row.groups++;
    byCategory.set(g.category, row);
  }
  out.push('| check family | exchanges checked | findings | groups |', '| --- | ---: | ---: | ---: |');
  for (const [category, row] of [...byCategory].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`| ${row.groups > 0 ? ':x:' : row.ran > 0 ? ':white_check_mark:' : ':heavy_minus_sign:'} ${category} | ${row.ran} | ${row.findings} | ${row.groups} |`);
  }
  out.push('');
  if (groups.length > 0) {
    out.push('### Findings', '', '| | operation | check | count | message | rule |', '| --- | --- | --- | ---: | --- | --- |');
    for (const g of groups.slice(0, MAX_SUMMARY_ROWS)) out.push(groupRow(g, report));
    if (groups.length > MAX_SUMMARY_ROWS) out.push('', `… and ${groups.length - MAX_SUMMARY_ROWS} more groups: see the JSON or HTML report.`);
    out.push('');
  }
  for (const w of report.warnings) out.push(`> warning: ${cell(w)}`);
  return `${out.join('\n').trimEnd()}\n`;
}

function groupRow(group: JsonGroup, report: JsonReport): string {
  const example = report.findings[group.example]!;
  const place = placeOf(example, report);
  const rule = place.pointer !== undefined ? `\`#${cell(place.pointer)}\`${place.line !== undefined ? ` line ${place.line}` : ''}` : '';
  return `| ${ICON[group.severity]} | ${cell(group.operation)} | ${cell(group.check)} | ${group.count} | ${cell(example.message)} | ${rule} |`;
}

/**
 * What a run in GitHub Actions adds: annotations on stdout when GITHUB_ACTIONS=true, and the summary
 * appended to $GITHUB_STEP_SUMMARY when it is set.
 */
export async function writeGithubOutputs(
  report: Report | JsonReport,
  opts: GithubOptions & { env?: NodeJS.ProcessEnv; out?: { write(text: string): unknown } } = {},
): Promise<void> {
  const env = opts.env ?? process.env;
  const json = asJsonReport(report, { secrets: opts.secrets });
  if (env['GITHUB_ACTIONS'] === 'true') {
    const text = renderGithubAnnotations(json, opts);
    if (text) (opts.out ?? process.stdout).write(text);
  }
  const summaryFile = env['GITHUB_STEP_SUMMARY'];
  if (summaryFile) {
    try {
      await appendFile(summaryFile, `${renderMarkdownSummary(json)}\n`, 'utf8');
    } catch (err) {
      throw new InputError(`$GITHUB_STEP_SUMMARY ${summaryFile}: cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
}
