// explain: why does this request get a 400? One request checked against its operation, part by part, the
// way the server will parse it; optionally sent, and the server's answer set beside the diagnosis.
import type { ApiSpec, HttpRequest, Operation, SchemaBundle, SourceLocation, Validator } from '../model.js';
import { createValidator } from '../schema/validator.js';
import { parseRequest } from '../generate/parse.js';
import type { SchemaObject } from '../generate/shape.js';
import type { ExplainInput } from './request.js';
import type { RecordedResponse } from './har.js';
import type { Diagnosis, MatchedOperation, Problem } from './types.js';
import { matchOperation, serverBasePath, type OperationMatch } from './match.js';
import { parameterProblems, readingProblems } from './parameters.js';
import { securityProblems } from './security.js';
import { bodyProblems } from './body.js';
import { schemaIndex } from './schema-view.js';
import { compareWithServer, sendRequest, targetUrl } from './server.js';
import { ruleLocation } from './issues.js';

export type { ExplainInput } from './request.js';
export type { Diagnosis, Problem, NearMiss, MatchedOperation, ServerAnswer, ServerReason, ServerVerdict } from './types.js';
export type { RecordedResponse, HarRequest } from './har.js';
export { parseCurl, type CurlOptions } from './curl.js';
export { splitShellWords } from './shell-words.js';
export { readHar } from './har.js';

export interface ExplainOptions {
  /** reuse a validator built for this spec (one is created otherwise) */
  validator?: Validator;
  /** send the request and compare the server's answer with the diagnosis */
  send?: boolean;
  /** where to send it, and a base path to strip when matching; default: the request's own URL */
  baseUrl?: string;
  /** per-request timeout for --send, default 10 s */
  timeoutMs?: number;
  /** an answer already recorded with the request (a HAR entry's response), compared like a sent one */
  recorded?: RecordedResponse;
}

const PART_ORDER: Problem['part'][] = ['operation', 'security', 'path', 'query', 'header', 'cookie', 'content-type', 'body'];
const indexes = new WeakMap<SchemaBundle, (location: SourceLocation) => SchemaObject | undefined>();

function schemaAtFor(bundle: SchemaBundle): (location: SourceLocation) => SchemaObject | undefined {
  let index = indexes.get(bundle);
  if (!index) {
    index = schemaIndex(bundle);
    indexes.set(bundle, index);
  }
  return index;
}

/** Path (still percent-encoded) and query string of the request URL, absolute or not. */
function splitUrl(url: string): { path: string; search: string } {
  const parsed = new URL(url, 'http://relative.invalid');
  return { path: parsed.pathname, search: parsed.search };
}

function headerRecord(headers: Array<[string, string]>): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of headers) {
    const existing = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
    if (existing === undefined) record[name] = value;
    else record[existing] = `${record[existing]}${name.toLowerCase() === 'cookie' ? '; ' : ', '}${value}`;
  }
  return record;
}

export async function explainRequest(spec: ApiSpec, input: ExplainInput, opts: ExplainOptions = {}): Promise<Diagnosis> {
  const validator = opts.validator ?? createValidator(spec.schemas);
  const { path, search } = splitUrl(input.url);
  const extraBases = opts.baseUrl ? [serverBasePath(opts.baseUrl)].filter((b) => b !== '') : [];
  const notes = [...(input.notes ?? [])];
  const diagnosis: Diagnosis = {
    request: { method: input.method, url: input.url, origin: input.origin },
    nearMisses: [],
    problems: [],
    notes,
    expected: [],
    conforms: false,
  };
  const matched = matchOperation(spec, input.method, path, extraBases);
  if (matched.ok) {
    diagnosis.operation = describeMatch(spec, matched.match);
    diagnosis.problems = sortProblems(checkRequest(spec, validator, matched.match, input, path + search, notes));
  } else {
    diagnosis.nearMisses = matched.nearMisses;
    const first = matched.nearMisses[0];
    const problem: Problem = {
      where: first?.reason === 'method' ? 'method' : 'path',
      severity: 'error',
      part: 'operation',
      value: first?.reason === 'method' ? input.method : path,
      rule: 'paths',
      message: matched.message,
    };
    if (first) problem.fix = first.reason === 'method' ? `use one of ${matched.nearMisses.map((n) => n.method.toUpperCase()).join(', ')}` : first.suggestion;
    diagnosis.problems = [problem];
  }
  diagnosis.conforms = matched.ok && !diagnosis.problems.some((p) => p.severity === 'error');
  diagnosis.expected = expectedStatuses(matched.ok ? matched.match.operation : undefined, diagnosis.problems);

  if (opts.send) {
    const url = targetUrl(input.url, opts.baseUrl);
    const outcome = await sendRequest(input, url, opts.timeoutMs ?? 10_000);
    diagnosis.server = compareWithServer('sent', outcome, diagnosis.problems, matched.ok);
  } else if (opts.recorded) {
    diagnosis.server = compareWithServer('har', { ok: true, url: input.url, response: opts.recorded }, diagnosis.problems, matched.ok);
  }
  return diagnosis;
}

function describeMatch(spec: ApiSpec, match: OperationMatch): MatchedOperation {
  const op = match.operation;
  const described: MatchedOperation = { id: op.id, method: op.method, path: op.path, pointer: `#${op.location.pointer}`, basePath: match.basePath };
  const line = ruleLocation(spec, op.location).line;
  if (line !== undefined) described.line = line;
  return described;
}

function checkRequest(spec: ApiSpec, validator: Validator, match: OperationMatch, input: ExplainInput, pathAndQuery: string, notes: string[]): Problem[] {
  const op = match.operation;
  const schemaAt = schemaAtFor(spec.schemas);
  const readAs = (contentType: string | undefined): ReturnType<typeof parseRequest> => {
    const headers = headerRecord(input.headers.filter(([n]) => contentType === undefined || n.toLowerCase() !== 'content-type'));
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    const request: HttpRequest = { method: input.method, path: pathAndQuery, headers };
    if (input.body !== undefined) request.body = input.body;
    return parseRequest(op, request, match.basePath, spec.schemas);
  };
  const parsed = readAs(undefined);
  const query = new URLSearchParams(pathAndQuery.includes('?') ? pathAndQuery.slice(pathAndQuery.indexOf('?') + 1) : '');
  return [
    ...readingProblems(parsed.problems),
    ...securityProblems(spec, op, input, query),
    ...parameterProblems(op.parameters, parsed, { spec, validator, schemaAt, sentHeaders: input.headers.map(([n]) => n), query }),
    ...bodyProblems(op, input, parsed, { spec, validator, schemaAt, readAs, notes }),
  ];
}

/** Per problem, the answer the contract calls for: documented statuses where the document has them. */
export function expectedStatuses(op: Operation | undefined, problems: Problem[]): string[] {
  const documented = new Set(op?.responses.map((r) => r.status) ?? []);
  const prefer = (status: string, fallback: string): string => (documented.has(status) ? status : fallback);
  const statuses = problems
    .filter((p) => p.severity === 'error')
    .map((p) => {
      if (p.part === 'operation') return p.where === 'method' ? '405' : '404';
      if (p.part === 'security') return '401';
      if (p.part === 'content-type') return prefer('415', '400');
      if (p.part === 'body' && !p.rule.includes('syntax')) return prefer('422', '400');
      return '400';
    });
  return [...new Set(statuses)];
}

function sortProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = `${p.where} ${p.rule}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => PART_ORDER.indexOf(a.part) - PART_ORDER.indexOf(b.part));
}
