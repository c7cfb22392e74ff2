// Runs a real child process and collects what it printed: the CLI, the example server, a shell.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliBin = path.join(projectRoot, 'bin', 'api-contract-check.js');

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ProcessOptions {
  cwd?: string;
  /** the whole environment of the child (default: this process's) */
  env?: NodeJS.ProcessEnv;
}

/** Asynchronous, so that servers living in the test process keep answering; resolves once stdout and stderr are closed. */
export function runProcess(command: string, args: string[], opts: ProcessOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `api-contract-check ARGS` as a user runs it. */
export function runCli(args: string[], opts: ProcessOptions = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [cliBin, ...args], opts);
}
