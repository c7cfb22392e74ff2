// Hand-written request validation for the example API. Each rule mirrors a constraint of examples/openapi.yaml.
import { isDate, isDateTime, isEmail, isUuid } from './formats.js';

export type IssueLocation = 'body' | 'query' | 'path' | 'header';

/** One item of the `errors` extension of a validation problem. */
export interface Issue {
  location: IssueLocation;
  /** JSON pointer into the body (body issues) */
  pointer?: string;
  /** parameter name (query, path, header issues) */
  name?: string;
  message: string;
}

/** Checks a misbehaving server skips; all false on the clean server. */
export interface Leniency {
  ranges: boolean;
  formats: boolean;
  unknownMembers: boolean;
  /** date-time members are stored as sent (accept-bad-date-time) */
  dateTimes: boolean;
  /** minItems is not checked (accept-empty-items) */
  minItems: boolean;
}

export const STRICT: Leniency = { ranges: false, formats: false, unknownMembers: false, dateTimes: false, minItems: false };

export type Rule =
  | { type: 'string'; minLength?: number; maxLength?: number; pattern?: RegExp; format?: 'email' | 'date' | 'date-time' | 'uuid' }
  | { type: 'integer'; minimum: number; maximum: number }
  | { type: 'boolean' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'array'; minItems?: number; maxItems: number; uniqueItems: boolean; items: Rule }
  | { type: 'object'; shape: ObjectShape };

const FORMAT_CHECKS = { email: isEmail, date: isDate, 'date-time': isDateTime, uuid: isUuid } as const;

