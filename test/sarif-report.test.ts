// SARIF 2.1.0 from real runs: valid against the OASIS schema, located at the line of the broken rule in a YAML
// and in a JSON document, rule ids = check ids with their descriptions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { runContract } from '../src/core.js';
import { finalizeFindings, renderSarif, reportToJson, writeSarifReport, type JsonReport, type SarifLog } from '../src/report/index.js';
import { checks } from '../src/check/registry.js';
import { InputError } from '../src/errors.js';
import { startExampleServer, type ExampleServer } from '../examples/server.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
// the OASIS schema, as shipped by the npm package @microsoft/jest-sarif (a devDependency)
const SCHEMA_FILE = path.join(projectRoot, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

let server: ExampleServer;
let tmp: string;
let yamlReport: JsonReport;
let jsonReport: JsonReport;
let jsonSpecFile: string;

async function runOn(spec: string): Promise<JsonReport> {
  const { report, spec: loaded } = await runContract({ spec, baseUrl: server.url, credentials: { bearer: 'full-token' }, stateful: false });
  finalizeFindings(report.findings, loaded, { names: [], show: false });
  return reportToJson(report);
}

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'sarif-'));
  server = await startExampleServer({ port: 0, misbehave: ['wrong-content-type', 'accept-out-of-range', 'missing-required-response-member'] });
  yamlReport = await runOn(EXAMPLE_CONTRACTS['3.1']);
  // the same contract as a JSON document: other lines, same rules
  jsonSpecFile = path.join(tmp, 'openapi.json');
  await writeFile(jsonSpecFile, `${JSON.stringify(parseYaml(await readFile(EXAMPLE_CONTRACTS['3.1'], 'utf8')), null, 2)}\n`);
  jsonReport = await runOn(jsonSpecFile);
});

after(async () => {
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

/** The last token of a JSON pointer, unescaped: the keyword the line must show. */
function lastToken(pointer: string): string {
  return pointer.split('/').at(-1)!.replace(/~1/g, '/').replace(/~0/g, '~');
}

async function assertLinesPointAtRules(sarif: SarifLog, root: string, expectedUri: string): Promise<number> {
  const results = sarif.runs[0]!.results;
  assert.ok(results.length > 5, `only ${results.length} results`);
  let checked = 0;
  for (const result of results) {
    const location = result.locations[0]!.physicalLocation;
    assert.equal(location.artifactLocation.uri, expectedUri);
    assert.equal(location.artifactLocation.uriBaseId, '%SRCROOT%');
    const pointer = result.properties.specPointer as string;
    assert.ok(location.region, `${result.ruleId} ${pointer}: no line`);
    const lines = (await readFile(path.join(root, decodeURIComponent(location.artifactLocation.uri)), 'utf8')).split('\n');
    const text = lines[location.region.startLine - 1]!;
    const keyword = lastToken(pointer);
    assert.ok(text.includes(keyword), `${result.ruleId} at ${expectedUri}:${location.region.startLine} cites #${pointer}, but the line is: ${text}`);
    checked++;
  }
  return checked;
}

test('YAML document: every result is on the line of its rule, URIs relative to the root', async () => {
  const sarif = renderSarif(yamlReport, { root: projectRoot });
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri, `file://${projectRoot.endsWith('/') ? projectRoot : `${projectRoot}/`}`);
  const checked = await assertLinesPointAtRules(sarif, projectRoot, 'examples/openapi.yaml');
  assert.equal(checked, yamlReport.groups.length, 'one result per finding group');
  const pointers = sarif.runs[0]!.results.map((r) => r.properties.specPointer as string);
  assert.ok(pointers.some((p) => p.endsWith('/maximum')), 'a range rule is cited');
  assert.ok(pointers.some((p) => p.endsWith('/content')), 'a content rule is cited');
});

test('JSON document: the same rules at their own lines; outside the root the URI is absolute', async () => {
  const sarif = renderSarif(jsonReport, { root: tmp });
  await assertLinesPointAtRules(sarif, tmp, 'openapi.json');
  const yamlLines = renderSarif(yamlReport, { root: projectRoot }).runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.region!.startLine);
  const jsonLines = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.region!.startLine);
  assert.notDeepEqual(jsonLines, yamlLines, 'the lines are the JSON document’s, not the YAML one’s');

  const outside = renderSarif(jsonReport, { root: projectRoot }).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation;
  assert.equal(outside.uri, `file://${jsonSpecFile}`);
  assert.equal(outside.uriBaseId, undefined);
});

test('rules are the check ids with the registry descriptions; results refer to them by index; levels by severity', () => {
  const sarif = renderSarif(yamlReport, { root: projectRoot });
  const rules = sarif.runs[0]!.tool.driver.rules;
  for (const rule of rules) {
    const check = checks.find((c) => c.id === rule.id);
    assert.ok(check, `rule ${rule.id} is a check`);
    assert.equal(rule.shortDescription.text, check.description);
    assert.equal(rule.properties.category, check.category);
  }
  for (const result of sarif.runs[0]!.results) {
    assert.equal(rules[result.ruleIndex]!.id, result.ruleId);
    assert.equal(result.level, 'error');
    assert.match(result.message.text, /Reproduce with:\n(# set first: .*\n)?curl /);
    assert.match(result.partialFingerprints['apiContractCheck/v1']!, /^[0-9a-f]{64}$/);
  }
  const counts = sarif.runs[0]!.results.map((r) => r.properties.count as number);
  assert.equal(counts.reduce((a, b) => a + b, 0), yamlReport.findings.length, 'group counts add up to every finding');
});

test('valid against the SARIF 2.1.0 JSON schema (OASIS)', { skip: existsSync(SCHEMA_FILE) ? false : 'the SARIF schema is not installed: add the devDependency @microsoft/jest-sarif@1.0.0-beta.0 (it ships lib/schemas/sarif-2.1.0-rtm.5.json)' }, async () => {
  const schema = JSON.parse(await readFile(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  // a draft-04 document: Ajv 8 reads it as draft-07 once its draft-04 `id` is named `$id`
  const { $schema: _draft, id, ...rest } = schema;
  // its language pattern has a stray ']' that only a non-unicode RegExp accepts
  const ajv = new Ajv.default({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  const validate = ajv.compile({ ...rest, $id: id as string });
  for (const [name, sarif] of [['yaml', renderSarif(yamlReport, { root: projectRoot })], ['json', renderSarif(jsonReport, { root: projectRoot })]] as const) {
    const valid = validate(JSON.parse(JSON.stringify(sarif)));
    assert.ok(valid, `${name}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  }
  // the schema is strict: a broken log is rejected, so the check above means something
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
});

test('writeSarifReport writes the log; an unwritable path is an InputError naming --sarif', async () => {
  const file = path.join(tmp, 'out.sarif');
  await writeSarifReport(file, yamlReport, { root: projectRoot });
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), JSON.parse(JSON.stringify(renderSarif(yamlReport, { root: projectRoot }))));
  // a missing directory is created (issue 17); a file where the directory should be is refused
  await writeSarifReport(path.join(tmp, 'no-dir', 'x.sarif'), yamlReport);
  await assert.rejects(writeSarifReport(path.join(file, 'x.sarif'), yamlReport), (e: unknown) => e instanceof InputError && e.message.startsWith('--sarif '));
});
