import { COMPACT_CHARS } from '../report/table-style.js';
import Table from 'cli-table3';
import { loadSpec, readRefMap } from '../spec/index.js';
import type { ApiSpec, Operation } from '../model.js';

export interface OperationRow {
  id: string;
  method: string;
  path: string;
  parameters: string[];
  requestMediaTypes: string[];
  statuses: string[];
  security: string;
}

export function describeSecurity(op: Operation): string {
  if (op.security.length === 0 || op.security.some((alt) => alt.length === 0)) {
    return op.security.length === 0 ? 'none' : `optional: ${op.security.filter((a) => a.length).map(altText).join(' | ') || 'none'}`;
  }
  return op.security.map(altText).join(' | ');
}

function altText(alt: Operation['security'][number]): string {
  return alt.map((s) => (s.scopes.length ? `${s.scheme}[${s.scopes.join(' ')}]` : s.scheme)).join(' + ');
}

export function operationRows(spec: ApiSpec): OperationRow[] {
  return spec.operations.map((op) => ({
    id: op.id,
    method: op.method.toUpperCase(),
    path: op.path,
    parameters: op.parameters.map((p) => `${p.in}.${p.name}${p.required ? '*' : ''}`),
    requestMediaTypes: op.requestBody?.content.map((m) => m.mediaType) ?? [],
    statuses: op.responses.map((r) => r.status),
    security: describeSecurity(op),
  }));
}

export async function operationsCommand(specPath: string, opts: { json?: boolean; refMap?: string }): Promise<void> {
  const spec = await loadSpec(specPath, { refMap: opts.refMap ? await readRefMap(opts.refMap) : undefined });
  const rows = operationRows(spec);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ spec: { source: spec.source, title: spec.title, version: spec.versionString }, operations: rows }, null, 2)}\n`);
    return;
  }
  const table = new Table({
    head: ['operation', 'method', 'path', 'parameters', 'request body', 'statuses', 'security'],
    wordWrap: true,
    style: { head: [], border: [] },
    chars: COMPACT_CHARS,
  });
  for (const r of rows) {
    table.push([r.id, r.method, r.path, r.parameters.join(' '), r.requestMediaTypes.join(' '), r.statuses.join(' '), r.security]);
  }
  process.stdout.write(`${spec.title} (${spec.versionString === '2.0' ? 'Swagger' : 'OpenAPI'} ${spec.versionString}): ${rows.length} operations\n`);
  process.stdout.write(`${table.toString()}\n`);
  for (const w of spec.warnings) process.stderr.write(`warning: ${w.message}\n`);
}
