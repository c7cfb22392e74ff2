// Findings grouped by (operation, check, rule): a break repeated by many generated cases is one entry with its
// count, in the console, JUnit, HTML, GitHub annotations and step summary; the JSON keeps every finding.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runContract } from '../src/core.js';
import {
  escapeCommandData,
  escapeCommandProperty,
  finalizeFindings,
  renderConsole,
  renderGithubAnnotations,
  renderHtml,
  renderJUnit,
  renderMarkdownSummary,
  reportToJson,
  writeGithubOutputs,
  type HtmlData,
  type JsonReport,
} from '../src/report/index.js';
import type { Report } from '../src/model.js';
import { startExampleServer, type ExampleServer } from '../examples/server.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
let server: ExampleServer;
let tmp: string;
let report: Report;
let json: JsonReport;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'report-groups-'));
  // every 200 JSON body is labelled text/plain: the same break for every positive case of an operation
  server = await startExampleServer({ port: 0, misbehave: ['wrong-content-type'] });
  const run = await runContract({ spec: EXAMPLE_CONTRACTS['3.1'], baseUrl: server.url, credentials: { bearer: 'full-token' }, checks: ['content-type'], stateful: false });
  report = run.report;
  finalizeFindings(report.findings, run.spec, { names: [], show: false });
  json = reportToJson(report);
});

after(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

function repeated(): JsonReport['groups'][number] {
  const group = json.groups.find((g) => g.operation === 'listCustomers');
  assert.ok(group, 'listCustomers has a group');
  assert.ok(group.count > 3, `listCustomers: only ${group.count} findings`);
  return group;
}

test('JSON: every finding kept, one group per (operation, check, rule) with its count and smallest example', () => {
  assert.equal(json.findings.length, report.findings.length);
  assert.ok(json.groups.length < json.findings.length, 'repeats were grouped');
  assert.equal(json.groups.reduce((sum, g) => sum + g.count, 0), json.findings.length);
  const keys = json.groups.map((g) => `${g.operation} ${g.check} ${g.rule?.pointer}`);
  assert.equal(new Set(keys).size, keys.length, 'no two groups share a key');
  const group = repeated();
  const members = json.findings.filter((f) => f.operation === group.operation && f.check === group.check && f.specPointer?.pointer === group.rule?.pointer);
  assert.equal(group.count, members.length);
  assert.deepEqual(group.members.map((i) => json.findings[i]), members);
  const smallest = Math.min(...members.map((f) => f.curl.length));
  assert.equal(json.findings[group.example]!.curl.length, smallest);
  assert.equal(group.rule?.line, json.findings[group.example]!.specPointer?.line);
});

test('console: one entry per group with ×count, the smallest example in full', () => {
  const text = renderConsole(report, { color: false });
  assert.ok(text.includes(`Findings (${json.findings.length}, in ${json.groups.length} groups)`));
  const entries = text.split('\n').filter((l) => /^\d+\) (error|warning|advisory) /.test(l));
  assert.equal(entries.length, json.groups.length);
  const group = repeated();
  const head = entries.filter((l) => l.includes(`content-type  · ${group.operation}`));
  assert.equal(head.length, 1);
  assert.ok(head[0]!.endsWith(`×${group.count}`), head[0]);
  assert.ok(text.includes(`found by ${group.count} cases; the smallest is shown`));
  const curls = text.split('\n').filter((l) => /^ {5}curl /.test(l));
  assert.equal(curls.length, json.groups.length, 'one curl per group, not per finding');
});

test('JUnit: one <failure> per group, the count in its message', () => {
  const xml = renderJUnit(report);
  assert.equal((xml.match(/<failure /g) ?? []).length, json.groups.length);
  const group = repeated();
  assert.match(xml, new RegExp(`<failure message="content-type: [^"]*\\(×${group.count}\\)"`));
  assert.match(xml, new RegExp(`found ${group.count} times \\(${group.count - 1} more like it\\)`));
  assert.equal(renderJUnit(json), xml, 'rendered from the JSON report, the same XML');
});

function embeddedData(html: string): HtmlData {
  const m = /<script type="application\/json" id="acc-data">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'embedded data');
  return JSON.parse(m[1]!) as HtmlData;
}

