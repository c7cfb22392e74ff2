// npm run demo: start the example API, run the tool against it clean, then with one bug switched on.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { startExampleServer } from '../examples/server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'bin', 'api-contract-check.js');
const contract = path.join(root, 'examples', 'openapi.yaml');

function runTool(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function round(title: string, misbehave: string[]): Promise<number> {
  const server = await startExampleServer({ port: 0, misbehave });
  process.stdout.write(`\n=== ${title} (${server.url}) ===\n$ api-contract-check examples/openapi.yaml --base-url ${server.url} --auth-bearer full-token\n\n`);
  try {
    return await runTool([contract, '--base-url', server.url, '--auth-bearer', 'full-token']);
  } finally {
    await server.close();
  }
}

const clean = await round('the example API, clean', []);
const buggy = await round('the example API with --misbehave missing-required-response-member,undocumented-status', [
  'missing-required-response-member',
  'undocumented-status',
]);
process.stdout.write(`\nclean run exit code ${clean} (0 expected), misbehaving run exit code ${buggy} (1 expected)\n`);
process.exitCode = clean === 0 && buggy === 1 ? 0 : 1;