/** JSON Schema counts string length in code points, not UTF-16 units. */
function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function characters(count: number): string {
  return count === 1 ? '1 character' : `${count} characters`;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function stringProblems(value: string, rule: Extract<Rule, { type: 'string' }>, lenient: Leniency): string[] {
  const length = codePointLength(value);
  const problems: string[] = [];
  if (rule.minLength !== undefined && length < rule.minLength) problems.push(`must have at least ${characters(rule.minLength)}`);
  if (rule.maxLength !== undefined && length > rule.maxLength) problems.push(`must have at most ${characters(rule.maxLength)}`);
  if (!lenient.formats && rule.pattern && !rule.pattern.test(value)) problems.push(`must match the pattern ${rule.pattern.source}`);
  const skipFormat = lenient.formats || (rule.format === 'date-time' && lenient.dateTimes);
  if (!skipFormat && rule.format && !FORMAT_CHECKS[rule.format](value)) problems.push(`must be a valid ${rule.format}`);
  return problems;
}

/** Messages for every way `value` breaks `rule`, each with the JSON pointer of the offending part. */
export function valueProblems(value: unknown, rule: Rule, pointer: string, lenient: Leniency): Array<{ pointer: string; message: string }> {
  const at = (messages: string[]) => messages.map((message) => ({ pointer, message }));
  switch (rule.type) {
    case 'string':
      if (typeof value !== 'string') return at([`must be a string, not ${describeType(value)}`]);
      return at(stringProblems(value, rule, lenient));
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return at([`must be an integer, not ${describeType(value)}`]);
      if (!lenient.ranges && (value < rule.minimum || value > rule.maximum)) return at([`must be between ${rule.minimum} and ${rule.maximum}`]);
      return [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : at([`must be a boolean, not ${describeType(value)}`]);
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value) ? [] : at([`must be one of ${rule.values.join(', ')}`]);
    case 'array': {
      if (!Array.isArray(value)) return at([`must be an array, not ${describeType(value)}`]);
      const problems = value.flatMap((item, index) => valueProblems(item, rule.items, `${pointer}/${index}`, lenient));
      if (rule.minItems !== undefined && !lenient.minItems && value.length < rule.minItems) {
        problems.push({ pointer, message: `must have at least ${rule.minItems === 1 ? '1 item' : `${rule.minItems} items`}` });
      }
      if (value.length > rule.maxItems) problems.push({ pointer, message: `must have at most ${rule.maxItems} items` });
      if (rule.uniqueItems && new Set(value.map((item) => JSON.stringify(item))).size !== value.length) {
        problems.push({ pointer, message: 'must not contain duplicate items' });
      }
      return problems;
    }
    case 'object':
      return objectProblems(value, rule.shape, pointer, lenient).problems;
  }
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export interface ObjectShape {
  members: Record<string, Rule>;
  required: readonly string[];
  /** members that may be null (merge-patch: null removes the member) */
  nullable?: readonly string[];
  /** members the server sets; sending them is an error */
  readOnly?: readonly string[];
  /** false: unknown members are an error (additionalProperties: false) */
  allowUnknown: boolean;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every way `body` breaks `shape`, pointers under `pointer`, and the known members it holds. */
function objectProblems(
  body: unknown,
  shape: ObjectShape,
  pointer: string,
  lenient: Leniency,
): { value: Record<string, unknown>; problems: Array<{ pointer: string; message: string }> } {
  if (!isPlainObject(body)) return { value: {}, problems: [{ pointer, message: `must be an object, not ${describeType(body)}` }] };
  const problems: Array<{ pointer: string; message: string }> = [];
  const value: Record<string, unknown> = {};
  for (const name of shape.required) {
    if (!Object.hasOwn(body, name)) problems.push({ pointer, message: `must have the member "${name}"` });
  }
  for (const [name, member] of Object.entries(body)) {
    const at = `${pointer}/${escapePointerToken(name)}`;
    const rule = shape.members[name];
    if (shape.readOnly?.includes(name)) {
      problems.push({ pointer: at, message: 'is read-only and must not be sent' });
    } else if (rule === undefined) {
      if (!shape.allowUnknown && !lenient.unknownMembers) problems.push({ pointer: at, message: 'is not a member this operation accepts' });
    } else if (member === null && shape.nullable?.includes(name)) {
      value[name] = null;
    } else {
      problems.push(...valueProblems(member, rule, at, lenient));
      value[name] = member;
    }
  }
  return { value, problems };
}

/** Validates a JSON object body against a shape; the result keeps only the known members. */
export function checkObject(body: unknown, shape: ObjectShape, lenient: Leniency): { value: Record<string, unknown>; issues: Issue[] } {
  const { value, problems } = objectProblems(body, shape, '', lenient);
  return { value, issues: problems.map((problem) => ({ location: 'body' as const, ...problem })) };
}

// ---------------------------------------------------------------- parameters (text as the server receives it)

export type ParameterRule = Rule & { name: string };

function parseIntegerText(text: string): number | undefined {
  return /^-?[0-9]+$/.test(text) ? Number(text) : undefined;
}

/** Turns the text of one parameter into the typed value its rule describes, or says why it cannot. */
export function parameterValue(text: string, rule: Rule): { value: unknown } | { message: string } {
  switch (rule.type) {
    case 'integer': {
      const number = parseIntegerText(text);
      return number === undefined ? { message: 'must be an integer' } : { value: number };
    }
    case 'boolean':
      if (text === 'true' || text === 'false') return { value: text === 'true' };
      return { message: 'must be true or false' };
    case 'array':
      // style form, explode false: one value, comma-separated; an empty value is an empty array
      return { value: text === '' ? [] : text.split(',') };
    default:
      return { value: text };
  }
}

/** Validates named parameters from one location (query or path); unknown names are ignored. */
export function checkParameters(
  location: 'query' | 'path',
  values: URLSearchParams,
  rules: readonly ParameterRule[],
  lenient: Leniency,
): { value: Record<string, unknown>; issues: Issue[] } {
  const issues: Issue[] = [];
  const value: Record<string, unknown> = {};
  for (const rule of rules) {
    const texts = values.getAll(rule.name);
    if (texts.length === 0) continue;
    if (texts.length > 1) {
      issues.push({ location, name: rule.name, message: 'must be given once' });
      continue;
    }
    const parsed = parameterValue(texts[0] ?? '', rule);
    if ('message' in parsed) {
      issues.push({ location, name: rule.name, message: parsed.message });
      continue;
    }
    const problems = valueProblems(parsed.value, rule, '', lenient);
    issues.push(...problems.map((problem) => ({ location, name: rule.name, message: problem.message })));
    if (problems.length === 0) value[rule.name] = parsed.value;
  }
  return { value, issues };
}
