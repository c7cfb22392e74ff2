import type { Case, HttpRequest, MediaType, Operation, Why } from '../model.js';
import { mutations, type MutationFamily } from '../generate/mutate.js';
import { buildRequest, type RequestValues } from '../generate/serialize.js';
import { matchCredentials } from './credentials.js';
import { proveRequest } from './prove.js';
import type { PlanContext } from './positive.js';

/** Request-level families on top of the value-level ones of generate/mutate. */
export type RequestMutationFamily = 'missing' | 'malformed-body' | 'media-type';

export interface NegativeOptions {
  /** negative cases per operation at most */
  maxNegative: number;
  /** value and request families to use; all when absent */
  families?: Array<MutationFamily | RequestMutationFamily>;
}

export interface NegativePlan {
  cases: Case[];
  /** candidate mutations that turned out valid (or broke something else) after serialization: never sent */
  dropped: number;
}

const JSONISH = /^application\/(?:json|[^;]*\+json)$/i;

function want(opts: NegativeOptions, family: string): boolean {
  return !opts.families || opts.families.includes(family as MutationFamily);
}

function cloneValues(values: RequestValues): RequestValues {
  return structuredClone(values);
}

function expectClientError(op: Operation): Case['expect'] {
  return { documented: op.responses.map((r) => r.status), outcome: 'client-error' };
}

/**
 * Negative cases for one operation, each starting from a proven-valid request (`base`) and breaking one
 * constraint. A candidate is sent only when the request, read back as the server will, breaks the
 * intended rule at the intended place.
 */
