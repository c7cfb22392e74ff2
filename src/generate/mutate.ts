// Invalid values for negative cases: a proven-valid value with exactly one constraint broken, each proven
// with the validator to fail for that constraint, at that place, and for no unrelated reason.
import type { Direction, SchemaBundle, SchemaHandle, SourceLocation, ValidationIssue, Validator } from '../model.js';
import { KNOWN_FORMATS } from '../schema/formats.js';
import { patternMatches } from './match.js';
import {
  BREAKABLE_FORMATS, NUMERIC_FORMAT_BREAKS, caseChanged, codePoints, nonMatching, offFormat, offMultiple, onExclusive,
  pastInclusive, show, stringsOfLength,
} from './mutate-values.js';
import { canonicalJson, isSchemaObject, resolveRef, type SchemaObject } from './shape.js';
import { jsonTypeOf, type JsonType } from './parse.js';

export type MutationFamily =
  | 'required' | 'type' | 'range' | 'format' | 'pattern' | 'enum' | 'length' | 'items' | 'properties' | 'null' | 'multipleOf';

export const MUTATION_FAMILIES: readonly MutationFamily[] = [
  'required', 'type', 'null', 'range', 'multipleOf', 'length', 'pattern', 'format', 'enum', 'items', 'properties',
];

export interface Mutation {
  /** the whole mutated value (the valid value with one thing broken) */
  value: unknown;
  /** JSON pointer into the value where the validator reports the break: '' or '/items/0/quantity' */
  instancePath: string;
  /** the keyword the validator reports: 'maximum', 'required', 'type', 'format' (also for int32/int64 range) … */
  keyword: string;
  /** where that keyword lives in the spec: origin of the schema object + '/' + keyword */
  rule?: SourceLocation;
  description: string;
  family: MutationFamily;
  /** for required, additionalProperties and unevaluatedProperties: the member left out or added under instancePath */
  member?: string;
  /** other keywords at the same place that no candidate could keep intact ('format' with maximum 2147483647 + int32) */
  alsoBreaks?: string[];
}

export interface MutationContext {
  bundle: SchemaBundle;
  validator: Validator;
  direction: Direction;
}

export interface MutationOptions {
  families?: MutationFamily[];
  /** mutations returned at most (200 unless told) */
  max?: number;
}

export interface MutationResult {
  mutations: Mutation[];
  /** candidates that turned out valid, or invalid for another reason: never returned as mutations */
  dropped: Array<{ value: unknown; reason: string }>;
}

type Token = string | number;

/** Set the subtree at `at` to `value`, or (remove) delete the member at `at`. */
interface Edit {
  at: Token[];
  value?: unknown;
  remove?: boolean;
}

/** One constraint to break, with candidate edits best first; the first one proven clean is kept. */
interface Break {
  keyword: string;
  family: MutationFamily;
  at: Token[];
  member?: string;
  /** the schema object holding the keyword (for the rule pointer) */
  owner?: SchemaObject;
  options: Array<{ edit: Edit; description: string }>;
}

/** Says whether an issue is expected without being caused by the mutation (see `prove`). */
type Explainer = (issue: ValidationIssue) => boolean;

interface Combinator {
  owner: SchemaObject;
  keyword: 'oneOf' | 'anyOf';
  branches: unknown[];
  /** the branch the valid value alone matches, when its parts were added to the node */
  chosen?: number;
}

/** The schema objects that all apply at one place of the value ($ref and allOf followed), and its combinators. */
interface Node {
  parts: SchemaObject[];
  combinators: Combinator[];
  explainers: Explainer[];
  /** for parts that come from a chosen branch: the combinators they were chosen through */
  via: Map<SchemaObject, Combinator[]>;
}

interface Walk {
  handle: SchemaHandle;
  ctx: MutationContext;
  valid: unknown;
  families: ReadonlySet<MutationFamily>;
  max: number;
  /** validations left: a large document cannot make this run long */
  budget: number;
  seen: Set<string>;
  /** every break found by the walk, with what explains issues at its place; proven afterwards, families interleaved */
  pending: Array<{ brk: Break; explainers: Explainer[] }>;
  result: MutationResult;
}

const DEFAULT_MAX = 200;
const MAX_DEPTH = 48;
const MAX_STRING_LENGTH = 100_000;
const MAX_ITEMS = 1000;
const MAX_MEMBERS = 1000;
const ANNOTATIONS = new Set(['$ref', 'description', 'title', 'summary', '$comment', 'deprecated', 'example', 'examples', 'default']);

