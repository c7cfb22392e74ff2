// The config file's `identities` section: named identities, each with static values or a flow that obtains
// a token. Values arrive with ${VAR} already substituted by the config loader. Messages never print a value
// that could be a secret; they name the file, the pointer and the key.
import { InputError } from '../errors.js';
import { parseResponseExpression } from './expressions.js';

export type IdentityRole = 'full' | 'limited';

/** A login request whose answer holds a token (POST /auth/login with a JSON body, by default). */
export interface LoginConfig {
  /** default POST */
  method?: string;
  /** a path under the base URL ('/auth/login'), or an absolute URL named here explicitly */
  url: string;
  /** sent as JSON */
  body?: unknown;
  /** sent as application/x-www-form-urlencoded (instead of body) */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** where the answer holds the token: '$response.body#/access_token' | '$response.header.X-Token' | '$response.body' */
  token: string;
  /** where the answer holds the lifetime in seconds, e.g. '$response.body#/expires_in'; absent: refreshed on 401 only */
  expiresIn?: string;
  /** the security scheme the token satisfies: 'bearer' (default: as a bearer token) or a scheme name of the document */
  scheme?: string;
  /** put before the token in an apiKey scheme's value; default 'Bearer ' for an apiKey header named Authorization, else '' */
  prefix?: string;
}

export type OAuth2Grant = 'client_credentials' | 'password';

/** OAuth 2.0 client credentials (RFC 6749 §4.4) or resource owner password (§4.3) against the token URL. */
export interface OAuth2Config {
  grant: OAuth2Grant;
  /** the oauth2 scheme of the document whose flow gives the token URL; default: the first with that flow */
  scheme?: string;
  /** overrides the document's tokenUrl; the only way to reach another origin than the base URL's */
  tokenUrl?: string;
  clientId: string;
  /** required for client_credentials */
  clientSecret?: string;
  /** password grant */
  username?: string;
  password?: string;
  /** space-separated scopes to request */
  scope?: string;
  /** how the client authenticates (RFC 6749 §2.3.1): HTTP Basic (default) or client_id/client_secret in the form */
  clientAuth?: 'basic' | 'body';
}

export interface IdentityConfig {
  /** security schemes of the document this identity's credentials go to; default: every scheme they fit */
  schemes?: string[];
  /** the scopes it holds; default: those the token endpoint granted, else those requested, else all */
  scopes?: string[];
  /** 'full' runs the positive cases, 'limited' the 403 cases; default: by scopes */
  role?: IdentityRole;
  bearer?: string;
  basic?: { username: string; password: string };
  /** by apiKey parameter name (X-Api-Key) or by security scheme name */
  apiKey?: Record<string, string>;
  login?: LoginConfig;
  oauth2?: OAuth2Config;
}

type At = (pointer: string) => string;

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The type of a value, never the value itself (it may be a secret). */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const IDENTITY_KEYS = ['schemes', 'scopes', 'role', 'bearer', 'basic', 'apiKey', 'login', 'oauth2'] as const;
const BASIC_KEYS = ['username', 'password'] as const;
const LOGIN_KEYS = ['method', 'url', 'body', 'form', 'headers', 'token', 'expiresIn', 'scheme', 'prefix'] as const;
const OAUTH2_KEYS = ['grant', 'scheme', 'tokenUrl', 'clientId', 'clientSecret', 'username', 'password', 'scope', 'clientAuth'] as const;
const METHOD = /^[A-Za-z]+$/;

/** Rejects keys outside `known`, with the known key it differs from only by case. */
function checkKeys(value: Record<string, unknown>, known: readonly string[], at: At, pointer: string): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = known.find((k) => k.toLowerCase() === key.toLowerCase()) ?? (key === 'user' ? known.find((k) => k === 'username') : undefined);
    const hint = near ? ` (did you mean '${near}'?)` : ` (known: ${known.join(', ')})`;
    throw new InputError(`${at(`${pointer}/${escapePointer(key)}`)}: unknown key '${key}'${hint}`);
  }
}

function objectAt(value: unknown, at: At, pointer: string, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw new InputError(`${at(pointer)}: ${what} must be an object, got ${kindOf(value)}`);
  return value;
}

