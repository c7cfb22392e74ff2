import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { loadSpec } from '../src/spec/index.js';
import { createSender } from '../src/send/index.js';
import {
  createProgress,
  finalizeFindings,
  progressBar,
  progressText,
  renderConsole,
  renderJUnit,
  reportToJson,
  writeJsonReport,
  writeJUnitReport,
  type JsonReport,
} from '../src/report/index.js';
import { InputError } from '../src/errors.js';
import type { ApiSpec, Case, Exchange, Finding, HttpRequest, Operation, Report } from '../src/model.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const specFile = path.resolve(projectRoot, '../shared/specs/targets/alertmanager/openapi.yaml');

const SECRETS = ['SECRET-TOKEN-123', 'COOKIE-SECRET-456', 'QUERY-SECRET-789', 'HEADER-SECRET-000', 'TENANT-SECRET-321', 'SESSION-SET-654'];

// ---------------------------------------------------------------- a tiny strict XML 1.0 reader (well-formedness only)

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ILLEGAL_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;

function decodeEntities(raw: string, where: number): string {
  return raw.replace(/&([^;]*);|&/g, (all, name: string | undefined) => {
    if (name === undefined) throw new Error(`bare & near ${where}`);
    if (name === 'amp') return '&';
    if (name === 'lt') return '<';
    if (name === 'gt') return '>';
    if (name === 'quot') return '"';
    if (name === 'apos') return "'";
    const num = /^#(\d+)$/.exec(name) ?? /^#x([0-9a-fA-F]+)$/.exec(name);
    if (!num) throw new Error(`unknown entity ${all} near ${where}`);
    const ch = String.fromCodePoint(parseInt(num[1]!, name.startsWith('#x') ? 16 : 10));
    if (ILLEGAL_XML_CHAR.test(ch)) throw new Error(`illegal character reference ${all}`);
    return ch;
  });
}

function parseXml(xml: string): XmlElement {
  const bad = ILLEGAL_XML_CHAR.exec(xml);
  if (bad) throw new Error(`illegal character U+${bad[0].codePointAt(0)!.toString(16)} at ${bad.index}`);
  let pos = 0;
  const decl = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (decl) pos = decl[0].length;
  const skipSpace = (): void => {
    while (pos < xml.length && /\s/.test(xml[pos]!)) pos++;
  };
  const element = (): XmlElement => {
    if (xml[pos] !== '<') throw new Error(`expected < at ${pos}`);
    pos++;
    const name = NAME.exec(xml.slice(pos))?.[0];
    if (!name) throw new Error(`bad element name at ${pos}`);
    pos += name.length;
    const el: XmlElement = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      const before = pos;
      skipSpace();
      if (xml.startsWith('/>', pos)) {
        pos += 2;
        return el;
      }
      if (xml[pos] === '>') {
        pos++;
        break;
      }
      if (pos === before) throw new Error(`expected space before attribute at ${pos}`);
      const attr = NAME.exec(xml.slice(pos))?.[0];
      if (!attr) throw new Error(`bad attribute name at ${pos}`);
      pos += attr.length;
      if (xml[pos] !== '=') throw new Error(`expected = at ${pos}`);
      const quote = xml[pos + 1];
      if (quote !== '"' && quote !== "'") throw new Error(`expected quote at ${pos + 1}`);
      const end = xml.indexOf(quote, pos + 2);
      if (end < 0) throw new Error('unterminated attribute');
      const raw = xml.slice(pos + 2, end);
      if (raw.includes('<')) throw new Error(`< in attribute at ${pos}`);
      if (attr in el.attrs) throw new Error(`duplicate attribute ${attr}`);
      el.attrs[attr] = decodeEntities(raw, pos).replace(/[\t\n\r]/g, ' ');
      pos = end + 1;
    }
    for (;;) {
      const lt = xml.indexOf('<', pos);
      if (lt < 0) throw new Error(`unclosed <${name}>`);
      const raw = xml.slice(pos, lt);
      if (raw.includes(']]>')) throw new Error(']]> in content');
      el.text += decodeEntities(raw, pos).replace(/\r\n?/g, '\n');
      pos = lt;
      if (xml.startsWith('</', pos)) {
        const close = new RegExp(`^</${name}\\s*>`).exec(xml.slice(pos));
        if (!close) throw new Error(`mismatched close tag at ${pos}, expected </${name}>`);
        pos += close[0].length;
        return el;
      }
      el.children.push(element());
    }
  };
  const root = element();
  skipSpace();
  if (pos !== xml.length) throw new Error(`content after the root element at ${pos}`);
  return root;
}

