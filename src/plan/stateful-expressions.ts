// OpenAPI runtime expressions ($response.body#/id, $response.header.Location, …) evaluated on one exchange.
import type { Case, Exchange } from '../model.js';

/** RFC 6901: the value at a JSON pointer ('' is the whole value), or undefined when the path is absent. */
export function valueAtPointer(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  if (!pointer.startsWith('/')) return undefined;
  let node: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function headerValue(headers: Record<string, string | string[]> | Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

function requestSource(c: Case, source: string): unknown {
  const values = c.values ?? {};
  if (source.startsWith('body')) {
    const pointer = source.slice('body'.length).replace(/^#/, '');
    return valueAtPointer(values.body, pointer);
  }
  const dot = source.indexOf('.');
  if (dot < 0) return undefined;
  const where = source.slice(0, dot);
  const name = source.slice(dot + 1);
  if (where === 'header') return headerValue(c.request.headers, name) ?? (values.header as Record<string, unknown> | undefined)?.[name];
  if (where === 'path' || where === 'query') return (values[where] as Record<string, unknown> | undefined)?.[name];
  return undefined;
}

function responseSource(exchange: Exchange, source: string): unknown {
  if (source.startsWith('body')) {
    const json = exchange.json;
    if (json?.ok !== true) return undefined;
    return valueAtPointer(json.value, source.slice('body'.length).replace(/^#/, ''));
  }
  if (source.startsWith('header.') && exchange.response) return headerValue(exchange.response.headers, source.slice('header.'.length));
  return undefined;
}

/** One bare expression ('$response.body#/id'); undefined when it names something the exchange lacks. */
function evaluateBare(expression: string, exchange: Exchange): unknown {
  if (expression === '$url') return exchange.url;
  if (expression === '$method') return exchange.case.request.method;
  if (expression === '$statusCode') return exchange.response?.status;
  if (expression.startsWith('$request.')) return requestSource(exchange.case, expression.slice('$request.'.length));
  if (expression.startsWith('$response.')) return responseSource(exchange, expression.slice('$response.'.length));
  return undefined;
}

export type Evaluation = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * A link parameter or requestBody value: a bare expression, a string with embedded `{$…}` expressions, or a
 * constant (any non-string, or a string without `$`).
 */
export function evaluateExpression(expression: unknown, exchange: Exchange): Evaluation {
  if (typeof expression !== 'string') return { ok: true, value: expression };
  if (expression.startsWith('$')) {
    const value = evaluateBare(expression, exchange);
    return value === undefined ? { ok: false, reason: `${expression} is absent from the answer` } : { ok: true, value };
  }
  if (!expression.includes('{$')) return { ok: true, value: expression };
  let missing: string | undefined;
  const text = expression.replace(/\{(\$[^}]+)\}/g, (_, inner: string) => {
    const value = evaluateBare(inner, exchange);
    if (value === undefined || (typeof value === 'object' && value !== null)) missing ??= inner;
    return String(value);
  });
  return missing === undefined ? { ok: true, value: text } : { ok: false, reason: `${missing} is absent from the answer` };
}

/** Does the expression depend on the answer (so a step built from it reaches what the create made)? */
export function readsResponse(expression: unknown): boolean {
  return typeof expression === 'string' && expression.includes('$response.');
}
