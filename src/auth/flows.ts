// Flows that obtain a token: a login request, or an OAuth 2.0 token request (client credentials, password).
// Everything about the document (scheme names, token URLs, origins) is checked when the flow is built,
// before any request; the network is touched only by obtain().
import type { ApiSpec, SecurityScheme } from '../model.js';
import type { LoginConfig, OAuth2Config } from './config.js';
import { formatExpression, parseResponseExpression, readExpression, type FlowAnswer, type ResponseExpression } from './expressions.js';
import { describeUrl, FlowFailure, sendFlowRequest, type FlowRequest } from './http.js';

export interface FlowContext {
  spec: ApiSpec;
  /** may carry a path prefix: http://127.0.0.1:8080/api/v1 */
  baseUrl: string;
  timeoutMs: number;
}

export interface ObtainedToken {
  token: string;
  /** lifetime the server announced, in seconds */
  expiresInSeconds?: number;
  /** scopes the token endpoint says it granted */
  grantedScopes?: string[];
}

/** Where the token goes on a request: as a bearer token, or as the value of an apiKey scheme. */
export type TokenPlacement = { as: 'bearer' } | { as: 'apiKey'; scheme: string; prefix: string };

export interface TokenFlow {
  /** 'login POST http://…/auth/login', for messages */
  describe: string;
  placement: TokenPlacement;
  /** scopes asked for (oauth2 `scope`), if any */
  requestedScopes?: string[];
  obtain(): Promise<ObtainedToken>;
}

// RFC 6749 §5.2 codes are lower-case words joined by '_'; anything else is not printed
const RFC6749_ERROR = /^[a-z_]{1,64}$/;

function isAbsoluteUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(text);
}

/** A path under the base URL, prefix kept (the way operation paths are joined). */
function underBaseUrl(baseUrl: string, path: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
  return path.startsWith('/') ? `${base}${path}` : `${base}/${path}`;
}

