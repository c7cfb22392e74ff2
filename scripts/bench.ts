// npm run bench: load/plan time and peak RSS on the largest real documents; requests/s of the tool against
// the example API next to the raw-undici ceiling. Figures only, no assertions. `--quick` skips the
// GitHub description (it is fetched once with `npm pack` into node_modules/.cache).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const root = fileURLToPath(new URL('../..', import.meta.url));
const specsDir = path.resolve(root, '../shared/specs');
const self = fileURLToPath(import.meta.url);
const GITHUB_PACKAGE = '@octokit/openapi@23.0.2';

interface ManifestDoc { path: string; bytes: number; operations: number; external_refs: number }
interface LoadFigures { byKind: Record<string, number>; operations: number; loadMs: number; planMs: number; firstPlanMs: number; cases: number; chains: number; dropped: number; notCovered: number; peakRssMb: number }

async function measureLoad(file: string): Promise<void> {
  // Child mode: one document per process, so peak RSS belongs to that document alone.
  const { loadSpec } = await import('../src/spec/index.js');
  const { createValidator } = await import('../src/schema/validator.js');
  const { planOperations } = await import('../src/plan/index.js');
  const t0 = performance.now();
  const spec = await loadSpec(file);
  const t1 = performance.now();
  const validator = createValidator(spec.schemas);
  // Dummy credentials of every kind, so secured operations are planned too.
  const apiKeys: Record<string, string> = {};
  for (const s of Object.values(spec.securitySchemes)) if (s.type === 'apiKey' && 'name' in s) apiKeys[s.name] = 'k';
  const credentials = { bearer: 'x', basic: { user: 'u', password: 'p' }, apiKeys };
  let cases = 0;
  let chains = 0;
  let dropped = 0;
  let notCovered = 0;
  let firstPlanMs = 0;
  const byKind: Record<string, number> = {};
  // The plan is consumed as the run does: one operation at a time, nothing kept.
  for (const plan of planOperations(spec.operations, { spec, validator, seed: 1, maxPositive: 5, credentials }, { negative: { maxNegative: 40 }, auth: {}, methods: true })) {
    if (firstPlanMs === 0) firstPlanMs = performance.now() - t1;
    cases += plan.cases.length;
    for (const c of plan.cases) byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
    chains += plan.chains.length;
    dropped += plan.dropped;
    if (plan.cases.length === 0) notCovered++;
  }
  const t2 = performance.now();
  const figures: LoadFigures = {
    byKind,
    operations: spec.operations.length,
    loadMs: Math.round(t1 - t0),
    planMs: Math.round(t2 - t1),
    firstPlanMs: Math.round(firstPlanMs),
    cases,
    chains,
    dropped,
    notCovered,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(figures));
}

const HOSTILE_SPEC = `openapi: 3.0.3
info: { title: hostile, version: "1" }
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - { name: page, in: query, schema: { type: integer, minimum: 1, maximum: 1000 } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: array, items: { type: object } }
`;

/** Child mode: the tool against a hostile server; prints its own peak RSS. */
async function measureHostile(url: string): Promise<void> {
  const { runContract } = await import('../src/core.js');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'acc-bench-')), 'hostile.yaml');
  writeFileSync(file, HOSTILE_SPEC);
  const t0 = performance.now();
  const { report } = await runContract({ spec: file, baseUrl: url, maxPositive: 20, negative: false, auth: false, methods: false, stateful: false, concurrency: 4 });
  process.stdout.write(
    JSON.stringify({
      requests: report.summary.cases,
      findings: Object.keys(report.summary.byCheck).join(','),
      seconds: (performance.now() - t0) / 1000,
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

/** The GitHub REST description from its npm package, fetched once into node_modules/.cache. */
function githubDescription(): string | undefined {
  const dir = path.join(root, 'node_modules', '.cache', 'acc-bench');
  const file = path.join(dir, 'package', 'generated', 'api.github.com.json');
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const pack = spawnSync('npm', ['pack', GITHUB_PACKAGE, '--silent'], { cwd: dir, encoding: 'utf8' });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (pack.status !== 0 || !tarball) return undefined;
  spawnSync('tar', ['xzf', tarball], { cwd: dir });
  return existsSync(file) ? file : undefined;
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

/** A trivial server in a child process: the ceiling of what any client can do on this machine. */
async function startTrivialServer(): Promise<{ url: string; stop: () => void }> {
  const code = `require('http').createServer((q,s)=>{s.setHeader('content-type','application/json');s.end('{"ok":true}')}).listen(0,'127.0.0.1',function(){console.log('listening on http://127.0.0.1:'+this.address().port)})`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /listening on (http:\/\/\S+)/.exec(d.toString());
      if (m) resolve(m[1]!);
    });
  });
  return { url, stop: () => child.kill() };
}

