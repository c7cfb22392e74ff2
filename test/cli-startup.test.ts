// Issue 17, point 7: start-up. `--version` and `--help` load commander and the option parsers only; each
// command and each report writer is imported when it is used. Observed with a module-load hook in the child
// process (node's module.register), not with a clock: the timings are in BENCHMARKS.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliBin, runProcess } from './support-process.js';
import { startExampleServer } from '../examples/server.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'acc-startup-'));
const hooks = path.join(tmp, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.ACC_LOADED_LOG, url + '\\n');
  return next(url, context);
}
`,
);
const register = path.join(tmp, 'register.mjs');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);

let runs = 0;
/** The CLI with ARGS; returns the project modules and packages it loaded. */
async function loaded(args: string[]): Promise<{ code: number | null; modules: string[] }> {
  const log = path.join(tmp, `loaded-${++runs}.txt`);
  writeFileSync(log, '');
  const r = await runProcess(process.execPath, ['--import', pathToFileURL(register).href, cliBin, ...args], { env: { ...process.env, ACC_LOADED_LOG: log } });
  const modules = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((url) => {
    const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
    if (packageName) return `package:${packageName}`;
    return /\/dist\/(.*)\.js$/.exec(url)?.[1] ?? url;
  });
  return { code: r.code, modules: [...new Set(modules)] };
}

const HEAVY = /^(src\/(core|report|spec|schema|generate|plan|send|check|auth|explain\/(?!similar))|package:(ajv|yaml|undici|chalk|cli-table3|randexp))/;

test('--version and --help load no stage, no report writer and none of the heavy packages', async () => {
  for (const args of [['--version'], ['--help'], ['merge', '--help'], ['explain', '--help']]) {
    const { code, modules } = await loaded(args);
    assert.equal(code, 0, args.join(' '));
    assert.ok(modules.includes('src/cli/main'), `the hook sees the modules: ${modules.join(', ')}`);
    assert.deepEqual(modules.filter((m) => HEAVY.test(m)), [], `${args.join(' ')} loads only ${modules.join(', ')}`);
  }
});

test('a run loads only the report writers it was asked for', { timeout: 60_000 }, async () => {
  const server = await startExampleServer({ port: 0 });
  const writers = ['src/report/junit', 'src/report/html', 'src/report/sarif'];
  try {
    const base = [EXAMPLE_CONTRACTS['3.1'], '--base-url', server.url, '--operation', 'getHealth', '--quiet'];
    const plain = await loaded(base);
    assert.equal(plain.code, 0);
    assert.ok(plain.modules.includes('src/core'));
    assert.deepEqual(plain.modules.filter((m) => writers.includes(m)), []);
    const junit = await loaded([...base, '--junit', path.join(tmp, 'j.xml')]);
    assert.equal(junit.code, 0);
    assert.deepEqual(junit.modules.filter((m) => writers.includes(m)), ['src/report/junit']);
  } finally {
    await server.close();
  }
  const listChecks = await loaded(['list-checks']);
  assert.equal(listChecks.code, 0);
  assert.deepEqual(listChecks.modules.filter((m) => /^src\/(core|report\/(json|html|junit|sarif)|spec(?!\/pointer))/.test(m)), []);
});