function all(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];
}

// ---------------------------------------------------------------- a report built from real exchanges

let spec: ApiSpec;
let report: Report;
let server: http.Server;
let tmp: string;

function op(id: string): Operation {
  const found = spec.operations.find((o) => o.id === id);
  assert.ok(found, id);
  return found;
}

function caseOf(operation: Operation, kind: Case['kind'], request: HttpRequest, why?: Case['why']): Case {
  const c: Case = { id: `${operation.id}-${kind}`, operation, kind, request, expect: { documented: operation.responses.map((r) => r.status), outcome: kind === 'negative' ? 'client-error' : 'success' } };
  if (why) c.why = why;
  return c;
}

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'report-formats-'));
  spec = await loadSpec(specFile);
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url!.startsWith('/status')) {
        // echoes the credentials it got: the report must still not show them
        res.writeHead(500, { 'content-type': 'text/html', 'set-cookie': 'sid=SESSION-SET-654; HttpOnly' });
        res.end(`<h1>boom</h1><pre>${req.headers.authorization} ${req.headers.cookie} ${req.url} ${req.headers['x-api-key']} ${req.headers['x-tenant-secret']}</pre>`);
      } else if (req.url!.startsWith('/silences')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ accepted: true, filler: 'é'.repeat(10_000) }));
      } else if (req.url!.startsWith('/receivers')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.from([0, 1, 2, 0xff, 0xfe]));
      }
      // anything else: never answered (a timeout)
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sender = createSender({
    baseUrl,
    concurrency: 4,
    timeoutMs: 300,
    maxBodyBytes: 1 << 20,
    headers: { 'X-Api-Key': 'HEADER-SECRET-000' },
  });
  const auth = { Authorization: 'Bearer SECRET-TOKEN-123', Cookie: 'session=COOKIE-SECRET-456; theme=dark' };
  let exchanges: Exchange[];
  try {
    exchanges = await Promise.all([
      sender.send(caseOf(op('getStatus'), 'positive', { method: 'GET', path: '/status?api_key=QUERY-SECRET-789&x=1', headers: { ...auth, 'X-Tenant-Secret': 'TENANT-SECRET-321' } })),
      sender.send(
        caseOf(op('postSilences'), 'negative', { method: 'POST', path: '/silences', headers: { ...auth, 'content-type': 'application/json' }, body: '{"matchers":"nope\u0001<&]]>"}' }, {
          where: 'body/matchers',
          keyword: 'type',
          rule: { file: specFile, pointer: '/definitions/postableSilence' },
          value: 'nope\u0001<&]]>',
          description: 'matchers must be an array',
        }),
      ),
      sender.send(caseOf(op('getReceivers'), 'positive', { method: 'GET', path: '/receivers', headers: auth })),
      sender.send(caseOf(op('getAlerts'), 'positive', { method: 'GET', path: '/alerts?active=true', headers: auth })),
    ]);
  } finally {
    await sender.close();
  }
  const [status, silences, receivers, alerts] = exchanges;
  assert.equal(alerts!.transportError?.kind, 'timeout');
  const findings: Finding[] = [
    {
      check: 'server-error',
      category: 'server-error',
      severity: 'error',
      operation: 'getStatus',
      message: `Server answered 500 to ${status!.url}`,
      expected: 'a documented status: 200',
      actual: '500 text/html',
      specPointer: op('getStatus').responses[0]!.location,
      exchange: status!,
    },
    {
      check: 'negative-accepted',
      category: 'negative-accepted',
      severity: 'error',
      operation: 'postSilences',
      message: 'A body breaking "type" was accepted with 200 <&> "quotes" \u0007 bell',
      expected: '4XX',
      actual: '200',
      specPointer: { file: specFile, pointer: '/paths/~1silences/post/parameters/0' },
      exchange: silences!,
    },
    {
      check: 'content-type',
      category: 'content-type',
      severity: 'warning',
      operation: 'getReceivers',
      message: 'application/octet-stream is not documented',
      expected: 'application/json',
      actual: 'application/octet-stream',
      exchange: receivers!,
    },
    {
      check: 'transport',
      category: 'transport',
      severity: 'error',
      operation: 'getAlerts',
      message: 'no answer',
      exchange: alerts!,
    },
  ];
  const operations = ['getStatus', 'postSilences', 'getReceivers', 'getAlerts', 'getSilences'].map((id) => {
    const o = op(id);
    const sent = findings.find((f) => f.operation === id);
    return { operation: id, method: o.method, path: o.path, cases: sent ? { [sent.exchange.case.kind]: 1 } : {}, findings: sent ? 1 : 0, notCovered: sent ? [] : ['no valid value could be proven'] };
  });
  report = {
    tool: { name: 'api-contract-check', version: '0.1.0' },
    spec: { source: spec.source, title: spec.title, version: spec.versionString },
    baseUrl,
    seed: 42,
    startedAt: new Date().toISOString(),
    durationMs: 1234,
    incomplete: true,
    summary: { operations: 5, cases: 4, findings: 4, dropped: 0, bySeverity: { error: 3, warning: 1 }, byCheck: { 'server-error': 1, 'negative-accepted': 1, 'content-type': 1, transport: 1 } },
    operations,
    checks: [
      { id: 'server-error', category: 'server-error', ran: 4, failed: 1 },
      { id: 'negative-accepted', category: 'negative-accepted', ran: 1, failed: 1 },
      { id: 'content-type', category: 'content-type', ran: 3, failed: 1 },
      { id: 'transport', category: 'transport', ran: 4, failed: 1 },
      { id: 'problem-details', category: 'problem-details', ran: 0, failed: 0 },
    ],
    findings,
    warnings: ['format "uuid4" is unknown'],
  };
  finalizeFindings(report.findings, spec, { names: ['X-Tenant-Secret'], show: false });
});

