// Positive variations: the request the server accepted, with exactly one thing changed, so that a refusal
// names its cause. The changes come from the other proven-valid requests of the operation (boundaries,
// optional members left out, other values, non-ASCII text).
import type { Case, Derivation, JsonSchema, Operation, SourceLocation } from '../model.js';
import { buildRequest, type RequestValues } from '../generate/serialize.js';
import { canonicalJson, isSchemaObject, resolveRef } from '../generate/shape.js';
import { finishPositive, type PlanContext } from './positive.js';
import { proveRequest } from './prove.js';
import { windowMembers } from './references.js';
import { isReferenceLike } from './pool.js';

type Change = NonNullable<Derivation['change']>;
type Bucket = 'path' | 'query' | 'header' | 'cookie';
const BUCKETS: Bucket[] = ['query', 'header', 'cookie'];

/** Words with which a description states a rule the schema does not carry. */
// 'at most this many items' says what a limit means, not a rule beyond its maximum: such words are left out
// 'JSON encoded' / 'encoded as' name a syntax inside the string that the schema does not carry
const PROSE_RULE = /\b(?:must|cannot|can't|may not|no later|no earlier|expressions?|syntax|existing|unique|matchers?|preconditions?|before|after|encoded|encoding)\b/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function resolved(ctx: PlanContext, schema: JsonSchema | undefined): JsonSchema | undefined {
  let s = schema;
  for (let i = 0; i < 10 && isSchemaObject(s) && typeof s['$ref'] === 'string'; i++) s = resolveRef(ctx.spec.schemas, s['$ref'] as string);
  return s;
}

function description(schema: JsonSchema | undefined): string | undefined {
  return isSchemaObject(schema) && typeof schema['description'] === 'string' ? (schema['description'] as string) : undefined;
}

/** Where the rule that allows a body member lives, and the member's description. */
function bodyMemberRule(op: Operation, mediaType: string | undefined, member: string, ctx: PlanContext): { rule?: SourceLocation; prose?: string; text?: string } {
  const media = op.requestBody?.content.find((m) => m.mediaType === mediaType);
  if (!media?.schema) return {};
  const schema = resolved(ctx, media.schema.schema);
  const props = isSchemaObject(schema) && isSchemaObject(schema['properties']) ? (schema['properties'] as Record<string, JsonSchema>) : {};
  const memberSchema = resolved(ctx, props[member]);
  const origin = isSchemaObject(memberSchema) ? ctx.spec.schemas.origin.get(memberSchema) : undefined;
  const text = description(memberSchema) ?? description(props[member]);
  return { rule: origin ?? media.schema.location, ...(text ? { text } : {}), ...(text && PROSE_RULE.test(text) ? { prose: text } : {}) };
}

function allowedBy(change: { value?: unknown; removed?: boolean }): string | undefined {
  if (change.removed) return 'not required';
  if (change.value === null) return 'nullable';
  return undefined;
}

/** The places of a request whose description states a rule in prose ('must be a matcher expression'). */
export function proseRulesOf(op: Operation, values: RequestValues | undefined, ctx: PlanContext): Array<{ where: string; text: string }> {
  const out: Array<{ where: string; text: string }> = [];
  for (const p of op.parameters) {
    const bucket = (values?.[p.in as Bucket] ?? {}) as Record<string, unknown>;
    if (!(p.name in bucket)) continue;
    const text = description(p.schema?.schema) ?? p.description;
    if (text && PROSE_RULE.test(text)) out.push({ where: `${p.in}.${p.name}`, text });
  }
  if (isRecord(values?.body)) {
    for (const member of Object.keys(values.body)) {
      const { prose } = bodyMemberRule(op, values.mediaType, member, ctx);
      if (prose) out.push({ where: `body/${member}`, text: prose });
    }
  }
  return out;
}

/**
 * Up to `max` variations of `baseline`, each differing from it in one place taken from one of `others`.
 * Path parameters, made-up references and the members of a window (start/end) are not varied: a refusal
 * there proves nothing (a window has rules between its members the schema cannot state).
 */