function httpUrl(text: string, what: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FlowFailure(`${what} '${text}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FlowFailure(`${what} ${describeUrl(text)}: only http and https are supported`);
  return url.href;
}

/** Where a flow's token goes, from the config's `scheme` (a scheme name of the document, or 'bearer'). */
export function placementOf(scheme: string | undefined, spec: ApiSpec, pointer: string, prefix?: string): TokenPlacement {
  if (scheme === undefined || (scheme.toLowerCase() === 'bearer' && !(scheme in spec.securitySchemes))) return { as: 'bearer' };
  const found: SecurityScheme | undefined = spec.securitySchemes[scheme];
  if (!found) throw new FlowFailure(`${pointer}: the document has no security scheme '${scheme}' (it has: ${Object.keys(spec.securitySchemes).join(', ') || 'none'})`);
  if (found.type === 'apiKey' && 'in' in found) {
    // Swagger 2.0 has no bearer scheme: an apiKey header named Authorization is how it describes one
    const bearerHeader = found.in === 'header' && found.name.toLowerCase() === 'authorization';
    return { as: 'apiKey', scheme, prefix: prefix ?? (bearerHeader ? 'Bearer ' : '') };
  }
  if (found.type === 'oauth2' || found.type === 'openIdConnect') return { as: 'bearer' };
  if (found.type === 'http' && 'scheme' in found && found.scheme.toLowerCase() === 'bearer') return { as: 'bearer' };
  throw new FlowFailure(`${pointer}: a token cannot satisfy scheme '${scheme}' (${found.type}${'scheme' in found ? ` ${String(found.scheme)}` : ''})`);
}

function secondsOf(value: string | number | undefined): number | undefined {
  const seconds = typeof value === 'string' && /^\s*[0-9]+(\.[0-9]+)?\s*$/.test(value) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

function expression(text: string): ResponseExpression {
  const parsed = parseResponseExpression(text);
  if ('error' in parsed) throw new FlowFailure(parsed.error);
  return parsed;
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

// ---------------------------------------------------------------- login

function loginRequest(config: LoginConfig, url: string): FlowRequest {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (config.form !== undefined) {
    body = new URLSearchParams(config.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (config.body !== undefined) {
    body = JSON.stringify(config.body);
    headers['content-type'] = 'application/json';
  }
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    for (const key of Object.keys(headers)) if (key === name.toLowerCase()) delete headers[key];
    headers[name] = value;
  }
  return { method: config.method ?? 'POST', url, headers, body };
}

export function loginFlow(config: LoginConfig, ctx: FlowContext, pointer: string): TokenFlow {
  const url = httpUrl(isAbsoluteUrl(config.url) ? config.url : underBaseUrl(ctx.baseUrl, config.url), `${pointer}/url`);
  const request = loginRequest(config, url);
  const tokenAt = expression(config.token);
  const expiresAt = config.expiresIn === undefined ? undefined : expression(config.expiresIn);
  const describe = `login ${request.method} ${describeUrl(url)}`;
  return {
    describe,
    placement: placementOf(config.scheme, ctx.spec, `${pointer}/scheme`, config.prefix),
    async obtain() {
      const answer = await sendFlowRequest(request, ctx.timeoutMs, describe);
      if (!isSuccess(answer.status)) throw new FlowFailure(`${describe} answered ${answer.status}, expected 2xx`, answer.status);
      const token = readExpression(tokenAt, answer);
      if (token === undefined || token === '') {
        throw new FlowFailure(`${describe} answered ${answer.status} but ${formatExpression(tokenAt)} holds no token${answer.json === undefined && tokenAt.source === 'body' && tokenAt.pointer !== undefined ? ' (the body is not JSON)' : ''}`, answer.status);
      }
      const obtained: ObtainedToken = { token: String(token) };
      if (expiresAt) {
        const seconds = secondsOf(readExpression(expiresAt, answer));
        if (seconds === undefined) throw new FlowFailure(`${describe} answered ${answer.status} but ${formatExpression(expiresAt)} holds no number of seconds`, answer.status);
        obtained.expiresInSeconds = seconds;
      }
      return obtained;
    },
  };
}

// ---------------------------------------------------------------- OAuth 2.0

const FLOW_OF_GRANT = { client_credentials: 'clientCredentials', password: 'password' } as const;

/** The token URL: the config's, else the one of the document's oauth2 scheme for this grant. */
function tokenUrlOf(config: OAuth2Config, ctx: FlowContext, pointer: string): string {
  const base = ctx.baseUrl.endsWith('/') ? ctx.baseUrl : `${ctx.baseUrl}/`;
  if (config.tokenUrl !== undefined) return httpUrl(new URL(config.tokenUrl, base).href, `${pointer}/tokenUrl`);
  const flowName = FLOW_OF_GRANT[config.grant];
  const candidates = Object.entries(ctx.spec.securitySchemes).filter(([name]) => config.scheme === undefined || name === config.scheme);
  if (config.scheme !== undefined && candidates.length === 0) {
    throw new FlowFailure(`${pointer}/scheme: the document has no security scheme '${config.scheme}'`);
  }
  for (const [name, scheme] of candidates) {
    if (scheme.type !== 'oauth2' || !('flows' in scheme)) continue;
    const declared = scheme.flows[flowName]?.tokenUrl;
    if (declared === undefined) continue;
    const where = `${scheme.location.pointer}/flows/${flowName}/tokenUrl`;
    const resolved = httpUrl(new URL(declared, base).href, `the tokenUrl of scheme '${name}' (#${where})`);
    // the document is not trusted to send secrets elsewhere: another origin must be named in the config
    if (new URL(resolved).origin !== new URL(ctx.baseUrl).origin) {
      throw new FlowFailure(`the tokenUrl of scheme '${name}' (#${where}) is ${describeUrl(resolved)}, on another origin than the base URL; name it as ${pointer}/tokenUrl to use it`);
    }
    return resolved;
  }
  const which = config.scheme === undefined ? 'no oauth2 scheme of the document' : `scheme '${config.scheme}'`;
  throw new FlowFailure(`${which} declares flows.${flowName}.tokenUrl; name the token URL as ${pointer}/tokenUrl`);
}

/** application/x-www-form-urlencoded of one value, as RFC 6749 §2.3.1 asks before Basic encoding. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function tokenRequest(config: OAuth2Config, url: string): FlowRequest {
  const form = new URLSearchParams({ grant_type: config.grant });
  if (config.grant === 'password') {
    form.set('username', config.username ?? '');
    form.set('password', config.password ?? '');
  }
  if (config.scope !== undefined) form.set('scope', config.scope);
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' };
  if ((config.clientAuth ?? 'basic') === 'basic' && config.clientSecret !== undefined) {
    const pair = `${formEncode(config.clientId)}:${formEncode(config.clientSecret)}`;
    headers['authorization'] = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  } else {
    form.set('client_id', config.clientId);
    if (config.clientSecret !== undefined) form.set('client_secret', config.clientSecret);
  }
  return { method: 'POST', url, headers, body: form.toString() };
}

/** The RFC 6749 §5.2 error code of a refusal, when it is one (a fixed vocabulary, safe to print). */
function oauthErrorCode(answer: FlowAnswer): string | undefined {
  const json = answer.json;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const code = (json as Record<string, unknown>)['error'];
  return typeof code === 'string' && RFC6749_ERROR.test(code) ? code : undefined;
}

function tokenFromAnswer(answer: FlowAnswer, describe: string): ObtainedToken {
  const json = answer.json;
  const record = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  const token = record?.['access_token'];
  if (typeof token !== 'string' || token === '') throw new FlowFailure(`${describe} answered ${answer.status} without an access_token`, answer.status);
  const type = record?.['token_type'];
  if (typeof type === 'string' && type.toLowerCase() !== 'bearer') {
    throw new FlowFailure(`${describe} issued a token of type '${type.slice(0, 20)}'; only bearer tokens are supported`, answer.status);
  }
  const obtained: ObtainedToken = { token };
  const seconds = secondsOf(record?.['expires_in'] as string | number | undefined);
  if (seconds !== undefined) obtained.expiresInSeconds = seconds;
  const scope = record?.['scope'];
  if (typeof scope === 'string' && scope.trim() !== '') obtained.grantedScopes = scope.trim().split(/\s+/);
  return obtained;
}

export function oauth2Flow(config: OAuth2Config, ctx: FlowContext, pointer: string): TokenFlow {
  const url = tokenUrlOf(config, ctx, pointer);
  const request = tokenRequest(config, url);
  const describe = `OAuth2 ${config.grant} token request POST ${describeUrl(url)}`;
  return {
    describe,
    placement: { as: 'bearer' },
    requestedScopes: config.scope?.trim().split(/\s+/).filter((s) => s !== ''),
    async obtain() {
      const answer = await sendFlowRequest(request, ctx.timeoutMs, describe);
      if (!isSuccess(answer.status)) {
        const code = oauthErrorCode(answer);
        throw new FlowFailure(`${describe} answered ${answer.status}${code ? ` (${code})` : ''}, expected 200`, answer.status);
      }
      return tokenFromAnswer(answer, describe);
    },
  };
}