function stringAt(value: unknown, at: At, pointer: string, key: string): string {
  if (value === undefined) throw new InputError(`${at(pointer)}: '${key}' is required (a non-empty string)`);
  if (typeof value !== 'string' || value === '') {
    throw new InputError(`${at(pointer)}: '${key}' must be a non-empty string, got ${value === '' ? 'an empty string' : kindOf(value)}`);
  }
  return value;
}

function optionalString(record: Record<string, unknown>, key: string, at: At, pointer: string): string | undefined {
  return record[key] === undefined ? undefined : stringAt(record[key], at, `${pointer}/${key}`, key);
}

function stringList(value: unknown, at: At, pointer: string, key: string): string[] {
  if (!Array.isArray(value)) throw new InputError(`${at(pointer)}: '${key}' must be an array of strings, got ${kindOf(value)}`);
  return value.map((item, i) => stringAt(item, at, `${pointer}/${i}`, `${key}[${i}]`));
}

function stringRecord(value: unknown, at: At, pointer: string, key: string): Record<string, string> {
  const record = objectAt(value, at, pointer, `'${key}'`);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(record)) {
    if (typeof v !== 'string') throw new InputError(`${at(`${pointer}/${escapePointer(name)}`)}: must be a string, got ${kindOf(v)}`);
    out[name] = v;
  }
  return out;
}

function expressionAt(value: unknown, at: At, pointer: string, key: string, example: string): string {
  if (value === undefined) throw new InputError(`${at(pointer)}: '${key}' is required: where the answer holds it, e.g. '${example}'`);
  const text = stringAt(value, at, pointer, key);
  const parsed = parseResponseExpression(text);
  if ('error' in parsed) throw new InputError(`${at(pointer)}: '${key}': ${parsed.error}`);
  return text;
}

function readBasic(value: unknown, at: At, pointer: string): IdentityConfig['basic'] {
  const record = objectAt(value, at, pointer, "'basic'");
  checkKeys(record, BASIC_KEYS, at, pointer);
  return {
    username: stringAt(record['username'], at, `${pointer}/username`, 'username'),
    password: stringAt(record['password'], at, `${pointer}/password`, 'password'),
  };
}

function readLogin(value: unknown, at: At, pointer: string): LoginConfig {
  const record = objectAt(value, at, pointer, "'login'");
  checkKeys(record, LOGIN_KEYS, at, pointer);
  const login: LoginConfig = {
    url: stringAt(record['url'], at, `${pointer}/url`, 'url'),
    token: expressionAt(record['token'], at, `${pointer}/token`, 'token', '$response.body#/access_token'),
  };
  const method = optionalString(record, 'method', at, pointer);
  if (method !== undefined) {
    if (!METHOD.test(method)) throw new InputError(`${at(`${pointer}/method`)}: '${method}' is not an HTTP method`);
    login.method = method.toUpperCase();
  }
  if (record['body'] !== undefined && record['form'] !== undefined) {
    throw new InputError(`${at(`${pointer}/form`)}: give 'body' (sent as JSON) or 'form' (sent form-encoded), not both`);
  }
  if (record['body'] !== undefined) login.body = record['body'];
  if (record['form'] !== undefined) login.form = stringRecord(record['form'], at, `${pointer}/form`, 'form');
  if (record['headers'] !== undefined) login.headers = stringRecord(record['headers'], at, `${pointer}/headers`, 'headers');
  if (record['expiresIn'] !== undefined) login.expiresIn = expressionAt(record['expiresIn'], at, `${pointer}/expiresIn`, 'expiresIn', '$response.body#/expires_in');
  const scheme = optionalString(record, 'scheme', at, pointer);
  if (scheme !== undefined) login.scheme = scheme;
  if (record['prefix'] !== undefined) {
    if (typeof record['prefix'] !== 'string') throw new InputError(`${at(`${pointer}/prefix`)}: 'prefix' must be a string, got ${kindOf(record['prefix'])}`);
    login.prefix = record['prefix'];
  }
  return login;
}

