// npm run bench: load/plan time and peak RSS on the largest real documents; requests/s of the tool against
// the example API next to the raw-undici ceiling on the same server. Figures only, no assertions.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const root = fileURLToPath(new URL('../..', import.meta.url));
const specsDir = path.resolve(root, '../shared/specs');
const self = fileURLToPath(import.meta.url);

interface ManifestDoc { path: string; bytes: number; operations: number; external_refs: number }

async function measureLoad(file: string): Promise<void> {
  // Child mode: one document per process, so peak RSS belongs to that document alone.
  const { loadSpec } = await import('../src/spec/index.js');
  const { createValidator } = await import('../src/schema/validator.js');
  const { planOperations } = await import('../src/plan/index.js');
  const t0 = performance.now();
  const spec = await loadSpec(file);
  const t1 = performance.now();
  const validator = createValidator(spec.schemas);
  let cases = 0;
  let notCovered = 0;
  for (const plan of planOperations(spec.operations, { spec, validator, seed: 1, maxPositive: 5, credentials: { bearer: 'x', basic: { user: 'u', password: 'p' } } })) {
    cases += plan.cases.length;
    if (plan.cases.length === 0) notCovered++;
  }
  const t2 = performance.now();
  process.stdout.write(
    JSON.stringify({
      operations: spec.operations.length,
      loadMs: Math.round(t1 - t0),
      planMs: Math.round(t2 - t1),
      cases,
      notCovered,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [self, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}`))));
  });
}

async function startServerProcess(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(root, 'dist/examples/server.js'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`example server exited ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

async function rawUndici(url: string, concurrency: number, seconds: number): Promise<number> {
  const pool = new Pool(new URL(url).origin, { connections: concurrency });
  const end = Date.now() + seconds * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const res = await pool.request({ method: 'GET', path: '/health', headers: { accept: 'application/json' } });
        await res.body.arrayBuffer();
        count++;
      }
    }),
  );
  await pool.close();
  return count / seconds;
}

async function toolRun(url: string, concurrency: number, maxPositive: number): Promise<{ requests: number; seconds: number; firstRequestMs: number; findings: number }> {
  const { runContract } = await import('../src/core.js');
  const t0 = performance.now();
  let first = 0;
  const { report } = await runContract({
    spec: path.join(root, 'examples/openapi.yaml'),
    baseUrl: url,
    concurrency,
    maxPositive,
    seed: 7,
    credentials: { bearer: 'full-token' },
    onProgress: (p) => {
      if (p.done === 1) first = performance.now() - t0;
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  return { requests: report.summary.cases, seconds, firstRequestMs: Math.round(first), findings: report.summary.findings };
}

async function main(): Promise<void> {
  if (process.argv[2] === 'load') return measureLoad(process.argv[3]!);

  const manifest = JSON.parse(readFileSync(path.join(specsDir, 'manifest.json'), 'utf8')) as { documents: ManifestDoc[] };
  const largest = [...manifest.documents].sort((a, b) => b.bytes - a.bytes).slice(0, 3);
  const multiFile = manifest.documents.filter((d) => d.external_refs > 0 && !largest.includes(d));
  const node = process.version;
  process.stdout.write(`api-contract-check bench — node ${node}, ${new Date().toISOString()}\n\n`);
  process.stdout.write('Load + resolve + normalize, then plan positive cases (one process per document)\n');
  for (const doc of [...largest, ...multiFile]) {
    const r = JSON.parse(await runChild(['load', path.join(specsDir, doc.path)])) as Record<string, number>;
    process.stdout.write(
      `  ${doc.path.padEnd(62)} ${(doc.bytes / 1e6).toFixed(1).padStart(5)} MB  ${String(r['operations']).padStart(5)} ops  load ${String(r['loadMs']).padStart(6)} ms  plan ${String(r['planMs']).padStart(6)} ms  ${String(r['cases']).padStart(6)} cases  peak RSS ${r['peakRssMb']} MB\n`,
    );
  }

  const server = await startServerProcess();
  try {
    const concurrency = 8;
    const ceiling = await rawUndici(server.url, concurrency, 3);
    const tool = await toolRun(server.url, concurrency, 60);
    const toolRate = tool.requests / tool.seconds;
    process.stdout.write(`\nThroughput against the example API (${server.url}, concurrency ${concurrency})\n`);
    process.stdout.write(`  raw undici (ceiling)         ${ceiling.toFixed(0).padStart(7)} req/s\n`);
    process.stdout.write(`  api-contract-check positive  ${toolRate.toFixed(0).padStart(7)} req/s  (${tool.requests} requests in ${tool.seconds.toFixed(2)} s, planning included; first request after ${tool.firstRequestMs} ms; ${tool.findings} findings)\n`);
    process.stdout.write(`  ratio                        ${(toolRate / ceiling).toFixed(2)}\n`);
  } finally {
    server.stop();
  }
}

await main();
