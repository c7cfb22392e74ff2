// HAR 1.2 files as browsers' developer tools export them: every entry's request, and the answer recorded with it.
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { ExplainInput } from './request.js';

/** An answer as recorded in the HAR (or received with --send). */
export interface RecordedResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

export interface HarRequest {
  input: ExplainInput;
  /** absent when the HAR recorded no answer (status 0: blocked, cancelled) */
  recorded?: RecordedResponse;
}

type Json = { [key: string]: unknown };

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a HAR file; `entry` (1-based, as shown to people) selects one, otherwise all are returned. */
export function readHar(file: string, entry?: number): HarRequest[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`--har ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`--har ${file}: not JSON (${(error as Error).message})`);
  }
  const entries = isObject(document) && isObject(document['log']) ? document['log']['entries'] : undefined;
  if (!Array.isArray(entries)) throw new InputError(`--har ${file}: no log.entries array (is it a HAR file?)`);
  if (entries.length === 0) throw new InputError(`--har ${file}: log.entries is empty`);
  if (entry !== undefined && (entry < 1 || entry > entries.length)) {
    throw new InputError(`--entry ${entry}: ${file} has ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} (1 to ${entries.length})`);
  }
  const chosen = entry === undefined ? entries.map((e, i) => [e, i] as const) : [[entries[entry - 1], entry - 1] as const];
  return chosen.map(([e, i]) => harEntry(e, i, file));
}

function harEntry(entry: unknown, index: number, file: string): HarRequest {
  const where = `--har ${file}: /log/entries/${index}/request`;
  const request = isObject(entry) ? entry['request'] : undefined;
  if (!isObject(request)) throw new InputError(`${where} is missing`);
  const method = request['method'];
  const url = request['url'];
  if (typeof method !== 'string' || typeof url !== 'string') throw new InputError(`${where} has no method or url`);
  const headers = nameValues(request['headers'], `${where}/headers`)
    // HTTP/2 pseudo-headers (:authority, :path …) are not header fields of the request
    .filter(([name]) => !name.startsWith(':'));
  const input: ExplainInput = { method: method.toUpperCase(), url, headers, origin: `HAR entry ${index + 1}` };
  const body = postDataBody(request['postData'], `${where}/postData`);
  if (body !== undefined) input.body = new TextEncoder().encode(body.text);
  if (body?.mimeType && !headers.some(([n]) => n.toLowerCase() === 'content-type')) headers.push(['Content-Type', body.mimeType]);
  const recorded = recordedResponse(isObject(entry) ? entry['response'] : undefined);
  return recorded ? { input, recorded } : { input };
}

function nameValues(list: unknown, where: string): Array<[string, string]> {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new InputError(`${where} is not an array`);
  return list.map((item, i) => {
    if (!isObject(item) || typeof item['name'] !== 'string') throw new InputError(`${where}/${i} has no name`);
    return [item['name'], typeof item['value'] === 'string' ? item['value'] : String(item['value'] ?? '')];
  });
}

function postDataBody(postData: unknown, where: string): { text: string; mimeType?: string } | undefined {
  if (postData === undefined) return undefined;
  if (!isObject(postData)) throw new InputError(`${where} is not an object`);
  const mimeType = typeof postData['mimeType'] === 'string' && postData['mimeType'] !== '' ? postData['mimeType'] : undefined;
  if (typeof postData['text'] === 'string') return { text: postData['text'], ...(mimeType ? { mimeType } : {}) };
  // some exporters give form fields only as params
  const params = nameValues(postData['params'], `${where}/params`);
  const text = params.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');
  return { text, ...(mimeType ? { mimeType } : {}) };
}

function recordedResponse(response: unknown): RecordedResponse | undefined {
  if (!isObject(response) || typeof response['status'] !== 'number' || response['status'] <= 0) return undefined;
  let headers: Array<[string, string]> = [];
  try {
    headers = nameValues(response['headers'], 'response/headers');
  } catch {
    headers = [];
  }
  const content = isObject(response['content']) ? response['content'] : {};
  const raw = typeof content['text'] === 'string' ? content['text'] : '';
  const body = content['encoding'] === 'base64' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  return { status: response['status'], headers, body };
}
