// JUnit XML: one testsuite per operation, one testcase per check category that ran, a <failure> per finding group.
import { writeReportText } from './output.js';
import type { CheckCategory, OperationCoverage, Report } from '../model.js';
import { InputError } from '../errors.js';
import type { SecretPolicy } from '../send/secrets.js';
import { asJsonReport, groupsOf, type JsonFinding, type JsonGroup, type JsonReport } from './json.js';

/**
 * Text safe in XML 1.0 content and attributes: markup characters escaped, and the characters XML 1.0
 * cannot carry at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF) written as \uXXXX.
 */
export function xmlEscape(text: string, inAttribute = false): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const ch = text[i]!;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += ch + text[i + 1]!;
        i++;
        continue;
      }
      out += `\\u${code.toString(16).padStart(4, '0')}`;
      continue;
    }
    if ((code >= 0xdc00 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) {
      out += `\\u${code.toString(16)}`;
      continue;
    }
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
      continue;
    }
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (inAttribute && ch === '"') out += '&quot;';
    // attribute-value normalization would turn raw whitespace into spaces
    else if (inAttribute && (code === 0x09 || code === 0x0a || code === 0x0d)) out += `&#${code};`;
    else if (code === 0x0d) out += '&#13;'; // a raw CR in content is read back as LF
    else out += ch;
  }
  return out;
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v), true)}"`)
    .join('');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function failureText(group: JsonGroup, finding: JsonFinding): string {
  const lines = [finding.message];
  if (group.count > 1) lines.push(`found ${group.count} times (${group.count - 1} more like it); the smallest example:`);
  if (finding.expected !== undefined) lines.push(`expected: ${finding.expected}`);
  if (finding.actual !== undefined) lines.push(`actual:   ${finding.actual}`);
  if (finding.specPointer) {
    const line = finding.specPointer.line !== undefined ? ` (line ${finding.specPointer.line})` : '';
    lines.push(`rule:     ${finding.specPointer.file}#${finding.specPointer.pointer}${line}`);
  }
  const why = finding.case.why;
  lines.push(`case:     ${finding.case.kind} ${finding.case.id}${why ? ` (${why.where} ${why.keyword}: ${why.description})` : ''}`);
  lines.push(`request:  ${finding.request.method} ${finding.request.url}`);
  if (finding.response) lines.push(`response: ${finding.response.status}`);
  if (finding.transportError) lines.push(`transport error: ${finding.transportError.kind}: ${finding.transportError.message}`);
  lines.push('', finding.curl);
  return lines.join('\n');
}

interface SuiteCase {
  category: CheckCategory;
  groups: JsonGroup[];
}

/** Categories that ran in this run (from check coverage), plus any this operation has findings in. */
function casesFor(groups: JsonGroup[], ranCategories: CheckCategory[]): SuiteCase[] {
  const categories = new Set<CheckCategory>(ranCategories);
  for (const g of groups) categories.add(g.category);
  return [...categories].sort().map((category) => ({ category, groups: groups.filter((g) => g.category === category) }));
}

function casesSent(op: OperationCoverage): number {
  return Object.values(op.cases).reduce<number>((sum, n) => sum + (n ?? 0), 0);
}

/** JUnit XML of a run or of a JSON report (merge): a <failure> per finding group, with its smallest example. */
export function renderJUnit(source: Report | JsonReport, opts: { secrets?: SecretPolicy } = {}): string {
  const report = asJsonReport(source, opts);
  const ranCategories = [...new Set(report.checks.filter((c) => c.ran > 0).map((c) => c.category))];
  const byOperation = new Map<string, JsonGroup[]>();
  for (const g of groupsOf(report)) byOperation.set(g.operation, [...(byOperation.get(g.operation) ?? []), g]);
  const operations = [...report.operations];
  for (const id of byOperation.keys()) {
    if (!operations.some((o) => o.operation === id)) {
      operations.push({ operation: id, method: 'get', path: '', cases: {}, findings: 0, notCovered: [] });
    }
  }

  let totalTests = 0;
  let totalFailures = 0;
  let totalSkipped = 0;
  const suites: string[] = [];
  for (const op of operations) {
    const groups = byOperation.get(op.operation) ?? [];
    const sent = casesSent(op);
    const cases = sent > 0 || groups.length > 0 ? casesFor(groups, sent > 0 ? ranCategories : []) : [];
    const body: string[] = [];
    const properties: Record<string, string> = {
      method: op.method.toUpperCase(),
      path: op.path,
      incomplete: String(report.incomplete),
      seed: String(report.seed),
      baseUrl: report.baseUrl,
      cases: Object.entries(op.cases).map(([k, n]) => `${k}=${n}`).join(' '),
    };
    if (report.shard) properties.shard = `${report.shard.index}/${report.shard.count}`;
    if (op.notCovered.length > 0) properties.notCovered = op.notCovered.join('; ');
    body.push('    <properties>');
    for (const [name, value] of Object.entries(properties)) body.push(`      <property${attrs({ name, value })}/>`);
    body.push('    </properties>');

    let failures = 0;
    let skipped = 0;
    for (const c of cases) {
      const name = `${op.operation} ${c.category}`;
      if (c.groups.length === 0) {
        body.push(`    <testcase${attrs({ name, classname: op.operation })}/>`);
        continue;
      }
      failures++;
      body.push(`    <testcase${attrs({ name, classname: op.operation })}>`);
      for (const g of c.groups) {
        const example = report.findings[g.example]!;
        const times = g.count > 1 ? ` (×${g.count})` : '';
        body.push(`      <failure${attrs({ message: `${g.check}: ${example.message}${times}`, type: g.severity })}>${xmlEscape(failureText(g, example))}</failure>`);
      }
      body.push('    </testcase>');
    }
    if (cases.length === 0) {
      skipped = 1;
      const why = op.notCovered.length > 0 ? op.notCovered.join('; ') : 'no case was sent';
      body.push(`    <testcase${attrs({ name: `${op.operation} not covered`, classname: op.operation })}>`);
      body.push(`      <skipped${attrs({ message: why })}/>`);
      body.push('    </testcase>');
    }
    const tests = Math.max(cases.length, skipped);
    totalTests += tests;
    totalFailures += failures;
    totalSkipped += skipped;
    suites.push(
      `  <testsuite${attrs({ name: op.operation, tests, failures, errors: 0, skipped, timestamp: report.startedAt.replace(/Z$/, '') })}>`,
      ...body,
      '  </testsuite>',
    );
  }
  const root = attrs({
    name: `${report.tool.name}: ${report.spec.title}`,
    tests: totalTests,
    failures: totalFailures,
    errors: 0,
    skipped: totalSkipped,
    time: seconds(report.durationMs),
  });
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${root}>`, ...suites, '</testsuites>', ''].join('\n');
}

export async function writeJUnitReport(file: string, report: Report | JsonReport, opts: { secrets?: SecretPolicy } = {}): Promise<void> {
  await writeReportText('--junit', file, renderJUnit(report, opts));
}