after(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  server.closeAllConnections();
  await rm(tmp, { recursive: true, force: true });
});

function assertNoSecret(text: string, where: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${where} leaks ${s}`);
}

test('finalizeFindings fills the curl and the spec line of the rule', () => {
  const [status, silences, receivers] = report.findings;
  assert.equal(status!.specLine, spec.locate(status!.specPointer!)!.line);
  assert.equal(status!.specLine, 28);
  assert.equal(typeof silences!.specLine, 'number');
  assert.equal(receivers!.specLine, undefined);
  for (const f of report.findings) assert.match(f.curl ?? '', /^(# set first: .*\n)?(printf .* \| )?curl /);
  assert.match(status!.curl!, /\$API_AUTHORIZATION/);
  assert.match(status!.curl!, /\$API_X_API_KEY/, 'the --header extra is in the curl: it was sent');
  assert.match(status!.curl!, /\$API_X_TENANT_SECRET/);
  assert.match(status!.curl!, /\$API_QUERY_API_KEY/);
});

test('JSON report: round-trips through JSON.parse with the documented fields, bodies capped, no secret', async () => {
  const text = JSON.stringify(reportToJson(report));
  assertNoSecret(text, 'JSON report');
  const json = JSON.parse(text) as JsonReport;
  assert.deepEqual(json, reportToJson(report));
  assert.equal(json.format, 'api-contract-check/report');
  assert.equal(json.formatVersion, 1);
  assert.equal(json.incomplete, true);
  assert.equal(json.findings.length, 4);
  assert.deepEqual(json.operations.map((o) => o.operation), ['getStatus', 'postSilences', 'getReceivers', 'getAlerts', 'getSilences']);

  const [status, silences, receivers, alerts] = json.findings;
  assert.deepEqual(Object.keys(status!).sort(), ['actual', 'case', 'category', 'check', 'curl', 'expected', 'message', 'operation', 'operationLocation', 'request', 'response', 'severity', 'specPointer', 'timings'].sort());
  assert.deepEqual(status!.operationLocation, { file: specFile, pointer: '/paths/~1status/get', line: spec.locate(op('getStatus').location)!.line });
  assert.deepEqual(json.groups.map((g) => [g.operation, g.check, g.count]), [['getStatus', 'server-error', 1], ['postSilences', 'negative-accepted', 1], ['getReceivers', 'content-type', 1], ['getAlerts', 'transport', 1]]);
  assert.equal(status!.operation, 'getStatus');
  assert.deepEqual(status!.specPointer, { file: specFile, pointer: '/paths/~1status/get/responses/200', line: 28 });
  assert.equal(status!.request.method, 'GET');
  assert.match(status!.request.url, /\/status\?api_key=\[redacted\]&x=1$/);
  assert.equal(status!.request.headers['Authorization'], '[redacted]');
  assert.equal(status!.request.headers['X-Api-Key'], '[redacted]');
  assert.equal(status!.response!.status, 500);
  assert.deepEqual(status!.response!.headers['set-cookie'], ['[redacted]']);
  assert.equal(status!.response!.body.encoding, 'text');
  assert.match(status!.response!.body.data, /<h1>boom<\/h1>.*\[redacted\]/);
  assert.ok(!Number.isNaN(Date.parse(status!.timings.start)));

  assert.equal(silences!.case.kind, 'negative');
  assert.deepEqual(silences!.case.why, { where: 'body/matchers', keyword: 'type', rule: { file: specFile, pointer: '/definitions/postableSilence' }, value: 'nope\u0001<&]]>', description: 'matchers must be an array' });
  assert.deepEqual(silences!.request.body, { encoding: 'text', data: '{"matchers":"nope\u0001<&]]>"}', bytes: 25, excerpt: false });
  assert.equal(silences!.response!.body.excerpt, true, 'a 20 KB body is an excerpt');
  assert.ok(Buffer.byteLength(silences!.response!.body.data) <= 8 * 1024);
  assert.ok(silences!.response!.body.bytes > 20_000);

  assert.equal(receivers!.response!.body.encoding, 'base64');
  assert.deepEqual([...Buffer.from(receivers!.response!.body.data, 'base64')], [0, 1, 2, 0xff, 0xfe]);
  assert.equal(receivers!.specPointer, undefined);

  assert.equal(alerts!.response, undefined);
  assert.equal(alerts!.transportError!.kind, 'timeout');

  const file = path.join(tmp, 'report.json');
  await writeJsonReport(file, report);
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), json);
  // a missing directory is created (issue 17); a file where the directory should be is an InputError naming the path
  await writeJsonReport(path.join(tmp, 'missing-dir', 'r.json'), report);
  assert.deepEqual(JSON.parse(await readFile(path.join(tmp, 'missing-dir', 'r.json'), 'utf8')), json);
  await assert.rejects(writeJsonReport(path.join(file, 'r.json'), report), (e: unknown) => e instanceof InputError && e.message.includes('report.json'));
});

test('JUnit XML: well-formed, one suite per operation, a failure per finding, incomplete marked, no secret', async () => {
  const xml = renderJUnit(report);
  assertNoSecret(xml, 'JUnit');
  const root = parseXml(xml);
  assert.equal(root.name, 'testsuites');
  const suites = all(root, 'testsuite');
  assert.deepEqual(suites.map((s) => s.attrs.name), ['getStatus', 'postSilences', 'getReceivers', 'getAlerts', 'getSilences']);
  assert.equal(all(root, 'failure').length, 4);
  const testcases = all(root, 'testcase');
  assert.equal(Number(root.attrs.tests), testcases.length);
  assert.equal(Number(root.attrs.failures), 4);
  assert.equal(Number(root.attrs.skipped), 1);
  for (const suite of suites) {
    assert.equal(Number(suite.attrs.tests), all(suite, 'testcase').length);
    const props = Object.fromEntries(all(suite, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    assert.equal(props.incomplete, 'true');
    assert.equal(props.seed, '42');
  }
  // categories that ran (server-error, negative-accepted, content-type, transport) per operation with cases
  const status = suites[0]!;
  assert.deepEqual(all(status, 'testcase').map((t) => t.attrs.name).sort(), ['getStatus content-type', 'getStatus negative-accepted', 'getStatus server-error', 'getStatus transport']);
  const failure = all(status, 'failure')[0]!;
  assert.equal(failure.attrs.type, 'error');
  assert.match(failure.text, /expected: a documented status: 200/);
  assert.match(failure.text, /\$API_AUTHORIZATION/);
  const negative = all(suites[1]!, 'failure')[0]!;
  assert.match(negative.attrs.message!, /<&> "quotes" \\u0007 bell/);
  assert.equal(all(suites[4]!, 'skipped').length, 1);

  const file = path.join(tmp, 'junit.xml');
  await writeJUnitReport(file, report);
  assert.equal(await readFile(file, 'utf8'), xml);
});

test('the XML reader used above rejects what is not well-formed', () => {
  assert.throws(() => parseXml('<a><b></a>'));
  assert.throws(() => parseXml('<a x="1" x="2"/>'));
  assert.throws(() => parseXml('<a>\u0001</a>'));
  assert.throws(() => parseXml('<a>&nbsp;</a>'));
  assert.throws(() => parseXml('<a>x & y</a>'));
  assert.deepEqual(parseXml('<a k="&lt;&#10;">t&amp;<b/></a>').attrs, { k: '< ' });
});

test('console: table, each finding with its curl, summary counts; colour only when asked; no secret', () => {
  const plain = renderConsole(report, { color: false });
  assertNoSecret(plain, 'console');
  assert.ok(!plain.includes('\u001b['), 'no ANSI escapes without colour');
  assert.match(plain, /operation.*method path.*cases.*findings/);
  assert.match(plain, /getStatus.*GET \/status.*positive 1/);
  assert.match(plain, /getSilences.*none \(no valid value could be proven\)/);
  for (const f of report.findings) assert.ok(plain.includes(f.curl!.split('\n').at(-1)!.trim()), `curl of ${f.check}`);
  assert.match(plain, /1\) error {2}server-error {2}· getStatus/);
  assert.match(plain, /rule {6}.*openapi\.yaml#\/paths\/~1status\/get\/responses\/200 \(line 28\)/);
  assert.match(plain, /Authorization: \[redacted\]/);
  assert.match(plain, /received +500 \(\d+ ms\)/);
  assert.match(plain, /transport +timeout: no complete response within 300 ms/);
  assert.match(plain, /\\u0007 bell/, 'control characters are shown escaped');
  assert.match(plain, /INCOMPLETE 5 operations, 4 cases, 4 findings \(3 errors, 1 warning\), 1\.2 s, seed 42/);

  const coloured = renderConsole(report, { color: true, verbose: true });
  assertNoSecret(coloured, 'coloured console');
  assert.ok(coloured.includes('\u001b['));
  assert.ok(coloured.length > plain.length);

  const quiet = renderConsole(report, { color: false, quiet: true });
  assert.equal(quiet.trim().split('\n').length, 1);
  assert.match(quiet, /4 findings/);
});

test('showing secrets is a choice: with show=true the values are there', () => {
  const shown = JSON.stringify(reportToJson(report, { secrets: { names: [], show: true } }));
  assert.ok(shown.includes('SECRET-TOKEN-123'));
});

test('progress when not a terminal: a plain line at most once per interval and a last one at the end, nothing when quiet', async () => {
  let clock = 1_000;
  const now = (): number => clock;
  const file = path.join(tmp, 'progress.txt');
  const stream = createWriteStream(file);
  const progress = createProgress(stream as unknown as NodeJS.WriteStream, { intervalMs: 5_000, now });
  progress.onProgress({ done: 1, planned: 10, findings: 0, operationsPlanned: 1, operationsTotal: 4 });
  clock += 4_999;
  progress.update(3, 10, 0);
  clock += 1; // 5 s after the start: one line
  progress.onProgress({ done: 5, planned: 20, findings: 2, operationsPlanned: 3, operationsTotal: 4 });
  clock += 1_000;
  progress.onProgress({ done: 20, planned: 20, findings: 3, operationsPlanned: 4, operationsTotal: 4 });
  progress.done();
  await new Promise<void>((r) => stream.end(() => r()));
  assert.deepEqual((await readFile(file, 'utf8')).split('\n'), [
    'progress: 5/20 cases, 3/4 operations, 1 cases/s, 2 findings',
    'progress: 20/20 cases, 4/4 operations, 3 cases/s, 3 findings',
    '',
  ]);

  const quietFile = path.join(tmp, 'quiet.txt');
  const quietStream = createWriteStream(quietFile);
  const quiet = createProgress(quietStream as unknown as NodeJS.WriteStream, { quiet: true, intervalMs: 0, now });
  quiet.onProgress({ done: 1, planned: 1, findings: 0 });
  quiet.done();
  await new Promise<void>((r) => quietStream.end(() => r()));
  assert.equal(await readFile(quietFile, 'utf8'), '');

  const shortFile = path.join(tmp, 'short.txt');
  const shortStream = createWriteStream(shortFile);
  const short = createProgress(shortStream as unknown as NodeJS.WriteStream, { now });
  short.update(10, 10, 2); // a run shorter than one interval prints no progress at all
  short.done();
  await new Promise<void>((r) => shortStream.end(() => r()));
  assert.equal(await readFile(shortFile, 'utf8'), '');
});

test('progress on a terminal: one line rewritten in place with a bar, cut to the width of the terminal', () => {
  let clock = 0;
  const written: string[] = [];
  const tty = { isTTY: true, columns: 60, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
  const progress = createProgress(tty, { now: () => clock });
  clock = 2_000;
  progress.onProgress({ done: 50, planned: 100, findings: 1, operationsPlanned: 2, operationsTotal: 2 });
  clock += 10; // too soon: not repainted
  progress.onProgress({ done: 51, planned: 100, findings: 1, operationsPlanned: 2, operationsTotal: 2 });
  clock += 10; // the last case: always painted
  progress.onProgress({ done: 100, planned: 100, findings: 4, operationsPlanned: 2, operationsTotal: 2 });
  progress.done();
  assert.equal(written.length, 3);
  assert.ok(written[0]!.startsWith('\r\u001b[K[##########----------]  50% 50/100 cases, 2/2 operations'), written[0]);
  assert.equal(written[0]!.length, 60 - 1 + 4, 'cut to the width of the terminal (the 4 control characters take no column)');
  assert.equal(progressText({ done: 50, planned: 100, findings: 1, operationsPlanned: 2, operationsTotal: 2 }, 2_000), '50/100 cases, 2/2 operations, 25 cases/s, 1 finding');
  assert.ok(written[1]!.startsWith('\r\u001b[K[####################] 100% 100/100 cases'));
  assert.equal(written[2], '\r\u001b[K');
  assert.equal(progressText({ done: 3, planned: 9, findings: 1 }, 0), '3/9 cases, 1 finding');
  assert.equal(progressBar(0.25, 8), '[##------]  25%');
});
