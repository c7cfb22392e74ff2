// Which operations follow a create: from its OpenAPI links, or inferred from the paths when it has none.
import type { Operation, Parameter, ParameterLocation, SourceLocation } from '../model.js';
import { readsResponse } from './stateful-expressions.js';

export type Role = 'read' | 'update' | 'delete';

/** Where a parameter of a later step gets its value. */
export type ValueSource =
  /** a runtime expression or constant of a link, evaluated on the create's exchange */
  | { kind: 'expression'; expression: unknown }
  /** the created resource's id: an id-like member of the created body, or the Location header */
  | { kind: 'created-id' };

export interface TargetParameter {
  name: string;
  in: ParameterLocation;
  source: ValueSource;
}

export interface Target {
  role: Role;
  operation: Operation;
  parameters: TargetParameter[];
  /** a link's requestBody expression */
  requestBody?: unknown;
  /** the link it came from, or how it was inferred */
  origin: { kind: 'link'; name: string; location: SourceLocation } | { kind: 'inferred'; idParameter: string };
}

export interface TargetSearch {
  targets: Target[];
  /** why links or candidate operations were not used */
  skipped: string[];
}

const ROLE_OF_METHOD: Partial<Record<Operation['method'], Role>> = { get: 'read', patch: 'update', put: 'update', delete: 'delete' };

function isSuccessStatus(status: string): boolean {
  return /^2(\d\d|XX)$/i.test(status);
}

/** The responses of a create that may carry what it made. */
function successResponses(op: Operation): Operation['responses'] {
  return op.responses.filter((r) => isSuccessStatus(r.status));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** operationRef '#/paths/~1pets~1{id}/get' (or 'file.yaml#/…'): the operation at that pointer. */
function operationByRef(ref: string, operations: readonly Operation[]): Operation | undefined {
  const hash = ref.indexOf('#');
  if (hash < 0) return undefined;
  const fragment = ref.slice(hash + 1);
  let decoded = fragment;
  try {
    decoded = decodeURIComponent(fragment);
  } catch {
    // a fragment that is not percent-encoded text is compared as written
  }
  return operations.find((op) => op.location.pointer === fragment || op.location.pointer === decoded);
}

/** 'path.id' or 'id': the parameter of the target the link's key names. */
function linkParameter(key: string, target: Operation): Parameter | undefined {
  const qualified = /^(path|query|header|cookie)\.(.+)$/.exec(key);
  if (qualified) {
    const found = target.parameters.find((p) => p.in === qualified[1] && p.name === qualified[2]);
    if (found) return found;
  }
  return target.parameters.find((p) => p.name === key);
}

/** A path parameter the link leaves out is taken from the create's own request when it has one of that name. */
function fromCreateRequest(p: Parameter, create: Operation): TargetParameter | undefined {
  const own = create.parameters.find((q) => q.in === 'path' && q.name === p.name);
  return own ? { name: p.name, in: 'path', source: { kind: 'expression', expression: `$request.path.${p.name}` } } : undefined;
}

function targetFromLink(
  name: string,
  link: unknown,
  location: SourceLocation,
  create: Operation,
  operations: readonly Operation[],
): Target | string {
  if (!isObject(link)) return `link ${name}: not an object`;
  const operation =
    typeof link['operationId'] === 'string'
      ? operations.find((op) => op.id === link['operationId'] && op.hasOperationId)
      : typeof link['operationRef'] === 'string'
        ? operationByRef(link['operationRef'], operations)
        : undefined;
  const named = String(link['operationId'] ?? link['operationRef'] ?? '(no operation)');
  if (!operation) return `link ${name}: operation ${named} not found`;
  const role = ROLE_OF_METHOD[operation.method];
  if (!role) return `link ${name} → ${operation.id}: ${operation.method.toUpperCase()} is not a read, update or delete`;

  const parameters: TargetParameter[] = [];
  const given = isObject(link['parameters']) ? link['parameters'] : {};
  for (const [key, expression] of Object.entries(given)) {
    const p = linkParameter(key, operation);
    if (!p) return `link ${name} → ${operation.id}: no parameter ${key}`;
    parameters.push({ name: p.name, in: p.in, source: { kind: 'expression', expression } });
  }
  for (const p of operation.parameters) {
    if (p.in !== 'path' || parameters.some((t) => t.in === 'path' && t.name === p.name)) continue;
    const own = fromCreateRequest(p, create);
    if (!own) return `link ${name} → ${operation.id}: path parameter ${p.name} has no value`;
    parameters.push(own);
  }
  // Only a step addressed by what the create answered is sure to touch the created resource.
  const addressed = parameters.some((t) => t.in === 'path' && t.source.kind === 'expression' && readsResponse(t.source.expression));
  if (!addressed) return `link ${name} → ${operation.id}: no path parameter comes from the answer, so it may not address the created resource`;
  return {
    role,
    operation,
    parameters,
    ...(link['requestBody'] === undefined ? {} : { requestBody: link['requestBody'] }),
    origin: { kind: 'link', name, location },
  };
}

function linkedTargets(create: Operation, operations: readonly Operation[]): TargetSearch {
  const targets: Target[] = [];
  const skipped: string[] = [];
  for (const response of successResponses(create)) {
    for (const [name, link] of Object.entries(response.links)) {
      const location = { file: response.location.file, pointer: `${response.location.pointer}/links/${name.replace(/~/g, '~0').replace(/\//g, '~1')}` };
      const found = targetFromLink(name, link, location, create, operations);
      if (typeof found === 'string') skipped.push(found);
      else targets.push(found);
    }
  }
  return { targets, skipped };
}

/** '/customers' → '/customers/{id}': one more segment that is a single path parameter. */
function itemParameter(collection: string, candidate: string): string | undefined {
  const base = collection.replace(/\/$/, '');
  if (!candidate.startsWith(`${base}/`)) return undefined;
  return /^\{([^}/]+)\}\/?$/.exec(candidate.slice(base.length + 1))?.[1];
}

