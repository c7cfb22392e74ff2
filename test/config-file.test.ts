// The config file (issue 10): found in the current directory or named by --config, camelCase keys, ${ENV}
// substitution, the command line winning over the file; bad keys, types and unset variables exit 2 with one
// line naming the file and the key's JSON pointer.
import { test } from 'node:test';
import { runCli as runProcessCli } from './support-process.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { configFromValue, configOptionsOf, type ConfigOption } from '../src/cli/config.js';
import { InputError } from '../src/errors.js';
import { collectHeader, collectList, parseBasic, parsePositiveInt } from '../src/cli/options.js';
import { startExampleServer } from '../examples/server.js';
import type { ExampleServer } from '../examples/server.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = path.join(projectRoot, 'test', 'fixtures', 'config');
const contract = path.join(projectRoot, 'examples', 'openapi.yaml');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env['ACC_TEST_UNSET_TOKEN'];
  return runProcessCli(args, { cwd: options.cwd, env });
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

interface JsonReportView {
  seed: number;
  baseUrl: string;
  spec: { source: string };
  summary: { operations: number };
  operations: Array<{ operation: string; cases: Record<string, number> }>;
  checks: Array<{ id: string }>;
}

function readReport(file: string): JsonReportView {
  return JSON.parse(readFileSync(file, 'utf8')) as JsonReportView;
}

async function withServer(body: (server: ExampleServer, out: string) => Promise<void>): Promise<void> {
  const server = await startExampleServer({ port: 0 });
  try {
    await body(server, mkdtempSync(path.join(tmpdir(), 'acc-config-')));
  } finally {
    await server.close();
  }
}

