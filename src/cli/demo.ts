// `demo`: the bundled example API, started on a free port and tested with its own contract, then stopped.
// It works from an installed package: the example server and its contracts ship with it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TOOL_NAME } from '../version.js';

export async function demoCommand(runArgs: string[], opts: { misbehave?: string[] }): Promise<void> {
  const { startExampleServer } = await import('../../examples/server.js');
  const { EXAMPLE_CONTRACTS } = await import('../../examples/contracts.js');
  const server = await startExampleServer({ port: 0, misbehave: opts.misbehave ?? [] });
  const contract = EXAMPLE_CONTRACTS['3.1'];
  const args = [contract, '--base-url', server.url, '--auth-bearer', 'full-token', ...runArgs];
  const switches = server.misbehave.size > 0 ? ` with --misbehave ${[...server.misbehave].join(',')}` : ', clean';
  process.stderr.write(`the example API${switches}, on ${server.url}\n$ ${TOOL_NAME} ${args.join(' ')}\n\n`);
  try {
    // a child process, so that the run is exactly what a user's run is (its own exit code, signals, output)
    const bin = fileURLToPath(new URL('../../../bin/api-contract-check.js', import.meta.url));
    process.exitCode = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { stdio: 'inherit' });
      // Ctrl-C reaches the child with the rest of the process group; a SIGTERM sent to this process alone is passed on
      const ignore = (): void => undefined;
      const forward = (): void => void child.kill('SIGTERM');
      process.on('SIGINT', ignore).on('SIGTERM', forward);
      child.on('exit', (code, signal) => {
        process.off('SIGINT', ignore).off('SIGTERM', forward);
        resolve(code ?? (signal === 'SIGINT' ? 130 : 143));
      });
    });
  } finally {
    await server.close();
  }
}