function inferredTargets(create: Operation, operations: readonly Operation[]): TargetSearch {
  const skipped: string[] = [];
  // A collection path ends with a literal segment; POST on '/items/{id}' is not a create we can follow.
  if (/\}\/?$/.test(create.path)) return { targets: [], skipped: [`${create.method.toUpperCase()} ${create.path} is not on a collection path`] };
  const targets: Target[] = [];
  for (const operation of operations) {
    const role = ROLE_OF_METHOD[operation.method];
    const idParameter = itemParameter(create.path, operation.path);
    if (!role || idParameter === undefined) continue;
    const parameters: TargetParameter[] = [];
    let missing: string | undefined;
    for (const p of operation.parameters) {
      if (p.in !== 'path') continue;
      if (p.name === idParameter) {
        if (!p.schema) missing ??= `${p.name} has no schema to prove the created id against`;
        parameters.push({ name: p.name, in: 'path', source: { kind: 'created-id' } });
        continue;
      }
      const own = fromCreateRequest(p, create);
      if (own) parameters.push(own);
      else missing ??= `path parameter ${p.name} has no value`;
    }
    if (missing) skipped.push(`${operation.id}: ${missing}`);
    else targets.push({ role, operation, parameters, origin: { kind: 'inferred', idParameter } });
  }
  return { targets, skipped };
}

function hasLinks(op: Operation): boolean {
  return successResponses(op).some((r) => Object.keys(r.links).length > 0);
}

/** PATCH is preferred to PUT for the update: it changes only what it sends. */
function rank(target: Target): number {
  return target.operation.method === 'put' ? 1 : 0;
}

/**
 * The read, update and delete that follow a create (one of each at most): from the create's links when its
 * success responses have any, else inferred from the paths (POST /things → GET/PUT/PATCH/DELETE /things/{id}).
 */
export function chainTargets(create: Operation, operations: readonly Operation[]): TargetSearch & { from: 'links' | 'paths' } {
  const from = hasLinks(create) ? 'links' : 'paths';
  const found = from === 'links' ? linkedTargets(create, operations) : inferredTargets(create, operations);
  const chosen: Target[] = [];
  for (const role of ['read', 'update', 'delete'] as const) {
    const best = found.targets.filter((t) => t.role === role).sort((a, b) => rank(a) - rank(b))[0];
    if (best) chosen.push(best);
  }
  return { targets: chosen, skipped: found.skipped, from };
}