test('HTML: self-contained (no URL fetched), groups embedded with their count, text cannot close the script', () => {
  const tricky: JsonReport = structuredClone(json);
  tricky.findings[tricky.groups[0]!.example]!.message = '</script><script>alert(1)</script> <!-- \u2028';
  const html = renderHtml(tricky);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?(https?:)?\/\//i, 'nothing loaded from elsewhere');
  assert.doesNotMatch(html, /@import|url\(/i);
  assert.equal((html.match(/<\/script>/g) ?? []).length, 2, 'only the two script elements end');
  const data = embeddedData(html);
  assert.equal(data.groups.length, json.groups.length);
  assert.equal(data.groups[0]!.example.message, '</script><script>alert(1)</script> <!-- \u2028');
  const group = repeated();
  const embedded = data.groups.find((g) => g.operation === group.operation)!;
  assert.equal(embedded.count, group.count);
  assert.equal(embedded.others.length, group.count - 1);
  assert.deepEqual(data.operations.map((o) => o.id), json.operations.map((o) => o.operation));
  assert.equal(renderHtml(report), renderHtml(json), 'the same page from the run and from its JSON');
});

test('GitHub annotations: one command per group at the spec line, message and properties escaped', () => {
  const text = renderGithubAnnotations(json, { root: projectRoot });
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, json.groups.length);
  const group = repeated();
  const line = lines.find((l) => l.includes(`title=content-type · ${group.operation} (×${group.count})`));
  assert.ok(line, text);
  assert.ok(line.startsWith(`::error file=examples/openapi.yaml,line=${group.rule!.line},title=`), line);
  for (const l of lines) assert.ok(!/[\r]/.test(l) && l.startsWith('::error '), l);

  const odd: JsonReport = structuredClone(json);
  const example = odd.findings[odd.groups[0]!.example]!;
  example.message = '100% broken:\nsecond line, really';
  example.operation = 'op:with,comma';
  odd.groups[0]!.operation = 'op:with,comma';
  const first = renderGithubAnnotations(odd, { root: projectRoot }).split('\n')[0]!;
  assert.match(first, /title=content-type · op%3Awith%2Ccomma::100%25 broken:%0Asecond line, really%0A/);
  assert.equal(escapeCommandData('a%b\r\nc'), 'a%25b%0D%0Ac');
  assert.equal(escapeCommandProperty('a:b,c%'), 'a%3Ab%2Cc%25');
  // a spec outside the checkout: no file property, GitHub shows the annotation without a place
  assert.doesNotMatch(renderGithubAnnotations(json, { root: tmp }), /file=/);
});

test('Markdown summary: verdict, counts per check family, one row per group; cells escaped', () => {
  const md = renderMarkdownSummary(json);
  assert.match(md, /^## api-contract-check: Example shop API — FAIL\n/);
  assert.match(md, new RegExp(`${json.findings.length} findings in ${json.groups.length} groups`));
  assert.match(md, /\| :x: content-type \| \d+ \| \d+ \| \d+ \|/);
  const rows = md.split('\n').filter((l) => /^\| :(x|warning|information_source): \| /.test(l));
  assert.equal(rows.length, json.groups.length);
  const group = repeated();
  assert.ok(rows.some((r) => r.startsWith(`| :x: | ${group.operation} | content-type | ${group.count} |`)));
  const odd: JsonReport = structuredClone(json);
  odd.findings[odd.groups[0]!.example]!.message = 'a | b <b>\nc';
  assert.ok(renderMarkdownSummary(odd).includes('a \\| b &lt;b&gt; c'));
});

test('writeGithubOutputs: annotations only when GITHUB_ACTIONS=true, summary appended to GITHUB_STEP_SUMMARY', async () => {
  const summary = path.join(tmp, 'summary.md');
  let written = '';
  const out = { write: (t: string) => (written += t) };
  await writeGithubOutputs(json, { env: { GITHUB_ACTIONS: 'false' }, out, root: projectRoot });
  assert.equal(written, '');
  await writeGithubOutputs(json, { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary }, out, root: projectRoot });
  assert.equal(written, renderGithubAnnotations(json, { root: projectRoot }));
  await writeGithubOutputs(json, { env: { GITHUB_STEP_SUMMARY: summary }, out, root: projectRoot });
  assert.equal(await readFile(summary, 'utf8'), `${renderMarkdownSummary(json)}\n`.repeat(2));
});
