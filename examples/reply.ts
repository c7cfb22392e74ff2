// What a handler answers, before it is written to the socket, and the problem-details replies every error uses.
import type { MisbehaveName } from './misbehave.js';
import type { Issue } from './validate.js';

export interface Reply {
  status: number;
  /** header names lower-case */
  headers: Record<string, string>;
  body?: Buffer;
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(value)) };
}

export function emptyReply(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers };
}

export const PROBLEM_BASE = 'https://shop.example.com/problems/';

export interface ProblemInit {
  status: number;
  /** last segment of the problem type URI, e.g. 'validation-error' */
  type: string;
  title: string;
  detail: string;
  errors?: Issue[];
  /** further extension members, e.g. the OAuth2 `error` code */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function htmlPage(status: number, title: string, detail: string): Buffer {
  return Buffer.from(
    `<!DOCTYPE html>\n<html><head><title>${status} ${escapeHtml(title)}</title></head>\n` +
      `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>\n`,
  );
}

function googleEnvelope(problem: ProblemInit, wrongCode: boolean): unknown {
  const errors = (problem.errors ?? [{ location: undefined, message: problem.detail }]).map((issue) => ({
    reason: problem.type,
    message: issue.message,
    ...(issue.location === undefined ? {} : { location: issue.pointer ?? issue.name ?? '', locationType: issue.location }),
  }));
  const code = wrongCode ? (problem.status === 400 ? 422 : 400) : problem.status;
  return { error: { code, message: problem.detail, errors } };
}

/** An RFC 9457 problem, or one of the broken renderings the misbehave switches ask for. */
export function problemReply(problem: ProblemInit, instance: string, misbehave: ReadonlySet<MisbehaveName>): Reply {
  const headers = problem.headers ?? {};
  if (misbehave.has('html-error-page') && (problem.status === 400 || problem.status === 422)) {
    return { status: problem.status, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }, body: htmlPage(problem.status, problem.title, problem.detail) };
  }
  const wrongCode = misbehave.has('google-code-mismatch');
  if (misbehave.has('google-envelope') || wrongCode) return jsonReply(problem.status, googleEnvelope(problem, wrongCode), headers);
  let status: number | string = problem.status;
  if (misbehave.has('problem-status-mismatch')) status = problem.status === 400 ? 422 : 400;
  if (misbehave.has('problem-status-string')) status = String(status);
  const body = {
    type: PROBLEM_BASE + problem.type,
    title: problem.title,
    status,
    detail: problem.detail,
    instance,
    ...problem.extensions,
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
  const contentType = misbehave.has('error-as-json') ? 'application/json' : 'application/problem+json';
  return { status: problem.status, headers: { ...headers, 'content-type': contentType }, body: Buffer.from(JSON.stringify(body)) };
}
