// Issue 11 end to end: identities from a config file, logged in against the example API with short-lived
// tokens, through the real CLI; no secret in any output.
import { test } from 'node:test';
import { runCli, type ProcessResult } from './support-process.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startExampleServer } from '../examples/server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const contract = path.join(root, 'examples', 'openapi.yaml');

function configFor(baseUrl: string): string {
  return `spec: ${contract}
baseUrl: ${baseUrl}
identities:
  alice:
    login:
      url: /auth/login
      body: { username: alice, password: "\${ALICE_PASSWORD}" }
      token: $response.body#/access_token
      expiresIn: $response.body#/expires_in
  bob:
    role: limited
    scopes: [customers:read]
    login:
      url: /auth/login
      body: { username: bob, password: "\${BOB_PASSWORD}" }
      token: $response.body#/access_token
      expiresIn: $response.body#/expires_in
`;
}


function run(cwd: string, args: string[], env: Record<string, string>): Promise<ProcessResult> {
  return runCli(args, { cwd, env: { ...process.env, ...env } });
}

const PASSWORDS = { ALICE_PASSWORD: 'wonderland', BOB_PASSWORD: 'builder' };

interface JsonFinding { check: string; response?: { status?: number } }

test('a run longer than a token lives ends with no 401 finding', { timeout: 60_000 }, async () => {
  const server = await startExampleServer({ port: 0, tokenTtlSeconds: 1 });
  const dir = mkdtempSync(path.join(tmpdir(), 'acc-id-'));
  try {
    writeFileSync(path.join(dir, 'api-contract-check.config.yaml'), configFor(server.url));
    // at most 40 requests a second: with more than 100 cases the run outlives the 1 s tokens by construction,
    // whatever the speed of the machine (a wall-clock assertion flaked on a fast one)
    const r = await run(dir, ['--concurrency', '1', '--rate', '40/s', '--report-json', 'r.json'], PASSWORDS);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8')) as { findings: JsonFinding[]; summary: { cases: number } };
    assert.deepEqual(report.findings.filter((f) => f.response?.status === 401), []);
    assert.ok(report.summary.cases > 100, `only ${report.summary.cases} cases: the run may not have outlived a token`);
  } finally {
    await server.close();
  }
});

test('the limited identity catches scopes-ignored; no secret in console, JSON, JUnit, HTML, SARIF or curl', { timeout: 60_000 }, async () => {
  const server = await startExampleServer({ port: 0, tokenTtlSeconds: 60, misbehave: ['scopes-ignored'] });
  const dir = mkdtempSync(path.join(tmpdir(), 'acc-id-'));
  try {
    writeFileSync(path.join(dir, 'api-contract-check.config.yaml'), configFor(server.url));
    const r = await run(dir, ['--report-json', 'r.json', '--junit', 'j.xml', '--report-html', 'r.html', '--sarif', 'r.sarif', '--verbose', '--no-color'], PASSWORDS);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8')) as { findings: JsonFinding[] };
    assert.ok(report.findings.some((f) => f.check === 'auth-scope'), JSON.stringify(report.findings.map((f) => f.check)));
    const outputs = {
      console: r.stdout + r.stderr,
      json: readFileSync(path.join(dir, 'r.json'), 'utf8'),
      junit: readFileSync(path.join(dir, 'j.xml'), 'utf8'),
      html: readFileSync(path.join(dir, 'r.html'), 'utf8'),
      sarif: readFileSync(path.join(dir, 'r.sarif'), 'utf8'),
    };
    assert.match(outputs.console, /curl /, 'the console shows curls, which must be redacted too');
    for (const [name, text] of Object.entries(outputs)) {
      for (const secret of Object.values(PASSWORDS)) assert.ok(!text.includes(secret), `${name} holds a password`);
      // issued tokens are 32 base64url characters; only a redaction or a shell variable may follow "Bearer "
      assert.doesNotMatch(text, /Bearer [A-Za-z0-9_-]{20,}/, `${name} holds a token`);
    }
  } finally {
    await server.close();
  }
});

test('a wrong password: exit 2 before any case, one line naming the identity, no password', async () => {
  const server = await startExampleServer({ port: 0 });
  const dir = mkdtempSync(path.join(tmpdir(), 'acc-id-'));
  try {
    writeFileSync(path.join(dir, 'api-contract-check.config.yaml'), configFor(server.url));
    const r = await run(dir, [], { ALICE_PASSWORD: 'not-the-password', BOB_PASSWORD: 'builder' });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /alice/);
    assert.match(lines[0]!, /401/);
    assert.ok(!r.stderr.includes('not-the-password'));
    assert.equal(r.stdout, '', 'nothing ran');
  } finally {
    await server.close();
  }
});
