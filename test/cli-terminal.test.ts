// Issue 17, point 4: pipes and terminals. A reader that goes away (`| head`) ends the tool quietly with its
// own exit code; NO_COLOR and FORCE_COLOR are honoured in pipes and on a terminal; a terminal of zero width gets
// no progress bar. Real pipes (bash) and real ptys (python3's pty module).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cliBin, projectRoot, runCli, runProcess, type ProcessResult } from './support-process.js';
import { startExampleServer, type ExampleServer } from '../examples/server.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';

const contract = EXAMPLE_CONTRACTS['3.1'];
// 361 operations: `operations` prints megabytes, far beyond what a pipe buffers
const bigSpec = path.join(projectRoot, '..', 'shared', 'specs', 'corpus', 'apis-guru', 'telnyx.com.json');
// Select Graphic Rendition: what colour is made of (the progress line's \r\x1b[K is not colour)
const SGR = /\u001b\[[0-9;]*m/;

function env(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'GITHUB_ACTIONS']) delete e[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete e[name];
    else e[name] = value;
  }
  return e;
}

/** `api-contract-check ARGS | head -c 100`: the tool's exit code (PIPESTATUS) and its stderr. */
function pipedToHead(args: string[], extraEnv: Record<string, string> = {}): Promise<ProcessResult> {
  const script = '"$@" | head -c 100 >/dev/null; exit "${PIPESTATUS[0]}"';
  return runProcess('bash', ['-c', script, 'bash', process.execPath, cliBin, ...args], { env: env(extraEnv) });
}

const PTY = `
import fcntl, os, pty, struct, sys, termios
cols = int(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 24, cols, 0, 0))
    os.execvp(sys.argv[2], sys.argv[2:])
out = b''
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status))
`;

/** The CLI on a real terminal `columns` wide; stdout and stderr both go to the terminal. */
function onPty(columns: number, args: string[], extraEnv: Record<string, string> = {}): Promise<ProcessResult> {
  return runProcess('python3', ['-c', PTY, String(columns), process.execPath, cliBin, ...args], { env: env(extraEnv) });
}

async function withServer(body: (server: ExampleServer) => Promise<void>, misbehave: string[] = []): Promise<void> {
  const server = await startExampleServer({ port: 0, misbehave });
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

const RUN = (server: ExampleServer): string[] => [contract, '--base-url', server.url, '--auth-bearer', 'full-token', '--operation', 'getHealth', '--operation', 'listCustomers'];

test('`operations … | head`: exit 0, nothing on stderr (no EPIPE trace)', { timeout: 60_000 }, async () => {
  const r = await pipedToHead(['operations', bigSpec]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
});

test('a run with findings, its JSON report piped to head: exit 1 (the findings), no EPIPE trace', { timeout: 60_000 }, async () => {
  await withServer(async (server) => {
    const r = await pipedToHead([contract, '--base-url', server.url, '--auth-bearer', 'full-token', '--report-json', '-', '--quiet']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^FAIL /m);
    assert.doesNotMatch(r.stderr, /EPIPE|\n\s+at /);
  }, ['wrong-response-type', 'no-location', 'html-404', 'undocumented-status']);
});

test('colour in a pipe: none by default or with NO_COLOR; FORCE_COLOR=1 turns it on, FORCE_COLOR=0 keeps it off', { timeout: 60_000 }, async () => {
  await withServer(async (server) => {
    const plain = await runCli(RUN(server), { env: env({}) });
    assert.equal(plain.code, 1, plain.stderr);
    assert.doesNotMatch(plain.stdout, SGR);
    const forced = await runCli(RUN(server), { env: env({ FORCE_COLOR: '1' }) });
    assert.match(forced.stdout, SGR);
    const forcedOff = await runCli(RUN(server), { env: env({ FORCE_COLOR: '0' }) });
    assert.doesNotMatch(forcedOff.stdout, SGR);
    const flag = await runCli([...RUN(server), '--no-color'], { env: env({ FORCE_COLOR: '1' }) });
    assert.doesNotMatch(flag.stdout, SGR, '--no-color wins over FORCE_COLOR');
  }, ['undocumented-status']);
  // explain follows the same rules
  const explain = ['explain', contract, '--url', '/customers?limit=abc'];
  assert.doesNotMatch((await runCli(explain, { env: env({}) })).stdout, SGR);
  assert.match((await runCli(explain, { env: env({ FORCE_COLOR: '1' }) })).stdout, SGR);
});

test('colour on a terminal: on by default, off with NO_COLOR=1, with FORCE_COLOR=0 and with --no-color', { timeout: 60_000 }, async () => {
  await withServer(async (server) => {
    const tty = await onPty(100, RUN(server));
    assert.equal(tty.code, 1, tty.stdout);
    assert.match(tty.stdout, SGR);
    for (const [extra, args] of [[{ NO_COLOR: '1' }, []], [{ FORCE_COLOR: '0' }, []], [{}, ['--no-color']]] as const) {
      const r = await onPty(100, [...RUN(server), ...args], extra);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /FAIL \d+ operations/);
      assert.doesNotMatch(r.stdout, SGR, JSON.stringify(extra) + args.join(' '));
    }
  }, ['undocumented-status']);
});

test('progress: a bar on a 100-column terminal; none, and no escape fragments, on a 0-column one', { timeout: 60_000 }, async () => {
  await withServer(async (server) => {
    const wide = await onPty(100, [...RUN(server), '--no-color']);
    assert.equal(wide.code, 0, wide.stdout);
    assert.match(wide.stdout, /\r\u001b\[K\[[#-]{20}\]/, 'the bar is drawn where the width is known');
    const zero = await onPty(0, [...RUN(server), '--no-color']);
    assert.equal(zero.code, 0, zero.stdout);
    assert.match(zero.stdout, /PASS \d+ operations/);
    assert.doesNotMatch(zero.stdout, /\u001b/, 'not one escape sequence');
  });
});
