import type { Case, HttpRequest, MediaType, Operation, Why } from '../model.js';
import { mutations, type MutationFamily } from '../generate/mutate.js';
import { isIgnoredHeaderParameter } from '../spec/ignored-headers.js';
import { buildRequest, type RequestValues } from '../generate/serialize.js';
import { matchCredentials } from './credentials.js';
import { proveRequest } from './prove.js';
import type { PlanContext } from './positive.js';

/** Request-level families on top of the value-level ones of generate/mutate. */
export const REQUEST_MUTATION_FAMILIES = ['missing', 'malformed-body', 'media-type'] as const;
export type RequestMutationFamily = (typeof REQUEST_MUTATION_FAMILIES)[number];

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
export function planNegative(op: Operation, positives: Case[], ctx: PlanContext, opts: NegativeOptions): NegativePlan {
  const base = positives[0]!;
  // Body mutations start from the fullest proven body, so that optional members get broken too.
  const bodyBase = positives.reduce((best, c) => (leaves(c.values?.body) > leaves(best.values?.body) ? c : best), base);
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
  /**
   * Sends a candidate only when the request, read back as the server will, breaks the intended rule:
   * `intended` gives the place and, for value mutations, the keyword that must fail there.
   */
  const add = (request: HttpRequest, why: Why, values: RequestValues | undefined, intended?: { where: string; keyword?: string }): void => {
    if (cases.length >= opts.maxNegative) return;
    const proof = proveRequest(op, request, ctx);
    if (proof.ok) {
      dropped++;
      return;
    }
    if (intended && !proof.issues.some((i) => related(i.where, intended.where) && (!intended.keyword || i.issue?.keyword === intended.keyword || (!i.issue && intended.keyword === 'required')))) {
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
      return finish(buildRequest(op, values, { boundary: 'acc-boundary-n', bundle: ctx.spec.schemas }));
    } catch {
      return undefined;
    }
  };

  // 1. required parameters left out
  if (want(opts, 'missing')) {
    for (const p of op.parameters) {
      if (!p.required || p.in === 'path') continue; // a path without its segment is another route
      if (isIgnoredHeaderParameter(p)) continue;
      const values = cloneValues(baseValues);
      delete (values[p.in] as Record<string, unknown> | undefined)?.[p.name];
      const request = build(values);
      if (!request) continue;
      add(request, { where: `${p.in}.${p.name}`, keyword: 'required', rule: { ...p.location, pointer: `${p.location.pointer}/required` }, description: `required ${p.in} parameter '${p.name}' left out` }, values, { where: `${p.in}.${p.name}` });
    }
  }

  // the body as a whole (left out, malformed, in another media type) before value mutations fill the budget:
  // a handler that crashes on malformed JSON is found however many constraints the operation has
  const body = op.requestBody;
  const bodyValues = bodyBase.values ?? {};
  const mediaType = bodyValues.mediaType;
  const media: MediaType | undefined = mediaType ? body?.content.find((m) => m.mediaType === mediaType) : undefined;
  if (body && media) {
    if (want(opts, 'missing') && body.required) {
      const values = cloneValues(bodyValues);
      delete values.body;
      delete values.mediaType;
      const request = build(values);
      if (request) add(request, { where: 'body', keyword: 'required', rule: { ...body.location, pointer: `${body.location.pointer}/required` }, description: 'required request body left out' }, values, { where: 'body' });
    }
    if (want(opts, 'malformed-body') && JSONISH.test(media.mediaType) && typeof bodyBase.request.body === 'string' && bodyBase.request.body.length > 1) {
      const text = bodyBase.request.body;
      const truncated: HttpRequest = { ...bodyBase.request, headers: { ...bodyBase.request.headers }, body: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
      add(truncated, { where: 'body', keyword: 'syntax', rule: media.location, value: truncated.body, description: 'truncated JSON body' }, undefined, { where: 'body' });
    }
    if (want(opts, 'media-type') && bodyBase.request.body !== undefined) {
      const documented = body.content.map((m) => m.mediaType.toLowerCase());
      const other = ['application/xml', 'text/plain', 'application/x-www-form-urlencoded'].find((t) => !documented.some((d) => d === t || d === '*/*' || d === `${t.split('/')[0]}/*`));
      if (other && !documented.includes('*/*')) {
        const headers = withContentType(bodyBase.request.headers, other);
        const request: HttpRequest = { ...bodyBase.request, headers };
        add(request, { where: 'header.Content-Type', keyword: 'content-type', rule: body.location, value: other, description: `body sent as ${other}, which the operation does not accept (documented: ${documented.join(', ')})` }, undefined);
      }
      if (JSONISH.test(media.mediaType)) {
        const headers = withContentType(bodyBase.request.headers, undefined);
        add({ ...bodyBase.request, headers }, { where: 'header.Content-Type', keyword: 'content-type', rule: body.location, description: 'JSON body sent without a Content-Type header' }, undefined);
      }
    }
  }

  // 2. one constraint of one parameter value broken. The budget is shared out, so that an operation with
  // dozens of filters neither spends it all on the first ones nor leaves the body without cases.
  const mutable = op.parameters.filter((p) => p.schema && (baseValues[p.in] as Record<string, unknown> | undefined)?.[p.name] !== undefined);
  const hasBody = op.requestBody !== undefined && bodyBase.values?.body !== undefined;
  const left = Math.max(0, opts.maxNegative - cases.length);
  const parameterBudget = cases.length + (hasBody ? Math.ceil(left / 2) : left);
  const perParameter = Math.max(3, Math.ceil((parameterBudget - cases.length) / Math.max(1, mutable.length)));
  for (const p of mutable) {
    if (cases.length >= parameterBudget) break;
    const bucket = baseValues[p.in] as Record<string, unknown>;
    const { mutations: list, dropped: d } = mutations(p.schema!, bucket[p.name], { bundle: ctx.spec.schemas, validator: ctx.validator, direction: 'request' }, { families: opts.families?.filter(isValueFamily), max: perParameter });
    dropped += d.length;
    for (const m of list) {
      // null has no text form: in a path, query, header or cookie it would be sent as '' and claim the wrong rule
      if (m.family === 'null' && !p.contentType) { dropped++; continue; }
      if (p.in === 'path' && (m.value === '' || m.value === undefined)) { dropped++; continue; }
      const values = cloneValues(baseValues);
      (values[p.in] as Record<string, unknown>)[p.name] = m.value;
      const request = build(values);
      if (!request) { dropped++; continue; } // e.g. a header value the transport cannot carry: proves nothing
      add(request, { where: `${p.in}.${p.name}${m.instancePath}`, keyword: m.keyword, rule: m.rule, value: valueAt(m.value, m.instancePath), description: m.description }, values, { where: `${p.in}.${p.name}${m.instancePath}`, keyword: m.keyword });
    }
  }

  // 3. body: one constraint broken
  if (body && media && cases.length < opts.maxNegative) {
    if (media.schema && bodyValues.body !== undefined) {
      const { mutations: list, dropped: d } = mutations(media.schema, bodyValues.body, { bundle: ctx.spec.schemas, validator: ctx.validator, direction: 'request' }, { families: opts.families?.filter(isValueFamily), max: opts.maxNegative });
      dropped += d.length;
      for (const m of list) {
        const values = cloneValues(bodyValues);
        values.body = m.value;
        const request = build(values);
        if (!request) { dropped++; continue; }
        add(request, { where: `body${m.instancePath}`, keyword: m.keyword, rule: m.rule, value: valueAt(m.value, m.instancePath), description: m.description }, values, { where: `body${m.instancePath}`, keyword: m.keyword });
      }
    }
  }
  return { cases, dropped };
}

function leaves(value: unknown): number {
  if (value === null || typeof value !== 'object') return value === undefined ? 0 : 1;
  return Object.values(value as Record<string, unknown>).reduce<number>((n, v) => n + leaves(v), 0);
}

/** True when two places are the same or one holds the other ('body' and 'body/name', 'query.tags' and 'query.tags/0'). */
function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
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
