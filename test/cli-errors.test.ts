// Bad input: one clear line on stderr naming the file, pointer or option, exit code 2, never a stack trace.
import { test } from 'node:test';
import { runCli as run } from './support-process.js';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = path.join(root, 'test', 'fixtures', 'cli');
const contract = path.join(root, 'examples', 'openapi.yaml');


/** A port on which nothing listens: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const cases: Array<{ name: string; args: () => Promise<string[]> | string[]; mentions: RegExp }> = [
  { name: 'missing file', args: () => ['/nonexistent/openapi.yaml', '--base-url', 'http://127.0.0.1:9'], mentions: /\/nonexistent\/openapi\.yaml/ },
  { name: 'YAML syntax error', args: () => [path.join(fixtures, 'bad-yaml.yaml'), '--base-url', 'http://127.0.0.1:9'], mentions: /bad-yaml\.yaml:\d+:\d+/ },
  { name: 'not an OpenAPI document', args: () => [path.join(fixtures, 'not-openapi.json'), '--base-url', 'http://127.0.0.1:9'], mentions: /not-openapi\.json/ },
  { name: 'unresolvable $ref', args: () => ['operations', path.join(fixtures, 'bad-ref.yaml')], mentions: /bad-ref\.yaml.*#\/components\/schemas\/Missing|Missing.*bad-ref\.yaml/ },
  { name: 'unknown option', args: () => [contract, '--base-url', 'http://127.0.0.1:9', '--frobnicate'], mentions: /--frobnicate/ },
  { name: 'malformed --base-url', args: () => [contract, '--base-url', 'localhost:8080'], mentions: /--base-url/ },
  { name: 'missing --base-url', args: () => [contract], mentions: /--base-url/ },
  { name: 'unknown check', args: () => [contract, '--base-url', 'http://127.0.0.1:9', '--checks', 'no-such-check'], mentions: /no-such-check/ },
  { name: 'bad --shard', args: () => [contract, '--base-url', 'http://127.0.0.1:9', '--shard', '5/4'], mentions: /--shard/ },
  { name: 'server not listening', args: async () => [contract, '--base-url', `http://127.0.0.1:${await closedPort()}`], mentions: /--base-url .*ECONNREFUSED/ },
];

for (const c of cases) {
  test(`${c.name}: one line, exit 2`, async () => {
    const r = await run(await c.args());
    assert.equal(r.code, 2, `exit code ${r.code}\n${r.stdout}\n${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
    assert.match(lines[0]!, c.mentions);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
}

test('--help shows examples and exits 0; --version prints the version', async () => {
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Examples:/);
  assert.match(help.stdout, /--base-url/);
  const version = await run(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
});
