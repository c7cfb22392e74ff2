// Puts one case on the wire and records what happened. Never throws for anything the server does.
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type { Case, Exchange, HttpRequest, HttpResponse, TransportErrorKind } from '../model.js';
import { InputError } from '../errors.js';
import { decodableEncoding, decodeBody } from './decode.js';
import { createStartGate } from './rate.js';
import { parseRetryAfter, retryAfterMs } from './retry-after.js';

export interface SenderOptions {
  /** may carry a path prefix: http://127.0.0.1:8080/api/v1 */
  baseUrl: string;
  /** connections per origin */
  concurrency: number;
  /** per request, headers and body together, counted from when the request reaches a connection */
  timeoutMs: number;
  /** response bodies are cut here (the exchange is marked truncated), the rest discarded */
  maxBodyBytes: number;
  /** optional cap on requests started per second */
  ratePerSecond?: number;
  /** extra headers on every request (from --header); a header the case sets itself wins */
  headers?: Record<string, string>;
  /** longest wait honoured for a 429's Retry-After before its one retry (default 30 s) */
  retryAfterCapMs?: number;
}

export const DEFAULT_RETRY_AFTER_CAP_MS = 30_000;

export interface Sender {
  send(c: Case, signal?: AbortSignal): Promise<Exchange>;
  close(): Promise<void>;
}

/** Base URL (with its path prefix) + request path; no normalization, the path is sent as the planner wrote it. */
export function joinUrl(baseUrl: string, requestPath: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
  if (requestPath === '') return base;
  if (requestPath.startsWith('?')) return base + requestPath;
  return requestPath.startsWith('/') ? base + requestPath : `${base}/${requestPath}`;
}

interface BaseUrl {
  origin: string;
  /** path prefix without trailing slash: '' or '/api/v1' */
  prefix: string;
}

