// The HTML report: one self-contained file (inline CSS and JS, no network at view time). The page is built in
// the browser from embedded JSON, lazily: a group's details exist in the DOM only once it is opened.
import { writeReportText } from './output.js';
import type { CheckCategory, Report } from '../model.js';
import { InputError } from '../errors.js';
import type { SecretPolicy } from '../send/secrets.js';
import { asJsonReport, groupsOf, type JsonFinding, type JsonReport } from './json.js';
import { HTML_CLIENT_SCRIPT, HTML_STYLE } from './html-client.js';

/** Members of a group listed besides its example; the rest are counted. */
const MAX_OTHER_MEMBERS = 50;

export interface HtmlOperation {
  id: string;
  method: string;
  path: string;
  cases: number;
  notCovered: string[];
}

export interface HtmlGroup {
  operation: string;
  check: string;
  category: CheckCategory;
  severity: string;
  count: number;
  example: JsonFinding;
  /** other members, briefly: message, request line, status, case id */
  others: Array<{ message: string; request: string; status?: number; caseId: string }>;
}

/** What the page is built from: the JSON report reduced to what a person reads. */
export interface HtmlData {
  tool: JsonReport['tool'];
  spec: JsonReport['spec'];
  baseUrl: string;
  seed: number;
  shard?: JsonReport['shard'];
  startedAt: string;
  durationMs: number;
  incomplete: boolean;
  summary: JsonReport['summary'];
  /** categories of the checks that ran in the run (check coverage is per run, not per operation) */
  ranCategories: CheckCategory[];
  /** every category shown as a matrix column */
  categories: CheckCategory[];
  operations: HtmlOperation[];
  groups: HtmlGroup[];
  warnings: string[];
}

export function htmlDataOf(report: JsonReport): HtmlData {
  const groups = groupsOf(report);
  const ranCategories = [...new Set(report.checks.filter((c) => c.ran > 0).map((c) => c.category))].sort();
  const categories = [...new Set([...report.checks.map((c) => c.category), ...groups.map((g) => g.category)])].sort();
  const operations: HtmlOperation[] = report.operations.map((o) => ({
    id: o.operation,
    method: o.method.toUpperCase(),
    path: o.path,
    cases: Object.values(o.cases).reduce<number>((sum, n) => sum + (n ?? 0), 0),
    notCovered: o.notCovered,
  }));
  for (const g of groups) {
    if (!operations.some((o) => o.id === g.operation)) operations.push({ id: g.operation, method: '', path: '', cases: 0, notCovered: [] });
  }
  const data: HtmlData = {
    tool: report.tool,
    spec: report.spec,
    baseUrl: report.baseUrl,
    seed: report.seed,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    incomplete: report.incomplete,
    summary: report.summary,
    ranCategories,
    categories,
    operations,
    groups: groups.map((g) => ({
      operation: g.operation,
      check: g.check,
      category: g.category,
      severity: g.severity,
      count: g.count,
      example: report.findings[g.example]!,
      others: g.members
        .filter((i) => i !== g.example)
        .slice(0, MAX_OTHER_MEMBERS)
        .map((i) => {
          const f = report.findings[i]!;
          const other: HtmlGroup['others'][number] = { message: f.message, request: `${f.request.method} ${f.request.url}`, caseId: f.case.id };
          if (f.response) other.status = f.response.status;
          return other;
        }),
    })),
    warnings: report.warnings,
  };
  if (report.shard) data.shard = report.shard;
  return data;
}

/** JSON that can sit inside <script>: no '<' (so no '</script>' nor '<!--'), no line separators. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function renderHtml(source: Report | JsonReport, opts: { secrets?: SecretPolicy } = {}): string {
  const report = asJsonReport(source, opts);
  const title = `${report.tool.name}: ${report.spec.title}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // nothing may be fetched at view time: the report works offline and leaks nothing
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(title)}</h1><p id="facts"></p></header>`,
    '<main>',
    '<section id="matrix-section"><h2>Operations × check families</h2><p class="legend"><span class="cell fail">fail</span> <span class="cell warn">warning</span> <span class="cell pass">pass</span> <span class="cell none">not run</span></p><div class="scroll"><table id="matrix"></table></div></section>',
    '<section id="findings-section"><h2>Findings</h2><div class="toolbar"><input id="filter" type="search" placeholder="Filter: operation, check, message, rule…" autocomplete="off"> <span id="shown"></span> <button id="clear" type="button">Clear</button></div><div id="groups"></div><button id="more" type="button" hidden>Show more</button></section>',
    '<section id="notes-section"></section>',
    '</main>',
    `<script type="application/json" id="acc-data">${scriptSafeJson(htmlDataOf(report))}</script>`,
    `<script>${HTML_CLIENT_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export async function writeHtmlReport(file: string, report: Report | JsonReport, opts: { secrets?: SecretPolicy } = {}): Promise<void> {
  await writeReportText('--report-html', file, renderHtml(report, opts));
}
