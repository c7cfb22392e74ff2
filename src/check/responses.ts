// Lookups shared by the checks: which documented response and media type an answer falls under.
import type { Case, CheckContext, Exchange, MediaType, Operation, Response } from '../model.js';
import { InputError } from '../errors.js';
import { UNKNOWN_PATH_OPERATION_ID } from '../plan/methods.js';

/** The documented response for a status: exact code first, then its range ('4XX'), then 'default'. */
export function documentedResponse(op: Operation, status: number): Response | undefined {
  const exact = String(status);
  const range = `${Math.floor(status / 100)}XX`;
  return (
    op.responses.find((r) => r.status === exact) ??
    op.responses.find((r) => r.status.toUpperCase() === range) ??
    op.responses.find((r) => r.status === 'default')
  );
}

/** 'Application/JSON; charset=utf-8' → 'application/json' */
export function mediaTypeEssence(value: string): string {
  const semicolon = value.indexOf(';');
  return (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
}

function splitEssence(value: string): { type: string; subtype: string } | undefined {
  const essence = mediaTypeEssence(value);
  const slash = essence.indexOf('/');
  if (slash <= 0 || slash === essence.length - 1) return undefined;
  return { type: essence.slice(0, slash), subtype: essence.slice(slash + 1) };
}

/**
 * Does an actual Content-Type fall under a documented media type? Parameters (charset …) are ignored on
 * both sides, case does not matter, and the documented side may be a wildcard ('*\/*', 'application/*').
 */
export function mediaTypeMatches(documented: string, actual: string): boolean {
  const doc = splitEssence(documented);
  const act = splitEssence(actual);
  if (doc === undefined || act === undefined) return false;
  if (doc.type === '*') return doc.subtype === '*';
  if (doc.type !== act.type) return false;
  return doc.subtype === '*' || doc.subtype === act.subtype;
}

/** How specific a documented media type is, so 'application/json' wins over 'application/*' over '*\/*'. */
function specificity(documented: string): number {
  const doc = splitEssence(documented);
  if (doc === undefined) return 0;
  if (doc.type === '*') return 1;
  return doc.subtype === '*' ? 2 : 3;
}

/** The documented media type an actual Content-Type falls under, the most specific one first. */
export function matchingMediaType(content: MediaType[], actual: string): MediaType | undefined {
  let best: MediaType | undefined;
  for (const media of content) {
    if (!mediaTypeMatches(media.mediaType, actual)) continue;
    if (best === undefined || specificity(media.mediaType) > specificity(best.mediaType)) best = media;
  }
  return best;
}

/** application/json, application/problem+json, text/json … */
export function isJsonMediaType(value: string): boolean {
  const parts = splitEssence(value);
  if (parts === undefined) return false;
  return parts.subtype === 'json' || parts.subtype.endsWith('+json');
}

/** One header of the answer as text (repeated headers joined), undefined when absent. */
export function headerText(exchange: Exchange, name: string): string | undefined {
  const value = exchange.response?.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The JSON body: the one the send stage parsed, or parsed here when the Content-Type says JSON. */
export function parsedJson(exchange: Exchange): { ok: true; value: unknown } | { ok: false; error: string } | undefined {
  if (exchange.json !== undefined) return exchange.json;
  const response = exchange.response;
  const contentType = headerText(exchange, 'content-type');
  if (response === undefined || contentType === undefined || !isJsonMediaType(contentType)) return undefined;
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(response.body)) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

const EXCERPT_LIMIT = 200;

/** The start of the body as readable text, for messages: '' when there is none. */
export function bodyExcerpt(exchange: Exchange, limit = EXCERPT_LIMIT): string {
  const body = exchange.response?.body;
  if (body === undefined || body.length === 0) return '';
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body.subarray(0, limit * 4));
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > limit ? `${oneLine.slice(0, limit)}…` : oneLine;
}

/** Statuses the operation documents, for 'expected' fields: '200, 404, default'. */
export function documentedStatuses(op: Operation): string {
  return op.responses.map((r) => r.status).join(', ') || '(none)';
}

/** Is the exchange an answer to a HEAD request? */
export function isHeadRequest(exchange: Exchange): boolean {
  return exchange.case.request.method.toUpperCase() === 'HEAD';
}

/** A value shown in a message: strings quoted as JSON, long values cut. */
export function showValue(value: unknown, limit = 80): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

// ---------------------------------------------------------------- error contracts (problem details, error formats, auth, methods)

/** application/problem+json, application/problem+xml (RFC 9457) */
export function isProblemMediaType(value: string): boolean {
  const essence = mediaTypeEssence(value);
  return essence === 'application/problem+json' || essence === 'application/problem+xml';
}

/** An HTML or plain-text page: what a framework's default error handler or a proxy sends. */
export function isPageMediaType(value: string): boolean {
  const essence = mediaTypeEssence(value);
  return essence === 'text/html' || essence === 'application/xhtml+xml' || essence === 'text/plain';
}

/** The planner's request to a path the document does not have (plan/methods.ts planUnknownPath). */
export function isUnknownPathCase(testCase: Case): boolean {
  return testCase.operation.id === UNKNOWN_PATH_OPERATION_ID || (testCase.kind === 'method' && testCase.why?.keyword === 'paths');
}

/** The documented response for a status when it documents content; undefined when the document is silent. */
export function documentedContentFor(op: Operation, status: number): Response | undefined {
  const documented = documentedResponse(op, status);
  return documented !== undefined && documented.content.length > 0 ? documented : undefined;
}

/** Does any of the operation's responses document a JSON body? */
export function documentsJsonAnywhere(op: Operation): boolean {
  return op.responses.some((r) => r.content.some((m) => isJsonMediaType(m.mediaType)));
}

/** The first operation of the document that lists this exact status, with that response. */
export function documentedAnywhere(operations: Operation[], status: string): { operation: Operation; response: Response } | undefined {
  for (const operation of operations) {
    const response = operation.responses.find((r) => r.status === status);
    if (response !== undefined) return { operation, response };
  }
  return undefined;
}

export type ErrorFormat = 'problem' | 'documented' | 'none';

const ERROR_FORMATS: readonly ErrorFormat[] = ['problem', 'documented', 'none'];

/** Reads --error-format before a run; anything else is an input error naming the option. */
export function parseErrorFormat(value: string): ErrorFormat {
  const format = ERROR_FORMATS.find((f) => f === value.trim().toLowerCase());
  if (format === undefined) throw new InputError(`--error-format: '${value}' is not one of ${ERROR_FORMATS.join(', ')}`);
  return format;
}

/** --error-format, 'documented' when absent. */
export function errorFormatOf(ctx: CheckContext): ErrorFormat {
  return ctx.options?.errorFormat ?? 'documented';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The error body formats the checks recognise, to say what a body is and where it keeps the status. */
export type ErrorShape = 'problem' | 'google' | 'spring' | 'onap' | 'message' | 'other';

const PROBLEM_MEMBERS = ['type', 'title', 'status', 'detail', 'instance'];

export function errorShape(value: unknown): ErrorShape {
  if (!isPlainObject(value)) return 'other';
  const error = value['error'];
  if (isPlainObject(error) && ('code' in error || 'message' in error)) return 'google';
  if (isPlainObject(value['requestError'])) return 'onap';
  if ('timestamp' in value && 'status' in value && ('error' in value || 'path' in value)) return 'spring';
  const problemMembers = PROBLEM_MEMBERS.filter((member) => member in value).length;
  if (problemMembers >= 2 && ('type' in value || 'title' in value || 'detail' in value)) return 'problem';
  if ('message' in value) return 'message';
  return 'other';
}

const SHAPE_NAMES: Record<ErrorShape, string> = {
  problem: 'problem details',
  google: 'a Google-style {"error":{"code","message","errors"}} envelope',
  spring: 'a Spring-style {timestamp, status, error, message, path} body',
  onap: 'an ONAP-style {"requestError":{…}} envelope',
  message: 'a {"message"} body',
  other: 'an unrecognised body',
};

export function shapeName(shape: ErrorShape): string {
  return SHAPE_NAMES[shape];
}

/** Where a recognised error format keeps the HTTP status; undefined for formats that do not carry it. */
export function statusMemberPointer(shape: ErrorShape): string | undefined {
  if (shape === 'google') return '/error/code';
  if (shape === 'spring' || shape === 'problem') return '/status';
  return undefined;
}

/** RFC 6901: the member at '/error/code', with whether it exists at all. */
export function memberAt(value: unknown, pointer: string): { found: boolean; value?: unknown } {
  if (pointer === '') return { found: true, value };
  let node: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < node.length) node = node[Number(key)];
    else if (isPlainObject(node) && Object.hasOwn(node, key)) node = node[key];
    else return { found: false };
  }
  return { found: true, value: node };
}

/**
 * RFC 3986 URI-reference, checked by its character set: ASCII without space, controls or the excluded
 * delimiters, well-formed percent escapes, and a valid scheme when one is present.
 */
export function isUriReference(value: string): boolean {
  if (/[^\x21-\x7e]|[<>"{}|\\^`]/.test(value)) return false;
  if (/%(?![0-9A-Fa-f]{2})/.test(value)) return false;
  const scheme = /^([^/?#]*):/.exec(value)?.[1];
  return scheme === undefined || /^[A-Za-z][A-Za-z0-9+.-]*$/.test(scheme);
}

/** The HTTP methods an Allow header lists, upper-cased. */
export function allowedMethods(allow: string): string[] {
  return allow
    .split(',')
    .map((method) => method.trim().toUpperCase())
    .filter((method) => method !== '');
}