export function planNegative(op: Operation, base: Case, ctx: PlanContext, opts: NegativeOptions): NegativePlan {
  const cases: Case[] = [];
  let dropped = 0;
  const auth = matchCredentials(op, ctx.spec.securitySchemes, ctx.credentials);
  const baseValues = base.values ?? {};
  const headerExtras = Object.fromEntries(
    Object.entries(base.request.headers).filter(([k]) => ['accept'].includes(k.toLowerCase())),
  );
  const finish = (request: HttpRequest): HttpRequest => {
    const r = { ...request, headers: { ...headerExtras, ...request.headers } };
    return auth.kind === 'satisfied' ? auth.apply(r) : r;
  };
  const add = (request: HttpRequest, why: Why, values: RequestValues | undefined, proofWhere?: string): void => {
    if (cases.length >= opts.maxNegative) return;
    const proof = proveRequest(op, request, ctx);
    if (proof.ok) {
      dropped++;
      return;
    }
    // The break must be the intended one: a failure at the mutated place.
    if (proofWhere !== undefined && !proof.issues.some((i) => i.where === proofWhere || i.where.startsWith(`${proofWhere}/`) || i.where.startsWith(`${proofWhere}.`))) {
      dropped++;
      return;
    }
    cases.push({
      id: `${op.id}#negative-${cases.length}`,
      operation: op,
      kind: 'negative',
      request,
      values,
      expect: expectClientError(op),
      why,
    });
  };
  const build = (values: RequestValues): HttpRequest | undefined => {
    try {
      return finish(buildRequest(op, values, { boundary: 'acc-boundary-n' }));
    } catch {
      return undefined;
    }
  };

  // 1. required parameters left out
  if (want(opts, 'missing')) {
    for (const p of op.parameters) {
      if (!p.required || p.in === 'path') continue; // a path without its segment is another route
      if (p.in === 'header' && ['accept', 'content-type', 'authorization'].includes(p.name.toLowerCase())) continue;
      const values = cloneValues(baseValues);
      delete (values[p.in] as Record<string, unknown> | undefined)?.[p.name];
      const request = build(values);
      if (!request) continue;
      add(request, { where: `${p.in}.${p.name}`, keyword: 'required', rule: { ...p.location, pointer: `${p.location.pointer}/required` }, description: `required ${p.in} parameter '${p.name}' left out` }, values, `${p.in}.${p.name}`);
    }
  }

  // 2. one constraint of one parameter value broken
  for (const p of op.parameters) {
    if (!p.schema) continue;
    const bucket = baseValues[p.in] as Record<string, unknown> | undefined;
    if (!bucket || !(p.name in bucket)) continue;
    const { mutations: list, dropped: d } = mutations(p.schema, bucket[p.name], { bundle: ctx.spec.schemas, validator: ctx.validator, direction: 'request' }, { families: opts.families?.filter(isValueFamily), max: opts.maxNegative });
    dropped += d.length;
    for (const m of list) {
      if (p.in === 'path' && (m.value === '' || m.value === null || m.value === undefined)) { dropped++; continue; }
      const values = cloneValues(baseValues);
      (values[p.in] as Record<string, unknown>)[p.name] = m.value;
      const request = build(values);
      if (!request) { dropped++; continue; } // e.g. a header value the transport cannot carry: proves nothing
      add(request, { where: `${p.in}.${p.name}${m.instancePath}`, keyword: m.keyword, rule: m.rule, value: valueAt(m.value, m.instancePath), description: m.description }, values, `${p.in}.${p.name}`);
    }
  }

  // 3. body: one constraint broken, then the body as a whole
  const body = op.requestBody;
  const mediaType = baseValues.mediaType;
  const media: MediaType | undefined = mediaType ? body?.content.find((m) => m.mediaType === mediaType) : undefined;
  if (body && media) {
    if (media.schema && baseValues.body !== undefined) {
      const { mutations: list, dropped: d } = mutations(media.schema, baseValues.body, { bundle: ctx.spec.schemas, validator: ctx.validator, direction: 'request' }, { families: opts.families?.filter(isValueFamily), max: opts.maxNegative });
      dropped += d.length;
      for (const m of list) {
        const values = cloneValues(baseValues);
        values.body = m.value;
        const request = build(values);
        if (!request) { dropped++; continue; }
        add(request, { where: `body${m.instancePath}`, keyword: m.keyword, rule: m.rule, value: valueAt(m.value, m.instancePath), description: m.description }, values, 'body');
      }
    }
    if (want(opts, 'missing') && body.required) {
      const values = cloneValues(baseValues);
      delete values.body;
      delete values.mediaType;
      const request = build(values);
      if (request) add(request, { where: 'body', keyword: 'required', rule: { ...body.location, pointer: `${body.location.pointer}/required` }, description: 'required request body left out' }, values, 'body');
    }
    if (want(opts, 'malformed-body') && JSONISH.test(media.mediaType) && typeof base.request.body === 'string' && base.request.body.length > 1) {
      const text = base.request.body;
      const truncated: HttpRequest = { ...base.request, headers: { ...base.request.headers }, body: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
      add(truncated, { where: 'body', keyword: 'syntax', rule: media.location, value: truncated.body, description: 'truncated JSON body' }, undefined, 'body');
    }
    if (want(opts, 'media-type') && base.request.body !== undefined) {
      const documented = body.content.map((m) => m.mediaType.toLowerCase());
      const other = ['application/xml', 'text/plain', 'application/x-www-form-urlencoded'].find((t) => !documented.some((d) => d === t || d === '*/*' || d === `${t.split('/')[0]}/*`));
      if (other && !documented.includes('*/*')) {
        const headers = withContentType(base.request.headers, other);
        const request: HttpRequest = { ...base.request, headers };
        add(request, { where: 'header.Content-Type', keyword: 'content-type', rule: body.location, value: other, description: `body sent as ${other}, which the operation does not accept (documented: ${documented.join(', ')})` }, undefined);
      }
      if (JSONISH.test(media.mediaType)) {
        const headers = withContentType(base.request.headers, undefined);
        add({ ...base.request, headers }, { where: 'header.Content-Type', keyword: 'content-type', rule: body.location, description: 'JSON body sent without a Content-Type header' }, undefined);
      }
    }
  }
  return { cases, dropped };
}

const VALUE_FAMILIES = new Set(['required', 'type', 'range', 'format', 'pattern', 'enum', 'length', 'items', 'properties', 'null', 'multipleOf']);
function isValueFamily(f: string): f is MutationFamily {
  return VALUE_FAMILIES.has(f);
}

function withContentType(headers: Record<string, string>, value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== 'content-type') out[k] = v;
  if (value) out['Content-Type'] = value;
  return out;
}

/** The value at a JSON pointer, for the report ("the value sent"). */
function valueAt(value: unknown, pointer: string): unknown {
  if (!pointer) return value;
  let cur: unknown = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