test('the config file of the current directory gives spec, options and ${ENV} values', async () => {
  await withServer(async (server, out) => {
    const r = await runCli([], { cwd: path.join(fixtures, 'discover'), env: { ACC_TEST_BASE_URL: server.url, ACC_TEST_OUT: out, ACC_TEST_TOKEN: 'full-token' } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = readReport(path.join(out, 'from-config.json'));
    assert.equal(report.seed, 7);
    assert.equal(report.baseUrl, `${server.url}/`);
    assert.equal(path.resolve(path.join(fixtures, 'discover'), report.spec.source), contract);
    assert.deepEqual(report.operations.map((o) => o.operation).filter((id) => id !== '(unknown path)'), ['getHealth', 'listProducts']);
    for (const op of report.operations) assert.equal(op.cases['negative'], undefined, 'negative: false in the file');
  });
});

test('the command line overrides the file option by option; lists are replaced, not appended', async () => {
  await withServer(async (server, out) => {
    const unreachable = await closedPortUrl();
    const r = await runCli(['--seed', '9', '--operation', 'getProduct', '--base-url', server.url], {
      cwd: path.join(fixtures, 'discover'),
      env: { ACC_TEST_BASE_URL: unreachable, ACC_TEST_OUT: out, ACC_TEST_TOKEN: 'full-token' },
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = readReport(path.join(out, 'from-config.json'));
    assert.equal(report.seed, 9);
    assert.equal(report.baseUrl, `${server.url}/`);
    assert.deepEqual(report.operations.map((o) => o.operation).filter((id) => id !== '(unknown path)'), ['getProduct']);
    // what the command line did not give still comes from the file
    assert.equal(report.operations[0]!.cases['negative'], undefined);

    // a spec argument wins over the file's spec
    const other = await runCli([path.join(projectRoot, 'examples', 'openapi-3.0.yaml'), '--base-url', server.url], {
      cwd: path.join(fixtures, 'discover'),
      env: { ACC_TEST_BASE_URL: unreachable, ACC_TEST_OUT: out, ACC_TEST_TOKEN: 'full-token' },
    });
    assert.equal(other.code, 0, other.stdout + other.stderr);
    assert.match(readReport(path.join(out, 'from-config.json')).spec.source, /openapi-3\.0\.yaml$/);
  });
});

test('--config FILE (YAML) from another directory: paths relative to the file, lists, sizes, durations', async () => {
  await withServer(async (server, out) => {
    const reportFile = path.join(out, 'ci.json');
    const config = path.join('test', 'fixtures', 'config', 'yaml', 'ci.config.yaml');
    const r = await runCli(['--config', config, '--report-json', reportFile], {
      cwd: projectRoot,
      env: { ACC_TEST_BASE_URL: server.url, ACC_TEST_RUN_ID: '42' },
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = readReport(reportFile);
    assert.deepEqual(report.operations.map((o) => o.operation).filter((id) => id !== '(unknown path)'), ['getHealth', 'listProducts', 'getProduct']);
    assert.deepEqual(report.checks.map((c) => c.id), ['server-error', 'status-documented']);

    // the operations command reads the same file: its spec and its filter
    const ops = await runCli(['operations', '--config', config, '--json'], { cwd: projectRoot, env: { ACC_TEST_BASE_URL: server.url, ACC_TEST_RUN_ID: '42' } });
    assert.equal(ops.code, 0, ops.stderr);
    assert.deepEqual((JSON.parse(ops.stdout) as { operations: Array<{ id: string }> }).operations.map((o) => o.id), ['getHealth', 'listProducts', 'getProduct']);
  });
});

const errorCases: Array<{ name: string; config: string; cwd?: string; mentions: RegExp }> = [
  { name: 'unknown key', config: 'unknown-key.json', mentions: /unknown-key\.json#\/baseURL: unknown key 'baseURL' \(did you mean 'baseUrl'\?\)/ },
  { name: 'kebab-case key', config: 'kebab-case.json', mentions: /kebab-case\.json#\/base-url: config keys are camelCase: write 'baseUrl', not 'base-url'/ },
  { name: 'wrong type (number option)', config: 'wrong-type.json', mentions: /wrong-type\.json#\/seed: --seed 'many' must be an integer/ },
  { name: 'wrong type (flag)', config: 'wrong-flag.yaml', mentions: /wrong-flag\.yaml#\/readOnly: 'readOnly' must be true or false \(--read-only\), got string "yes"/ },
  { name: 'wrong type (nested)', config: 'wrong-nested.json', mentions: /wrong-nested\.json#\/header\/X-Trace: must be a string, got an array/ },
  { name: 'unset environment variable', config: 'unset-env.json', mentions: /unset-env\.json#\/authBearer: environment variable ACC_TEST_UNSET_TOKEN is not set/ },
  { name: '--no- option under its own name', config: 'no-prefix.json', mentions: /no-prefix\.json#\/noNegative: write 'negative: false', not 'noNegative'/ },
  { name: 'missing --config file', config: 'nonexistent.json', mentions: /--config .*nonexistent\.json: no such file/ },
];

for (const c of errorCases) {
  test(`config error, ${c.name}: exit 2, one line naming the file and the key`, async () => {
    const r = await runCli([contract, '--config', path.join('errors', c.config), '--base-url', 'http://127.0.0.1:9'], { cwd: fixtures });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, c.mentions);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
}

test('two config files in one directory: exit 2 naming both', async () => {
  const r = await runCli([contract], { cwd: path.join(fixtures, 'two') });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr.trim(), /^api-contract-check: api-contract-check\.config\.json and api-contract-check\.config\.yaml: more than one config file/);
});

test('no spec anywhere: exit 2 saying where it may come from', async () => {
  const r = await runCli(['--base-url', 'http://127.0.0.1:9'], { cwd: tmpdir() });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no OpenAPI document: give it as the first argument, or as "spec"/);
});

// ------------------------------------------------------------------ the reader itself, on the real option table

/** A program with the CLI's own option parsers (main.ts runs the CLI when imported, so it is rebuilt here). */
function rootOptions(): ConfigOption[] {
  const program = new Command()
    .option('--base-url <url>')
    .option('--seed <n>', '', parsePositiveInt('--seed', 0))
    .option('--no-negative')
    .option('--read-only')
    .option('--checks <ids>', '', collectList)
    .option('-H, --header <header>', '', collectHeader)
    .option('--auth-basic <user:password>', '', parseBasic)
    .option('--report-json <file>')
    .option('--tag <tag>', '', (v: string, previous: string[] = []) => [...previous, v])
    .option('--config <file>')
    .addOption(new Option('--error-format <format>').choices(['problem', 'documented', 'none']));
  return configOptionsOf(program);
}

test('reader: option table, substitution at any depth, escapes, pairs, paths, choices', () => {
  const options = rootOptions();
  assert.ok(!options.some((o) => o.key === 'config'), '--config is not a key of the file');
  const config = configFromValue(
    {
      $schema: './schema.json',
      spec: 'specs/openapi.yaml',
      baseUrl: '${HOST_URL}',
      seed: 5,
      negative: false,
      checks: ['server-error', 'status,headers'],
      header: { 'X-Run': 'run-${RUN}', 'X-Literal': '$${NOT_A_VAR}' },
      authBasic: { user: 'u', password: '${PASS}' },
      reportJson: 'out/report.json',
      tag: 'customers',
      errorFormat: 'problem',
    },
    '/etc/acc/api-contract-check.config.json',
    options,
    { HOST_URL: 'http://127.0.0.1:8080', RUN: '7', PASS: 'p:w' },
  );
  assert.equal(config.spec, path.resolve('/etc/acc/specs/openapi.yaml'));
  assert.deepEqual(config.options, {
    baseUrl: 'http://127.0.0.1:8080',
    seed: 5,
    negative: false,
    checks: ['server-error', 'status', 'headers'],
    header: { 'X-Run': 'run-7', 'X-Literal': '${NOT_A_VAR}' },
    authBasic: { user: 'u', password: 'p:w' },
    reportJson: path.resolve('/etc/acc/out/report.json'),
    tag: ['customers'],
    errorFormat: 'problem',
  });
  const fails = (value: Record<string, unknown>, message: RegExp): void =>
    assert.throws(() => configFromValue(value, '/x/c.json', options, {}), (e: unknown) => e instanceof InputError && message.test(e.message));
  fails({ errorFormat: 'rfc' }, /c\.json#\/errorFormat: 'errorFormat' must be one of problem, documented, none, got 'rfc'/);
  fails({ seed: [1, 2] }, /#\/seed: 'seed' takes one value \(--seed\), got an array/);
  fails({ baseUrl: 8080 }, /#\/baseUrl: 'baseUrl' must be a string \(--base-url\), got number 8080/);
  fails({ tag: ['a', { b: 1 }] }, /#\/tag\/1: 'tag' must be a string/);
  fails({ header: { 'X-A': 'ok', 'X-B': '${MISSING_B}' } }, /#\/header\/X-B: environment variable MISSING_B is not set/);
  fails({ baseUrl: '${not valid}' }, /#\/baseUrl: '\$\{not valid\}' is not a variable name/);
  fails({ identities: {} }, /#\/identities: 'identities' is empty/);
  assert.throws(() => configFromValue(['baseUrl'], '/x/c.json', options, {}), /c\.json: must hold an object of options/);
});
