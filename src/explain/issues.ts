// A validator issue turned into a problem a person can act on: where, what was sent, the rule, and a fix.
import path from 'node:path';
import RandExp from 'randexp';
import type { ApiSpec, JsonSchema, SourceLocation, ValidationIssue } from '../model.js';
import { declaredProperties, propertySchema } from '../generate/parse.js';
import { patternMatches } from '../generate/match.js';
import { createRandom } from '../generate/random.js';
import type { Problem } from './types.js';
import { exampleOf, parentLocation } from './schema-view.js';
import { closest } from './similar.js';
import type { SchemaObject } from '../generate/shape.js';

export interface IssueContext {
  spec: ApiSpec;
  /** the schema object a location in the document stands for */
  schemaAt: (location: SourceLocation) => SchemaObject | undefined;
  /** 'body', 'query.limit', 'header.X-Request-Id' */
  prefix: string;
  part: Problem['part'];
  /** the whole value validated (the body, the parameter) */
  root: unknown;
  /** true when the value was read from text (query, header …): a "number as a string" there is no mistake */
  fromText: boolean;
}

/** Where a JSON pointer into the value is, written the way people write it: 'body.items[0].quantity'. */
export function whereOf(prefix: string, instancePath: string): string {
  if (instancePath === '') return prefix;
  let where = prefix;
  for (const raw of instancePath.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    where += /^\d+$/.test(token) ? `[${token}]` : /^[A-Za-z_$][\w$-]*$/.test(token) ? `.${token}` : `[${JSON.stringify(token)}]`;
  }
  return where;
}

export function valueAt(root: unknown, instancePath: string): unknown {
  if (instancePath === '') return root;
  let node: unknown = root;
  for (const raw of instancePath.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(token)];
    else if (typeof node === 'object' && node !== null) node = (node as Record<string, unknown>)[token];
    else return undefined;
  }
  return node;
}

