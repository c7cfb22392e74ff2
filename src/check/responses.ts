// Lookups shared by the checks: which documented response and media type an answer falls under.
import type { Exchange, MediaType, Operation, Response } from '../model.js';

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