const pointerToken = (token: Token): string => String(token).replace(/~/g, '~0').replace(/\//g, '~1');
const pointerOf = (at: Token[]): string => at.map((t) => `/${pointerToken(t)}`).join('');


/** The types a schema object's own `type` keyword admits ('number' admits integers), or undefined when absent. */
function declaredTypes(part: SchemaObject): Set<string> | undefined {
  const type = part.type;
  const list = typeof type === 'string' ? [type] : Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : undefined;
  if (!list) return undefined;
  const set = new Set(list);
  if (set.has('number')) set.add('integer');
  return set;
}

function admits(types: Set<string> | undefined, type: JsonType): boolean {
  return types === undefined || types.has(type);
}

function typeText(part: SchemaObject): string {
  return Array.isArray(part.type) ? part.type.join('|') : String(part.type);
}

/** All schema objects that apply together: the schema, its $ref target, its allOf parts, recursively. */
function flatten(schemas: unknown[], bundle: SchemaBundle, seen = new Set<object>()): SchemaObject[] {
  const parts: SchemaObject[] = [];
  const add = (schema: unknown): void => {
    if (!isSchemaObject(schema) || seen.has(schema)) return;
    seen.add(schema);
    parts.push(schema);
    if (typeof schema.$ref === 'string') add(resolveRef(bundle, schema.$ref));
    if (Array.isArray(schema.allOf)) for (const part of schema.allOf) add(part);
  };
  for (const schema of schemas) add(schema);
  return parts;
}

function typesOfParts(parts: SchemaObject[]): Set<string> | undefined {
  let types: Set<string> | undefined;
  for (const part of parts) {
    const own = declaredTypes(part);
    if (own) types = types ? new Set([...types].filter((t) => own.has(t))) : own;
  }
  return types;
}

/** The def a branch stands for when it is nothing but a ref to one (so the validator can judge the branch alone). */
function pureRefDef(branch: unknown, bundle: SchemaBundle): string | undefined {
  if (!isSchemaObject(branch) || typeof branch.$ref !== 'string') return undefined;
  if (Object.keys(branch).some((key) => !ANNOTATIONS.has(key) && !key.startsWith('x-'))) return undefined;
  const match = /^(?:[^#]*)#\/\$defs\/([^/]+)$/.exec(branch.$ref);
  if (!match) return undefined;
  let key = match[1]!;
  try {
    key = decodeURIComponent(key);
  } catch {
    // keep it as written
  }
  key = key.replace(/~1/g, '/').replace(/~0/g, '~');
  return key in bundle.root.$defs ? key : undefined;
}

type BranchStatus = { status: 'matches' } | { status: 'fails'; explains: Explainer } | { status: 'unknown' };

/**
 * Whether the valid value matches one oneOf/anyOf branch. A branch whose types exclude the value fails (its
 * issues will be a type error at this place); a branch that is a ref to a def is asked to the validator, and
 * the issues it reports for the valid value are the ones it will report again. Anything else is unknown.
 */
function branchStatus(w: Walk, branch: unknown, value: unknown, at: Token[]): BranchStatus {
  const { bundle, validator, direction } = w.ctx;
  const here = pointerOf(at);
  const parts = flatten([branch], bundle);
  if (!admits(typesOfParts(parts), jsonTypeOf(value))) {
    const prefixes = parts.map((p) => bundle.origin.get(p)).filter((l): l is SourceLocation => l !== undefined);
    return {
      status: 'fails',
      explains: (issue) =>
        issue.instancePath === here && issue.rule !== undefined &&
        prefixes.some((p) => issue.rule!.file === p.file && issue.rule!.pointer.startsWith(`${p.pointer}/`)),
    };
  }
  const def = pureRefDef(branch, bundle);
  if (def === undefined) return { status: 'unknown' };
  const schema = bundle.root.$defs[def]!;
  const location = (isSchemaObject(schema) && bundle.origin.get(schema)) || w.handle.location;
  const issues = validator.validate({ def, schema, location }, value, direction);
  if (w.budget-- <= 0) return { status: 'unknown' };
  if (issues.length === 0) return { status: 'matches' };
  const baseline = new Set(issues.map((i) => issueKey(here + i.instancePath, i)));
  return { status: 'fails', explains: (issue) => baseline.has(issueKey(issue.instancePath, issue)) };
}

function issueKey(instancePath: string, issue: ValidationIssue): string {
  return `${instancePath}|${issue.keyword}|${issue.rule?.file ?? ''}#${issue.rule?.pointer ?? ''}`;
}

/**
 * The parts that apply at a place. A oneOf/anyOf adds its branch's parts only when the valid value matches exactly
 * that branch and every other branch is known to fail: then a break inside the branch is unambiguous, and the
 * other branches' failures (and the combinator's own summary error) are explained, not caused, by the mutation.
 */
function analyse(w: Walk, schemas: unknown[], value: unknown, at: Token[]): Node {
  const seen = new Set<object>();
  const parts = flatten(schemas, w.ctx.bundle, seen);
  const combinators: Combinator[] = [];
  const explainers: Explainer[] = [];
  const via = new Map<SchemaObject, Combinator[]>();
  const here = pointerOf(at);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const branches = part[keyword];
      if (!Array.isArray(branches)) continue;
      const combinator: Combinator = { owner: part, keyword, branches };
      combinators.push(combinator);
      const statuses = branches.map((b) => branchStatus(w, b, value, at));
      const matching = statuses.flatMap((s, index) => (s.status === 'matches' ? [index] : []));
      for (const s of statuses) if (s.status === 'fails') explainers.push(s.explains);
      explainers.push((issue) => issue.keyword === keyword && issue.instancePath === here);
      const failing = statuses.filter((s) => s.status === 'fails').length;
      if (matching.length === 1 && failing === branches.length - 1) {
        combinator.chosen = matching[0]!;
        const chain = [...(via.get(part) ?? []), combinator];
        for (const added of flatten([branches[combinator.chosen]], w.ctx.bundle, seen)) {
          parts.push(added);
          via.set(added, chain);
        }
      }
    }
  }
  return { parts, combinators, explainers, via };
}

// ---------------------------------------------------------------- proof

/**
 * A candidate is kept only when the validator's issues for the whole mutated value
 *  1. include the intended keyword at the intended instancePath (from the intended schema object when its origin
 *     is known), and
 *  2. every other issue is either explained (a oneOf/anyOf branch the valid value already failed, or that
 *     combinator's summary), or at the same place with the same keyword (one constraint stated twice, e.g. in two
 *     allOf parts), or — for a wrong type only — any keyword at the same place: a wrong type makes the
 *     type-specific keywords moot and fails enum/const by nature. Anything else means the change broke a second
 *     thing (a parent's uniqueItems, an if/then, a sibling branch), so the finding could not name the rule.
 */
function prove(w: Walk, brk: Break, value: unknown, explainers: Explainer[]): string | undefined {
  const issues = w.ctx.validator.validate(w.handle, value, w.ctx.direction);
  if (issues.length === 0) return 'still valid';
  const here = pointerOf(brk.at);
  const rule = ruleOf(w, brk);
  const intended = (i: ValidationIssue): boolean =>
    i.instancePath === here && i.keyword === brk.keyword &&
    (rule === undefined || i.rule === undefined || (i.rule.pointer === rule.pointer && i.rule.file === rule.file));
  if (!issues.some(intended)) return `fails for another reason only: ${summarize(issues)}`;
  const anyKeywordHere = brk.family === 'type' || brk.family === 'null';
  const stray = issues.filter(
    (i) => !intended(i) && !explainers.some((explains) => explains(i)) &&
      !(i.instancePath === here && (anyKeywordHere || i.keyword === brk.keyword)),
  );
  return stray.length > 0 ? `also breaks ${summarize(stray)}` : undefined;
}

/**
 * The other keywords a candidate breaks when they all sit at the intended place: a constraint that cannot be
 * broken apart from them ('maximum: 2147483647' with 'format: int32') is still sent, naming every keyword.
 */
function coBroken(w: Walk, brk: Break, value: unknown, explainers: Explainer[]): string[] | undefined {
  const issues = w.ctx.validator.validate(w.handle, value, w.ctx.direction);
  const here = pointerOf(brk.at);
  if (!issues.some((i) => i.instancePath === here && i.keyword === brk.keyword)) return undefined;
  const stray = issues.filter((i) => !explainers.some((explains) => explains(i)) && i.keyword !== brk.keyword);
  if (stray.length === 0 || stray.some((i) => i.instancePath !== here)) return undefined;
  return [...new Set(stray.map((i) => i.keyword))];
}

function summarize(issues: ValidationIssue[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.keyword} at '${i.instancePath}'`);
  return issues.length > 3 ? `${shown.join(', ')} and ${issues.length - 3} more` : shown.join(', ');
}

function ruleOf(w: Walk, brk: Break): SourceLocation | undefined {
  const base = brk.owner ? w.ctx.bundle.origin.get(brk.owner) : undefined;
  return base ? { file: base.file, pointer: `${base.pointer}/${pointerToken(brk.keyword)}` } : undefined;
}

function applyEdit(valid: unknown, edit: Edit): unknown {
  if (edit.at.length === 0) return edit.value;
  const root = structuredClone(valid);
  let parent: unknown = root;
  for (const token of edit.at.slice(0, -1)) parent = (parent as Record<string, unknown>)[token as string];
  const last = edit.at[edit.at.length - 1]!;
  const container = parent as Record<string, unknown>;
  if (edit.remove) delete container[last as string];
  else container[last as string] = edit.value;
  return root;
}

function attempt(w: Walk, brk: Break, explainers: Explainer[]): void {
  let firstFailure: { value: unknown; reason: string } | undefined;
  let together: { value: unknown; description: string; keywords: string[] } | undefined;
  for (const option of brk.options) {
    if (w.budget <= 0) return;
    const value = applyEdit(w.valid, option.edit);
    const key = `${pointerOf(brk.at)}|${brk.keyword}|${canonicalJson(value)}`;
    if (w.seen.has(key)) continue;
    w.seen.add(key);
    w.budget--;
    const failure = prove(w, brk, value, explainers);
    if (failure === undefined) {
      const mutation: Mutation = { value, instancePath: pointerOf(brk.at), keyword: brk.keyword, description: option.description, family: brk.family };
      const rule = ruleOf(w, brk);
      if (rule) mutation.rule = rule;
      if (brk.member !== undefined) mutation.member = brk.member;
      w.result.mutations.push(mutation);
      return;
    }
    firstFailure ??= { value, reason: `${brk.keyword} at '${pointerOf(brk.at)}' (${option.description}): ${failure}` };
    if (!together && failure.startsWith('also breaks')) {
      const keywords = coBroken(w, brk, value, explainers);
      if (keywords) together = { value, description: option.description, keywords };
    }
  }
  if (together) {
    const mutation: Mutation = {
      value: together.value,
      instancePath: pointerOf(brk.at),
      keyword: brk.keyword,
      description: `${together.description}, which also breaks ${together.keywords.join(', ')} (they cannot be broken apart)`,
      family: brk.family,
      alsoBreaks: together.keywords,
    };
    const rule = ruleOf(w, brk);
    if (rule) mutation.rule = rule;
    if (brk.member !== undefined) mutation.member = brk.member;
    w.result.mutations.push(mutation);
    return;
  }
  if (firstFailure) w.result.dropped.push(firstFailure);
}

// ---------------------------------------------------------------- what to break at one place

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** Replacement values of another type, by the type of the valid value. */
const OTHER_TYPES: Record<JsonType, unknown[]> = {
  string: [12345, true, ['abc'], { abc: 1 }],
  integer: ['abc', true, [1], { abc: 1 }],
  number: ['abc', true, [1], { abc: 1 }],
  // text before 1: in a query or header '1' reads as true to most parsers (Go, Python, Spring), so it proves nothing
  boolean: ['abc', 1, [true], { abc: 1 }],
  array: [{ abc: 1 }, 'abc', 1],
  object: ['abc', ['abc'], 1],
  null: ['abc', 1, true],
};

/** The part whose `type` rejects a JSON type, or the oneOf/anyOf none of whose branches admits it. */
function typeRejecter(w: Walk, node: Node, type: JsonType): { keyword: string; owner: SchemaObject; text: string } | undefined {
  const part = node.parts.find((p) => !admits(declaredTypes(p), type) && rejectedByOtherBranches(w, node, p, type));
  if (part) return { keyword: 'type', owner: part, text: `type ${typeText(part)}` };
  const combinator = node.combinators.find((c) =>
    c.branches.every((b) => !admits(typesOfParts(flatten([b], w.ctx.bundle)), type)) && rejectedByOtherBranches(w, node, c.owner, type),
  );
  return combinator ? { keyword: combinator.keyword, owner: combinator.owner, text: `every ${combinator.keyword} branch` } : undefined;
}

/** A part from a chosen branch rejects a type for good only when no other branch of the way there admits it. */
function rejectedByOtherBranches(w: Walk, node: Node, part: SchemaObject, type: JsonType): boolean {
  return (node.via.get(part) ?? []).every((c) =>
    c.branches.every((b, i) => i === c.chosen || !admits(typesOfParts(flatten([b], w.ctx.bundle)), type)),
  );
}

function typeBreaks(w: Walk, node: Node, value: unknown, at: Token[]): Break[] {
  const out: Break[] = [];
  const set = (v: unknown): Edit => ({ at, value: v });
  for (const replacement of OTHER_TYPES[jsonTypeOf(value)]) {
    const type = jsonTypeOf(replacement);
    const rejecter = typeRejecter(w, node, type);
    if (!rejecter) continue; // the schema also allows this type: not a break
    out.push({
      keyword: rejecter.keyword, family: 'type', at, owner: rejecter.owner,
      options: [{ edit: set(replacement), description: `${show(replacement)} (${type}) breaks ${rejecter.text}` }],
    });
    break;
  }
  if (typeof value === 'number') {
    const owner = node.parts.find(
      (p) => declaredTypes(p)?.has('integer') && !declaredTypes(p)?.has('number') && rejectedByOtherBranches(w, node, p, 'number'),
    );
    if (owner) {
      const options = [value + 0.5, value - 0.5, 1.5].map((n) => ({ edit: set(n), description: `${n} is not an integer` }));
      out.push({ keyword: 'type', family: 'type', at, owner, options });
    }
  }
  if (value !== null) {
    const rejecter = typeRejecter(w, node, 'null');
    if (rejecter) {
      out.push({
        keyword: rejecter.keyword, family: 'null', at, owner: rejecter.owner,
        options: [{ edit: set(null), description: `null breaks ${rejecter.text} (not nullable)` }],
      });
    }
  }
  return out;
}

function numberBreaks(w: Walk, node: Node, value: number, at: Token[]): Break[] {
  const out: Break[] = [];
  const types = typesOfParts(node.parts);
  const integerOnly = types !== undefined && !types.has('number');
  const step = node.parts.map((p) => num(p.multipleOf)).find((m) => m !== undefined && m > 0);
  const numbers = (keyword: string, family: MutationFamily, owner: SchemaObject, candidates: number[], say: (n: number) => string): void => {
    if (candidates.length === 0) return;
    out.push({ keyword, family, at, owner, options: candidates.map((n) => ({ edit: { at, value: n }, description: say(n) })) });
  };
  let upper = Infinity;
  let lower = -Infinity;
  for (const p of node.parts) {
    upper = Math.min(upper, num(p.maximum) ?? Infinity, num(p.exclusiveMaximum) ?? Infinity);
    lower = Math.max(lower, num(p.minimum) ?? -Infinity, num(p.exclusiveMinimum) ?? -Infinity);
  }
  for (const p of node.parts) {
    const max = num(p.maximum);
    const min = num(p.minimum);
    const xmax = num(p.exclusiveMaximum);
    const xmin = num(p.exclusiveMinimum);
    if (max !== undefined) numbers('maximum', 'range', p, pastInclusive(max, true, integerOnly, step), (n) => `${n} breaks maximum ${max}`);
    if (min !== undefined) numbers('minimum', 'range', p, pastInclusive(min, false, integerOnly, step), (n) => `${n} breaks minimum ${min}`);
    if (xmax !== undefined) numbers('exclusiveMaximum', 'range', p, onExclusive(xmax, true, integerOnly, step), (n) => `${n} breaks exclusiveMaximum ${xmax}`);
    if (xmin !== undefined) numbers('exclusiveMinimum', 'range', p, onExclusive(xmin, false, integerOnly, step), (n) => `${n} breaks exclusiveMinimum ${xmin}`);
    if (integerOnly) {
      // the same bound broken far away: where a server that skips the check overflows its integer column
      const far = farIntegers(node.parts);
      const say = (n: number, keyword: string, bound: number): string => `${n} breaks ${keyword} ${bound} (far past it: ${far.text})`;
      for (const [keyword, bound] of [['maximum', max], ['exclusiveMaximum', xmax]] as const) {
        if (bound !== undefined && far.above > bound + 1) numbers(keyword, 'range', p, [far.above], (n) => say(n, keyword, bound));
      }
      for (const [keyword, bound] of [['minimum', min], ['exclusiveMinimum', xmin]] as const) {
        if (bound !== undefined && far.below < bound - 1) numbers(keyword, 'range', p, [far.below], (n) => say(n, keyword, bound));
      }
    }
    const m = num(p.multipleOf);
    if (m !== undefined && m > 0) numbers('multipleOf', 'multipleOf', p, offMultiple(value, m, integerOnly), (n) => `${n} is not a multiple of ${m}`);
    const format = typeof p.format === 'string' ? NUMERIC_FORMAT_BREAKS[p.format] : undefined;
    if (format && checksFormat(w, p.format as string)) {
      // only when no narrower bound would also be broken: the range break must stand alone
      const say = (n: number): string => `${n} is past the ${format.label} range`;
      if (format.above <= upper) numbers('format', 'range', p, [format.above], say);
      if (format.below >= lower) numbers('format', 'range', p, [format.below], say);
    }
  }
  return out;
}

/** Integers far past any small bound yet inside the declared format: past 32 bits unless the format is int32. */
function farIntegers(parts: SchemaObject[]): { above: number; below: number; text: string } {
  const formats = new Set(parts.map((p) => p.format));
  if (formats.has('int32')) return { above: 2 ** 31 - 1, below: -(2 ** 31), text: 'the int32 limit' };
  return { above: 2 ** 31, below: -(2 ** 31) - 1, text: 'more than 32 bits' };
}

function checksFormat(w: Walk, format: string): boolean {
  return KNOWN_FORMATS.has(format) && !w.ctx.bundle.unknownFormats.includes(format);
}

function stringBreaks(w: Walk, node: Node, value: string, at: Token[]): Break[] {
  const out: Break[] = [];
  const strings = (keyword: string, family: MutationFamily, owner: SchemaObject, candidates: string[], say: (s: string) => string): void => {
    if (candidates.length === 0) return;
    out.push({ keyword, family, at, owner, options: candidates.map((s) => ({ edit: { at, value: s }, description: say(s) })) });
  };
  let minLength = 0;
  let maxLength = Infinity;
  for (const p of node.parts) {
    minLength = Math.max(minLength, num(p.minLength) ?? 0);
    maxLength = Math.min(maxLength, num(p.maxLength) ?? Infinity);
  }
  for (const p of node.parts) {
    const max = num(p.maxLength);
    const min = num(p.minLength);
    if (max !== undefined && max + 1 <= MAX_STRING_LENGTH) {
      strings('maxLength', 'length', p, stringsOfLength(value, max + 1), () => `${max + 1} characters break maxLength ${max}`);
    }
    if (min !== undefined && min >= 1) {
      strings('minLength', 'length', p, stringsOfLength(value, min - 1), () => `${min - 1} characters break minLength ${min}`);
    }
    if (typeof p.pattern === 'string') {
      const pattern = p.pattern;
      strings('pattern', 'pattern', p, nonMatching(value, pattern, minLength, maxLength) ?? [], (s) => `${show(s)} does not match pattern ${pattern}`);
    }
    if (typeof p.format === 'string' && BREAKABLE_FORMATS.has(p.format) && checksFormat(w, p.format)) {
      const format = p.format;
      strings('format', 'format', p, offFormat(format, value), (s) => `${show(s)} is not a valid ${format}`);
    }
  }
  return out;
}

/** Values of the valid value's type that are not `members` (by JSON equality). */
function outsiders(value: unknown, members: unknown[]): unknown[] {
  const taken = new Set(members.map(canonicalJson));
  let candidates: unknown[] = [];
  if (typeof value === 'string') {
    const chars = codePoints(value);
    const swapped = chars.length > 0 ? [...chars.slice(0, -1), chars[chars.length - 1] === 'x' ? 'y' : 'x'].join('') : 'x';
    candidates = [swapped, `${value}x`, 'unknown', 'x', 'zzzz'];
  } else if (typeof value === 'number') {
    const nums = members.filter((m): m is number => typeof m === 'number');
    candidates = [Math.max(value, ...nums) + 1, Math.min(value, ...nums) - 1, value + 0.5];
  } else if (typeof value === 'boolean') {
    candidates = [!value];
  }
  return candidates.filter((c) => !taken.has(canonicalJson(c)));
}

function listText(members: unknown[]): string {
  const shown = members.slice(0, 8).map((m) => (typeof m === 'string' ? m : JSON.stringify(m)));
  return members.length > 8 ? `${shown.join('|')}|…` : shown.join('|');
}

function enumBreaks(node: Node, value: unknown, at: Token[]): Break[] {
  const out: Break[] = [];
  for (const p of node.parts) {
    if (Array.isArray(p.enum)) {
      const members = p.enum as unknown[];
      const list = listText(members);
      const options = outsiders(value, members).map((v) => ({ edit: { at, value: v }, description: `${show(v)} is not one of ${list}` }));
      if (options.length > 0) out.push({ keyword: 'enum', family: 'enum', at, owner: p, options });
      const taken = new Set(members.map(canonicalJson));
      const sources = [value, ...members].filter((m): m is string => typeof m === 'string');
      const changed = sources.map(caseChanged).find((c) => c !== undefined && !taken.has(canonicalJson(c)));
      if (changed !== undefined) {
        out.push({ keyword: 'enum', family: 'enum', at, owner: p, options: [{ edit: { at, value: changed }, description: `${show(changed)} is not one of ${list} (case changed)` }] });
      }
    }
    if (p.const !== undefined) {
      const options = outsiders(value, [p.const]).map((v) => ({ edit: { at, value: v }, description: `${show(v)} is not the constant ${show(p.const)}` }));
      if (options.length > 0) out.push({ keyword: 'const', family: 'enum', at, owner: p, options });
    }
  }
  return out;
}

/** Valid-looking items to grow an array with: its own items first, then what the items schema documents. */
function itemPool(w: Walk, node: Node, items: unknown[]): unknown[] {
  const pool = [...items];
  for (const schema of flatten(node.parts.map((p) => p.items), w.ctx.bundle)) {
    if (schema.const !== undefined) pool.push(schema.const);
    if (Array.isArray(schema.enum)) pool.push(...schema.enum);
    if (schema.default !== undefined) pool.push(schema.default);
    if (schema.example !== undefined) pool.push(schema.example);
    if (Array.isArray(schema.examples)) pool.push(...schema.examples);
  }
  return pool;
}

function arrayBreaks(w: Walk, node: Node, value: unknown[], at: Token[]): Break[] {
  const out: Break[] = [];
  const unique = node.parts.some((p) => p.uniqueItems === true);
  const set = (items: unknown[]): Edit => ({ at, value: items });
  for (const p of node.parts) {
    const max = num(p.maxItems);
    if (max !== undefined && max + 1 <= MAX_ITEMS) {
      const grown = grow(value, max + 1, itemPool(w, node, value), unique);
      if (grown) out.push({ keyword: 'maxItems', family: 'items', at, owner: p, options: [{ edit: set(grown), description: `${max + 1} items break maxItems ${max}` }] });
    }
    const min = num(p.minItems);
    if (min !== undefined && min >= 1 && value.length >= min - 1) {
      out.push({ keyword: 'minItems', family: 'items', at, owner: p, options: [{ edit: set(value.slice(0, min - 1)), description: `${min - 1} items break minItems ${min}` }] });
    }
    if (p.uniqueItems === true && value.length > 0) {
      const first = value[0];
      const options = [];
      if (value.length >= 2) options.push({ edit: set([...value.slice(0, -1), first]), description: `item ${show(first)} repeated breaks uniqueItems` });
      options.push({ edit: set([...value, first]), description: `item ${show(first)} repeated breaks uniqueItems` });
      out.push({ keyword: 'uniqueItems', family: 'items', at, owner: p, options });
    }
  }
  return out;
}

function grow(items: unknown[], length: number, pool: unknown[], unique: boolean): unknown[] | undefined {
  const out = [...items];
  if (!unique) {
    if (pool.length === 0) return undefined;
    for (let i = 0; out.length < length; i++) out.push(structuredClone(pool[i % pool.length]));
    return out;
  }
  const taken = new Set(out.map(canonicalJson));
  for (const candidate of pool) {
    if (out.length >= length) break;
    const key = canonicalJson(candidate);
    if (taken.has(key)) continue;
    taken.add(key);
    out.push(structuredClone(candidate));
  }
  return out.length >= length ? out : undefined;
}

/** true when the member is hidden in this direction (readOnly in requests, writeOnly in responses). */
function isHidden(w: Walk, memberSchemas: unknown[]): boolean {
  const mark = w.ctx.direction === 'request' ? 'readOnly' : 'writeOnly';
  return flatten(memberSchemas, w.ctx.bundle).some((p) => p[mark] === true);
}

function declaredMember(parts: SchemaObject[], name: string): boolean {
  return parts.some((p) => {
    if (isSchemaObject(p.properties) && Object.hasOwn(p.properties, name)) return true;
    return isSchemaObject(p.patternProperties) && Object.keys(p.patternProperties).some((re) => patternMatches(re, name) !== false);
  });
}

function unknownMemberName(parts: SchemaObject[], value: Record<string, unknown>, base = 'unexpectedMember'): string | undefined {
  for (let i = 0; i < 50; i++) {
    const name = i === 0 ? base : `${base}${i + 1}`;
    if (!Object.hasOwn(value, name) && !declaredMember(parts, name)) return name;
  }
  return undefined;
}

function objectBreaks(w: Walk, node: Node, value: Record<string, unknown>, at: Token[]): { required: Break[]; properties: Break[] } {
  const required: Break[] = [];
  const properties: Break[] = [];
  const requiredNames = new Set<string>();
  for (const p of node.parts) {
    if (!Array.isArray(p.required)) continue;
    for (const name of p.required) {
      if (typeof name !== 'string' || requiredNames.has(name)) continue;
      requiredNames.add(name);
      if (!Object.hasOwn(value, name) || isHidden(w, memberSchemas(w, node.parts, name))) continue;
      required.push({
        keyword: 'required', family: 'required', at, member: name, owner: p,
        options: [{ edit: { at: [...at, name], remove: true }, description: `missing required member '${name}'` }],
      });
    }
  }
  for (const p of node.parts) {
    for (const keyword of ['additionalProperties', 'unevaluatedProperties'] as const) {
      if (p[keyword] !== false) continue; // ONLY an explicit false forbids unknown members
      const name = unknownMemberName(node.parts, value);
      if (name === undefined) continue;
      properties.push({
        keyword, family: 'properties', at, member: name, owner: p,
        options: [{ edit: { at: [...at, name], value: 'x' }, description: `unknown member '${name}' breaks ${keyword} false` }],
      });
    }
  }
  const count = Object.keys(value).length;
  const open = node.parts.every((p) =>
    (p.additionalProperties === undefined || p.additionalProperties === true) && p.unevaluatedProperties === undefined &&
    p.propertyNames === undefined && p.patternProperties === undefined,
  );
  for (const p of node.parts) {
    const max = num(p.maxProperties);
    if (max !== undefined && open && max + 1 - count <= MAX_MEMBERS) {
      const grown: Record<string, unknown> = { ...value };
      for (let i = 1; Object.keys(grown).length < max + 1 && i < MAX_MEMBERS * 2; i++) {
        const name = `extra${i}`;
        if (!Object.hasOwn(grown, name) && !declaredMember(node.parts, name)) grown[name] = 'x';
      }
      properties.push({ keyword: 'maxProperties', family: 'properties', at, owner: p, options: [{ edit: { at, value: grown }, description: `${max + 1} members break maxProperties ${max}` }] });
    }
    const min = num(p.minProperties);
    if (min !== undefined && min >= 1) {
      const optional = Object.keys(value).filter((k) => !requiredNames.has(k));
      const toRemove = count - (min - 1);
      if (toRemove > 0 && toRemove <= optional.length) {
        const removed = new Set(optional.slice(optional.length - toRemove));
        const shrunk = Object.fromEntries(Object.entries(value).filter(([k]) => !removed.has(k)));
        properties.push({ keyword: 'minProperties', family: 'properties', at, owner: p, options: [{ edit: { at, value: shrunk }, description: `${min - 1} members break minProperties ${min}` }] });
      }
    }
  }
  return { required, properties };
}

/** The subschemas that apply to one member: properties, matching patternProperties, else additionalProperties. */
function memberSchemas(w: Walk, parts: SchemaObject[], name: string): unknown[] {
  const out: unknown[] = [];
  for (const p of parts) {
    let declared = false;
    if (isSchemaObject(p.properties) && Object.hasOwn(p.properties, name)) {
      out.push(p.properties[name]);
      declared = true;
    }
    if (isSchemaObject(p.patternProperties)) {
      for (const [re, schema] of Object.entries(p.patternProperties)) {
        if (patternMatches(re, name) === true) {
          out.push(schema);
          declared = true;
        }
      }
    }
    if (!declared && isSchemaObject(p.additionalProperties)) out.push(p.additionalProperties);
  }
  return out;
}

/** The subschemas that apply to one item: prefixItems at its index, else items. */
function itemSchemas(parts: SchemaObject[], index: number): unknown[] {
  const out: unknown[] = [];
  for (const p of parts) {
    const prefix = Array.isArray(p.prefixItems) ? p.prefixItems : [];
    if (index < prefix.length) out.push(prefix[index]);
    else if (isSchemaObject(p.items)) out.push(p.items);
  }
  return out;
}

// ---------------------------------------------------------------- the walk

function done(w: Walk): boolean {
  return w.result.mutations.length >= w.max || w.budget <= 0;
}

/** Breaks taken one family at a time, round after round, so that a small `max` still covers every family. */
function interleaved(pending: Walk['pending']): Walk['pending'] {
  const byFamily = new Map<MutationFamily, Walk['pending']>(MUTATION_FAMILIES.map((f) => [f, []]));
  for (const entry of pending) byFamily.get(entry.brk.family)!.push(entry);
  const out: Walk['pending'] = [];
  for (let round = 0; out.length < pending.length; round++) {
    for (const family of MUTATION_FAMILIES) {
      const entry = byFamily.get(family)![round];
      if (entry) out.push(entry);
    }
  }
  return out;
}

function visit(w: Walk, schemas: unknown[], value: unknown, at: Token[], explainers: Explainer[], depth: number): void {
  if (w.budget <= 0 || depth > MAX_DEPTH) return;
  const node = analyse(w, schemas, value, at);
  if (node.parts.length === 0) return;
  const explain = [...explainers, ...node.explainers];
  const isObject = isSchemaObject(value);
  const objects = isObject ? objectBreaks(w, node, value, at) : { required: [], properties: [] };
  const breaks: Break[] = [
    ...objects.required,
    ...typeBreaks(w, node, value, at),
    ...(typeof value === 'number' ? numberBreaks(w, node, value, at) : []),
    ...(typeof value === 'string' ? stringBreaks(w, node, value, at) : []),
    ...enumBreaks(node, value, at),
    ...(Array.isArray(value) ? arrayBreaks(w, node, value, at) : []),
    ...objects.properties,
  ];
  for (const brk of breaks) if (w.families.has(brk.family)) w.pending.push({ brk, explainers: explain });
  if (isObject) {
    for (const name of Object.keys(value)) {
      const member = memberSchemas(w, node.parts, name);
      if (member.length === 0 || isHidden(w, member)) continue;
      visit(w, member, value[name], [...at, name], explain, depth + 1);
    }
  } else if (Array.isArray(value)) {
    const prefixLength = Math.max(0, ...node.parts.map((p) => (Array.isArray(p.prefixItems) ? p.prefixItems.length : 0)));
    // every prefix position, then the first ordinary item: one item is enough to break the items schema
    for (let i = 0; i < Math.min(value.length, prefixLength + 1); i++) {
      const item = itemSchemas(node.parts, i);
      if (item.length > 0) visit(w, item, value[i], [...at, i], explain, depth + 1);
    }
  }
}

/**
 * Invalid values from one proven-valid value: each breaks one constraint of `schema` (one mutation per
 * constraint, two for an enum: a stranger and a case-changed member), is proven to fail for that constraint
 * at that place, and differs from `valid` at that place only. Deterministic; at most `max` mutations, taken one
 * family at a time (required, type, null, range, …) so that a small `max` still reaches every family.
 */
export function mutations(
  schema: SchemaHandle,
  valid: unknown,
  ctx: MutationContext,
  opts: MutationOptions = {},
): MutationResult {
  const max = opts.max ?? DEFAULT_MAX;
  const result: MutationResult = { mutations: [], dropped: [] };
  if (max <= 0) return result;
  const start = ctx.validator.validate(schema, valid, ctx.direction);
  if (start.length > 0) {
    result.dropped.push({ value: valid, reason: `the starting value is not valid (${summarize(start)}): nothing can be proven from it` });
    return result;
  }
  const w: Walk = {
    handle: schema, ctx, valid, max, budget: max * 20 + 200, seen: new Set(), pending: [], result,
    families: new Set(opts.families ?? MUTATION_FAMILIES),
  };
  visit(w, [schema.schema], valid, [], [], 0);
  for (const { brk, explainers } of interleaved(w.pending)) {
    if (done(w)) break;
    attempt(w, brk, explainers);
  }
  return result;
}
