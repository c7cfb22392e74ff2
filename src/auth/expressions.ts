// Where a login or token response holds a value: a runtime expression in the OpenAPI style,
// `$response.body#/access_token`, `$response.body` (the whole body as text) or `$response.header.X-Token`.

export type ResponseExpression =
  | { source: 'body'; pointer: string | undefined }
  | { source: 'header'; name: string };

/** What a flow's answer looked like, as much as expressions need to read from it. */
export interface FlowAnswer {
  status: number;
  /** names lower-cased */
  headers: Record<string, string>;
  text: string;
  /** parsed JSON body, undefined when the body is not JSON */
  json: unknown;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const POINTER = /^(\/([^~]|~[01])*)*$/;

/** The expression, or a reason it is not one (for the config reader's message). */
export function parseResponseExpression(text: string): ResponseExpression | { error: string } {
  if (text === '$response.body') return { source: 'body', pointer: undefined };
  if (text.startsWith('$response.body#')) {
    const pointer = text.slice('$response.body#'.length);
    if (!POINTER.test(pointer)) return { error: `'${pointer}' is not a JSON pointer (e.g. /access_token)` };
    return { source: 'body', pointer };
  }
  if (text.startsWith('$response.header.')) {
    const name = text.slice('$response.header.'.length);
    if (!HEADER_NAME.test(name)) return { error: `'${name}' is not a header name` };
    return { source: 'header', name: name.toLowerCase() };
  }
  return { error: `'${text}' is not $response.body#/pointer, $response.body or $response.header.Name` };
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The value at a JSON pointer, or undefined. */
export function valueAtPointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let current: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = unescapeToken(raw);
    if (Array.isArray(current) && /^(0|[1-9][0-9]*)$/.test(key)) current = current[Number(key)];
    else if (typeof current === 'object' && current !== null && !Array.isArray(current) && Object.hasOwn(current, key)) {
      current = (current as Record<string, unknown>)[key];
    } else return undefined;
  }
  return current;
}

/** The value the expression selects in the answer: a string, a number, or undefined when absent. */
export function readExpression(expression: ResponseExpression, answer: FlowAnswer): string | number | undefined {
  if (expression.source === 'header') return answer.headers[expression.name];
  if (expression.pointer === undefined) return answer.text.trim() === '' ? undefined : answer.text.trim();
  const value = valueAtPointer(answer.json, expression.pointer);
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

export function formatExpression(expression: ResponseExpression): string {
  if (expression.source === 'header') return `$response.header.${expression.name}`;
  return expression.pointer === undefined ? '$response.body' : `$response.body#${expression.pointer}`;
}
