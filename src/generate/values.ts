// Valid values for a schema: documented examples first, then boundary values, then seeded random values.
// Every value is proven with the validator before it is returned; values that fail are returned as rejected.
import RandExp from 'randexp';
import type { Direction, Example, JsonSchema, SchemaBundle, SchemaHandle, Validator } from '../model.js';
import { isFreeFormat, numericFormatRange, safeString, stringForFormat, type Extent } from './formats.js';
import { mayMatch, patternMatches } from './match.js';
import type { Random } from './random.js';
import { canonicalJson, flatten, isJsonSchema, isSchemaObject, jsonTypesOf, refName, resolveRef, type Discriminator, type Flat } from './shape.js';

export { createRandom, type Random } from './random.js';

export interface ValueContext {
  /** to follow '#/$defs/<key>' refs */
  bundle: SchemaBundle;
  /** every returned value is proven with it */
  validator: Validator;
  /** 'request': readOnly members left out; 'response': writeOnly members left out */
  direction: Direction;
  random: Random;
}

export interface GeneratedValue {
  value: unknown;
  source: 'example' | 'boundary' | 'random';
  note?: string;
}

export interface ValidValues {
  values: GeneratedValue[];
  /** values that were tried and failed validation (examples that break their schema, unlucky generations) */
  rejected: Array<{ value: unknown; reason: string }>;
  /** why generation gave up, when it did (distinct reasons, e.g. a pattern no string of the length fits) */
  unsatisfied: string[];
}

/** How one value is shaped: how far towards the bounds, which optional members, whether member examples are used. */
interface Plan {
  name: string;
  extent: Extent;
  members: 'required' | 'all' | 'random';
  memberExamples: 'always' | 'sometimes' | 'never';
  source: GeneratedValue['source'];
  note: string;
}

const MEMBER_EXAMPLES: Plan = {
  name: 'member-examples', extent: 'random', members: 'all', memberExamples: 'always', source: 'example',
  note: 'assembled from the examples of its members',
};
const BOUNDARY_PLANS: readonly Plan[] = [
  { name: 'minimal', extent: 'minimal', members: 'required', memberExamples: 'never', source: 'boundary', note: 'lowest bounds, shortest strings, fewest items, required members only' },
  { name: 'maximal', extent: 'maximal', members: 'all', memberExamples: 'never', source: 'boundary', note: 'highest bounds, longest strings, fullest arrays, all members' },
  { name: 'required-only', extent: 'random', members: 'required', memberExamples: 'sometimes', source: 'boundary', note: 'required members only' },
  { name: 'all-members', extent: 'random', members: 'all', memberExamples: 'sometimes', source: 'boundary', note: 'all members' },
];
const RANDOM_PLAN: Plan = { name: 'random', extent: 'random', members: 'random', memberExamples: 'sometimes', source: 'random', note: 'random' };

const ATTEMPTS_PER_PLAN = 6;
/** nesting past which optional members of recursive schemas are left out */
const SOFT_DEPTH = 3;
/** nesting past which every optional member is left out */
const OPTIONAL_DEPTH = 8;
/** nesting at which generation gives up */
const HARD_DEPTH = 40;
/** times one ref may repeat on the path from the root before required recursion is declared endless */
const MAX_REF_REPEATS = 6;
/** schema nodes generated for one value */
const MAX_STEPS = 20000;
const STRING_CAP = 1000;
const TYPICAL_STRING = 12;
const FULL_ARRAY = 5;
/** items of the fullest arrays below the first levels, so that a maximal value stays small */
const FULL_NESTED_ARRAY = 2;
/** string characters in one value: long strings give way to shorter ones when it runs low */
const CHAR_BUDGET = 40000;
const TYPICAL_NUMBER_SPAN = 100;

class GiveUp extends Error {}

interface State {
  bundle: SchemaBundle;
  direction: Direction;
  random: Random;
  plan: Plan;
  extent: Extent;
  depth: number;
  refChain: string[];
  path: string[];
  steps: number;
  charsLeft: number;
  examplesUsed: number;
}

