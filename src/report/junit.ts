// JUnit XML: one testsuite per operation, one testcase per check category that ran, a <failure> per finding.
import { writeFile } from 'node:fs/promises';
import type { CheckCategory, Finding, OperationCoverage, Report } from '../model.js';
import { InputError } from '../errors.js';
import { renderCurl } from '../send/curl.js';
import type { SecretPolicy } from '../send/secrets.js';
import { policyFor, sentRequest, viewOf } from './view.js';

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

function failureText(finding: Finding, secrets: SecretPolicy | undefined): string {
  const view = viewOf(finding, secrets);
  const lines = [view.message];
  if (view.expected !== undefined) lines.push(`expected: ${view.expected}`);
  if (view.actual !== undefined) lines.push(`actual:   ${view.actual}`);
  if (finding.specPointer) {
    const line = finding.specLine !== undefined ? ` (line ${finding.specLine})` : '';
    lines.push(`rule:     ${finding.specPointer.file}#${finding.specPointer.pointer}${line}`);
  }
  lines.push(`case:     ${view.caseKind} ${view.caseId}${view.why ? ` (${view.why.where} ${view.why.keyword}: ${view.why.description})` : ''}`);
  lines.push(`request:  ${view.request.method} ${view.request.url}`);
  if (view.response) lines.push(`response: ${view.response.status}`);
  if (view.transportError) lines.push(`transport error: ${view.transportError.kind}: ${view.transportError.message}`);
  const curl = finding.curl ?? renderCurl(finding.exchange.url, sentRequest(finding), { secrets: policyFor(finding, secrets) });
  lines.push('', curl);
  return lines.join('\n');
}

interface SuiteCase {
  category: CheckCategory;
  findings: Finding[];
}

/** Categories that ran in this run (from check coverage), plus any this operation has findings in. */
function casesFor(op: OperationCoverage, findings: Finding[], ranCategories: CheckCategory[]): SuiteCase[] {
  const categories = new Set<CheckCategory>(ranCategories);
  for (const f of findings) categories.add(f.category);
  return [...categories].sort().map((category) => ({ category, findings: findings.filter((f) => f.category === category) }));
}

function casesSent(op: OperationCoverage): number {
  return Object.values(op.cases).reduce<number>((sum, n) => sum + (n ?? 0), 0);
}

export function renderJUnit(report: Report, opts: { secrets?: SecretPolicy } = {}): string {
  const ranCategories = [...new Set(report.checks.filter((c) => c.ran > 0).map((c) => c.category))];
  const byOperation = new Map<string, Finding[]>();
  for (const f of report.findings) byOperation.set(f.operation, [...(byOperation.get(f.operation) ?? []), f]);
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
    const findings = byOperation.get(op.operation) ?? [];
    const sent = casesSent(op);
    const cases = sent > 0 || findings.length > 0 ? casesFor(op, findings, sent > 0 ? ranCategories : []) : [];
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
      if (c.findings.length === 0) {
        body.push(`    <testcase${attrs({ name, classname: op.operation })}/>`);
        continue;
      }
      failures++;
      body.push(`    <testcase${attrs({ name, classname: op.operation })}>`);
      for (const f of c.findings) {
        const view = viewOf(f, opts.secrets);
        body.push(`      <failure${attrs({ message: `${f.check}: ${view.message}`, type: f.severity })}>${xmlEscape(failureText(f, opts.secrets))}</failure>`);
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

export async function writeJUnitReport(file: string, report: Report, opts: { secrets?: SecretPolicy } = {}): Promise<void> {
  try {
    await writeFile(file, renderJUnit(report, opts), 'utf8');
  } catch (err) {
    throw new InputError(`--junit ${file}: cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