async function rawUndici(url: string, pathname: string, concurrency: number, seconds: number): Promise<number> {
  const pool = new Pool(new URL(url).origin, { connections: concurrency });
  const end = Date.now() + seconds * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const res = await pool.request({ method: 'GET', path: pathname, headers: { accept: 'application/json' } });
        await res.body.arrayBuffer();
        count++;
      }
    }),
  );
  await pool.close();
  return count / seconds;
}

interface ToolFigures { requests: number; seconds: number; firstRequestMs: number; findings: number }

async function toolRun(url: string, concurrency: number, full: boolean): Promise<ToolFigures> {
  const { runContract } = await import('../src/core.js');
  const t0 = performance.now();
  let first = 0;
  const { report } = await runContract({
    spec: path.join(root, 'examples/openapi.yaml'),
    baseUrl: url,
    concurrency,
    maxPositive: full ? 20 : 60,
    seed: 7,
    negative: full,
    auth: full,
    methods: full,
    stateful: full,
    credentials: { bearer: 'full-token' },
    onProgress: () => {
      if (first === 0) first = performance.now() - t0;
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  return { requests: report.summary.cases, seconds, firstRequestMs: Math.round(first), findings: report.summary.findings };
}

/** Send + check only: the cases of a full plan, planned beforehand, sent `rounds` times. */
async function sendAndCheck(url: string, concurrency: number, rounds: number): Promise<{ requests: number; seconds: number; findings: number; rawSeconds: number }> {
  const { loadSpec } = await import('../src/spec/index.js');
  const { createValidator } = await import('../src/schema/validator.js');
  const { planOperations } = await import('../src/plan/index.js');
  const { createSender } = await import('../src/send/index.js');
  const { runChecks, checks } = await import('../src/check/registry.js');
  const spec = await loadSpec(path.join(root, 'examples/openapi.yaml'));
  const validator = createValidator(spec.schemas);
  const cases = [...planOperations(spec.operations, { spec, validator, seed: 7, maxPositive: 5, credentials: { bearer: 'full-token' } }, { negative: { maxNegative: 40 }, auth: {}, methods: true, stateful: false })].flatMap((p) => p.cases);
  // The ceiling for exactly these requests: raw undici, same pool size, no checks, bodies drained.
  const pool = new Pool(new URL(url).origin, { connections: concurrency });
  const raw = async (n: number): Promise<number> => {
    const rawQueue = Array.from({ length: n }, () => cases).flat();
    const r0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let c = rawQueue.pop(); c; c = rawQueue.pop()) {
          const res = await pool.request({ method: c.request.method as 'GET', path: c.request.path, headers: c.request.headers, body: c.request.body });
          await res.body.arrayBuffer();
        }
      }),
    );
    return (performance.now() - r0) / 1000;
  };
  await raw(rounds); // warms the server's JIT, so neither side pays for it
  const rawSeconds = await raw(rounds);
  await pool.close();

  const sender = createSender({ baseUrl: url, concurrency, timeoutMs: 10_000, maxBodyBytes: 4 * 1024 * 1024 });
  const queue = Array.from({ length: rounds }, () => cases).flat();
  let findings = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let c = queue.pop(); c; c = queue.pop()) {
        const exchange = await sender.send(c);
        findings += runChecks(exchange, { spec, validator }, [...checks]).findings.length;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await sender.close();
  return { requests: cases.length * rounds, seconds, findings, rawSeconds };
}