export function validValues(schema: SchemaHandle, ctx: ValueContext, opts: { examples?: Example[]; max: number }): ValidValues {
  const values: GeneratedValue[] = [];
  const rejected: ValidValues['rejected'] = [];
  const unsatisfied = new Set<string>();
  const seen = new Set<string>();
  const random = ctx.random.fork();
  let validatorFailure: string | undefined;

  const offer = (value: unknown, source: GeneratedValue['source'], note: string): 'accepted' | 'duplicate' | 'rejected' => {
    if (value === undefined) return 'rejected';
    const key = canonicalJson(value);
    if (seen.has(key)) return 'duplicate';
    seen.add(key);
    let reason: string | undefined;
    try {
      const issues = ctx.validator.validate(schema, value, ctx.direction);
      if (issues.length > 0) reason = issues.slice(0, 3).map((i) => `${i.instancePath || '/'} ${i.keyword}: ${i.message}`).join('; ');
    } catch (error) {
      validatorFailure = `the validator failed: ${error instanceof Error ? error.message : String(error)}`;
      reason = validatorFailure;
    }
    if (reason !== undefined) {
      rejected.push({ value, reason });
      return 'rejected';
    }
    values.push({ value, source, note });
    return 'accepted';
  };
  const full = (): boolean => values.length >= opts.max || validatorFailure !== undefined;

  for (const example of documentedExamples(schema, ctx.bundle, opts.examples ?? [])) {
    if (full()) break;
    offer(example.value, 'example', example.note);
  }

  const rootRef = `#/$defs/${schema.def.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const attempt = (plan: Plan): unknown => {
    const st: State = {
      bundle: ctx.bundle, direction: ctx.direction, random: random.fork(), plan, extent: plan.extent,
      depth: 0, refChain: [], path: [], steps: 0, charsLeft: CHAR_BUDGET, examplesUsed: 0,
    };
    try {
      const value = generate(schema.schema, st, rootRef);
      return plan.memberExamples === 'always' && st.examplesUsed === 0 ? undefined : value;
    } catch (error) {
      if (!(error instanceof GiveUp)) throw error;
      unsatisfied.add(error.message);
      return undefined;
    }
  };

  for (const plan of [MEMBER_EXAMPLES, ...BOUNDARY_PLANS]) {
    for (let i = 0; i < ATTEMPTS_PER_PLAN && !full(); i++) {
      const value = attempt(plan);
      if (value === undefined && plan === MEMBER_EXAMPLES) break;
      if (value !== undefined && offer(value, plan.source, plan.note) !== 'rejected') break;
    }
  }
  const randomAttempts = opts.max * 3 + 10;
  for (let i = 0; i < randomAttempts && !full(); i++) {
    const value = attempt(RANDOM_PLAN);
    if (value !== undefined) offer(value, 'random', RANDOM_PLAN.note);
  }
  if (values.length > 0) unsatisfied.clear();
  if (validatorFailure !== undefined) unsatisfied.add(validatorFailure);
  return { values, rejected, unsatisfied: [...unsatisfied] };
}

function documentedExamples(schema: SchemaHandle, bundle: SchemaBundle, given: Example[]): Array<{ value: unknown; note: string }> {
  const out = given.map((example) => ({ value: example.value, note: `example at ${example.location.pointer}` }));
  const fromSchema = (node: JsonSchema, where: string, hops: number): void => {
    if (!isSchemaObject(node)) return;
    if ('example' in node && node.example !== undefined) out.push({ value: node.example, note: `schema example (${where})` });
    if (Array.isArray(node.examples)) for (const value of node.examples as unknown[]) out.push({ value, note: `schema examples (${where})` });
    if (typeof node.$ref === 'string' && hops < 5) {
      const target = resolveRef(bundle, node.$ref);
      if (target !== undefined) fromSchema(target, node.$ref, hops + 1);
    }
  };
  fromSchema(schema.schema, schema.location.pointer, 0);
  return out;
}

// ------------------------------------------------------------------------------------------ generation

function fail(st: State, reason: string): GiveUp {
  return new GiveUp(`${st.path.length > 0 ? `/${st.path.join('/')}` : '(root)'}: ${reason}`);
}

function generate(schema: JsonSchema, st: State, outerRef?: string): unknown {
  st.steps++;
  if (st.steps > MAX_STEPS) throw fail(st, 'the value grew past the size budget');
  if (st.depth > HARD_DEPTH) throw fail(st, 'values nest deeper than the depth limit');
  const flat = flatten(schema, { bundle: st.bundle, choose: (branches, keyword, node) => chooseBranch(branches, keyword, node, st) }, outerRef);
  if (flat.impossible !== undefined) throw fail(st, flat.impossible);
  const repeated = flat.refs.find((ref) => st.refChain.filter((r) => r === ref).length >= MAX_REF_REPEATS);
  if (repeated !== undefined) throw fail(st, `required members recurse without end through ${repeated}`);
  st.refChain.push(...flat.refs);
  try {
    return generateAvoiding(flat, st);
  } finally {
    st.refChain.length -= flat.refs.length;
  }
}

/** Generates from the flat node, retrying while the value also matches a `not` or another oneOf branch. */
function generateAvoiding(flat: Flat, st: State): unknown {
  const savedExtent = st.extent;
  try {
    for (let attempt = 0; attempt < 4; attempt++) {
      const value = generateFlat(flat, st);
      const clash = flat.excluded.find((excluded) => mayMatch(excluded.schema, value, st.bundle));
      if (clash === undefined) return value;
      if (attempt === 3) {
        throw fail(st, clash.why === 'not' ? 'every value tried also matches the `not` schema' : 'every value tried also matches another oneOf branch');
      }
      st.extent = 'random';
    }
    return undefined;
  } finally {
    st.extent = savedExtent;
  }
}

function inRecursion(st: State): boolean {
  return new Set(st.refChain).size < st.refChain.length;
}

function chooseBranch(branches: JsonSchema[], _keyword: 'oneOf' | 'anyOf', flat: Flat, st: State): number {
  let candidates = branches.map((_, i) => i).filter((i) => typesCompatible(branches[i] as JsonSchema, flat, st.bundle));
  if (candidates.length === 0) candidates = branches.map((_, i) => i);
  if (inRecursion(st) || st.depth > SOFT_DEPTH) {
    // leave recursion: prefer a branch that does not lead back to a schema already on the path
    const leaving = candidates.filter((i) => {
      const branch = branches[i];
      return !(isSchemaObject(branch) && typeof branch.$ref === 'string' && st.refChain.includes(branch.$ref));
    });
    if (leaving.length > 0) candidates = leaving;
  }
  return st.random.pick(candidates);
}

function declaredTypes(schema: JsonSchema, bundle: SchemaBundle, hops = 0): string[] | undefined {
  if (!isSchemaObject(schema) || hops > 8) return undefined;
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string');
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(bundle, schema.$ref);
    return target === undefined ? undefined : declaredTypes(target, bundle, hops + 1);
  }
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) {
      const types = isJsonSchema(part) ? declaredTypes(part, bundle, hops + 1) : undefined;
      if (types !== undefined) return types;
    }
  }
  return undefined;
}

function typesCompatible(branch: JsonSchema, flat: Flat, bundle: SchemaBundle): boolean {
  if (branch === false) return false;
  const types = declaredTypes(branch, bundle);
  if (flat.types === undefined || types === undefined) return true;
  return types.some((t) => flat.types?.includes(t) || (t === 'integer' && flat.types?.includes('number')) || (t === 'number' && flat.types?.includes('integer')));
}

function generateFlat(flat: Flat, st: State): unknown {
  if (flat.constValue !== undefined) return flat.constValue.value;
  if (flat.enumValues !== undefined) return pickEnum(flat, st);
  const example = usableExample(flat, st);
  if (example !== undefined) return example.value;
  const type = chooseType(flat, st);
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return st.extent === 'minimal' ? false : st.extent === 'maximal' ? true : st.random.chance();
    case 'integer':
      return generateNumber(flat, true, st);
    case 'number':
      return generateNumber(flat, false, st);
    case 'string':
      return generateString(flat, st);
    case 'array':
      return generateArray(flat, st);
    case 'object':
      return generateObject(flat, st);
    default:
      throw fail(st, `unknown type '${type}'`);
  }
}

function typeAllowed(value: unknown, flat: Flat): boolean {
  if (flat.types === undefined) return true;
  const actual = jsonTypesOf(value);
  return flat.types.some((t) => actual.includes(t));
}

function pickEnum(flat: Flat, st: State): unknown {
  const allowed = (flat.enumValues ?? []).filter((v) => typeAllowed(v, flat));
  if (allowed.length === 0) throw fail(st, 'no `enum` value has an allowed type');
  if (st.extent === 'minimal') return allowed[0];
  if (st.extent === 'maximal') return allowed[allowed.length - 1];
  return st.random.pick(allowed);
}

/** A member's own example, when the plan asks for one and it plausibly fits. */
function usableExample(flat: Flat, st: State): { value: unknown } | undefined {
  if (st.plan.memberExamples === 'never' || flat.examples.length === 0 || st.depth === 0) return undefined;
  if (st.plan.memberExamples === 'sometimes' && !st.random.chance(0.3)) return undefined;
  const fitting = flat.examples.filter((value) => value !== undefined && typeAllowed(value, flat) && leafFits(value, flat));
  if (fitting.length === 0) return undefined;
  st.examplesUsed++;
  return { value: st.random.pick(fitting) };
}

function leafFits(value: unknown, flat: Flat): boolean {
  if (typeof value === 'string') {
    const length = [...value].length;
    if (length < (flat.minLength ?? 0) || length > (flat.maxLength ?? Infinity)) return false;
    return flat.patterns.every((p) => patternMatches(p, value) !== false);
  }
  if (typeof value === 'number') {
    if (value < (flat.minimum ?? -Infinity) || value > (flat.maximum ?? Infinity)) return false;
    if (value <= (flat.exclusiveMinimum ?? -Infinity) || value >= (flat.exclusiveMaximum ?? Infinity)) return false;
    return flat.multipleOf.every((m) => isMultiple(value, m));
  }
  return true;
}

function inferTypes(flat: Flat): string[] {
  if (flat.properties.size > 0 || flat.required.size > 0 || flat.additional.length > 0 || flat.patternProperties.length > 0 ||
      flat.minProperties !== undefined || flat.maxProperties !== undefined || flat.discriminators.length > 0) return ['object'];
  if (flat.items.length > 0 || flat.prefixItems.length > 0 || flat.contains.length > 0 || flat.minItems !== undefined || flat.maxItems !== undefined) return ['array'];
  const numeric = numericFormatRange(flat.format);
  if (numeric !== undefined) return [numeric.integer ? 'integer' : 'number'];
  if (flat.minimum !== undefined || flat.maximum !== undefined || flat.exclusiveMinimum !== undefined ||
      flat.exclusiveMaximum !== undefined || flat.multipleOf.length > 0) return ['number'];
  return ['string'];
}

function chooseType(flat: Flat, st: State): string {
  const candidates = flat.types ?? inferTypes(flat);
  const concrete = candidates.filter((t) => t !== 'null');
  if (concrete.length === 0) return 'null';
  if (candidates.includes('null') && st.extent === 'random' && st.random.chance(0.15)) return 'null';
  // with both, 'integer' is the narrower and satisfies 'number' too
  const preferred = concrete.includes('integer') ? concrete.filter((t) => t !== 'number') : concrete;
  return st.extent === 'random' ? st.random.pick(preferred) : (preferred[0] as string);
}

// ------------------------------------------------------------------------------------------ numbers

function decimalsOf(n: number): number {
  const text = String(n);
  const exp = /e-(\d+)$/.exec(text);
  if (exp !== null) return Number(exp[1]) + (text.split('e')[0]?.split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

/** The test ajv applies for multipleOf: the quotient must be an integer as floating point computes it. */
function isMultiple(value: number, step: number): boolean {
  const quotient = value / step;
  return Number.isInteger(quotient) && Math.abs(quotient) < 1e21;
}

function generateNumber(flat: Flat, integerType: boolean, st: State): number {
  const formatRange = numericFormatRange(flat.format);
  const integer = integerType || formatRange?.integer === true;
  let lo = flat.minimum ?? -Infinity;
  let hi = flat.maximum ?? Infinity;
  let loOpen = false;
  let hiOpen = false;
  if (flat.exclusiveMinimum !== undefined && flat.exclusiveMinimum >= lo) { lo = flat.exclusiveMinimum; loOpen = true; }
  if (flat.exclusiveMaximum !== undefined && flat.exclusiveMaximum <= hi) { hi = flat.exclusiveMaximum; hiOpen = true; }
  if (formatRange !== undefined) {
    if (formatRange.min > lo) { lo = formatRange.min; loOpen = false; }
    if (formatRange.max < hi) { hi = formatRange.max; hiOpen = false; }
  }
  if (integer) {
    lo = loOpen ? Math.floor(lo) + 1 : Math.ceil(lo);
    hi = hiOpen ? Math.ceil(hi) - 1 : Math.floor(hi);
    loOpen = hiOpen = false;
  }
  if (lo > hi || (lo === hi && (loOpen || hiOpen))) throw fail(st, `no ${integer ? 'integer' : 'number'} lies within the bounds`);
  const inside = (v: number): boolean =>
    Number.isFinite(v) && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi) && (!integer || Number.isInteger(v)) &&
    flat.multipleOf.every((m) => isMultiple(v, m));
  const [typicalLo, typicalHi] = typicalWindow(lo, hi);
  const step = flat.multipleOf[0];
  const value = step !== undefined
    ? steppedNumber(step, lo, hi, typicalLo, typicalHi, inside, st)
    : freeNumber(lo, hi, loOpen, hiOpen, typicalLo, typicalHi, integer, inside, st);
  if (value === undefined) throw fail(st, `no ${integer ? 'integer' : 'number'} fits the bounds and multipleOf ${flat.multipleOf.join(', ')}`);
  return value === 0 ? 0 : value; // no -0
}

/** A finite window near zero (or near the bound that excludes zero) for typical values. */
function typicalWindow(lo: number, hi: number): [number, number] {
  const anchor = Math.min(Math.max(0, lo), hi);
  if (anchor === hi && hi < 0) return [Math.max(lo, hi - TYPICAL_NUMBER_SPAN), hi];
  return [anchor, Math.min(hi, anchor + TYPICAL_NUMBER_SPAN)];
}

function steppedNumber(
  step: number, lo: number, hi: number, typicalLo: number, typicalHi: number, inside: (v: number) => boolean, st: State,
): number | undefined {
  const decimals = Math.min(decimalsOf(step), 20);
  const at = (k: number): number => Number((k * step).toFixed(decimals));
  const kLo = Number.isFinite(lo) ? Math.ceil(lo / step) : Math.ceil(typicalLo / step);
  const kHi = Number.isFinite(hi) ? Math.floor(hi / step) : Math.floor(typicalHi / step);
  const tLo = Math.max(kLo, Math.ceil(typicalLo / step));
  const tHi = Math.min(kHi, Math.max(tLo, Math.floor(typicalHi / step)));
  const start = st.extent === 'minimal' ? kLo : st.extent === 'maximal' ? kHi : st.random.int(tLo, tHi);
  // walk outwards from the start until a multiple passes the same test ajv applies
  for (let offset = 0; offset < 200; offset++) {
    for (const k of offset === 0 ? [start] : [start + offset, start - offset]) {
      if (k < kLo - 1 || k > kHi + 1) continue;
      const v = at(k);
      if (inside(v)) return v;
    }
  }
  return undefined;
}

function freeNumber(
  lo: number, hi: number, loOpen: boolean, hiOpen: boolean, typicalLo: number, typicalHi: number, integer: boolean,
  inside: (v: number) => boolean, st: State,
): number | undefined {
  const nudge = (from: number, towards: number): number => {
    const span = Number.isFinite(towards) ? Math.abs(towards - from) : 2;
    return from + Math.sign(towards - from || 1) * Math.min(1, span / 2);
  };
  let value: number;
  if (st.extent === 'minimal') value = Number.isFinite(lo) ? (loOpen ? nudge(lo, hi) : lo) : typicalLo;
  else if (st.extent === 'maximal') value = Number.isFinite(hi) ? (hiOpen ? nudge(hi, lo) : hi) : typicalHi;
  else if (integer) value = st.random.int(typicalLo, typicalHi);
  else value = Math.round((typicalLo + st.random.next() * (typicalHi - typicalLo)) * 100) / 100;
  if (inside(value)) return value;
  const middle = Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : (typicalLo + typicalHi) / 2;
  const fallback = integer ? Math.round(middle) : middle;
  return inside(fallback) ? fallback : undefined;
}

// ------------------------------------------------------------------------------------------ strings

function generateString(flat: Flat, st: State): string {
  const text = stringWithin(flat, st);
  st.charsLeft -= text.length;
  return text;
}

function stringWithin(flat: Flat, st: State): string {
  const min = flat.minLength ?? 0;
  const max = Math.min(flat.maxLength ?? Infinity, Math.max(min, STRING_CAP));
  if (min > max) throw fail(st, `minLength ${min} exceeds maxLength ${flat.maxLength}`);
  const roomy = Math.max(min, Math.min(max, Math.floor(st.charsLeft / 8)));
  const fits = (text: string): boolean => {
    const length = [...text].length;
    return length >= min && length <= max && flat.patterns.every((p) => patternMatches(p, text) !== false);
  };
  const format = flat.format;
  if (format !== undefined && !isFreeFormat(format) && numericFormatRange(format) === undefined) {
    for (let attempt = 0; attempt < 12; attempt++) {
      const text = stringForFormat(format, st.random, attempt === 0 ? st.extent : 'random', { min, max });
      if (text !== undefined && fits(text)) return text;
    }
    throw fail(st, `no '${format}' string fits length ${min}..${flat.maxLength ?? '∞'}${flat.patterns.length > 0 ? ' and the pattern' : ''}`);
  }
  const [firstPattern] = flat.patterns;
  if (firstPattern !== undefined) return stringFromPattern(firstPattern, min, max, fits, st);
  const length = st.extent === 'minimal' ? min : st.extent === 'maximal' ? roomy : st.random.int(Math.min(Math.max(min, 1), roomy), Math.min(roomy, Math.max(min, 1) + TYPICAL_STRING));
  return safeString(length, st.random);
}

function stringFromPattern(pattern: string, min: number, max: number, fits: (text: string) => boolean, st: State): string {
  const generator = patternGenerator(pattern);
  if (generator instanceof Error) throw fail(st, `cannot write a string for pattern /${pattern}/: ${generator.message}`);
  generator.randInt = (from: number, to: number): number => st.random.int(from, to);
  for (let attempt = 0; attempt < 30; attempt++) {
    // how far * and + may repeat: small by default, widened when minLength asks for more
    const repeat = attempt < 10 ? (st.extent === 'maximal' ? 32 : 6) : attempt < 20 ? Math.max(8, min) : Math.max(16, Math.min(max, 2 * min + 8));
    generator.max = Math.min(repeat, max);
    const text = generator.gen();
    if (fits(text)) return text;
  }
  throw fail(st, `no string for pattern /${pattern}/ with length ${min}..${max === Infinity ? '∞' : max} found in 30 tries`);
}

/** randexp's hook that turns a character-class token into a range; rebuilt on every use unless memoized. */
interface ExpandHook {
  _expand(token: object): unknown;
}

// Parsing a pattern and expanding its character classes dominate generation time: keep them per pattern.
const PATTERN_CACHE = new Map<string, RandExp | Error>();
const PATTERN_CACHE_LIMIT = 2000;

function patternGenerator(pattern: string): RandExp | Error {
  const cached = PATTERN_CACHE.get(pattern);
  if (cached !== undefined) return cached;
  let made: RandExp | Error;
  try {
    made = new RandExp(withoutLookarounds(pattern));
    const hook = made as unknown as ExpandHook;
    const expand = hook._expand.bind(made);
    const memo = new WeakMap<object, unknown>();
    hook._expand = (token: object): unknown => {
      if (!memo.has(token)) memo.set(token, expand(token));
      return memo.get(token);
    };
  } catch (error) {
    made = error instanceof Error ? error : new Error(String(error));
  }
  if (PATTERN_CACHE.size >= PATTERN_CACHE_LIMIT) PATTERN_CACHE.clear();
  PATTERN_CACHE.set(pattern, made);
  return made;
}

/**
 * The pattern without lookahead/lookbehind groups (randexp cannot parse lookbehinds and ignores lookaheads)
 * and with named groups made plain; what is generated is still tested against the full pattern.
 */
export function withoutLookarounds(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '\\') {
      out += pattern.slice(i, i + 2);
      i++;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      out += char;
      continue;
    }
    if (char === '[') {
      inClass = true;
      out += char;
      continue;
    }
    const rest = pattern.slice(i);
    if (/^\(\?(=|!|<=|<!)/.test(rest)) {
      i = closingParen(pattern, i);
      continue;
    }
    const named = /^\(\?<[A-Za-z_$][\w$]*>/.exec(rest);
    if (named !== null) {
      out += '(';
      i += named[0].length - 1;
      continue;
    }
    out += char;
  }
  return out;
}

/** Index of the parenthesis closing the group that opens at `open`. */
function closingParen(pattern: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') {
      i++;
    } else if (inClass) {
      if (char === ']') inClass = false;
    } else if (char === '[') {
      inClass = true;
    } else if (char === '(') {
      depth++;
    } else if (char === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return pattern.length;
}

// ------------------------------------------------------------------------------------------ arrays

const allOfSchemas = (schemas: JsonSchema[]): JsonSchema => (schemas.length === 0 ? true : schemas.length === 1 ? (schemas[0] as JsonSchema) : { allOf: schemas });

function generateArray(flat: Flat, st: State): unknown[] {
  const prefix: JsonSchema[][] = [];
  for (const list of flat.prefixItems) list.forEach((schema, i) => (prefix[i] ??= []).push(schema));
  const closed = flat.items.includes(false);
  let min = flat.minItems ?? 0;
  if (flat.contains.length > 0) min = Math.max(min, 1);
  const max = Math.min(flat.maxItems ?? Infinity, closed ? prefix.length : Infinity);
  if (min > max) throw fail(st, `minItems ${min} exceeds the ${closed ? 'prefixItems length' : 'maxItems'} ${max}`);
  const shallow = inRecursion(st) || st.depth > OPTIONAL_DEPTH;
  const count = shallow || st.extent === 'minimal' ? min
    : st.extent === 'maximal' ? Math.min(max, Math.max(min, st.depth <= 1 ? FULL_ARRAY : FULL_NESTED_ARRAY))
    : st.random.int(min, Math.min(max, Math.max(min, 1) + 2));
  const out: unknown[] = [];
  const keys = new Set<string>();
  for (let i = 0; out.length < count && i < count + 8; i++) {
    const index = out.length;
    const parts = [...(prefix[index] ?? flat.items)];
    if (index === 0) parts.push(...flat.contains);
    st.path.push(String(index));
    st.depth++;
    try {
      const item = generate(allOfSchemas(parts), st);
      if (flat.uniqueItems) {
        const key = canonicalJson(item);
        if (keys.has(key)) continue;
        keys.add(key);
      }
      out.push(item);
    } finally {
      st.depth--;
      st.path.pop();
    }
  }
  if (out.length < min) throw fail(st, `only ${out.length} distinct items found, minItems is ${min}`);
  return out;
}

// ------------------------------------------------------------------------------------------ objects

/** True when the schema (through refs and allOf) carries the flag, e.g. readOnly. */
function hasFlag(schema: JsonSchema, flag: 'readOnly' | 'writeOnly', bundle: SchemaBundle, hops = 0): boolean {
  if (!isSchemaObject(schema) || hops > 8) return false;
  if (schema[flag] === true) return true;
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(bundle, schema.$ref);
    if (target !== undefined && hasFlag(target, flag, bundle, hops + 1)) return true;
  }
  return Array.isArray(schema.allOf) && schema.allOf.some((part) => isJsonSchema(part) && hasFlag(part, flag, bundle, hops + 1));
}

function matchingPatternSchemas(flat: Flat, name: string): JsonSchema[] {
  return flat.patternProperties.filter((p) => patternMatches(p.pattern, name) === true).map((p) => p.schema);
}

function memberSchemas(flat: Flat, name: string): JsonSchema[] {
  const declared = flat.properties.get(name) ?? [];
  const patterned = matchingPatternSchemas(flat, name);
  if (declared.length > 0 || patterned.length > 0) return [...declared, ...patterned];
  return flat.additionalForbidden ? [false] : flat.additional;
}

function discriminatorValue(discriminator: Discriminator, flat: Flat): string | undefined {
  const candidates = flat.refs.filter((ref) => ref !== discriminator.owner);
  for (const ref of candidates) {
    for (const [key, target] of Object.entries(discriminator.mapping)) {
      if (target === ref || refName(target) === refName(ref)) return key;
    }
  }
  const [first] = candidates;
  return first === undefined ? undefined : refName(first);
}

function generateObject(flat: Flat, st: State): Record<string, unknown> {
  const hiddenFlag = st.direction === 'request' ? 'readOnly' : 'writeOnly';
  const hidden = (name: string): boolean => (flat.properties.get(name) ?? []).some((s) => hasFlag(s, hiddenFlag, st.bundle));
  const required = [...flat.required].filter((name) => !hidden(name));
  const optional = [...flat.properties.keys()].filter((name) => !flat.required.has(name) && !hidden(name));
  const shallow = (inRecursion(st) && st.depth > SOFT_DEPTH) || st.depth > OPTIONAL_DEPTH;
  const members = shallow ? 'required' : st.plan.members;
  const chosen = new Set(required);
  for (const name of optional) if (members === 'all' || (members === 'random' && st.random.chance())) chosen.add(name);
  for (const discriminator of flat.discriminators) if (flat.properties.has(discriminator.propertyName) && !hidden(discriminator.propertyName)) chosen.add(discriminator.propertyName);
  addDependencies(chosen, flat, hidden);
  const extras = extraNames(flat, chosen, members, shallow, st);
  const minProps = flat.minProperties ?? 0;
  for (const name of optional) if (chosen.size + extras.length < minProps) chosen.add(name);
  addDependencies(chosen, flat, hidden);
  while (chosen.size + extras.length < minProps) {
    const extra = newExtraName(flat, chosen, extras, st);
    if (extra === undefined) throw fail(st, `cannot reach minProperties ${minProps}`);
    extras.push(extra);
  }
  const maxProps = flat.maxProperties ?? Infinity;
  extras.splice(Math.max(0, maxProps - chosen.size));
  for (const name of [...optional].reverse()) if (chosen.size > maxProps && chosen.has(name)) chosen.delete(name);
  if (chosen.size > maxProps) throw fail(st, `required members outnumber maxProperties ${maxProps}`);

  const out: Record<string, unknown> = {};
  for (const name of [...chosen, ...extras]) {
    const schemas = memberSchemas(flat, name);
    st.path.push(name.replace(/~/g, '~0').replace(/\//g, '~1'));
    st.depth++;
    try {
      const fixed = fixedDiscriminator(flat, name, schemas, st);
      out[name] = fixed !== undefined ? fixed.value : generate(allOfSchemas(schemas), st);
    } catch (error) {
      const droppable = !flat.required.has(name) && chosen.size + extras.length > minProps;
      if (!(error instanceof GiveUp) || !droppable) throw error;
    } finally {
      st.depth--;
      st.path.pop();
    }
  }
  return out;
}

function fixedDiscriminator(flat: Flat, name: string, schemas: JsonSchema[], st: State): { value: string } | undefined {
  const discriminator = flat.discriminators.find((d) => d.propertyName === name);
  if (discriminator === undefined) return undefined;
  const value = discriminatorValue(discriminator, flat);
  if (value === undefined || !schemas.every((s) => mayMatch(s, value, st.bundle))) return undefined;
  return { value };
}

function addDependencies(chosen: Set<string>, flat: Flat, hidden: (name: string) => boolean): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of [...chosen]) {
      for (const dependency of flat.dependentRequired.get(name) ?? []) {
        if (!chosen.has(dependency) && !hidden(dependency)) {
          chosen.add(dependency);
          changed = true;
        }
      }
    }
  }
}

/** Members beyond the declared ones, for maps (additionalProperties / patternProperties). */
function extraNames(flat: Flat, chosen: Set<string>, members: 'required' | 'all' | 'random', shallow: boolean, st: State): string[] {
  if (shallow || members === 'required' || flat.additionalForbidden && flat.patternProperties.length === 0) return [];
  if (flat.additional.length === 0 && flat.patternProperties.length === 0) return [];
  const count = st.extent === 'maximal' ? 2 : members === 'all' ? 1 : st.random.int(0, 2);
  const extras: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = newExtraName(flat, chosen, extras, st);
    if (name !== undefined) extras.push(name);
  }
  return extras;
}

function newExtraName(flat: Flat, chosen: Set<string>, extras: string[], st: State): string | undefined {
  const taken = (name: string): boolean => chosen.has(name) || extras.includes(name) || flat.properties.has(name);
  const nameSchemas: JsonSchema[] = [{ type: 'string' }, ...flat.propertyNames];
  if (flat.additionalForbidden || (flat.additional.length === 0 && flat.patternProperties.length > 0 && st.random.chance(0.7))) {
    const pattern = flat.patternProperties[extras.length % Math.max(1, flat.patternProperties.length)]?.pattern;
    if (pattern === undefined) return undefined;
    nameSchemas.push({ pattern });
  }
  for (let attempt = 0; attempt < 10; attempt++) {
    let name: unknown;
    try {
      name = nameSchemas.length > 1 ? generate(allOfSchemas(nameSchemas), st) : `${safeString(1, st.random)}${extras.length + attempt + 1}key`;
    } catch (error) {
      if (error instanceof GiveUp) return undefined;
      throw error;
    }
    if (typeof name === 'string' && name !== '' && !taken(name)) return name;
  }
  return undefined;
}
