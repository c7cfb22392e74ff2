// SIGINT/SIGTERM on a real child process of the CLI, sent once its first requests hang on a slow server.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import * as hostile from './support-hostile.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(projectRoot, 'bin/api-contract-check.js');

// /health answers at once; /items never answers, so its requests are in flight until the signal.
const contract = `
openapi: 3.0.3
info: { title: Slow, version: '1' }
paths:
  /health:
    get:
      operationId: getHealth
      responses:
        '200':
          description: fine
          content:
            application/json:
              schema: { type: object }
  /items:
    get:
      operationId: listItems
      parameters:
        - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 100 } }
      responses:
        '200':
          description: the items
          content:
            application/json:
              schema: { type: array, items: { type: integer } }
`;

const healthOnly: hostile.Behaviour = (socket, request, index) => {
  if (request.path === '/health') hostile.jsonAnswer({ status: 'ok' })(socket, request, index);
};

interface Cli {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stdout(): string;
  stderr(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startCli(args: string[]): Cli {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** Polls until `condition` holds; gives up if the child ends first, or after 20 s, so a failure cannot hang the run. */
async function until(condition: () => boolean, cli: Cli, what: string): Promise<void> {
  const giveUpAt = Date.now() + 20_000;
  while (!condition()) {
    if (cli.child.exitCode !== null || cli.child.signalCode !== null) assert.fail(`the CLI ended before ${what}: ${cli.stderr()}`);
    if (Date.now() > giveUpAt) assert.fail(`gave up waiting for ${what}; stderr: ${cli.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** /health answered and at least one /items request waiting at the server. */
function firstRequestsInFlight(server: hostile.HostileServer): () => boolean {
  return () => server.requests.some((r) => r.path === '/health') && server.requests.some((r) => r.path.startsWith('/items'));
}

describe('interrupted runs', () => {
  let directory = '';
  let specFile = '';

  before(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'interrupt-'));
    specFile = path.join(directory, 'openapi.yaml');
    await writeFile(specFile, contract);
  });
  after(() => rm(directory, { recursive: true, force: true }));

  function runArgs(baseUrl: string, reportJson: string, junit: string): string[] {
    // a 60 s timeout: only the signal can end the hanging requests within the test's own timeout
    return [specFile, '--base-url', baseUrl, '--timeout', '60s', '--concurrency', '2', '--no-auth-cases', '--no-method-cases', '--no-stateful', '--report-json', reportJson, '--junit', junit];
  }

  for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: in-flight requests abandoned, JSON and JUnit written with what finished and marked incomplete, exit ${exitCode}`, { timeout: 30_000 }, async () => {
      const server = await hostile.startHostileServer(healthOnly);
      const reportJson = path.join(directory, `${signal}.json`);
      const junit = path.join(directory, `${signal}.xml`);
      const cli = startCli(runArgs(server.url, reportJson, junit));
      try {
        await until(firstRequestsInFlight(server), cli, 'the first requests');
        assert.ok(server.inFlight() >= 1, 'an /items request is waiting for its answer');
        cli.child.kill(signal);
        const { code } = await cli.exit;
        assert.equal(code, exitCode, cli.stderr());
        assert.match(cli.stderr(), new RegExp(`${signal}: stopping; writing the reports with what finished`));
        assert.match(cli.stdout(), /INCOMPLETE .*the run was interrupted/);

        const json = JSON.parse(await readFile(reportJson, 'utf8')) as {
          incomplete: boolean;
          summary: { cases: number; findings: number };
          operations: Array<{ operation: string; cases: Record<string, number> }>;
        };
        assert.equal(json.incomplete, true);
        assert.equal(json.summary.cases, 1, 'only /health finished');
        assert.deepEqual(json.operations.find((o) => o.operation === 'getHealth')?.cases, { positive: 1 });
        assert.deepEqual(json.operations.find((o) => o.operation === 'listItems')?.cases, {});

        const xml = await readFile(junit, 'utf8');
        const suites = xml.match(/<testsuite /g) ?? [];
        const incomplete = xml.match(/<property name="incomplete" value="true"\/>/g) ?? [];
        assert.equal(suites.length, 2);
        assert.equal(incomplete.length, suites.length, 'every suite says the run was incomplete');
      } finally {
        if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
        await cli.exit;
        await server.close();
      }
    });
  }

  it(
    'a second SIGINT exits at once, even while the first is stuck writing a report',
    {
      timeout: 30_000,
      // process.exit() would join libuv's thread pool, where the open() of a FIFO nobody reads never returns
      skip: process.platform === 'win32' ? 'needs mkfifo' : false,
    },
    async () => {
      const server = await hostile.startHostileServer(healthOnly);
      // a FIFO with no reader: writing the JSON report blocks forever
      const fifo = path.join(directory, 'stuck.json');
      execFileSync('mkfifo', [fifo]);
      const cli = startCli(runArgs(server.url, fifo, path.join(directory, 'stuck.xml')));
      try {
        await until(firstRequestsInFlight(server), cli, 'the first requests');
        cli.child.kill('SIGINT');
        await until(() => cli.stderr().includes('SIGINT: stopping'), cli, 'the first SIGINT was taken');
        assert.equal(cli.child.exitCode, null, 'the first SIGINT is still writing the report');
        cli.child.kill('SIGINT');
        // a watchdog, so that a child that does not leave cannot hang the test run; it is not a speed check
        const watchdog = setTimeout(() => cli.child.kill('SIGKILL'), 10_000);
        const { code, signal } = await cli.exit.finally(() => clearTimeout(watchdog));
        assert.notEqual(signal, 'SIGKILL', 'the second SIGINT did not end the process: it had to be killed');
        // 130 from process.exit, or death by the re-raised SIGINT, which a shell shows as 130
        assert.ok(code === 130 || signal === 'SIGINT', `code ${code}, signal ${signal}`);
      } finally {
        if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
        await cli.exit;
        await rm(fifo, { force: true });
        await server.close();
      }
    },
  );
});
