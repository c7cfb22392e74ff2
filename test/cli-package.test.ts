// Issue 17, point 6: the package as npm ships it. A copy of the sources is packed (prepack builds it, as
// from a fresh clone), the tarball installed into an empty folder, and the installed bin run there.
// The copy keeps the build away from this checkout's dist/, which the other tests are running from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot, runProcess } from './support-process.js';

const SOURCES = ['src', 'examples', 'bin', 'docs', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE'];

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

function allFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? allFiles(path.join(directory, entry.name)) : [path.join(directory, entry.name)],
  );
}

test('npm pack builds and ships the runtime only; installed from the tarball, the bin runs --version, operations and demo', { timeout: 240_000 }, async (t) => {
  const work = mkdtempSync(path.join(tmpdir(), 'acc-package-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const clone = path.join(work, 'clone');
  mkdirSync(clone);
  for (const entry of SOURCES) cpSync(path.join(projectRoot, entry), path.join(clone, entry), { recursive: true });
  symlinkSync(path.join(projectRoot, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  assert.ok(!existsSync(path.join(clone, 'dist')), 'a fresh clone has no dist/');

  const pack = await runProcess('npm', ['pack', '--json', '--pack-destination', work], { cwd: clone });
  assert.equal(pack.code, 0, pack.stderr);
  const [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as PackResult[];
  const files = packed!.files.map((f) => f.path);
  for (const needed of ['bin/api-contract-check.js', 'dist/src/cli/main.js', 'dist/src/core.d.ts', 'dist/examples/server.js', 'examples/openapi.yaml', 'README.md', 'LICENSE', 'package.json']) {
    assert.ok(files.includes(needed), `${needed} is shipped`);
  }
  assert.deepEqual(files.filter((f) => f.startsWith('dist/test') || f.startsWith('dist/scripts') || f.startsWith('src/') || f.endsWith('.map')), [], 'no tests, scripts, sources or maps');

  const app = path.join(work, 'app');
  mkdirSync(app);
  const install = await runProcess('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(work, packed!.filename)], { cwd: app });
  assert.equal(install.code, 0, install.stderr);
  const installed = path.join(app, 'node_modules', 'api-contract-check');
  const js = allFiles(path.join(installed, 'dist')).filter((f) => f.endsWith('.js'));
  assert.ok(js.length > 50, `${js.length} files`);
  assert.deepEqual(js.filter((f) => readFileSync(f, 'utf8').includes('sourceMappingURL')), [], 'no file points at a map that is not shipped');

  const version = await runProcess('npx', ['--no', '--', 'api-contract-check', '--version'], { cwd: app });
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version);

  const operations = await runProcess('npx', ['--no', '--', 'api-contract-check', 'operations', 'node_modules/api-contract-check/examples/openapi.yaml', '--json'], { cwd: app });
  assert.equal(operations.code, 0, operations.stderr);
  assert.equal((JSON.parse(operations.stdout) as { operations: unknown[] }).operations.length, 16);

  const demo = await runProcess('npx', ['--no', '--', 'api-contract-check', 'demo', '--quiet'], { cwd: app });
  assert.equal(demo.code, 0, demo.stdout + demo.stderr);
  assert.match(demo.stdout, /^PASS 16 operations/m);
});