function readOAuth2(value: unknown, at: At, pointer: string): OAuth2Config {
  const record = objectAt(value, at, pointer, "'oauth2'");
  checkKeys(record, OAUTH2_KEYS, at, pointer);
  const grant = record['grant'];
  if (grant !== 'client_credentials' && grant !== 'password') {
    const got = typeof grant === 'string' ? `'${grant}'` : kindOf(grant);
    throw new InputError(`${at(`${pointer}/grant`)}: 'grant' must be client_credentials or password, got ${got}`);
  }
  const config: OAuth2Config = { grant, clientId: stringAt(record['clientId'], at, `${pointer}/clientId`, 'clientId') };
  for (const key of ['scheme', 'tokenUrl', 'clientSecret', 'username', 'password', 'scope'] as const) {
    const text = optionalString(record, key, at, pointer);
    if (text !== undefined) config[key] = text;
  }
  const clientAuth = record['clientAuth'];
  if (clientAuth !== undefined) {
    if (clientAuth !== 'basic' && clientAuth !== 'body') {
      throw new InputError(`${at(`${pointer}/clientAuth`)}: 'clientAuth' must be basic or body, got ${typeof clientAuth === 'string' ? `'${clientAuth}'` : kindOf(clientAuth)}`);
    }
    config.clientAuth = clientAuth;
  }
  if (grant === 'client_credentials' && config.clientSecret === undefined) {
    throw new InputError(`${at(`${pointer}/clientSecret`)}: 'clientSecret' is required for the client_credentials grant`);
  }
  if (grant === 'password') {
    for (const key of ['username', 'password'] as const) {
      if (config[key] === undefined) throw new InputError(`${at(`${pointer}/${key}`)}: '${key}' is required for the password grant`);
    }
  }
  return config;
}

function readIdentity(value: unknown, at: At, pointer: string): IdentityConfig {
  const record = objectAt(value, at, pointer, 'an identity');
  checkKeys(record, IDENTITY_KEYS, at, pointer);
  const identity: IdentityConfig = {};
  if (record['schemes'] !== undefined) identity.schemes = stringList(record['schemes'], at, `${pointer}/schemes`, 'schemes');
  if (record['scopes'] !== undefined) identity.scopes = stringList(record['scopes'], at, `${pointer}/scopes`, 'scopes');
  if (record['role'] !== undefined) {
    const role = record['role'];
    if (role !== 'full' && role !== 'limited') {
      throw new InputError(`${at(`${pointer}/role`)}: 'role' must be full or limited, got ${typeof role === 'string' ? `'${role}'` : kindOf(role)}`);
    }
    identity.role = role;
  }
  if (record['bearer'] !== undefined) identity.bearer = stringAt(record['bearer'], at, `${pointer}/bearer`, 'bearer');
  if (record['basic'] !== undefined) identity.basic = readBasic(record['basic'], at, `${pointer}/basic`);
  if (record['apiKey'] !== undefined) identity.apiKey = stringRecord(record['apiKey'], at, `${pointer}/apiKey`, 'apiKey');
  if (record['login'] !== undefined) identity.login = readLogin(record['login'], at, `${pointer}/login`);
  if (record['oauth2'] !== undefined) identity.oauth2 = readOAuth2(record['oauth2'], at, `${pointer}/oauth2`);

  if (identity.login && identity.oauth2) throw new InputError(`${at(`${pointer}/oauth2`)}: give 'login' or 'oauth2', not both`);
  if (identity.bearer !== undefined && (identity.login || identity.oauth2)) {
    throw new InputError(`${at(`${pointer}/bearer`)}: 'bearer' and a flow ('${identity.login ? 'login' : 'oauth2'}') both give the token; keep one`);
  }
  const sources = ['bearer', 'basic', 'apiKey', 'login', 'oauth2'] as const;
  if (!sources.some((key) => identity[key] !== undefined)) {
    throw new InputError(`${at(pointer)}: the identity has no credentials (give one of ${sources.join(', ')})`);
  }
  return identity;
}

/**
 * Reads and checks the `identities` object of the config file. `at` is the config loader's SectionReader
 * argument (pointer → "file#/identities/pointer"); a plain string is taken as that prefix.
 */
export function parseIdentities(value: unknown, at: string | At): Record<string, IdentityConfig> {
  const where: At = typeof at === 'string' ? (pointer) => `${at}${pointer}` : at;
  const record = objectAt(value, where, '', "'identities'");
  const out: Record<string, IdentityConfig> = {};
  if (Object.keys(record).length === 0) throw new InputError(`${where('')}: 'identities' is empty; name at least one identity`);
  for (const [name, identity] of Object.entries(record)) {
    if (name.trim() === '') throw new InputError(`${where('/')}: an identity needs a name`);
    out[name] = readIdentity(identity, where, `/${escapePointer(name)}`);
  }
  return out;
}
