// The example server's command line: one "listening on" line, switches applied, bad options refused in one line.
import assert from 'node:assert/strict';
import { runProcess, type ProcessResult } from './support-process.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { exampleRequest } from '../examples/client.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const serverScript = path.join(projectRoot, 'dist', 'examples', 'server.js');

function run(args: string[]): Promise<ProcessResult> {
  return runProcess(process.execPath, [serverScript, ...args]);
}

test('prints "listening on http://127.0.0.1:PORT", serves with the chosen switches, stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [serverScript, '--port', '0', '--misbehave', 'html-404', '--token-ttl', '2'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const [first] = (await once(lines, 'line')) as [string];
  const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first)?.[1];
  try {
    assert.ok(url, first);
    const answer = await exampleRequest(url, 'GET', '/nope');
    const login = await exampleRequest(url, 'POST', '/auth/login', { json: { username: 'alice', password: 'wonderland' } });
    assert.deepEqual([answer.status, answer.headers['content-type'], (login.json as { expires_in?: number }).expires_in], [404, 'text/html; charset=utf-8', 2]);
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = (await exited) as [number | null];
  assert.equal(code, 0);
});

test('bad options exit 2 with one line on stderr naming the option', async () => {
  for (const [args, option] of [
    [['--misbehave', 'accept-everything'], '--misbehave'],
    [['--token-ttl', '0'], '--token-ttl'],
    [['--port', 'eighty'], '--port'],
    [['--port', '70000'], '--port'],
    [['--verbose'], '--verbose'],
  ] as const) {
    const { code, stdout, stderr } = await run(['--port', '0', ...args]);
    assert.deepEqual([code, stdout, stderr.trim().split('\n').length, stderr.includes(option)], [2, '', 1, true], `${args.join(' ')}: ${stderr}`);
  }
});
