// --send: the request goes to the server as written, and the answer is set next to the local diagnosis.
import { request } from 'undici';
import { InputError } from '../errors.js';
import { decodableEncoding, decodeBody } from '../send/index.js';
import type { RecordedResponse } from './har.js';
import type { ExplainInput } from './request.js';
import { decodeServerError } from './server-errors.js';
import type { Problem, ServerAnswer, ServerReason, ServerVerdict } from './types.js';

const MAX_BODY = 1024 * 1024;
const EXCERPT = 2000;

/** The URL to send to: the request's own, or its path and query under --base-url. */
export function targetUrl(requestUrl: string, baseUrl: string | undefined): string {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(requestUrl);
  if (baseUrl === undefined) {
    if (!absolute) throw new InputError(`--send: the request URL '${requestUrl}' is a path; give --base-url to say where to send it`);
    return requestUrl;
  }
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new InputError(`--base-url '${baseUrl}' is not an absolute URL (expected e.g. http://localhost:8080)`);
  }
  if (absolute) {
    const url = new URL(requestUrl);
    return `${base.origin}${url.pathname}${url.search}`;
  }
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${requestUrl.startsWith('/') ? '' : '/'}${requestUrl}`;
}

export type SendOutcome = { ok: true; url: string; response: RecordedResponse } | { ok: false; url: string; error: string };

export async function sendRequest(input: ExplainInput, url: string, timeoutMs: number): Promise<SendOutcome> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of input.headers) {
    const key = name.toLowerCase();
    if (key === 'host' || key === 'content-length' || key === 'connection' || key === 'transfer-encoding') continue;
    const previous = headers[key];
    headers[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  try {
    const answer = await request(url, {
      method: input.method as 'GET',
      headers,
      body: input.body === undefined ? null : Buffer.from(input.body),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of answer.body) {
      const buffer = chunk as Buffer;
      if (size < MAX_BODY) chunks.push(buffer);
      size += buffer.length;
    }
    const responseHeaders: Array<[string, string]> = [];
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue;
      for (const each of Array.isArray(value) ? value : [value]) responseHeaders.push([name, each]);
    }
    let bytes: Uint8Array = Buffer.concat(chunks).subarray(0, MAX_BODY);
    // a pasted browser request often asks for gzip or br (Accept-Encoding); show the decoded text
    const encoding = decodableEncoding(responseHeaders.find(([n]) => n === 'content-encoding')?.[1]);
    if (encoding) bytes = (await decodeBody(bytes, encoding, MAX_BODY)).body;
    const body = new TextDecoder().decode(bytes);
    return { ok: true, url, response: { status: answer.statusCode, headers: responseHeaders, body } };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, url, error: `${code ? `${code}: ` : ''}${(error as Error).message}` };
  }
}

/** The server's answer beside the local diagnosis, and whether the two agree. */
export function compareWithServer(source: ServerAnswer['source'], outcome: SendOutcome, problems: Problem[], matched: boolean): ServerAnswer {
  if (!outcome.ok) {
    return { source, url: outcome.url, reasons: [], verdict: 'no-answer', summary: `no answer from the server: ${outcome.error}`, error: outcome.error };
  }
  const { response } = outcome;
  const contentType = response.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1];
  const decoded = response.status >= 400 ? decodeServerError(contentType, response.body) : { format: undefined, reasons: [] };
  const errors = problems.filter((p) => p.severity === 'error');
  const { verdict, summary } = verdictFor(response.status, errors, decoded.reasons, matched);
  const answer: ServerAnswer = { source, url: outcome.url, status: response.status, reasons: decoded.reasons, verdict, summary };
  if (contentType) answer.contentType = contentType;
  if (decoded.format) answer.format = decoded.format;
  if (response.body !== '') answer.bodyExcerpt = response.body.length > EXCERPT ? `${response.body.slice(0, EXCERPT)}...` : response.body;
  return answer;
}

function verdictFor(status: number, errors: Problem[], reasons: ServerReason[], matched: boolean): { verdict: ServerVerdict; summary: string } {
  if (status >= 500) return { verdict: 'server-error', summary: `the server failed with ${status}: a server-side finding, whatever the request` };
  const rejected = status >= 400;
  if (errors.length === 0) {
    return rejected
      ? { verdict: 'server-rejects-valid', summary: `the contract accepts this request but the server answered ${status}: a server-side finding${status === 401 || status === 403 ? ' (or credentials the server does not know: their value cannot be checked locally)' : ''}` }
      : { verdict: 'agrees', summary: `the server accepted it (${status}), as the contract says` };
  }
  if (!rejected) {
    return { verdict: 'server-accepts-invalid', summary: `the contract rejects this request but the server accepted it (${status}): a server-side finding (it does not enforce ${errors.map((e) => e.rule).join('; ')})` };
  }
  const named = errors.filter((problem) => serverNames(problem, status, reasons, matched));
  if (named.length > 0) {
    return { verdict: 'agrees', summary: `the server rejected it too (${status}) and names the same ${named.length === 1 ? 'problem' : 'problems'}: ${named.map((p) => p.where).join(', ')}` };
  }
  return {
    verdict: 'rejects-for-another-reason',
    summary: reasons.length > 0 ? `the server rejected it too (${status}), but its reasons name other parts of the request` : `the server rejected it too (${status}) without a reason we could read`,
  };
}

/** Whether the server's answer points at the same problem: its status says it, or a reason names the place. */
function serverNames(problem: Problem, status: number, reasons: ServerReason[], matched: boolean): boolean {
  if (problem.part === 'security' && (status === 401 || status === 403)) return true;
  if (problem.part === 'content-type' && status === 415) return true;
  if (!matched && (status === 404 || status === 405)) return true;
  const keys = placeKeys(problem.where);
  return reasons.some((reason) => {
    const said = `${reason.location ?? ''} ${reason.message}`.toLowerCase();
    if (problem.part === 'content-type' && /content-type|media type/.test(said)) return true;
    if (problem.part === 'body' && problem.where === 'body' && /json|body|syntax|parse/.test(said)) return true;
    return keys.some((key) => said.includes(key));
  });
}

/** 'body.address.zip' → ['address.zip', '/address/zip', 'zip']; 'query.limit' → ['limit']. */
function placeKeys(where: string): string[] {
  const [, ...rest] = where.split('.');
  const inner = rest.join('.').replace(/\[(\d+)\]/g, '.$1').replace(/\["?([^"\]]+)"?\]/g, '.$1').replace(/^\./, '');
  if (inner === '') return [];
  const segments = inner.split('.');
  const leaf = [...segments].reverse().find((s) => !/^\d+$/.test(s));
  return [...new Set([inner.toLowerCase(), `/${segments.join('/')}`.toLowerCase(), ...(leaf ? [leaf.toLowerCase()] : [])])];
}
