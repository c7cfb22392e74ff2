// Path, query, header and cookie parameters, read as the server reads them (generate/parse.ts) and then
// validated one by one against their schemas.
import type { ApiSpec, Parameter, Validator } from '../model.js';
import { isIgnoredHeaderParameter } from '../spec/ignored-headers.js';
import { shapeOf, type ParsedRequest, type RequestProblem } from '../generate/parse.js';
import type { SchemaObject } from '../generate/shape.js';
import type { SourceLocation } from '../model.js';
import type { Problem } from './types.js';
import { issueToProblem, ruleLocation } from './issues.js';
import { closest } from './similar.js';

export interface ParameterContext {
  spec: ApiSpec;
  validator: Validator;
  schemaAt: (location: SourceLocation) => SchemaObject | undefined;
  /** header names as sent */
  sentHeaders: string[];
  /** the query string as sent */
  query: URLSearchParams;
}

const SEPARATORS = [',', '|', ' ', ';'];

export function parameterProblems(parameters: Parameter[], parsed: ParsedRequest, ctx: ParameterContext): Problem[] {
  const problems: Problem[] = [];
  for (const p of parameters) {
    if (isIgnoredHeaderParameter(p)) continue;
    const values = parsed[p.in] as Record<string, unknown>;
    const value = lookup(values, p);
    if (value === undefined) {
      if (p.required) problems.push(missingParameter(p, parsed, ctx));
      continue;
    }
    if (!p.schema) continue;
    const issues = ctx.validator.validate(p.schema, value, 'request');
    for (const issue of issues) {
      const problem = issueToProblem(issue, {
        spec: ctx.spec,
        schemaAt: ctx.schemaAt,
        prefix: `${p.in}.${p.name}`,
        part: p.in,
        root: value,
        fromText: true,
      });
      const separator = separatorAdvice(p, value, ctx);
      if (separator && issue.instancePath !== '') Object.assign(problem, separator);
      else if (problem.fix !== undefined && issue.instancePath === '') problem.fix = asParameterText(p, problem.fix);
      problems.push(problem);
    }
  }
  return [...problems, ...unknownQueryWarnings(parameters, parsed, ctx.query)];
}

/** A fix written as a JSON value ('"2024-01-01"', '36') rewritten as the parameter is sent: 'createdAfter=2024-01-01'. */
function asParameterText(p: Parameter, fix: string): string {
  let value: unknown;
  try {
    value = JSON.parse(fix);
  } catch {
    return fix;
  }
  if (typeof value === 'object' && value !== null) return fix;
  const text = String(value);
  if (p.in === 'query') return `${p.name}=${encodeURIComponent(text)}`;
  if (p.in === 'header') return `${p.name}: ${text}`;
  if (p.in === 'cookie') return `Cookie: ${p.name}=${text}`;
  return text;
}

function lookup(values: Record<string, unknown>, p: Parameter): unknown {
  if (p.in !== 'header') return values[p.name];
  const lower = p.name.toLowerCase();
  const key = Object.keys(values).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : values[key];
}

function missingParameter(p: Parameter, parsed: ParsedRequest, ctx: ParameterContext): Problem {
  const problem: Problem = {
    where: `${p.in}.${p.name}`,
    severity: 'error',
    part: p.in,
    rule: 'required: true',
    ...ruleLocation(ctx.spec, { file: p.location.file, pointer: `${p.location.pointer}/required` }),
    message: `required ${p.in} parameter '${p.name}' is missing`,
  };
  const sent = p.in === 'query' ? parsed.unknown.query : p.in === 'cookie' ? parsed.unknown.cookie : p.in === 'header' ? ctx.sentHeaders : [];
  const near = closest(p.name, sent);
  if (near !== undefined) {
    problem.hint = `you sent '${near}': did you mean '${p.name}'?`;
    problem.fix = p.in === 'header' ? `${p.name}: <value>` : `rename '${near}' to '${p.name}'`;
  }
  return problem;
}

/**
 * For a list parameter whose items failed: if an item holds another separator, the list was written in the
 * wrong style ('ids=1,2' where 'ids=1&ids=2' is expected, '|' where ',' is).
 */
function separatorAdvice(p: Parameter, value: unknown, ctx: ParameterContext): Pick<Problem, 'hint' | 'fix'> | undefined {
  if (p.in !== 'query' || !Array.isArray(value) || shapeOf(p.schema?.schema, ctx.spec.schemas) !== 'array') return undefined;
  const expected = p.style === 'spaceDelimited' ? ' ' : p.style === 'pipeDelimited' ? '|' : ',';
  const multi = p.style === 'form' && p.explode;
  for (const item of value) {
    if (typeof item !== 'string') continue;
    const used = SEPARATORS.find((s) => item.includes(s) && (multi || s !== expected));
    if (used === undefined) continue;
    const items = value.flatMap((v) => (typeof v === 'string' ? v.split(used) : [String(v)]));
    const styleName = `style=${p.style}, explode=${p.explode}`;
    // the delimiter itself stays literal (OpenAPI style examples); only a space is percent-encoded
    const written = multi ? items.map((i) => `${p.name}=${encodeURIComponent(i)}`).join('&') : `${p.name}=${items.map(encodeURIComponent).join(expected === ' ' ? '%20' : expected)}`;
    const how = multi ? 'repeat the parameter for each item' : `separate the items with '${expected}'`;
    return { hint: `wrong list separator '${used === ' ' ? 'space' : used}': ${p.name} is ${styleName}, so ${how}`, fix: written };
  }
  return undefined;
}

function unknownQueryWarnings(parameters: Parameter[], parsed: ParsedRequest, query: URLSearchParams): Problem[] {
  const documented = parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const sentDocumented = new Set(Object.keys(parsed.query));
  const warnings: Problem[] = [];
  for (const name of parsed.unknown.query) {
    const near = closest(name, documented.filter((d) => !sentDocumented.has(d)));
    if (near === undefined) continue;
    const missingAndRequired = parameters.some((p) => p.in === 'query' && p.name === near && p.required);
    if (missingAndRequired) continue; // the missing-parameter problem already says it
    warnings.push({
      where: `query.${name}`,
      severity: 'warning',
      part: 'query',
      value: query.get(name) ?? '',
      rule: 'undocumented parameter',
      message: `query parameter '${name}' is not documented; servers usually ignore it silently`,
      hint: `did you mean '${near}'?`,
      fix: `rename '${name}' to '${near}'`,
    });
  }
  return warnings;
}

/** Problems the reading itself found (malformed percent-encoding, a repeated single value …), outside the body. */
export function readingProblems(problems: RequestProblem[]): Problem[] {
  return problems
    .filter((p) => !p.where.startsWith('body') && p.where !== 'path')
    .map((p) => ({
      where: p.where,
      severity: 'error' as const,
      part: partOf(p.where),
      rule: 'syntax',
      message: p.message,
    }));
}

function partOf(where: string): Problem['part'] {
  const head = where.split('.')[0];
  return head === 'query' || head === 'header' || head === 'cookie' || head === 'path' ? head : 'body';
}
