import type { ApiSpec, Case, Chain, HttpRequest, MediaType, Operation, Parameter, Validator } from '../model.js';
import { validValues, type GeneratedValue, type ValueContext } from '../generate/values.js';
import { isIgnoredHeaderParameter } from '../spec/ignored-headers.js';
import { createRandom } from '../generate/random.js';
import { buildRequest, type RequestValues } from '../generate/serialize.js';
import { matchCredentials, type Credentials } from './credentials.js';
import { proveRequest } from './prove.js';
import { seedFor } from './seed.js';
import { fillReferences, orderWindows } from './references.js';
import type { ValuePool } from './pool.js';

export interface PlanContext {
  spec: ApiSpec;
  validator: Validator;
  seed: number;
  /** positive cases per operation at most */
  maxPositive: number;
  credentials: Credentials;
  /** values the server produced so far: references are filled from it (absent: every reference is made up) */
  pool?: ValuePool;
  /** the level of the operation being planned: only values of earlier levels are used (stable across shards) */
  poolLevel?: number;
}

export interface OperationPlan {
  operation: Operation;
  cases: Case[];
  /** stateful chains that start with this operation */
  chains: Chain[];
  /** why the operation (or part of it) is not exercised */
  notCovered: string[];
  /** candidate values or requests dropped because they could not be proven valid */
  dropped: number;
}


/** Media types we can serialize, best first. */
const BODY_PREFERENCE: Array<(mt: string) => boolean> = [
  (mt) => mt === 'application/json',
  (mt) => /^application\/[^;]*\+json$/.test(mt) || mt === 'application/merge-patch+json',
  (mt) => mt === 'application/x-www-form-urlencoded',
  (mt) => mt === 'multipart/form-data',
  (mt) => mt === 'text/plain',
  (mt) => mt === 'application/octet-stream',
  (mt) => mt === '*/*' || mt === 'application/*',
];

export function pickBodyMedia(content: MediaType[]): MediaType | undefined {
  for (const test of BODY_PREFERENCE) {
    const found = content.find((m) => test(m.mediaType.toLowerCase().split(';')[0]!.trim()));
    if (found) return found;
  }
  return undefined;
}

/** The Accept header for a request: the media types the operation documents for success, JSON first. */
export function acceptFor(op: Operation): string | undefined {
  const types = new Set<string>();
  for (const r of op.responses) {
    if (!(r.status.startsWith('2') || r.status === 'default')) continue;
    for (const m of r.content) types.add(m.mediaType);
  }
  if (types.size === 0) return undefined;
  const list = [...types].sort((a, b) => Number(!/json/.test(a)) - Number(!/json/.test(b)));
  return list.join(', ');
}

function usableParameters(op: Operation): Parameter[] {
  return op.parameters.filter((p) => !isIgnoredHeaderParameter(p));
}

function fallbackBody(mediaType: string): unknown {
  if (/json/.test(mediaType)) return {};
  return 'payload';
}

