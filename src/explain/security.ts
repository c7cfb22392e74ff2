// Credentials against the operation's security requirement: is every scheme of one alternative present
// and well-formed? Whether a token is valid only the server knows.
import type { ApiSpec, Operation, SecurityScheme } from '../model.js';
import type { ExplainInput } from './request.js';
import { headerValue } from './request.js';
import type { Problem } from './types.js';
import { ruleLocation } from './issues.js';

type SchemeCheck = { ok: true } | { ok: false; message: string; hint?: string; fix?: string; value?: string };

export interface SentCredentials {
  query: URLSearchParams;
  cookies: Map<string, string>;
}

export function readCookies(input: ExplainInput): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const piece of (headerValue(input, 'cookie') ?? '').split(';')) {
    const eq = piece.indexOf('=');
    if (eq > 0) cookies.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  return cookies;
}

const PLACEHOLDER_TOKENS = new Set(['undefined', 'null', '', '<token>', 'token', '${token}', '$token']);

function checkAuthorization(input: ExplainInput, expected: 'bearer' | 'basic', name: string): SchemeCheck {
  const header = headerValue(input, 'authorization');
  const label = expected === 'bearer' ? 'Bearer' : 'Basic';
  if (header === undefined) {
    return { ok: false, message: `no Authorization header (${name} wants ${label} credentials)`, fix: `Authorization: ${label} <${expected === 'bearer' ? 'token' : 'base64 of user:password'}>` };
  }
  const [scheme = '', ...rest] = header.trim().split(/\s+/);
  const credentials = rest.join(' ');
  if (scheme.toLowerCase() !== expected) {
    const looksLikeToken = rest.length === 0;
    return {
      ok: false,
      value: header,
      message: `Authorization uses ${looksLikeToken ? 'no scheme' : `the ${scheme} scheme`}; ${name} wants ${label}`,
      hint: looksLikeToken ? `the "${label} " prefix is missing before the credentials` : `${scheme} is not ${label}`,
      fix: `Authorization: ${label} ${looksLikeToken ? scheme : credentials}`,
    };
  }
  if (PLACEHOLDER_TOKENS.has(credentials.toLowerCase()) || /^["'].*["']$/.test(credentials)) {
    return {
      ok: false,
      value: header,
      message: `the ${label} credentials are ${credentials === '' ? 'empty' : `"${credentials}"`}`,
      hint: /^["']/.test(credentials) ? 'the token is quoted: send it without quotes' : 'a variable that was never set was pasted in (undefined/null/empty)',
    };
  }
  if (expected === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    if (!/^[A-Za-z0-9+/]+=*$/.test(credentials) || !decoded.includes(':')) {
      return { ok: false, value: header, message: 'Basic credentials must be base64 of "user:password"', fix: `Authorization: Basic ${Buffer.from(`${credentials}:`).toString('base64')} (if "${credentials}" is the user name)` };
    }
  }
  return { ok: true };
}

function checkApiKey(input: ExplainInput, scheme: { in: string; name: string }, schemeName: string, query: URLSearchParams): SchemeCheck {
  const sent = { header: headerValue(input, scheme.name), query: query.get(scheme.name) ?? undefined, cookie: readCookies(input).get(scheme.name) };
  const value = sent[scheme.in as keyof typeof sent];
  if (value !== undefined && value !== '') return { ok: true };
  const elsewhere = (Object.keys(sent) as Array<keyof typeof sent>).find((where) => where !== scheme.in && sent[where]);
  const fix = scheme.in === 'header' ? `${scheme.name}: <key>` : scheme.in === 'query' ? `?${scheme.name}=<key>` : `Cookie: ${scheme.name}=<key>`;
  if (elsewhere) {
    return { ok: false, message: `${scheme.name} was sent as a ${elsewhere === 'header' ? 'header' : elsewhere === 'query' ? 'query parameter' : 'cookie'}; ${schemeName} reads it from the ${scheme.in}`, fix };
  }
  const bearer = headerValue(input, 'authorization');
  const hint = bearer ? `an Authorization header was sent, but ${schemeName} is an API key in the ${scheme.in} named ${scheme.name}` : undefined;
  return { ok: false, message: `${value === '' ? 'empty' : 'no'} ${scheme.in} ${scheme.name} (${schemeName} API key)`, ...(hint ? { hint } : {}), fix };
}

function checkScheme(input: ExplainInput, name: string, scheme: SecurityScheme | undefined, query: URLSearchParams): SchemeCheck {
  if (!scheme) return { ok: true }; // an undefined scheme is the document's problem, reported by spec warnings
  if (scheme.type === 'http' && 'scheme' in scheme) {
    const kind = String(scheme.scheme).toLowerCase();
    if (kind === 'bearer' || kind === 'basic') return checkAuthorization(input, kind, name);
    return headerValue(input, 'authorization') ? { ok: true } : { ok: false, message: `no Authorization header (${name}: http ${kind})` };
  }
  if (scheme.type === 'apiKey' && 'in' in scheme) return checkApiKey(input, scheme, name, query);
  if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') return checkAuthorization(input, 'bearer', name);
  return { ok: true }; // mutualTLS: not visible in the request
}

/** One problem when no alternative of the security requirement is satisfied; none for public operations. */
export function securityProblems(spec: ApiSpec, op: Operation, input: ExplainInput, query: URLSearchParams): Problem[] {
  if (op.security.length === 0 || op.security.some((alternative) => alternative.length === 0)) return [];
  const failures: Array<{ scheme: string; check: Exclude<SchemeCheck, { ok: true }> }> = [];
  for (const alternative of op.security) {
    const checks = alternative.map(({ scheme }) => ({ scheme, check: checkScheme(input, scheme, spec.securitySchemes[scheme], query) }));
    const failed = checks.filter((c): c is { scheme: string; check: Exclude<SchemeCheck, { ok: true }> } => !c.check.ok);
    if (failed.length === 0) return [];
    failures.push(...failed);
  }
  // the alternative that came closest (a wrong scheme beats nothing at all) leads the message
  const lead = failures.find((f) => f.check.value !== undefined) ?? failures[0]!;
  const rule = op.security.map((alt) => alt.map((a) => a.scheme).join(' + ')).join(' or ');
  const location = spec.securitySchemes[lead.scheme]?.location;
  const problem: Problem = {
    where: 'security',
    severity: 'error',
    part: 'security',
    rule: `security: ${rule}`,
    ...ruleLocation(spec, location),
    message: `${lead.check.message} (expect 401 Unauthorized)`,
  };
  if (lead.check.value !== undefined) problem.value = lead.check.value;
  if (lead.check.hint) problem.hint = lead.check.hint;
  if (lead.check.fix) problem.fix = lead.check.fix;
  return [problem];
}
