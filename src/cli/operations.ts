import { COMPACT_CHARS } from '../report/table-style.js';
import Table from 'cli-table3';
import type { FilterCliOptions } from './options.js';
import { loadSpec, readRefMap } from '../spec/index.js';
import type { ApiSpec, Operation } from '../model.js';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { filterOperations, isEmptyFilter, type OperationFilter } from '../plan/filter.js';
import { withConfig } from './config.js';
import { filterOf } from './run.js';

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

export function operationRows(spec: ApiSpec, operations: Operation[] = spec.operations): OperationRow[] {
  return operations.map((op) => ({
    id: op.id,
    method: op.method.toUpperCase(),
    path: op.path,
    parameters: op.parameters.map((p) => `${p.in}.${p.name}${p.required ? '*' : ''}`),
    requestMediaTypes: op.requestBody?.content.map((m) => m.mediaType) ?? [],
    statuses: op.responses.map((r) => r.status),
    security: describeSecurity(op),
  }));
}

export interface OperationsCliOptions extends FilterCliOptions {
  json?: boolean;
  refMap?: string;
  config?: string | false;
}

/** The filter options as written on the command line, for the heading. */
function filterText(filter: OperationFilter): string {
  const parts: string[] = [];
  const add = (flag: string, values: string[] | undefined): void => values?.forEach((v) => parts.push(`${flag} ${v}`));
  add('--operation', filter.operations);
  add('--tag', filter.tags);
  add('--path', filter.paths);
  add('--method', filter.methods);
  add('--exclude-operation', filter.excludeOperations);
  return parts.join(' ');
}

export async function operationsCommand(specArgument: string | undefined, cliOpts: OperationsCliOptions, command: Command): Promise<void> {
  const { spec: specPath, opts } = await withConfig(command, specArgument, cliOpts);
  if (!specPath) throw new InputError('no OpenAPI document: give it as the argument, or as "spec" in api-contract-check.config.json');
  const spec = await loadSpec(specPath, { refMap: opts.refMap ? await readRefMap(opts.refMap) : undefined });
  const filter = filterOf(opts);
  const selected = filterOperations(spec.operations, filter);
  const rows = operationRows(spec, selected);
  const filtered = !isEmptyFilter(filter);
  if (opts.json) {
    const out = {
      spec: { source: spec.source, title: spec.title, version: spec.versionString },
      ...(filtered ? { filter, total: spec.operations.length } : {}),
      operations: rows,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
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
  const count = filtered ? `${rows.length} of ${spec.operations.length} operations selected by ${filterText(filter)}` : `${rows.length} operations`;
  process.stdout.write(`${spec.title} (${spec.versionString === '2.0' ? 'Swagger' : 'OpenAPI'} ${spec.versionString}): ${count}\n`);
  process.stdout.write(`${table.toString()}\n`);
  for (const w of spec.warnings) process.stderr.write(`warning: ${w.message}\n`);
}
