// The HTML report opened in a real headless browser (Debian's chromium driven by playwright-core): the page
// builds itself offline, a finding opens with its curl, the filter and the matrix narrow the list, and a
// large report renders a page of groups at a time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runContract } from '../src/core.js';
import { finalizeFindings, groupsOfJson, reportToJson, writeHtmlReport, type JsonReport } from '../src/report/index.js';
import { startExampleServer } from '../examples/server.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const PLAYWRIGHT = 'playwright-core';

function playwrightInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve(PLAYWRIGHT);
    return true;
  } catch {
    return false;
  }
}

const skip = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is not installed (apt-get install -y chromium; .ci/run installs it)`
  : !playwrightInstalled()
    ? 'playwright-core is not installed (devDependency playwright-core@1.65.1)'
    : false;

// The few playwright-core calls used here, typed locally: the package is a devDependency the build must not need.
interface Locator {
  click(): Promise<void>;
  count(): Promise<number>;
  first(): Locator;
  nth(index: number): Locator;
  textContent(): Promise<string | null>;
  getAttribute(name: string): Promise<string | null>;
  fill(value: string): Promise<void>;
  locator(selector: string): Locator;
  waitFor(options?: { state?: 'attached' | 'visible' }): Promise<void>;
}
interface Page {
  goto(url: string): Promise<unknown>;
  locator(selector: string): Locator;
  waitForSelector(selector: string): Promise<unknown>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
}
interface BrowserContext {
  newPage(): Promise<Page>;
  grantPermissions(permissions: string[]): Promise<void>;
  on(event: 'request', listener: (request: { url(): string }) => void): void;
  close(): Promise<void>;
}
interface Playwright {
  chromium: { launchPersistentContext(userDataDir: string, options: Record<string, unknown>): Promise<BrowserContext> };
}

let tmp: string;
let context: BrowserContext | undefined;
let report: JsonReport;
let htmlFile: string;
const requested: string[] = [];

before(async () => {
  if (skip) return;
  tmp = await mkdtemp(path.join(os.tmpdir(), 'html-browser-'));
  const server = await startExampleServer({ port: 0, misbehave: ['wrong-content-type', 'accept-out-of-range'] });
  try {
    const run = await runContract({ spec: EXAMPLE_CONTRACTS['3.1'], baseUrl: server.url, credentials: { bearer: 'full-token' } });
    finalizeFindings(run.report.findings, run.spec, { names: [], show: false });
    report = reportToJson(run.report);
  } finally {
    await server.close();
  }
  htmlFile = path.join(tmp, 'report.html');
  await writeHtmlReport(htmlFile, report);
  const { chromium } = (await import(PLAYWRIGHT)) as Playwright;
  const userDataDir = await mkdtemp(path.join(tmp, 'profile-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.on('request', (r) => requested.push(r.url()));
});

after(async () => {
  await context?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Polls (the page's CSP forbids evaluated strings, so no waitForFunction) until `read` gives `expected`. */
async function until<T>(read: () => Promise<T>, expected: T): Promise<T> {
  let value = await read();
  for (let i = 0; i < 100 && value !== expected; i++) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

async function open(file: string): Promise<Page> {
  const page = await context!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready="true"]');
  assert.deepEqual(errors, [], 'no script error');
  return page;
}

test('the report opens offline: matrix of operations × families, a finding opens with its curl, copy, screenshot', { skip }, async () => {
  const page = await open(htmlFile);
  assert.deepEqual(requested.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), [], 'nothing fetched from the network');

  const rows = await page.locator('#matrix tbody tr').count();
  assert.equal(rows, report.operations.length);
  const failing = await page.locator('#matrix td.cell.fail').count();
  const failingCells = new Set(report.groups.filter((g) => g.severity === 'error').map((g) => `${g.operation} ${g.category}`));
  assert.equal(failing, failingCells.size);
  assert.ok((await page.locator('#matrix td.cell.pass').count()) > 0, 'some families passed');

  assert.equal(await page.locator('details.group').count(), report.groups.length);
  assert.equal(await page.locator('details.group pre.curl').count(), 0, 'details are built only when opened');
  const first = page.locator('details.group').first();
  await first.locator('summary').click();
  const curl = await first.locator('pre.curl').textContent();
  const example = report.findings[report.groups[0]!.example]!;
  assert.equal(curl, example.curl);
  assert.match((await first.locator('dl').textContent()) ?? '', new RegExp(`line ${example.specPointer!.line}`));
  assert.match((await first.locator('pre.response').textContent()) ?? '', /^200/);

  await context!.grantPermissions(['clipboard-read', 'clipboard-write']);
  await first.locator('button.copy').click();
  const label = await until(() => first.locator('button.copy').textContent(), 'Copied');
  assert.equal(label, 'Copied', 'the curl went to the clipboard');

  const artifacts = path.join(projectRoot, 'test-artifacts');
  await mkdir(artifacts, { recursive: true });
  const shot = path.join(artifacts, 'html-report.png');
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok((await stat(shot)).size > 10_000, 'a screenshot with content');
});

test('the filter box and a matrix cell narrow the list of groups', { skip }, async () => {
  const page = await open(htmlFile);
  await page.locator('#filter').fill('listCustomers negative-accepted');
  const expected = report.groups.filter((g) => g.operation === 'listCustomers' && g.check === 'negative-accepted').length;
  assert.ok(expected > 0);
  assert.equal(await until(() => page.locator('details.group').count(), expected), expected);
  assert.match((await page.locator('#shown').textContent()) ?? '', new RegExp(`^${expected} of ${expected} groups? \\(filtered from ${report.groups.length}\\)`));

  await page.locator('#clear').click();
  assert.equal(await page.locator('details.group').count(), report.groups.length);
  const cell = page.locator('#matrix td.cell.fail').first();
  const operation = await cell.getAttribute('data-op');
  const category = await cell.getAttribute('data-category');
  await cell.click();
  const inCell = report.groups.filter((g) => g.operation === operation && g.category === category).length;
  assert.equal(await page.locator('details.group').count(), inCell);
});

test('a large report (300 operations, 3000 finding groups) renders a page of 100 groups at a time', { skip }, async () => {
  const big: JsonReport = structuredClone(report);
  const template = report.findings[report.groups[0]!.example]!;
  big.operations = Array.from({ length: 300 }, (_, i) => ({ operation: `op${i}`, method: 'get', path: `/things/${i}`, cases: { positive: 10 }, findings: 10, notCovered: [] }));
  big.findings = [];
  for (let i = 0; i < 300; i++) {
    for (let k = 0; k < 10; k++) {
      big.findings.push({ ...template, operation: `op${i}`, message: `break-${k} of op${i}`, specPointer: { file: template.specPointer!.file, pointer: `/paths/~1things~1${i}/get/responses/200/content/${k}` } });
    }
  }
  big.groups = groupsOfJson(big.findings);
  assert.equal(big.groups.length, 3000);
  const file = path.join(tmp, 'big.html');
  await writeHtmlReport(file, big);
  const page = await open(file);
  assert.equal(await page.locator('#matrix tbody tr').count(), 300);
  assert.equal(await page.locator('details.group').count(), 100);
  assert.match((await page.locator('#more').textContent()) ?? '', /Show more \(2900 left\)/);
  await page.locator('#more').click();
  assert.equal(await page.locator('details.group').count(), 200);
  await page.locator('#filter').fill('op299 break-7');
  assert.equal(await until(() => page.locator('details.group').count(), 1), 1);
  assert.match((await page.locator('details.group summary').textContent()) ?? '', /op299 — break-7 of op299/);
});