function pad(text: string | number, width: number): string {
  return String(text).padStart(width);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'load') return measureLoad(process.argv[3]!);
  if (process.argv[2] === 'hostile') return measureHostile(process.argv[3]!);
  const quick = process.argv.includes('--quick');

  const manifest = JSON.parse(readFileSync(path.join(specsDir, 'manifest.json'), 'utf8')) as { documents: ManifestDoc[] };
  const largest = [...manifest.documents].sort((a, b) => b.bytes - a.bytes).slice(0, 5);
  const multiFile = manifest.documents.filter((d) => d.external_refs > 0 && !largest.includes(d));
  const docs: Array<{ label: string; file: string; mb: string }> = [...largest, ...multiFile].map((d) => ({
    label: d.path,
    file: path.join(specsDir, d.path),
    mb: d.external_refs > 0 ? 'multi' : (d.bytes / 1e6).toFixed(1),
  }));
  if (!quick) {
    const github = githubDescription();
    if (github) docs.push({ label: `GitHub REST (${GITHUB_PACKAGE})`, file: github, mb: (readFileSync(github).length / 1e6).toFixed(1) });
    else process.stdout.write(`(could not fetch ${GITHUB_PACKAGE}; skipped)\n`);
  }

  process.stdout.write(`api-contract-check bench — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString()}\n\n`);
  process.stdout.write('Load + resolve + normalize, then plan every case (positive, negative, auth, method, chains), one process per document\n');
  process.stdout.write(`  ${'document'.padEnd(60)} ${pad('MB', 5)} ${pad('ops', 5)} ${pad('load ms', 8)} ${pad('plan ms', 8)} ${pad('1st op', 7)} ${pad('cases', 7)} ${pad('chains', 6)} ${pad('dropped', 7)} ${pad('uncov.', 6)} ${pad('peak RSS', 9)}\n`);
  const kinds: string[] = [];
  const exampleDoc = { label: 'examples/openapi.yaml (the example API)', file: path.join(root, 'examples/openapi.yaml'), mb: '0.0' };
  for (const doc of process.argv.includes('--throughput') ? [] : [exampleDoc, ...docs]) {
    try {
      const r = JSON.parse(await runChild(['load', doc.file])) as LoadFigures;
      process.stdout.write(
        `  ${doc.label.padEnd(60)} ${pad(doc.mb, 5)} ${pad(r.operations, 5)} ${pad(r.loadMs, 8)} ${pad(r.planMs, 8)} ${pad(r.firstPlanMs, 7)} ${pad(r.cases, 7)} ${pad(r.chains, 6)} ${pad(r.dropped, 7)} ${pad(r.notCovered, 6)} ${pad(`${r.peakRssMb} MB`, 9)}\n`,
      );
      kinds.push(`  ${doc.label.padEnd(60)} ${Object.entries(r.byKind).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    } catch (error) {
      process.stdout.write(`  ${doc.label.padEnd(60)} failed: ${(error as Error).message}\n`);
    }
  }

  if (kinds.length > 0) process.stdout.write(`\nCases by kind\n${kinds.join('\n')}\n`);

  if (!process.argv.includes('--throughput')) {
    // Bodies that would blow memory if read whole: the tool's own peak RSS must stay near its baseline.
    const hostile = await import('../test/support-hostile.js');
    process.stdout.write('\nHostile servers (tool in its own process, 20 requests, 4 at once, default 4 MiB body cap)\n');
    const cases: Array<[string, () => Promise<import('../test/support-hostile.js').Behaviour>]> = [
      ['1 GB JSON body per answer', async () => hostile.hugeBody().behaviour],
      ['gzip bomb (64 MiB of zeros)', async () => hostile.compressionBomb('gzip', await hostile.compressedZeros('gzip', 64 * 1024 * 1024))],
    ];
    for (const [label, make] of cases) {
      const server = await hostile.startHostileServer(await make());
      try {
        const r = JSON.parse(await runChild(['hostile', server.url])) as { requests: number; findings: string; seconds: number; peakRssMb: number };
        process.stdout.write(`  ${label.padEnd(30)} ${r.requests} requests in ${r.seconds.toFixed(2)} s, findings: ${r.findings || 'none'}, peak RSS ${r.peakRssMb} MB\n`);
      } finally {
        await server.close();
      }
    }
  }

  const concurrency = 8;
  const trivial = await startTrivialServer();
  const server = await startServerProcess();
  try {
    const ceilingTrivial = await rawUndici(trivial.url, '/', concurrency, 3);
    const ceiling = await rawUndici(server.url, '/health', concurrency, 3);
    const positive = await toolRun(server.url, concurrency, false);
    const full = await toolRun(server.url, concurrency, true);
    const steady = await sendAndCheck(server.url, concurrency, 10);
    const rate = (t: ToolFigures): number => t.requests / t.seconds;
    process.stdout.write(`\nThroughput (concurrency ${concurrency}; tool runs include loading the contract and planning)\n`);
    process.stdout.write(`  raw undici → trivial server         ${pad(ceilingTrivial.toFixed(0), 7)} req/s\n`);
    process.stdout.write(`  raw undici → example API /health     ${pad(ceiling.toFixed(0), 7)} req/s  (the ceiling for the ratios)\n`);
    for (const [label, t] of [['tool, positive only', positive], ['tool, full run', full]] as const) {
      process.stdout.write(
        `  ${label.padEnd(36)} ${pad(rate(t).toFixed(0), 7)} req/s  ratio ${(rate(t) / ceiling).toFixed(2)}  (${t.requests} requests in ${t.seconds.toFixed(2)} s, first answer after ${t.firstRequestMs} ms, ${t.findings} findings)\n`,
      );
    }
    const steadyRate = steady.requests / steady.seconds;
    const rawSame = steady.requests / steady.rawSeconds;
    // planned blind, without the adaptive loop: made-up references meet the example API's business rules,
    // so findings here only show that every check ran, they are not the tool's verdict on the API
    process.stdout.write(`\nThe same ${steady.requests} requests of a full plan (10 rounds), planned beforehand (blind: findings only show the checks ran)\n`);
    process.stdout.write(`  raw undici, same requests (ceiling) ${pad(rawSame.toFixed(0), 7)} req/s\n`);
    process.stdout.write(
      `  tool: send + every check           ${pad(steadyRate.toFixed(0), 7)} req/s  ratio ${(steadyRate / rawSame).toFixed(2)}  (${steady.findings} findings)\n`,
    );
  } finally {
    server.stop();
    trivial.stop();
  }
}

await main();
