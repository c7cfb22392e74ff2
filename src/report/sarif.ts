// SARIF 2.1.0: one result per finding group, located at the line of the spec where the broken rule lives,
// so that code scanning shows it on the OpenAPI document in a pull request.
import { createHash } from 'node:crypto';
import { writeReportText } from './output.js';
import type { Report, Severity } from '../model.js';
import { InputError } from '../errors.js';
import { checks as registeredChecks } from '../check/registry.js';
import type { SecretPolicy } from '../send/secrets.js';
import { asJsonReport, groupsOf, type JsonFinding, type JsonGroup, type JsonReport } from './json.js';
import { placeOf, rootUri, uriOf } from './location.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

export interface SarifOptions {
  /** artifact URIs are relative to this directory (default: the current directory) */
  root?: string;
  secrets?: SecretPolicy;
}

type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { category: string; tags: string[] };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: Array<{
    physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number } };
    logicalLocations: Array<{ name: string; kind: string }>;
  }>;
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: Array<{
    tool: { driver: { name: string; version: string; semanticVersion: string; rules: SarifRule[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    invocations: Array<{ executionSuccessful: boolean; startTimeUtc: string; endTimeUtc: string }>;
    results: SarifResult[];
    properties: Record<string, unknown>;
  }>;
}

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

function rulesFor(report: JsonReport, groups: JsonGroup[]): SarifRule[] {
  const ids = new Set<string>([...report.checks.map((c) => c.id), ...groups.map((g) => g.check)]);
  const categoryOf = new Map<string, string>([...report.checks.map((c) => [c.id, c.category] as const), ...groups.map((g) => [g.check, g.category] as const)]);
  return [...ids].map((id) => {
    const check = registeredChecks.find((c) => c.id === id);
    const description = check?.description ?? id;
    const category = check?.category ?? categoryOf.get(id) ?? 'other';
    return {
      id,
      name: id.replace(/(^|-)([a-z])/g, (_, __: string, ch: string) => ch.toUpperCase()),
      shortDescription: { text: description },
      fullDescription: { text: description },
      defaultConfiguration: { level: sarifLevel(check?.defaultSeverity ?? 'error') },
      properties: { category, tags: ['api-contract', category] },
    };
  });
}

function messageOf(group: JsonGroup, example: JsonFinding): string {
  const parts = [`${example.operation}: ${example.message}`];
  if (example.expected !== undefined) parts.push(`expected ${example.expected}`);
  if (example.actual !== undefined) parts.push(`actual ${example.actual}`);
  const times = group.count > 1 ? ` (found by ${group.count} cases; the smallest is shown)` : '';
  return `${parts.join('; ')}${times}.\nReproduce with:\n${example.curl}`;
}

/** Stable across machines and shards: no absolute path, no generated value. */
function fingerprint(group: JsonGroup): string {
  return createHash('sha256').update(`${group.operation}\n${group.check}\n${group.rule?.pointer ?? ''}`).digest('hex');
}

export function renderSarif(source: Report | JsonReport, opts: SarifOptions = {}): SarifLog {
  const report = asJsonReport(source, { secrets: opts.secrets });
  const root = opts.root ?? process.cwd();
  const groups = groupsOf(report);
  const rules = rulesFor(report, groups);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = groups.map((group): SarifResult => {
    const example = report.findings[group.example]!;
    const place = placeOf(example, report);
    const artifact = uriOf(place.file, root);
    const physicalLocation: SarifResult['locations'][number]['physicalLocation'] = {
      artifactLocation: artifact.relative ? { uri: artifact.uri, uriBaseId: SRCROOT } : { uri: artifact.uri },
    };
    if (place.line !== undefined) physicalLocation.region = { startLine: place.line };
    const properties: Record<string, unknown> = {
      operation: group.operation,
      category: group.category,
      count: group.count,
      request: `${example.request.method} ${example.request.url}`,
      curl: example.curl,
    };
    if (place.pointer !== undefined) properties.specPointer = place.pointer;
    if (example.response) properties.status = example.response.status;
    return {
      ruleId: group.check,
      ruleIndex: ruleIndex.get(group.check)!,
      level: sarifLevel(group.severity),
      message: { text: messageOf(group, example) },
      locations: [{ physicalLocation, logicalLocations: [{ name: group.operation, kind: 'function' }] }],
      partialFingerprints: { 'apiContractCheck/v1': fingerprint(group) },
      properties,
    };
  });
  const started = Date.parse(report.startedAt);
  const runProperties: Record<string, unknown> = { seed: report.seed, baseUrl: report.baseUrl, spec: report.spec, findings: report.findings.length };
  if (report.shard) runProperties.shard = `${report.shard.index}/${report.shard.count}`;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, semanticVersion: report.tool.version, rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri(root) } },
        invocations: [
          {
            executionSuccessful: !report.incomplete,
            startTimeUtc: new Date(started).toISOString(),
            endTimeUtc: new Date(started + report.durationMs).toISOString(),
          },
        ],
        results,
        properties: runProperties,
      },
    ],
  };
}

export async function writeSarifReport(file: string, report: Report | JsonReport, opts: SarifOptions = {}): Promise<void> {
  const text = `${JSON.stringify(renderSarif(report, opts), null, 2)}\n`;
  await writeReportText('--sarif', file, text);
}