export function deriveVariations(op: Operation, baseline: Case, others: Case[], ctx: PlanContext, max: number): { cases: Case[]; dropped: number } {
  const base = baseline.values ?? {};
  const cases: Case[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  const offer = (values: RequestValues, change: Change, from: Case): void => {
    if (cases.length >= max) return;
    const key = canonicalJson(values);
    if (seen.has(key) || key === canonicalJson(base)) return;
    seen.add(key);
    let request;
    try {
      request = finishPositive(op, buildRequest(op, values, { boundary: `acc-boundary-v${cases.length}`, bundle: ctx.spec.schemas }), ctx);
    } catch {
      dropped++;
      return;
    }
    if (!proveRequest(op, request, ctx).ok) {
      dropped++; // two changes that each are valid may not be valid together
      return;
    }
    cases.push({
      id: `${op.id}#variation-${cases.length}`,
      operation: op,
      kind: 'positive',
      request,
      values,
      expect: baseline.expect,
      source: from.source ?? 'variation',
      ...(baseline.madeUp ? { madeUp: baseline.madeUp } : {}),
      derivation: { phase: 'variation', baseline, change },
    });
  };

  // non-ASCII text first: a refusal of it is the bug variations exist to find, and the budget is small
  const ordered = [...others.filter((c) => c.source === 'unicode'), ...others.filter((c) => c.source !== 'unicode')];
  for (const other of ordered) {
    if (other === baseline) continue;
    const theirs = other.values ?? {};
    const madeUp = new Set(other.madeUp ?? []);
    for (const bucket of BUCKETS) {
      const mine = (base[bucket] ?? {}) as Record<string, unknown>;
      const their = (theirs[bucket] ?? {}) as Record<string, unknown>;
      const windows = windowMembers({ ...their, ...mine });
      for (const name of new Set([...Object.keys(mine), ...Object.keys(their)])) {
        const where = `${bucket}.${name}`;
        if (windows.has(name) || madeUp.has(where) || canonicalJson(mine[name]) === canonicalJson(their[name])) continue;
        const values = structuredClone(base) as RequestValues;
        const target = (values[bucket] ??= {}) as Record<string, unknown>;
        const removed = !(name in their);
        if (removed) delete target[name];
        else target[name] = structuredClone(their[name]);
        const p = op.parameters.find((q) => q.in === bucket && q.name === name);
        const change: Change = { where, ...(removed ? { removed } : { value: their[name] }), ...(p ? { rule: p.schema?.location ?? p.location } : {}) };
        const by = allowedBy(change);
        const prose = description(p?.schema?.schema) ?? p?.description;
        const madeUpReference = !removed && isReferenceLike(name, prose) && !ctx.pool?.knows(their[name]);
        offer(values, { ...change, ...(by ? { allowedBy: by } : {}), ...(prose && PROSE_RULE.test(prose) ? { prose } : {}), ...(madeUpReference ? { madeUpReference } : {}) }, other);
      }
    }
    if (isRecord(base.body) && isRecord(theirs.body) && base.mediaType === theirs.mediaType) {
      const mine = base.body;
      const their = theirs.body;
      const windows = windowMembers({ ...their, ...mine });
      for (const member of new Set([...Object.keys(mine), ...Object.keys(their)])) {
        const where = `body/${member}`;
        if (windows.has(member) || [...madeUp].some((m) => m === where || m.startsWith(`${where}/`)) || canonicalJson(mine[member]) === canonicalJson(their[member])) continue;
        const values = structuredClone(base) as RequestValues;
        const body = values.body as Record<string, unknown>;
        const removed = !(member in their);
        if (removed) delete body[member];
        else body[member] = structuredClone(their[member]);
        const { rule, prose, text } = bodyMemberRule(op, base.mediaType, member, ctx);
        const change: Change = { where, ...(removed ? { removed } : { value: their[member] }), ...(rule ? { rule } : {}) };
        const by = allowedBy(change);
        // a record's own 'name' or 'code' is its data (as in fillReferences), but its own 'id' counts: some
        // servers read it as "update this record" (Alertmanager's silences)
        const madeUpReference = !removed && isReferenceLike(member, text) && !/^(?:name|code|key|sku|slug)$/i.test(member) && (typeof their[member] === 'string' || typeof their[member] === 'number') && !ctx.pool?.knows(their[member]);
        offer(values, { ...change, ...(by ? { allowedBy: by } : {}), ...(prose ? { prose } : {}), ...(madeUpReference ? { madeUpReference } : {}) }, other);
      }
    }
  }
  return { cases, dropped };
}