export function show(value: unknown): string {
  if (value === undefined) return '(nothing)';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function ruleLocation(spec: ApiSpec, rule: SourceLocation | undefined): Pick<Problem, 'rulePointer' | 'ruleFile' | 'line'> {
  if (!rule) return {};
  const out: Pick<Problem, 'rulePointer' | 'ruleFile' | 'line'> = { rulePointer: `#${rule.pointer}` };
  if (!sameDocument(rule.file, spec.source)) out.ruleFile = rule.file;
  const line = spec.locate(rule)?.line;
  if (line !== undefined) out.line = line;
  return out;
}

/** spec.source is as the user gave it (relative path, URL); locations hold the resolved file. */
function sameDocument(file: string, source: string): boolean {
  if (file === '' || file === source) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return false;
  return path.resolve(source) === path.resolve(file);
}

function ruleText(issue: ValidationIssue): string {
  const p = issue.params;
  switch (issue.keyword) {
    case 'type':
      return `type ${Array.isArray(p['type']) ? (p['type'] as string[]).join(' | ') : String(p['type'])}`;
    case 'required':
      return `required ${String(p['missingProperty'])}`;
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return `${issue.keyword} false`;
    case 'enum':
      return `enum ${JSON.stringify(p['allowedValues'])}`;
    case 'const':
      return `const ${JSON.stringify(p['allowedValue'])}`;
    case 'pattern':
      return `pattern ${String(p['pattern'])}`;
    case 'format':
      return `format ${String(p['format'])}`;
    case 'multipleOf':
      return `multipleOf ${String(p['multipleOf'])}`;
    case 'dependentRequired':
      return `dependentRequired ${String(p['property'])} → ${String(p['missingProperty'])}`;
    default:
      return 'limit' in p ? `${issue.keyword} ${String(p['limit'])}` : issue.keyword;
  }
}

/** Where the problem is: for a missing or extra member, the member itself rather than its object. */
function problemPath(issue: ValidationIssue): string {
  const member = issue.params['missingProperty'] ?? issue.params['additionalProperty'] ?? issue.params['unevaluatedProperty'];
  if (typeof member !== 'string') return issue.instancePath;
  return `${issue.instancePath}/${member.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

export function issueToProblem(issue: ValidationIssue, ctx: IssueContext): Problem {
  const path = problemPath(issue);
  const value = valueAt(ctx.root, path);
  const problem: Problem = {
    where: whereOf(ctx.prefix, path),
    severity: 'error',
    part: ctx.part,
    rule: ruleText(issue),
    ...ruleLocation(ctx.spec, issue.rule),
    message: messageFor(issue, value),
  };
  if (value !== undefined) problem.value = value;
  const advice = adviceFor(issue, value, ctx);
  if (advice.hint) problem.hint = advice.hint;
  if (advice.fix !== undefined) problem.fix = advice.fix;
  return problem;
}

function messageFor(issue: ValidationIssue, value: unknown): string {
  const p = issue.params;
  switch (issue.keyword) {
    case 'required':
      return `required member '${String(p['missingProperty'])}' is missing`;
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return `member '${String(p['additionalProperty'] ?? p['unevaluatedProperty'])}' is not allowed here`;
    case 'type':
      return `${show(value)} is ${kindOf(value)}, expected ${String(p['type'])}`;
    default:
      return `${show(value)} ${issue.message}`;
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

interface Advice {
  hint?: string;
  fix?: string;
}

function adviceFor(issue: ValidationIssue, value: unknown, ctx: IssueContext): Advice {
  switch (issue.keyword) {
    case 'type':
      return typeAdvice(String(issue.params['type']), value, ctx);
    case 'enum':
      return enumAdvice(issue.params['allowedValues'], value);
    case 'const':
      return enumAdvice([issue.params['allowedValue']], value);
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return extraMemberAdvice(issue, ctx);
    case 'required':
      return missingMemberAdvice(issue, ctx);
    case 'pattern':
      return typeof value === 'string' ? patternAdvice(String(issue.params['pattern']), value, issue, ctx) : {};
    case 'format':
      return formatAdvice(String(issue.params['format']), value);
    case 'maximum':
    case 'minimum':
    case 'exclusiveMaximum':
    case 'exclusiveMinimum':
      return beyondInt32(value) ? { hint: `${String(value)} is also beyond int32 (${INT_RANGES['int32']}): servers that parse it as a 32-bit integer overflow, some with a 500` } : {};
    default:
      return {};
  }
}

const NUMBER_TEXT = /^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/;

function typeAdvice(expected: string, value: unknown, ctx: IssueContext): Advice {
  const wants = expected.split(',');
  if (typeof value === 'string') {
    if ((wants.includes('integer') || wants.includes('number')) && NUMBER_TEXT.test(value) && !ctx.fromText) {
      return { hint: 'a number sent as a string: drop the quotes', fix: String(Number(value)) };
    }
    if (wants.includes('boolean') && /^(true|false)$/i.test(value.trim()) && !ctx.fromText) {
      return { hint: 'a boolean sent as a string: drop the quotes', fix: value.trim().toLowerCase() };
    }
    if (value === '[object Object]') {
      return { hint: 'the text "[object Object]": an object was converted to a string instead of being sent as JSON (JSON.stringify it, or send it as a member)' };
    }
    const inner = innerJson(value);
    if (inner !== undefined && ((wants.includes('object') && isPlainObject(inner)) || (wants.includes('array') && Array.isArray(inner)))) {
      return { hint: 'JSON encoded twice: the value is a string holding JSON (JSON.stringify applied to a string, or to a body already stringified)', fix: JSON.stringify(inner) };
    }
  }
  if ((typeof value === 'number' || typeof value === 'boolean') && wants.includes('string') && !ctx.fromText) {
    return { hint: `${kindOf(value)} where the contract wants a string: quote it`, fix: JSON.stringify(String(value)) };
  }
  if (value === null) return { hint: 'null is not allowed here: leave the member out when it is optional, or send a value' };
  if (wants.includes('array') && value !== undefined && !Array.isArray(value)) {
    return { hint: 'a single value where a list is expected: wrap it in an array', fix: JSON.stringify([value]) };
  }
  return {};
}

function innerJson(text: string): unknown {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function enumAdvice(allowed: unknown, value: unknown): Advice {
  if (!Array.isArray(allowed)) return {};
  const strings = allowed.filter((a): a is string => typeof a === 'string');
  if (typeof value === 'string') {
    const sameLetters = strings.find((a) => a.toLowerCase() === value.trim().toLowerCase());
    if (sameLetters !== undefined) return { hint: `enum values are case-sensitive: did you mean ${JSON.stringify(sameLetters)}?`, fix: JSON.stringify(sameLetters) };
    const near = closest(value, strings);
    if (near !== undefined) return { hint: `did you mean ${JSON.stringify(near)}?`, fix: JSON.stringify(near) };
  }
  if (typeof value === 'string' && allowed.some((a) => typeof a === 'number' && String(a) === value.trim())) {
    return { hint: 'a number sent as a string: drop the quotes', fix: value.trim() };
  }
  return { hint: `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}` };
}

function objectSchemaOf(issue: ValidationIssue, ctx: IssueContext): SchemaObject | undefined {
  return issue.rule ? ctx.schemaAt(parentLocation(issue.rule)) : undefined;
}

function extraMemberAdvice(issue: ValidationIssue, ctx: IssueContext): Advice {
  const member = String(issue.params['additionalProperty'] ?? issue.params['unevaluatedProperty']);
  const schema = objectSchemaOf(issue, ctx);
  const known = declaredProperties(schema as JsonSchema | undefined, ctx.spec.schemas);
  const near = closest(member, known);
  if (near !== undefined) return { hint: `misspelt member? did you mean '${near}'?`, fix: `rename '${member}' to '${near}'` };
  return known.length > 0 ? { hint: `the members allowed here are ${known.map((k) => `'${k}'`).join(', ')}` } : {};
}

function missingMemberAdvice(issue: ValidationIssue, ctx: IssueContext): Advice {
  const member = String(issue.params['missingProperty']);
  const container = valueAt(ctx.root, issue.instancePath);
  const schema = objectSchemaOf(issue, ctx) as JsonSchema | undefined;
  const known = new Set(declaredProperties(schema, ctx.spec.schemas));
  if (isPlainObject(container)) {
    const sent = Object.keys(container).filter((k) => !known.has(k));
    const misspelt = sent.find((k) => closest(k, [member]) === member);
    if (misspelt !== undefined) return { hint: `you sent '${misspelt}': did you mean '${member}'?`, fix: `rename '${misspelt}' to '${member}'` };
  }
  const example = exampleOf(propertySchema(schema, member, ctx.spec.schemas), ctx.spec.schemas);
  return example ? { fix: `add "${member}": ${JSON.stringify(example.value)}` } : {};
}

// Everyday ways a right value is written wrongly: spaces, dashes, case.
const REWRITES: Array<(text: string) => string> = [
  (t) => t.trim(),
  (t) => t.replace(/\s+/g, ''),
  (t) => t.replace(/[\s-]/g, ''),
  (t) => t.toUpperCase(),
  (t) => t.toLowerCase(),
  (t) => t.replace(/\D/g, ''),
];

function patternAdvice(pattern: string, value: string, issue: ValidationIssue, ctx: IssueContext): Advice {
  for (const rewrite of REWRITES) {
    const candidate = rewrite(value);
    if (candidate !== value && candidate !== '' && patternMatches(pattern, candidate) === true) {
      return { hint: `did you mean ${JSON.stringify(candidate)}?`, fix: JSON.stringify(candidate) };
    }
  }
  const schema = issue.rule ? ctx.schemaAt(parentLocation(issue.rule)) : undefined;
  const example = exampleOf(schema as JsonSchema | undefined, ctx.spec.schemas);
  if (example && typeof example.value === 'string' && patternMatches(pattern, example.value) === true) {
    return { fix: `a value matching it, e.g. ${JSON.stringify(example.value)}` };
  }
  const generated = sampleFor(pattern);
  return generated !== undefined ? { fix: `a value matching it, e.g. ${JSON.stringify(generated)}` } : {};
}

function sampleFor(pattern: string): string | undefined {
  try {
    const generator = new RandExp(pattern);
    const random = createRandom(7);
    generator.randInt = (from: number, to: number): number => random.int(from, to);
    generator.max = 4;
    for (let attempt = 0; attempt < 10; attempt++) {
      const text = generator.gen();
      if (patternMatches(pattern, text) === true) return text;
    }
  } catch {
    // a pattern RandExp cannot read: no sample
  }
  return undefined;
}

const INT_RANGES: Record<string, string> = {
  int32: '-2147483648 to 2147483647',
  int64: '-9223372036854775808 to 9223372036854775807',
};

const beyondInt32 = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && (value > 2 ** 31 - 1 || value < -(2 ** 31));

function formatAdvice(format: string, value: unknown): Advice {
  if (format in INT_RANGES && typeof value === 'number') {
    const hint = Number.isInteger(value)
      ? `${value} does not fit ${format} (${INT_RANGES[format]}); an id this large overflows the server's integer type`
      : `${format} is an integer format; ${value} has a fraction`;
    return { hint };
  }
  if (typeof value !== 'string') return {};
  if (format === 'date-time') return dateTimeAdvice(value);
  if (format === 'date') return dateAdvice(value);
  if (format === 'uuid') return { hint: 'a UUID is 32 hex digits in groups 8-4-4-4-12, e.g. "3fa85f64-5717-4562-b3fc-2c963f66afa6"' };
  if (format === 'email') return { hint: 'an address such as "ada@example.com"' };
  return {};
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const US_DAY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

