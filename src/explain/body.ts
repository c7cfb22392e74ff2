// The request body: present when required, labelled with a documented media type, well-formed, and valid
// against its schema. The common mistakes (form-encoded or "[object Object]" bodies, single quotes, a JSON
// body sent as text/plain) get a hint and, where we can write it, the corrected body.
import type { ApiSpec, MediaType, Operation, SourceLocation, Validator } from '../model.js';
import {
  coerceText,
  findMediaType,
  isJsonMediaType,
  mediaTypeEssence,
  parseJsonWithPosition,
  propertySchema,
  type ParsedRequest,
} from '../generate/parse.js';
import type { SchemaObject } from '../generate/shape.js';
import type { Problem } from './types.js';
import type { ExplainInput } from './request.js';
import { bodyText, headerValue } from './request.js';
import { issueToProblem, ruleLocation } from './issues.js';

export interface BodyContext {
  spec: ApiSpec;
  validator: Validator;
  schemaAt: (location: SourceLocation) => SchemaObject | undefined;
  /** reads the request again as the server would, with this Content-Type */
  readAs: (contentType: string) => ParsedRequest;
  notes: string[];
}

const FORM = 'application/x-www-form-urlencoded';
const FORM_PAIRS = /^[^=&{}[\]"\s]+=[^&]*(&[^=&{}[\]"\s]+=[^&]*)*$/;

export function bodyProblems(op: Operation, input: ExplainInput, parsed: ParsedRequest, ctx: BodyContext): Problem[] {
  const body = op.requestBody;
  const text = bodyText(input.body);
  const hasBody = input.body !== undefined && input.body.length > 0;
  if (!body) {
    if (!hasBody) return [];
    return [{
      where: 'body',
      severity: 'warning',
      part: 'body',
      rule: 'no requestBody',
      ...ruleLocation(ctx.spec, op.location),
      message: `${op.method.toUpperCase()} ${op.path} documents no request body; the server will likely ignore the ${input.body!.length} bytes sent`,
    }];
  }
  if (!hasBody) return body.required ? [missingBody(op, input, ctx)] : [];

  const contentType = headerValue(input, 'content-type');
  const documented = body.content.map((m) => m.mediaType);
  const media = contentType === undefined ? undefined : findMediaType(body.content, contentType);
  const problems: Problem[] = [];
  let effective = media;
  let reading = parsed;
  if (!media) {
    const sniffed = sniffMedia(body.content, text);
    problems.push(contentTypeProblem(contentType, documented, sniffed, text, body.location, ctx));
    if (!sniffed) return problems;
    effective = sniffed;
    reading = ctx.readAs(sniffed.mediaType);
    ctx.notes.push(`the body was checked as ${sniffed.mediaType}, the documented media type it looks like`);
  }
  return [...problems, ...contentProblems(effective!, text, reading, ctx)];
}

function missingBody(op: Operation, input: ExplainInput, ctx: BodyContext): Problem {
  const body = op.requestBody!;
  const problem: Problem = {
    where: 'body',
    severity: 'error',
    part: 'body',
    rule: 'requestBody required: true',
    ...ruleLocation(ctx.spec, { file: body.location.file, pointer: `${body.location.pointer}/required` }),
    message: `${op.method.toUpperCase()} ${op.path} requires a body (${body.content.map((m) => m.mediaType).join(', ')}); none was sent`,
  };
  const example = body.content.flatMap((m) => m.examples)[0];
  if (example !== undefined) problem.fix = JSON.stringify(example.value);
  if (new URL(input.url, 'http://x').search !== '' && input.method !== 'GET') {
    problem.hint = 'the data went into the query string (curl -G, or $.ajax with type GET?): send it as the body';
  }
  return problem;
}

