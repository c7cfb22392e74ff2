// End to end: the error-contract checks (issue 6) in a whole run against the real example API, clean and with
// each error switch of examples/README.md.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runContract, type Finding, type Report } from '../src/core.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';
import { startExampleServer } from '../examples/server.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const GOOGLE_ERRORS = path.join(projectRoot, 'examples', 'google-errors.yaml');

const ERROR_CHECKS = new Set([
  'problem-details',
  'error-status-member',
  'html-response',
  'proxy-error-page',
  'auth-required',
  'auth-scope',
  'public-operation',
  'method-not-allowed',
  'unknown-path',
]);

async function run(spec: string, misbehave: string[] = []): Promise<Report> {
  const server = await startExampleServer({ port: 0, misbehave });
  try {
    const { report } = await runContract({
      spec,
      baseUrl: server.url,
      credentials: { bearer: 'full-token' },
      limited: { credentials: { bearer: 'read-token' }, scopes: ['customers:read'] },
    });
    return report;
  } finally {
    await server.close();
  }
}

function fromErrorChecks(report: Report): Finding[] {
  return report.findings.filter((f) => ERROR_CHECKS.has(f.check));
}

function show(findings: Finding[]): string {
  return findings
    .slice(0, 10)
    .map((f) => `  ${f.check} [${f.severity}] ${f.operation} ${f.exchange.case.kind} ${f.exchange.case.request.method} ${f.exchange.case.request.path}: ${f.message}`)
    .join('\n');
}

describe('error-contract checks against the clean example API', () => {
  for (const [flavour, contract] of Object.entries(EXAMPLE_CONTRACTS)) {
    it(`${flavour} contract: no finding from any error-contract check, with auth, limited-scope and method cases run`, async () => {
      const report = await run(contract);
      assert.deepEqual(fromErrorChecks(report), [], show(fromErrorChecks(report)));
      const ran = new Map(report.checks.map((c) => [c.id, c.ran]));
      // Every error-contract check that has something to look at on this server did look. The 3.0 and 2.0
      // contracts give the bearer alternative no scopes (only OAuth2 may list them), so only 3.1 plans limited-scope cases.
      const looked = ['problem-details', 'auth-required', 'public-operation', 'method-not-allowed', 'unknown-path', ...(flavour === '3.1' ? ['auth-scope'] : [])];
      for (const id of looked) {
        assert.ok((ran.get(id) ?? 0) > 0, `${id} ran on no exchange`);
      }
    });
  }
});

interface Caught {
  misbehave: string;
  check: string;
  /** the reason, as the finding words it */
  message: RegExp;
  spec?: string;
}

const CAUGHT: Caught[] = [
  { misbehave: 'problem-status-string', check: 'problem-details', message: /^\d{3} problem: "status" is "\d{3}", not an integer$/ },
  { misbehave: 'problem-status-mismatch', check: 'problem-details', message: /^\d{3} problem says "status": \d{3}, which differs from the HTTP status \d{3}$/ },
  { misbehave: 'error-as-json', check: 'problem-details', message: /carries problem details labelled application\/json; the document promises application\/problem\+json/ },
  { misbehave: 'google-envelope', check: 'problem-details', message: /is a Google-style .* envelope \(application\/json\), not problem details/ },
  { misbehave: '403-for-missing-token', check: 'auth-required', message: /^403 without credentials for \w+; the document answers missing or invalid credentials with 401/ },
  { misbehave: 'no-www-authenticate', check: 'auth-required', message: /^401 (without|with invalid) credentials for \w+ carries no WWW-Authenticate header$/ },
  { misbehave: '405-without-allow', check: 'method-not-allowed', message: /^405 for [A-Z]+ \/\S+ carries no Allow header$/ },
  { misbehave: 'html-404', check: 'unknown-path', message: /^404 for an unknown path is an HTML page/ },
  { misbehave: 'any-token-accepted', check: 'auth-required', message: /answered 2\d\d to a request with invalid credentials: the credentials are not checked$/ },
  { misbehave: 'scopes-ignored', check: 'auth-scope', message: /answered 2\d\d to a request by an identity lacking scope customers:write: the scopes \(customers:write\) are not checked$/ },
  { misbehave: 'public-requires-auth', check: 'public-operation', message: /^\w+ is documented as public \(no security requirement\) but answered a valid request with 401$/ },
  { misbehave: 'html-error-page', check: 'html-response', message: /^4\d\d answered with an HTML page \(text\/html; charset=utf-8\) ".*"; application\/problem\+json is documented for it$/ },
  { misbehave: 'google-code-mismatch', check: 'error-status-member', message: /^\d{3} error body says error\.code = \d{3}, which differs from the HTTP status \d{3}$/, spec: GOOGLE_ERRORS },
];

describe('each error switch of the example API is caught by its check', () => {
  for (const { misbehave, check, message, spec } of CAUGHT) {
    it(`${misbehave} → ${check}${spec === undefined ? '' : ` (${path.basename(spec)})`}`, async () => {
      const report = await run(spec ?? EXAMPLE_CONTRACTS['3.1'], [misbehave]);
      const found = report.findings.filter((f) => f.check === check && f.severity === 'error');
      assert.ok(found.length > 0, `no ${check} error; got ${JSON.stringify(report.summary.byCheck)}`);
      const worded = found.filter((f) => message.test(f.message));
      assert.ok(worded.length > 0, `no ${check} finding says ${String(message)}:\n${show(found)}`);
      for (const f of found) assert.ok(f.specPointer !== undefined && f.expected !== undefined && f.actual !== undefined, f.message);
    });
  }

  it('google-envelope against google-errors.yaml, which documents the envelope: nothing is found', async () => {
    const report = await run(GOOGLE_ERRORS, ['google-envelope']);
    assert.deepEqual(report.findings, [], show(report.findings));
    assert.ok((report.checks.find((c) => c.id === 'error-status-member')?.ran ?? 0) > 0, 'error-status-member looked at no envelope');
  });
});
