import { parsePointer } from '../spec/pointer.js';
import { InputError } from '../errors.js';
import type { Check, CheckContext, Exchange, FindingDraft } from '../model.js';
import {
  documentedContentFor,
  errorShape,
  headerText,
  isHeadRequest,
  isJsonMediaType,
  isProblemMediaType,
  memberAt,
  parsedJson,
  shapeName,
  showValue,
  statusMemberPointer,
} from './responses.js';

/** Checks --error-status-pointer before a run: a JSON pointer such as '/error/code'. */
export function checkErrorStatusPointer(pointer: string): string {
  if (pointer !== '' && !pointer.startsWith('/')) {
    throw new InputError(`--error-status-pointer: '${pointer}' is not a JSON pointer (expected e.g. /error/code)`);
  }
  if (/~(?![01])/.test(pointer)) throw new InputError(`--error-status-pointer: '${pointer}' has a '~' not followed by 0 or 1 (RFC 6901)`);
  return pointer;
}

function memberName(pointer: string): string {
  return pointer.slice(1).replace(/\//g, '.').replace(/~1/g, '/').replace(/~0/g, '~') || '(the body)';
}

function answersWithJson(exchange: Exchange): boolean {
  const response = exchange.response;
  if (response === undefined || response.status < 400 || response.truncated || isHeadRequest(exchange)) return false;
  const contentType = headerText(exchange, 'content-type') ?? '';
  // Problem details carry `status` by their own rules: the problem-details check owns them.
  return isJsonMediaType(contentType) && !isProblemMediaType(contentType);
}

/** Where this body keeps the status: the option when given, else the member of a recognised documented format. */
function statusPointer(exchange: Exchange, ctx: CheckContext, body: unknown): { pointer: string; how: string } | undefined {
  const option = ctx.options?.errorStatusPointer;
  if (option !== undefined) return { pointer: option, how: '--error-status-pointer' };
  const status = exchange.response?.status ?? 0;
  // Only what the document promises for this status; with no documented content there is no format to hold to.
  if (documentedContentFor(exchange.case.operation, status) === undefined) return undefined;
  const shape = errorShape(body);
  const pointer = shape === 'problem' ? undefined : statusMemberPointer(shape);
  return pointer === undefined ? undefined : { pointer, how: shapeName(shape) };
}

/**
 * An error body in a documented non-problem format (Google's error.code, Spring's status, or the member named by
 * --error-status-pointer) carries the HTTP status: the member must be an integer equal to it.
 */
export const errorStatusMemberCheck: Check = {
  id: 'error-status-member',
  category: 'error-format',
  description: 'The member of an error body that carries the status (Google error.code, Spring status, or --error-status-pointer) equals the HTTP status.',
  defaultSeverity: 'error',
  appliesTo: answersWithJson,
  run(exchange: Exchange, ctx: CheckContext): FindingDraft[] {
    const response = exchange.response;
    if (response === undefined || !answersWithJson(exchange)) return [];
    const json = parsedJson(exchange);
    if (json === undefined || !json.ok) return [];
    const where = statusPointer(exchange, ctx, json.value);
    if (where === undefined) return [];
    const member = memberAt(json.value, where.pointer);
    if (!member.found) return [];
    const value = member.value;
    const name = memberName(where.pointer);
    if (value === response.status) return [];
    const documented = documentedContentFor(exchange.case.operation, response.status);
    const specPointer = documented?.location ?? exchange.case.operation.location;
    const expected = `${name} = ${response.status}, the HTTP status, as an integer (${where.how})`;
    const top = parsePointer(where.pointer)?.[0];
    const about = top === undefined ? undefined : { members: [top] };
    if (typeof value === 'number' && Number.isInteger(value)) {
      return [{ message: `${response.status} error body says ${name} = ${value}, which differs from the HTTP status ${response.status}`, expected, actual: `${name} = ${value}`, specPointer, ...(about ? { about } : {}) }];
    }
    return [{ message: `${response.status} error body has ${name} = ${showValue(value)}, not the integer ${response.status}`, expected, actual: `${name} = ${showValue(value)}`, specPointer, ...(about ? { about } : {}) }];
  },
};
