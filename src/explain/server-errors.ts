// The reasons a server gives in its error body, from the error shapes APIs commonly use.
import type { ServerReason } from './types.js';

export interface DecodedError {
  /** 'problem-details', 'google', 'onap', 'message-errors', 'spring', 'text', 'none' */
  format: string;
  reasons: ServerReason[];
}

type Json = { [key: string]: unknown };
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function decodeServerError(contentType: string | undefined, body: string): DecodedError {
  if (body.trim() === '') return { format: 'none', reasons: [] };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { format: 'text', reasons: [{ message: plainText(contentType, body) }] };
  }
  if (!isObject(json)) return { format: 'text', reasons: [{ message: body.trim().slice(0, 300) }] };
  return googleEnvelope(json) ?? onapEnvelope(json) ?? problemDetails(json, contentType) ?? messageErrors(json) ?? { format: 'json', reasons: [{ message: body.trim().slice(0, 300) }] };
}

function plainText(contentType: string | undefined, body: string): string {
  const isHtml = /html/i.test(contentType ?? '') || /^\s*<(!doctype|html)/i.test(body);
  const stripped = isHtml ? body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, '').replace(/<[^>]+>/g, ' ') : body;
  return stripped.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** Items of an `errors` list: strings, or objects naming a place (pointer, field, name, location, path). */
function listReasons(list: unknown): ServerReason[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item): ServerReason[] => {
    if (typeof item === 'string') return [{ message: item }];
    if (!isObject(item)) return [];
    const message = text(item['message']) ?? text(item['detail']) ?? text(item['reason']) ?? text(item['defaultMessage']) ?? text(item['msg']) ?? JSON.stringify(item);
    const location = text(item['pointer']) ?? text(item['field']) ?? text(item['name']) ?? text(item['path']) ?? text(item['param']) ?? locationOf(item);
    return [location ? { location, message } : { message }];
  });
}

/** Google style keeps the place in `location` and its kind in `locationType`; Pydantic uses a `loc` array. */
function locationOf(item: Json): string | undefined {
  if (Array.isArray(item['loc'])) return item['loc'].map(String).join('.');
  const location = text(item['location']);
  if (!location) return undefined;
  const kind = text(item['locationType']);
  return kind && !location.startsWith(kind) ? `${kind}.${location}` : location;
}

// {error: {code, message, errors: [{domain, reason, message, location, locationType}]}}
function googleEnvelope(json: Json): DecodedError | undefined {
  const error = json['error'];
  if (!isObject(error) || (text(error['message']) === undefined && !Array.isArray(error['errors']))) return undefined;
  const reasons = listReasons(error['errors']);
  if (reasons.length === 0 && text(error['message'])) reasons.push({ message: text(error['message'])! });
  return { format: 'google', reasons };
}

// ONAP / ETSI: {requestError: {serviceException|policyException: {messageId, text: 'bad %1', variables: ['x']}}}
function onapEnvelope(json: Json): DecodedError | undefined {
  const envelope = json['requestError'];
  if (!isObject(envelope)) return undefined;
  const reasons: ServerReason[] = [];
  for (const exception of Object.values(envelope)) {
    if (!isObject(exception)) continue;
    const variables = Array.isArray(exception['variables']) ? exception['variables'].map(String) : [];
    const template = text(exception['text']) ?? '';
    const message = template.replace(/%(\d+)/g, (whole, n: string) => variables[Number(n) - 1] ?? whole);
    const id = text(exception['messageId']);
    reasons.push({ message: id ? `${id}: ${message}` : message, ...(variables[0] ? { location: variables[0] } : {}) });
  }
  return { format: 'onap', reasons };
}

// RFC 9457: detail, plus the `errors` ([{detail, pointer}]) or `invalid-params` ([{name, reason}]) extensions
function problemDetails(json: Json, contentType: string | undefined): DecodedError | undefined {
  const isProblem = /problem\+json/i.test(contentType ?? '') || (text(json['title']) !== undefined && ('type' in json || 'status' in json));
  if (!isProblem) return undefined;
  const reasons = [...listReasons(json['errors']), ...listReasons(json['invalid-params'])];
  if (reasons.length === 0) {
    const message = text(json['detail']) ?? text(json['title']);
    if (message) reasons.push({ message });
  }
  return { format: 'problem-details', reasons };
}

// {message, errors} in its many forms: errors as a list, or as {field: [messages]} (Rails, Laravel); Spring's
// {timestamp, status, error, message, path} has only the message
function messageErrors(json: Json): DecodedError | undefined {
  const errors = json['errors'];
  if (Array.isArray(errors)) {
    const reasons = listReasons(errors);
    if (reasons.length === 0 && text(json['message'])) reasons.push({ message: text(json['message'])! });
    return { format: 'message-errors', reasons };
  }
  if (isObject(errors)) {
    const reasons = Object.entries(errors).flatMap(([field, messages]) =>
      (Array.isArray(messages) ? messages : [messages]).map((m) => ({ location: field, message: String(m) })),
    );
    return { format: 'message-errors', reasons };
  }
  const message = text(json['message']) ?? text(json['error_description']) ?? text(json['error']);
  if (message === undefined) return undefined;
  return { format: 'timestamp' in json && 'path' in json ? 'spring' : 'message-errors', reasons: [{ message }] };
}
