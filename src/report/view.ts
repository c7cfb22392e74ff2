// What every report format shows of a finding: request and response with secrets hidden, bodies as bounded excerpts.
import type { CaseKind, Finding, HttpRequest, TransportErrorKind } from '../model.js';
import {
  DEFAULT_SECRET_POLICY,
  redactHeaders,
  redactUrl,
  scrubSecrets,
  secretValuesOf,
  type SecretPolicy,
} from '../send/secrets.js';

/** Response bodies in reports are cut here (the JSON report says so with `excerpt: true`). */
export const RESPONSE_EXCERPT_BYTES = 8 * 1024;
/** Request bodies are kept whole up to here; the curl command always carries the full body. */
export const REQUEST_EXCERPT_BYTES = 64 * 1024;

export interface BodyExcerpt {
  /** 'text' when the kept bytes are valid UTF-8, else 'base64' */
  encoding: 'text' | 'base64';
  data: string;
  /** size of the whole body in bytes (as received, after the cap of the sender) */
  bytes: number;
  /** true when `data` holds only the first bytes of the body */
  excerpt: boolean;
}

export interface FindingView {
  request: { method: string; url: string; headers: Record<string, string>; body?: BodyExcerpt };
  response?: {
    status: number;
    headers: Record<string, string | string[]>;
    body: BodyExcerpt;
    /** the sender cut the body at --max-body */
    truncatedAtCap: boolean;
    contentEncoding?: string;
  };
  transportError?: { kind: TransportErrorKind; message: string };
  caseId: string;
  caseKind: CaseKind;
  caseSource?: string;
  why?: { where: string; keyword: string; rule?: { file: string; pointer: string }; value?: unknown; description: string };
  message: string;
  expected?: string;
  actual?: string;
  /** secret values this finding's request carried; renderers scrub them from any other text */
  secrets: string[];
}

const policies = new WeakMap<Finding, SecretPolicy>();

/** finalizeFindings records the run's policy so every later renderer hides the same names. */
export function rememberPolicy(finding: Finding, policy: SecretPolicy): void {
  policies.set(finding, policy);
}

const operationLines = new WeakMap<Finding, number>();

/** finalizeFindings records the line of the finding's operation: SARIF and annotations fall back to it. */
export function rememberOperationLine(finding: Finding, line: number): void {
  operationLines.set(finding, line);
}

export function operationLineOf(finding: Finding): number | undefined {
  return operationLines.get(finding);
}

export function policyFor(finding: Finding, explicit?: SecretPolicy): SecretPolicy {
  return explicit ?? policies.get(finding) ?? DEFAULT_SECRET_POLICY;
}

export function sentRequest(finding: Finding): HttpRequest {
  return finding.exchange.request ?? finding.exchange.case.request;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** The first `cap` bytes as text when they are UTF-8 (a character cut at the end is dropped), else base64. */
export function excerptOf(body: Uint8Array | string, cap: number): BodyExcerpt {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const excerpt = bytes.length > cap;
  const kept = excerpt ? bytes.subarray(0, cap) : bytes;
  // a multi-byte character cut by the cap leaves at most 3 stray bytes at the end
  for (let drop = 0; drop <= (excerpt ? 3 : 0) && drop <= kept.length; drop++) {
    try {
      return { encoding: 'text', data: utf8Strict.decode(kept.subarray(0, kept.length - drop)), bytes: bytes.length, excerpt };
    } catch {
      // try dropping one more byte
    }
  }
  return { encoding: 'base64', data: Buffer.from(kept).toString('base64'), bytes: bytes.length, excerpt };
}

function scrubBody(body: BodyExcerpt, secrets: string[]): BodyExcerpt {
  return body.encoding === 'text' ? { ...body, data: scrubSecrets(body.data, secrets) } : body;
}

/** Strings longer than this inside `why.value` are cut: a maxLength mutation can be megabytes. */
const MAX_VALUE_CHARS = 1024;

/** A JSON-safe copy of an arbitrary value (bigints as strings, long strings cut, cycles broken). */
export function jsonSafe(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === undefined) return undefined;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') {
    return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}… (${value.length} chars)` : value;
  }
  if (typeof value !== 'object' || value === null) return typeof value === 'function' || typeof value === 'symbol' ? String(value) : value;
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map((v) => jsonSafe(v, seen) ?? null);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const safe = jsonSafe(v, seen);
    if (safe !== undefined) out[k] = safe;
  }
  return out;
}

function scrubDeep(value: unknown, secrets: string[]): unknown {
  if (typeof value === 'string') return scrubSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, secrets));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, secrets)]));
  }
  return value;
}

export function viewOf(finding: Finding, explicit?: SecretPolicy): FindingView {
  const policy = policyFor(finding, explicit);
  const exchange = finding.exchange;
  const request = sentRequest(finding);
  const secrets = [
    ...secretValuesOf(exchange.url, request.headers, policy),
    ...(exchange.response ? secretValuesOf('', exchange.response.headers, policy) : []),
  ];
  const scrub = (text: string | undefined): string | undefined => (text === undefined ? undefined : scrubSecrets(text, secrets));

  const view: FindingView = {
    request: {
      method: request.method.toUpperCase(),
      url: redactUrl(exchange.url, policy),
      headers: redactHeaders(request.headers, policy) as Record<string, string>,
    },
    caseId: exchange.case.id,
    caseKind: exchange.case.kind,
    message: scrubSecrets(finding.message, secrets),
    secrets,
  };
  if (request.body !== undefined) view.request.body = scrubBody(excerptOf(request.body, REQUEST_EXCERPT_BYTES), secrets);
  if (exchange.response) {
    const r = exchange.response;
    view.response = {
      status: r.status,
      headers: redactHeaders(r.headers, policy),
      body: scrubBody(excerptOf(r.body, RESPONSE_EXCERPT_BYTES), secrets),
      truncatedAtCap: r.truncated,
    };
    if (r.contentEncoding) view.response.contentEncoding = r.contentEncoding;
  }
  if (exchange.transportError) {
    view.transportError = { kind: exchange.transportError.kind, message: scrubSecrets(exchange.transportError.message, secrets) };
  }
  if (exchange.case.source) view.caseSource = exchange.case.source;
  const why = exchange.case.why;
  if (why) {
    view.why = { where: why.where, keyword: why.keyword, description: scrubSecrets(why.description, secrets) };
    if (why.rule) view.why.rule = { file: why.rule.file, pointer: why.rule.pointer };
    if (why.value !== undefined) view.why.value = scrubDeep(jsonSafe(why.value), secrets);
  }
  const expected = scrub(finding.expected);
  const actual = scrub(finding.actual);
  if (expected !== undefined) view.expected = expected;
  if (actual !== undefined) view.actual = actual;
  return view;
}