function dateTimeAdvice(value: string): Advice {
  const hint = 'RFC 3339 date-time: date, "T", time and a zone offset, e.g. "2024-05-01T10:30:00Z"';
  const trimmed = value.trim();
  if (ISO_DAY.test(trimmed)) return { hint: `${hint}; a date alone is not enough`, fix: JSON.stringify(`${trimmed}T00:00:00Z`) };
  const spaced = /^(\d{4}-\d{2}-\d{2})[ tT](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)(Z|z|[+-]\d{2}:?\d{2})?$/.exec(trimmed);
  if (spaced) {
    const time = spaced[3] ? spaced[2]! : `${spaced[2]!}:00`;
    const zone = spaced[5] ? spaced[5].toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z';
    const note = spaced[5] ? '' : ' (no zone was given: UTC assumed)';
    return { hint: `${hint}${note}`, fix: JSON.stringify(`${spaced[1]!}T${time}${zone}`) };
  }
  if (/^\d{10}(\d{3})?$/.test(trimmed)) {
    const ms = trimmed.length === 13 ? Number(trimmed) : Number(trimmed) * 1000;
    return { hint: `${hint}; a Unix timestamp is not one`, fix: JSON.stringify(new Date(ms).toISOString().replace('.000Z', 'Z')) };
  }
  return { hint };
}

function dateAdvice(value: string): Advice {
  const hint = 'RFC 3339 full-date: year-month-day, e.g. "2024-05-01"';
  const trimmed = value.trim();
  const withTime = /^(\d{4}-\d{2}-\d{2})[Tt ]/.exec(trimmed);
  if (withTime) return { hint: `${hint}; the time part is not allowed`, fix: JSON.stringify(withTime[1]) };
  const us = US_DAY.exec(trimmed);
  if (us) {
    const [month, day] = [Number(us[1]), Number(us[2])];
    const pad = (n: number): string => String(n).padStart(2, '0');
    if (month <= 12 && day > 12) return { hint: hint, fix: JSON.stringify(`${us[3]}-${pad(month)}-${pad(day)}`) };
    if (month > 12 && day <= 12) return { hint: hint, fix: JSON.stringify(`${us[3]}-${pad(day)}-${pad(month)}`) };
    return { hint: `${hint}; "${trimmed}" is ambiguous (month/day or day/month)`, fix: `${JSON.stringify(`${us[3]}-${pad(month)}-${pad(day)}`)} if it is month/day` };
  }
  return { hint };
}
