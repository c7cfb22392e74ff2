// A small HTTP client for the example API, for tests and scripts: one request, the whole answer.
import { request } from 'undici';

export interface ExampleAnswer {
  status: number;
  /** names lower-case */
  headers: Record<string, string>;
  text: string;
  /** the parsed body when it is JSON, else undefined */
  json: unknown;
}

export interface ExampleRequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** sent as application/json unless headers say otherwise */
  json?: unknown;
  /** sent as application/x-www-form-urlencoded */
  form?: Record<string, string>;
  /** sent as is */
  body?: string | Buffer;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
      .map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value]),
  );
}

export async function exampleRequest(baseUrl: string, method: string, path: string, options: ExampleRequestOptions = {}): Promise<ExampleAnswer> {
  const headers: Record<string, string> = {};
  let body: string | Buffer | undefined = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  Object.assign(headers, options.headers);
  const response = await request(baseUrl + path, { method: method as 'GET', headers, ...(body === undefined ? {} : { body }) });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: flatHeaders(response.headers), text, json };
}