function parseBaseUrl(baseUrl: string): BaseUrl {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InputError(`--base-url: not an absolute URL: ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`--base-url: only http and https are supported, got ${url.protocol}`);
  }
  if (url.search || url.hash) throw new InputError(`--base-url: must not carry a query or fragment: ${baseUrl}`);
  if (url.username || url.password) throw new InputError('--base-url: credentials in the URL are not supported; use --header');
  const prefix = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  return { origin: url.origin, prefix };
}

function validateOptions(opts: SenderOptions): void {
  const positiveInt = (value: number, option: string): void => {
    if (!Number.isInteger(value) || value < 1) throw new InputError(`${option}: expected a positive integer, got ${value}`);
  };
  positiveInt(opts.concurrency, '--concurrency');
  positiveInt(opts.timeoutMs, '--timeout');
  positiveInt(opts.maxBodyBytes, '--max-body');
  if (opts.ratePerSecond !== undefined && !(opts.ratePerSecond > 0 && Number.isFinite(opts.ratePerSecond))) {
    throw new InputError(`--rate: expected a positive number, got ${opts.ratePerSecond}`);
  }
  if (opts.retryAfterCapMs !== undefined && !(opts.retryAfterCapMs >= 0 && Number.isFinite(opts.retryAfterCapMs))) {
    throw new InputError(`retryAfterCapMs: expected a number of ms >= 0, got ${opts.retryAfterCapMs}`);
  }
}

export function createSender(opts: SenderOptions): Sender {
  validateOptions(opts);
  const base = parseBaseUrl(opts.baseUrl);
  const pool = new Pool(base.origin, {
    connections: opts.concurrency,
    pipelining: 1,
    connectTimeout: opts.timeoutMs,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  });
  const gate = opts.ratePerSecond === undefined ? undefined : createStartGate(opts.ratePerSecond);
  const extraHeaders = Object.entries(opts.headers ?? {});
  let closed = false;

  const retryAfterCap = opts.retryAfterCapMs ?? DEFAULT_RETRY_AFTER_CAP_MS;

  /** Waits for the rate gate, then one request on the wire. */
  const sendOnce = async (c: Case, request: HttpRequest, url: string, signal?: AbortSignal): Promise<Exchange> => {
    const startedAt = Date.now();
    if (closed) return failed(c, request, url, startedAt, 0, { kind: 'other', message: 'sender is closed' });
    if (gate) {
      const wait = gate.book();
      if (wait > 0 && !(await sleep(wait, signal))) {
        return failed(c, request, url, startedAt, 0, { kind: 'other', message: 'aborted before sending' });
      }
    }
    const wirePath = base.prefix + (request.path.startsWith('/') || request.path === '' ? request.path : `/${request.path}`);
    const refusal = undiciRefusal(request, wirePath || '/');
    if (refusal) return failed(c, request, url, startedAt, 0, { kind: 'other', message: `not sent: ${refusal}` });
    const outcome = await dispatchOnce(pool, wirePath || '/', request, opts, signal);
    return toExchange(c, request, url, outcome, opts.maxBodyBytes);
  };

  return {
    async send(c: Case, signal?: AbortSignal): Promise<Exchange> {
      const request = withExtraHeaders(c.request, extraHeaders);
      const url = joinUrl(opts.baseUrl, request.path);
      const first = await sendOnce(c, request, url, signal);
      const retry = retryPlan(first, retryAfterCap);
      // aborted while waiting: the 429 is what we have
      if (retry === undefined || !(await sleep(retry.waitedMs, signal))) return first;
      const second = await sendOnce(c, request, url, signal);
      second.retriedAfter = retry;
      return second;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      // destroy, not close: a hanging server must not hold the process open
      await pool.destroy();
    },
  };
}

/** A 429 with a valid Retry-After is retried once, after the wait it asks for (at most `cap` ms). */
export function retryPlan(exchange: Exchange, cap: number, now: number = Date.now()): NonNullable<Exchange['retriedAfter']> | undefined {
  const response = exchange.response;
  if (response?.status !== 429 || exchange.transportError) return undefined;
  const header = response.headers['retry-after'];
  if (typeof header !== 'string') return undefined;
  const parsed = parseRetryAfter(header);
  if (parsed === undefined) return undefined;
  const asked = retryAfterMs(parsed, now);
  return { retryAfter: header, waitedMs: Math.min(asked, cap), capped: asked > cap };
}

function withExtraHeaders(request: HttpRequest, extra: Array<[string, string]>): HttpRequest {
  if (extra.length === 0) return request;
  const own = new Set(Object.keys(request.headers).map((n) => n.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const [name, value] of extra) if (!own.has(name.toLowerCase())) headers[name] = value;
  return { ...request, headers: { ...headers, ...request.headers } };
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BAD_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const BAD_PATH = /[^\u0021-\u00ff]/;

/**
 * What undici would refuse to send, checked before dispatch: a Pool whose client throws on a request
 * marks that client busy for good (undici 6), so a few illegal cases would starve every later one.
 */
export function undiciRefusal(request: HttpRequest, wirePath: string): string | undefined {
  if (BAD_PATH.test(wirePath)) return 'the path has characters HTTP/1.1 cannot carry (space, control or beyond U+00FF)';
  if (!TOKEN.test(request.method)) return `invalid method ${JSON.stringify(request.method)}`;
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) return `invalid header name ${JSON.stringify(name)}`;
    if (BAD_HEADER_VALUE.test(value)) return `header ${name} has characters HTTP/1.1 cannot carry (CR, LF, NUL or beyond U+00FF)`;
    if ((lower === 'host' || lower === 'content-length') && seen.has(lower)) return `duplicate ${lower} header`;
    seen.add(lower);
    if (lower === 'content-length' && !Number.isFinite(parseInt(value, 10))) return 'invalid content-length header';
    if (lower === 'transfer-encoding' || lower === 'keep-alive' || lower === 'upgrade' || lower === 'expect') {
      return `header ${name} is managed by the HTTP client and cannot be set`;
    }
    if (lower === 'connection' && !['close', 'keep-alive'].includes(value.toLowerCase())) return 'connection header other than close/keep-alive';
  }
  return undefined;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// ---------------------------------------------------------------- one request on the wire

interface RawOutcome {
  start: number;
  durationMs: number;
  status?: number;
  rawHeaders?: Buffer[];
  chunks: Buffer[];
  size: number;
  capped: boolean;
  error?: { kind: TransportErrorKind; message: string };
}

class Deadline extends Error {}
class BodyCap extends Error {}
class CallerAbort extends Error {}

function dispatchOnce(
  pool: Dispatcher,
  path: string,
  request: HttpRequest,
  opts: SenderOptions,
  signal: AbortSignal | undefined,
): Promise<RawOutcome> {
  return new Promise((resolve) => {
    let start = Date.now();
    let t0 = performance.now();
    const out: RawOutcome = { start, durationMs: 0, chunks: [], size: 0, capped: false };
    let abort: ((err?: Error) => void) | undefined;
    let pendingAbort: Error | undefined;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;

    const settle = (error?: RawOutcome['error']): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
      out.start = start;
      out.durationMs = performance.now() - t0;
      if (error) out.error = error;
      resolve(out);
    };
    const stop = (reason: Error): void => {
      if (abort) abort(reason);
      else pendingAbort = reason; // not on a connection yet: abort as soon as it is
    };
    function onCallerAbort(): void {
      stop(new CallerAbort('aborted'));
      settle({ kind: 'other', message: 'aborted by the caller' });
    }
    if (signal?.aborted) return settle({ kind: 'other', message: 'aborted by the caller' });
    signal?.addEventListener('abort', onCallerAbort, { once: true });

    const handler: Dispatcher.DispatchHandlers = {
      onConnect(abortRequest) {
        if (settled || pendingAbort) {
          abortRequest(pendingAbort ?? new CallerAbort('aborted'));
          return;
        }
        abort = abortRequest;
        start = Date.now();
        t0 = performance.now();
        timer = setTimeout(() => stop(new Deadline()), opts.timeoutMs);
      },
      onHeaders(statusCode, rawHeaders) {
        if (statusCode < 200) return true; // 1xx informational: the real answer follows
        out.status = statusCode;
        out.rawHeaders = rawHeaders;
        return true;
      },
      onData(chunk) {
        const room = opts.maxBodyBytes - out.size;
        if (chunk.length > room) {
          if (room > 0) out.chunks.push(chunk.subarray(0, room));
          out.size += Math.max(room, 0);
          out.capped = true;
          stop(new BodyCap());
          return false;
        }
        out.chunks.push(chunk);
        out.size += chunk.length;
        return true;
      },
      onComplete() {
        settle();
      },
      onError(err) {
        if (err instanceof BodyCap) return settle();
        if (err instanceof Deadline) return settle({ kind: 'timeout', message: `no complete response within ${opts.timeoutMs} ms` });
        if (err instanceof CallerAbort) return settle({ kind: 'other', message: 'aborted by the caller' });
        settle(classify(err, opts.timeoutMs));
      },
    };

    try {
      pool.dispatch(
        {
          path,
          method: request.method.toUpperCase() as Dispatcher.HttpMethod,
          headers: request.headers,
          body: request.body,
          // a body the server never reads must not hang us: the deadline covers it
        },
        handler,
      );
    } catch (err) {
      settle(classify(err, opts.timeoutMs));
    }
  });
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (err as { cause?: unknown }).cause;
  return cause === undefined ? undefined : errorCode(cause);
}

function classify(err: unknown, timeoutMs: number): { kind: TransportErrorKind; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  const code = errorCode(err) ?? '';
  const described = code && !message.includes(code) ? `${message} (${code})` : message;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return { kind: 'timeout', message: `no complete response within ${timeoutMs} ms: ${described}` };
  }
  if (code === 'ECONNREFUSED') return { kind: 'refused', message: described };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'ECONNABORTED') {
    return { kind: 'reset', message: described };
  }
  if (code.startsWith('HPE_') || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'UND_ERR_INFO') {
    return { kind: 'invalid-http', message: described };
  }
  return { kind: 'other', message: described };
}

// ---------------------------------------------------------------- outcome → Exchange

function failed(
  c: Case,
  request: HttpRequest,
  url: string,
  start: number,
  durationMs: number,
  transportError: { kind: TransportErrorKind; message: string },
): Exchange {
  return { case: c, request, url, transportError, timings: { start, durationMs } };
}

/** Header names lower-cased; repeats joined with ', ', set-cookie kept as an array. Values are latin1, as on the wire. */
export function headersFromRaw(raw: Buffer[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase();
    const value = raw[i + 1]!.toString('latin1');
    const prev = headers[name];
    if (name === 'set-cookie') headers[name] = Array.isArray(prev) ? [...prev, value] : [value];
    else headers[name] = prev === undefined ? value : `${prev as string}, ${value}`;
  }
  return headers;
}

export function isJsonMediaType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const media = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return media === 'application/json' || media.endsWith('+json');
}

function bodylessAnswer(method: string, status: number): boolean {
  return method.toUpperCase() === 'HEAD' || status === 204 || status === 304;
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: false });

export function parseJsonBody(body: Uint8Array, truncated: boolean): NonNullable<Exchange['json']> {
  if (truncated) return { ok: false, error: `body truncated at ${body.length} bytes, not parsed` };
  if (body.length === 0) return { ok: false, error: 'empty body' };
  try {
    return { ok: true, value: JSON.parse(utf8.decode(body)) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

async function toExchange(c: Case, request: HttpRequest, url: string, out: RawOutcome, cap: number): Promise<Exchange> {
  const exchange: Exchange = { case: c, request, url, timings: { start: out.start, durationMs: out.durationMs } };
  if (out.error) exchange.transportError = out.error;
  if (out.status === undefined || !out.rawHeaders) return exchange;

  const headers = headersFromRaw(out.rawHeaders);
  let body: Uint8Array = out.chunks.length === 1 ? out.chunks[0]! : Buffer.concat(out.chunks, out.size);
  let truncated = out.capped;
  const response: HttpResponse = { status: out.status, headers, body, truncated };

  const encodingHeader = headers['content-encoding'];
  const encoding = decodableEncoding(typeof encodingHeader === 'string' ? encodingHeader : undefined);
  if (encoding && body.length > 0) {
    const decoded = await decodeBody(body, encoding, cap);
    body = decoded.body;
    truncated = truncated || decoded.truncated;
    response.body = body;
    response.truncated = truncated;
    response.contentEncoding = decoded.error ? `${encoding} (${decoded.error})` : encoding;
  }
  exchange.response = response;

  const contentType = headers['content-type'];
  if (isJsonMediaType(typeof contentType === 'string' ? contentType : undefined) && !bodylessAnswer(request.method, out.status)) {
    exchange.json = out.error && !truncated
      ? { ok: false, error: `body incomplete (${out.error.kind}), not parsed` }
      : parseJsonBody(body, truncated);
  }
  exchange.timings.durationMs = out.durationMs;
  return exchange;
}