/** Positive cases for one operation: proven-valid requests, examples first. */
export function planPositive(op: Operation, ctx: PlanContext): OperationPlan {
  const notCovered: string[] = [];
  let dropped = 0;
  const random = createRandom(seedFor(ctx.seed, op.id, 'positive'));
  const vctx: ValueContext = { bundle: ctx.spec.schemas, validator: ctx.validator, direction: 'request', random };

  const auth = matchCredentials(op, ctx.spec.securitySchemes, ctx.credentials);
  if (auth.kind === 'unsatisfied') {
    return {
      operation: op,
      cases: [],
      notCovered: [`no credentials for its security requirement: ${auth.needs.join(' or ')}`],
      chains: [],
      dropped: 0,
    };
  }

  const perParam = new Map<Parameter, GeneratedValue[]>();
  for (const p of usableParameters(op)) {
    if (!p.schema) {
      if (p.required) notCovered.push(`${p.in}.${p.name}: described by content ${p.contentType ?? '?'} without a schema`);
      continue;
    }
    const { values, rejected, unsatisfied } = validValues(p.schema, vctx, { examples: p.examples, max: ctx.maxPositive });
    dropped += rejected.length;
    if (values.length === 0) {
      if (p.required) {
        const reason = unsatisfied[0] ?? rejected[0]?.reason ?? 'no value satisfies its schema';
        notCovered.push(`${p.in}.${p.name}: no valid value could be proven (${reason})`);
      }
      continue;
    }
    perParam.set(p, values);
  }

  let media: MediaType | undefined;
  let bodyValues: GeneratedValue[] = [];
  const body = op.requestBody;
  if (body && body.content.length > 0) {
    media = pickBodyMedia(body.content);
    if (!media) {
      const types = body.content.map((m) => m.mediaType).join(', ');
      if (body.required) notCovered.push(`request body: no media type we can send (${types})`);
    } else if (media.schema) {
      const { values, rejected, unsatisfied } = validValues(media.schema, vctx, { examples: media.examples, max: ctx.maxPositive });
      dropped += rejected.length;
      bodyValues = values;
      if (values.length === 0 && body.required) {
        const reason = unsatisfied[0] ?? rejected[0]?.reason ?? 'no value satisfies its schema';
        notCovered.push(`request body (${media.mediaType}): no valid value could be proven (${reason})`);
      }
    } else {
      bodyValues = [{ value: media.examples[0]?.value ?? fallbackBody(media.mediaType), source: 'example' }];
    }
  }
  if (notCovered.length > 0) return { operation: op, cases: [], chains: [], notCovered, dropped };

  const count = Math.max(
    1,
    Math.min(ctx.maxPositive, Math.max(bodyValues.length, ...[...perParam.values()].map((v) => v.length))),
  );
  const accept = acceptFor(op);
  const cases: Case[] = [];
  const seen = new Set<string>();
  // said only when no case could be built: one empty path value among several is not a gap in coverage
  let serializeError: string | undefined;
  for (let i = 0; i < count; i++) {
    const values: RequestValues = { path: {}, query: {}, header: {}, cookie: {} };
    const sources = new Set<string>();
    for (const [p, list] of perParam) {
      // Case 1 carries only the required parameters; the others carry every optional one too.
      if (!p.required && i === 1) continue;
      const chosen = list[i % list.length]!;
      sources.add(chosen.source);
      values[p.in]![p.name] = chosen.value;
    }
    if (media && (bodyValues.length > 0 || body?.required)) {
      const chosen = bodyValues[i % Math.max(1, bodyValues.length)];
      if (chosen) {
        values.body = chosen.value;
        values.mediaType = media.mediaType;
        sources.add(chosen.source);
      }
    }
    const refs = fillReferences(op, values, ctx.pool, ctx.validator, ctx.poolLevel, ctx.spec.schemas);
    const unordered = structuredClone(values);
    const reordered = orderWindows(values).length > 0;
    let request: HttpRequest;
    try {
      request = buildRequest(op, values, { boundary: `acc-boundary-${i}`, bundle: ctx.spec.schemas });
    } catch (error) {
      dropped++;
      serializeError ??= (error as Error).message;
      continue;
    }
    request = finishRequest(request, accept, auth);
    const key = `${request.path}\n${typeof request.body === 'string' ? request.body : request.body ? Buffer.from(request.body).toString('base64') : ''}`;
    if (seen.has(key)) continue;
    let proof = proveRequest(op, request, ctx);
    if (!proof.ok && reordered) {
      // the ordered window broke a bound of its own: the value as generated was valid, keep it
      try {
        const again = finishRequest(buildRequest(op, unordered, { boundary: `acc-boundary-${i}`, bundle: ctx.spec.schemas }), accept, auth);
        const second = proveRequest(op, again, ctx);
        if (second.ok) {
          request = again;
          Object.assign(values, unordered);
          proof = second;
        }
      } catch {
        // keep the first proof's verdict
      }
    }
    if (!proof.ok) {
      dropped++;
      if (cases.length === 0 && i === count - 1) notCovered.push(`no request could be proven valid: ${proof.reason}`);
      continue;
    }
    seen.add(key);
    cases.push({
      id: `${op.id}#positive-${i}`,
      operation: op,
      kind: 'positive',
      request,
      values,
      expect: { documented: op.responses.map((r) => r.status), outcome: 'success' },
      source: [...sources, ...(refs.fromPool.length > 0 ? ['pool'] : [])].join('+') || 'none',
      ...(refs.madeUp.length > 0 ? { madeUp: refs.madeUp } : {}),
    });
  }
  if (cases.length === 0 && serializeError !== undefined) notCovered.push(`could not serialize a request: ${serializeError}`);
  const unicode = media?.schema ? unicodeVariant(cases, media, ctx) : undefined;
  if (unicode) {
    try {
      let request = buildRequest(op, unicode.values!, { boundary: 'acc-boundary-u', bundle: ctx.spec.schemas });
      if (accept) request.headers['Accept'] = accept;
      if (auth.kind === 'satisfied') request = auth.apply(request);
      if (proveRequest(op, request, ctx).ok) cases.push({ ...unicode, request });
      else dropped++;
    } catch {
      dropped++;
    }
  }
  return { operation: op, cases, chains: [], notCovered, dropped };
}

/** A built request as every positive case is sent: Accept for the documented answers, credentials applied. */
export function finishPositive(op: Operation, request: HttpRequest, ctx: PlanContext): HttpRequest {
  return finishRequest(request, acceptFor(op), matchCredentials(op, ctx.spec.securitySchemes, ctx.credentials));
}

function finishRequest(request: HttpRequest, accept: string | undefined, auth: ReturnType<typeof matchCredentials>): HttpRequest {
  if (accept) request.headers['Accept'] = accept;
  return auth.kind === 'satisfied' ? auth.apply(request) : request;
}

// Non-ASCII text, astral characters included: servers that mishandle UTF-8 fail on it.
const UNICODE_SAMPLE = [...'Zoë Ñandú 東京 Ωmega 🎉 naïve café '];

function unicodeText(length: number): string {
  return Array.from({ length }, (_, i) => UNICODE_SAMPLE[i % UNICODE_SAMPLE.length]!).join('').replace(/^ | $/g, 'x');
}

/**
 * A positive case whose free-text members are non-ASCII, each replacement kept only where the body stays
 * valid (patterns, formats and enums keep their ASCII values).
 */
function unicodeVariant(cases: Case[], media: MediaType, ctx: PlanContext): Case | undefined {
  const base = cases.find((c) => c.values?.body !== undefined && typeof c.values.body === 'object');
  if (!base || !media.schema) return undefined;
  const body = structuredClone(base.values!.body);
  const spots: Array<{ holder: Record<string, unknown>; key: string }> = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, v] of Object.entries(node as Record<string, unknown>)) {
      if (typeof v === 'string' && v.length > 0) spots.push({ holder: node as Record<string, unknown>, key });
      else walk(v);
    }
  };
  walk(body);
  let changed = 0;
  for (const { holder, key } of spots) {
    const before = holder[key] as string;
    holder[key] = unicodeText([...before].length);
    if (ctx.validator.validate(media.schema, body, 'request').length === 0) changed++;
    else holder[key] = before;
  }
  if (changed === 0) return undefined;
  return { ...base, id: `${base.operation.id}#positive-unicode`, values: { ...base.values, body }, source: 'unicode' };
}