/** The documented media type the body's bytes look like: JSON if they parse, form if they are pairs. */
function sniffMedia(content: MediaType[], text: string): MediaType | undefined {
  const json = content.find((m) => isJsonMediaType(m.mediaType));
  const trimmed = text.trim();
  if (json && parseJsonWithPosition(trimmed).ok && /^[[{"]/.test(trimmed)) return json;
  const form = content.find((m) => mediaTypeEssence(m.mediaType) === FORM);
  if (form && FORM_PAIRS.test(trimmed)) return form;
  if (json && /^[[{]/.test(trimmed)) return json;
  return undefined;
}

function contentTypeProblem(
  contentType: string | undefined,
  documented: string[],
  sniffed: MediaType | undefined,
  text: string,
  location: SourceLocation,
  ctx: BodyContext,
): Problem {
  const wanted = sniffed?.mediaType ?? documented[0] ?? 'application/json';
  const problem: Problem = {
    where: 'header.Content-Type',
    severity: 'error',
    part: 'content-type',
    rule: `content: ${documented.join(', ')}`,
    ...ruleLocation(ctx.spec, { file: location.file, pointer: `${location.pointer}/content` }),
    message:
      contentType === undefined
        ? `the body has no Content-Type; the operation takes ${documented.join(', ')} (expect 415 Unsupported Media Type or 400)`
        : `Content-Type ${contentType} is not one the operation takes (${documented.join(', ')}); expect 415 Unsupported Media Type or 400`,
    fix: `Content-Type: ${wanted}`,
  };
  if (contentType !== undefined) problem.value = contentType;
  const hint = contentTypeHint(contentType, wanted, text, documented);
  if (hint) problem.hint = hint;
  return problem;
}

function contentTypeHint(contentType: string | undefined, wanted: string, text: string, documented: string[]): string | undefined {
  const sent = contentType === undefined ? undefined : mediaTypeEssence(contentType);
  const jsonWanted = isJsonMediaType(wanted);
  const looksJson = parseJsonWithPosition(text.trim()).ok && /^[[{"]/.test(text.trim());
  if (sent === FORM && jsonWanted && looksJson) {
    return 'the body is JSON but labelled form-urlencoded: curl -d and jQuery $.ajax use application/x-www-form-urlencoded by default; add -H \'Content-Type: application/json\' (or use curl --json, or contentType: "application/json")';
  }
  if (sent === FORM && jsonWanted && FORM_PAIRS.test(text.trim())) {
    return `the body is form-encoded (jQuery \`data: formData\` without JSON.stringify, or curl -d name=value); the operation takes ${documented.join(', ')}`;
  }
  if (sent === 'text/plain' && jsonWanted && looksJson) {
    return 'fetch() and XMLHttpRequest label a string body text/plain unless told otherwise: set headers: {"Content-Type": "application/json"}';
  }
  if (sent === undefined && looksJson) return 'the body is JSON; only the Content-Type header is missing';
  if (sent === 'multipart/form-data' && !documented.some((d) => d.startsWith('multipart/'))) {
    return 'a FormData object is sent as multipart/form-data; build a plain object and JSON.stringify it instead';
  }
  return undefined;
}

function contentProblems(media: MediaType, text: string, parsed: ParsedRequest, ctx: BodyContext): Problem[] {
  const bodyReading = parsed.problems.filter((p) => p.where.startsWith('body'));
  const problems: Problem[] = [];
  if (bodyReading.length > 0) {
    for (const reading of bodyReading) problems.push(syntaxProblem(reading, media, text, ctx));
    return problems;
  }
  if (!parsed.body || !media.schema) return problems;
  const value = parsed.body.value;
  const essence = mediaTypeEssence(media.mediaType);
  const fromText = !isJsonMediaType(essence);
  for (const issue of ctx.validator.validate(media.schema, value, 'request')) {
    const problem = issueToProblem(issue, { spec: ctx.spec, schemaAt: ctx.schemaAt, prefix: 'body', part: 'body', root: value, fromText });
    if (problem.fix !== undefined) problem.fix = asMember(problem.where, problem.fix);
    problems.push(problem);
  }
  return problems;
}

/** A fix that is a member's new value, shown as the member: '"age": 36'. */
function asMember(where: string, fix: string): string {
  const member = /\.([A-Za-z_$][\w$-]*)$/.exec(where)?.[1];
  if (member === undefined) return fix;
  try {
    JSON.parse(fix);
  } catch {
    return fix;
  }
  return `"${member}": ${fix}`;
}

function syntaxProblem(reading: ParsedRequest['problems'][number], media: MediaType, text: string, ctx: BodyContext): Problem {
  const at = reading.line !== undefined ? ` at line ${reading.line}, column ${reading.column}` : '';
  const problem: Problem = {
    where: reading.where,
    severity: 'error',
    part: 'body',
    rule: isJsonMediaType(media.mediaType) ? 'JSON syntax (RFC 8259)' : `${media.mediaType} syntax`,
    ...ruleLocation(ctx.spec, media.location),
    message: `${reading.message}${at}`,
    value: text.length > 200 ? `${text.slice(0, 197)}...` : text,
  };
  if (isJsonMediaType(media.mediaType)) Object.assign(problem, jsonMistake(text, media, ctx));
  return problem;
}

/** The usual reasons a body meant as JSON is not JSON, with the JSON that was meant when we can tell. */
function jsonMistake(text: string, media: MediaType, ctx: BodyContext): Pick<Problem, 'hint' | 'fix'> {
  const trimmed = text.trim();
  if (trimmed === '[object Object]') {
    return { hint: 'the body is the text "[object Object]": an object was sent without JSON.stringify (or as a form field)' };
  }
  if (FORM_PAIRS.test(trimmed)) {
    return {
      hint: 'the body is form-encoded (jQuery `data: formData` instead of `JSON.stringify(formData)`, or curl -d name=value)',
      fix: JSON.stringify(formAsJson(trimmed, media, ctx)),
    };
  }
  const repairs: Array<[string, (t: string) => string]> = [
    ['JSON strings and member names use double quotes, not single quotes', (t) => t.replace(/'/g, '"')],
    ['trailing comma: JSON allows none before } or ]', (t) => t.replace(/,(\s*[}\]])/g, '$1')],
    ['member names must be quoted: this is a JavaScript object literal, not JSON (JSON.stringify it)', (t) => t.replace(/([{,]\s*)([A-Za-z_$][\w$]*)\s*:/g, '$1"$2":')],
  ];
  for (const [hint, repair] of repairs) {
    const repaired = parseJsonWithPosition(repair(trimmed));
    if (repaired.ok) return { hint, fix: JSON.stringify(repaired.value) };
  }
  return {};
}

/** Form pairs read into the JSON object they were meant to be, numbers and booleans as the schema says. */
function formAsJson(text: string, media: MediaType, ctx: BodyContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    out[name] = coerceText(value, propertySchema(media.schema?.schema, name, ctx.spec.schemas), ctx.spec.schemas);
  }
  return out;
}
