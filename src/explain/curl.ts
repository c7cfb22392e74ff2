// A curl command line, as people paste it, turned into the request curl would send.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { encodeMultipart, type MultipartPart } from '../generate/multipart.js';
import type { ExplainInput } from './request.js';
import { splitShellWords } from './shell-words.js';

export interface CurlOptions {
  /** where `@file` and `<file` paths are read from (default: the process's working directory) */
  cwd?: string;
  /** boundary for -F bodies (curl picks a random one; a fixed one keeps output reproducible) */
  boundary?: string;
}

// curl draws a random boundary; a fixed one keeps diagnoses reproducible
const DEFAULT_BOUNDARY = '------------------------explain7d1f0a93c2';

type Handler =
  | 'method' | 'header' | 'data' | 'data-raw' | 'data-binary' | 'data-urlencode' | 'json' | 'form' | 'form-string'
  | 'user' | 'cookie' | 'user-agent' | 'referer' | 'url' | 'get' | 'head' | 'upload' | 'bearer' | 'digest' | 'ignore'
  | 'ignore-arg';

interface CurlOption {
  handler: Handler;
  takesArg: boolean;
}

const arg = (handler: Handler): CurlOption => ({ handler, takesArg: true });
const flag = (handler: Handler): CurlOption => ({ handler, takesArg: false });

const LONG: Record<string, CurlOption> = {
  request: arg('method'), header: arg('header'), data: arg('data'), 'data-ascii': arg('data'),
  'data-raw': arg('data-raw'), 'data-binary': arg('data-binary'), 'data-urlencode': arg('data-urlencode'),
  json: arg('json'), form: arg('form'), 'form-string': arg('form-string'), user: arg('user'), cookie: arg('cookie'),
  'user-agent': arg('user-agent'), referer: arg('referer'), url: arg('url'), get: flag('get'), head: flag('head'),
  'upload-file': arg('upload'), 'oauth2-bearer': arg('bearer'), digest: flag('digest'),
  // options that change nothing in the request itself
  output: arg('ignore-arg'), 'max-time': arg('ignore-arg'), 'connect-timeout': arg('ignore-arg'),
  proxy: arg('ignore-arg'), cacert: arg('ignore-arg'), cert: arg('ignore-arg'), key: arg('ignore-arg'),
  resolve: arg('ignore-arg'), 'connect-to': arg('ignore-arg'), 'write-out': arg('ignore-arg'),
  retry: arg('ignore-arg'), 'retry-delay': arg('ignore-arg'), 'retry-max-time': arg('ignore-arg'),
  'limit-rate': arg('ignore-arg'), interface: arg('ignore-arg'), 'cookie-jar': arg('ignore-arg'),
  'dump-header': arg('ignore-arg'), 'proxy-user': arg('ignore-arg'), 'trace-ascii': arg('ignore-arg'),
  trace: arg('ignore-arg'), 'max-redirs': arg('ignore-arg'), 'keepalive-time': arg('ignore-arg'),
  include: flag('ignore'), insecure: flag('ignore'), location: flag('ignore'), 'location-trusted': flag('ignore'),
  silent: flag('ignore'), 'show-error': flag('ignore'), verbose: flag('ignore'), compressed: flag('ignore'),
  fail: flag('ignore'), 'fail-with-body': flag('ignore'), 'http1.0': flag('ignore'), 'http1.1': flag('ignore'),
  http2: flag('ignore'), 'http2-prior-knowledge': flag('ignore'), globoff: flag('ignore'), 'no-buffer': flag('ignore'),
  ipv4: flag('ignore'), ipv6: flag('ignore'), 'no-progress-meter': flag('ignore'), 'progress-bar': flag('ignore'),
  'path-as-is': flag('ignore'), 'no-keepalive': flag('ignore'), 'tcp-nodelay': flag('ignore'), basic: flag('ignore'),
  'remote-name': flag('ignore'), 'show-headers': flag('ignore'), raw: flag('ignore'), 'tr-encoding': flag('ignore'),
};

const SHORT: Record<string, string> = {
  X: 'request', H: 'header', d: 'data', F: 'form', u: 'user', b: 'cookie', A: 'user-agent', e: 'referer',
  G: 'get', I: 'head', T: 'upload-file', o: 'output', m: 'max-time', x: 'proxy', w: 'write-out', E: 'cert',
  c: 'cookie-jar', D: 'dump-header', U: 'proxy-user', i: 'include', k: 'insecure', L: 'location', s: 'silent',
  S: 'show-error', v: 'verbose', f: 'fail', g: 'globoff', N: 'no-buffer', '4': 'ipv4', '6': 'ipv6',
  '#': 'progress-bar', O: 'remote-name',
};

interface CurlState {
  method?: string;
  headers: Array<[string, string]>;
  /** headers given as "Name:" — curl then sends none, not even its own default */
  suppressed: Set<string>;
  data: string[];
  dataKind?: 'form' | 'json';
  binary: Uint8Array[];
  parts: MultipartPart[];
  url?: string;
  get: boolean;
  head: boolean;
  upload?: Uint8Array;
  notes: string[];
}

/**
 * Parses curl's arguments (with or without the leading `curl`), or one string holding the whole pasted
 * command. Throws InputError for what curl itself would reject or what we cannot know (stdin, config files).
 */
export function parseCurl(args: readonly string[], options: CurlOptions = {}): ExplainInput {
  const notes: string[] = [];
  let words = [...args];
  if (words.length === 1 && /\s/.test(words[0]!.trim())) {
    const split = splitShellWords(words[0]!);
    words = split.words;
    if (split.dropped) notes.push(`ignored what follows the curl command: ${split.dropped}`);
    for (const name of split.unexpanded) notes.push(`${name} was not expanded: the request carries it literally`);
  }
  if (words[0] === 'curl' || words[0]?.endsWith('/curl') || words[0] === 'curl.exe') words = words.slice(1);
  if (words.length === 0) throw new InputError('curl command: no arguments (expected at least a URL)');

  const state: CurlState = { headers: [], suppressed: new Set(), data: [], binary: [], parts: [], get: false, head: false, notes };
  const cwd = options.cwd ?? process.cwd();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const takeArg = (name: string): string => {
      const value = words[++i];
      if (value === undefined) throw new InputError(`curl command: option ${name} needs a value`);
      return value;
    };
    if (word.startsWith('--') && word.length > 2) {
      const name = word.slice(2);
      const option = LONG[name] ?? (name.startsWith('no-') && LONG[name.slice(3)] && !LONG[name.slice(3)]!.takesArg ? flag('ignore') : undefined);
      if (!option) throw new InputError(`curl command: option ${word} is not supported by explain`);
      apply(state, option.handler, option.takesArg ? takeArg(word) : '', word, cwd);
      continue;
    }
    if (word.startsWith('-') && word.length > 1 && word !== '-') {
      // bundled short options: -sSL, -XPOST, -H'Accept: x'
      for (let j = 1; j < word.length; j++) {
        const letter = word[j]!;
        const long = SHORT[letter];
        const option = long ? LONG[long] : undefined;
        if (!long || !option) throw new InputError(`curl command: option -${letter} is not supported by explain`);
        if (option.takesArg) {
          const attached = word.slice(j + 1);
          apply(state, option.handler, attached !== '' ? attached : takeArg(`-${letter}`), `-${letter}`, cwd);
          break;
        }
        apply(state, option.handler, '', `-${letter}`, cwd);
      }
      continue;
    }
    if (state.url !== undefined) throw new InputError(`curl command: more than one URL ('${state.url}' and '${word}')`);
    state.url = word;
  }
  return toRequest(state, options);
}

function apply(state: CurlState, handler: Handler, value: string, option: string, cwd: string): void {
  switch (handler) {
    case 'method':
      state.method = value.toUpperCase();
      return;
    case 'header':
      addHeader(state, value, option);
      return;
    case 'data':
      state.data.push(value.startsWith('@') ? readData(value.slice(1), option, cwd).toString('utf8').replace(/[\r\n]/g, '') : value);
      state.dataKind ??= 'form';
      return;
    case 'data-raw':
      state.data.push(value);
      state.dataKind ??= 'form';
      return;
    case 'data-binary':
      state.data.push(value.startsWith('@') ? readData(value.slice(1), option, cwd).toString('utf8') : value);
      state.dataKind ??= 'form';
      return;
    case 'data-urlencode':
      state.data.push(urlencodeData(value, option, cwd));
      state.dataKind ??= 'form';
      return;
    case 'json':
      state.data.push(value.startsWith('@') ? readData(value.slice(1), option, cwd).toString('utf8') : value);
      state.dataKind = 'json';
      return;
    case 'form':
    case 'form-string':
      state.parts.push(formPart(value, option, cwd, handler === 'form-string'));
      return;
    case 'user':
      addBasic(state, value);
      return;
    case 'bearer':
      state.headers.push(['Authorization', `Bearer ${value}`]);
      return;
    case 'digest':
      state.notes.push('--digest: the challenge-response cannot be reproduced here; credentials are checked as basic');
      return;
    case 'cookie':
      if (!value.includes('=')) throw new InputError(`curl command: ${option} '${value}' reads a cookie file; pass the cookies as 'name=value' instead`);
      state.headers.push(['Cookie', value]);
      return;
    case 'user-agent':
      state.headers.push(['User-Agent', value]);
      return;
    case 'referer':
      state.headers.push(['Referer', value]);
      return;
    case 'url':
      if (state.url !== undefined) throw new InputError(`curl command: more than one URL ('${state.url}' and '${value}')`);
      state.url = value;
      return;
    case 'get':
      state.get = true;
      return;
    case 'head':
      state.head = true;
      return;
    case 'upload':
      state.upload = readData(value, option, cwd);
      return;
    case 'ignore':
    case 'ignore-arg':
      return;
  }
}

function addHeader(state: CurlState, value: string, option: string): void {
  if (value.startsWith('@')) throw new InputError(`curl command: ${option} ${value}: headers from a file are not supported`);
  const colon = value.indexOf(':');
  const semicolon = value.indexOf(';');
  // curl: "Name;" sends an empty header, "Name:" removes one (even curl's own default)
  if (colon < 0 && semicolon > 0 && value.slice(semicolon + 1).trim() === '') {
    state.headers.push([value.slice(0, semicolon).trim(), '']);
    return;
  }
  if (colon <= 0) throw new InputError(`curl command: ${option} '${value}' is not a header (expected 'Name: value')`);
  const name = value.slice(0, colon).trim();
  const headerValue = value.slice(colon + 1).trim();
  if (headerValue === '') {
    state.suppressed.add(name.toLowerCase());
    state.headers = state.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
    return;
  }
  state.headers.push([name, headerValue]);
}

function addBasic(state: CurlState, value: string): void {
  const colon = value.indexOf(':');
  if (colon < 0) state.notes.push(`-u ${value}: curl would prompt for the password; an empty one is assumed`);
  const credentials = colon < 0 ? `${value}:` : value;
  state.headers.push(['Authorization', `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`]);
}

function readData(file: string, option: string, cwd: string): Buffer {
  if (file === '-') throw new InputError(`curl command: ${option} @- reads standard input; save the body to a file and use @file`);
  const resolved = path.resolve(cwd, file);
  try {
    return readFileSync(resolved);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InputError(`curl command: ${option} @${file}: cannot read ${resolved} (${code})`);
  }
}

// curl's --data-urlencode forms: content, =content, name=content, @file, name@file
function urlencodeData(value: string, option: string, cwd: string): string {
  const eq = value.indexOf('=');
  const at = value.indexOf('@');
  if (eq >= 0 && (at < 0 || eq < at)) {
    const name = value.slice(0, eq);
    const encoded = curlEscape(value.slice(eq + 1));
    return name === '' ? encoded : `${name}=${encoded}`;
  }
  if (at >= 0) {
    const name = value.slice(0, at);
    const encoded = curlEscape(readData(value.slice(at + 1), option, cwd).toString('utf8'));
    return name === '' ? encoded : `${name}=${encoded}`;
  }
  return curlEscape(value);
}

/** Percent-encodes everything but RFC 3986 unreserved characters, as curl_easy_escape does. */
function curlEscape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// -F name=value | name=@file[;type=…][;filename=…] | name=<file ; --form-string keeps the value literal
function formPart(value: string, option: string, cwd: string, literal: boolean): MultipartPart {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InputError(`curl command: ${option} '${value}' is not a form field (expected name=value)`);
  const name = value.slice(0, eq);
  const content = value.slice(eq + 1);
  const encoder = new TextEncoder();
  if (literal || !(content.startsWith('@') || content.startsWith('<'))) {
    const [text, ...params] = literal ? [content] : content.split(';');
    const type = params.map((p) => /^type=(.*)$/.exec(p.trim())?.[1]).find((t) => t !== undefined);
    return { name, body: encoder.encode(text ?? ''), ...(type ? { contentType: type } : {}) };
  }
  const [file, ...params] = content.slice(1).split(';');
  const bytes = readData(file!, option, cwd);
  const param = (key: string): string | undefined =>
    params.map((p) => new RegExp(`^${key}=(.*)$`).exec(p.trim())?.[1]).find((t) => t !== undefined)?.replace(/^"|"$/g, '');
  if (content.startsWith('<')) return { name, body: new Uint8Array(bytes), ...(param('type') ? { contentType: param('type')! } : {}) };
  return {
    name,
    filename: param('filename') ?? path.basename(file!),
    contentType: param('type') ?? 'application/octet-stream',
    body: new Uint8Array(bytes),
  };
}

function hasOwnHeader(state: CurlState, name: string): boolean {
  const lower = name.toLowerCase();
  return state.suppressed.has(lower) || state.headers.some(([n]) => n.toLowerCase() === lower);
}

function toRequest(state: CurlState, options: CurlOptions): ExplainInput {
  if (state.url === undefined) throw new InputError('curl command: no URL');
  if (state.parts.length > 0 && state.data.length > 0) {
    throw new InputError('curl command: -F cannot be combined with -d/--data/--json (curl refuses it too)');
  }
  let url = /^[a-z][a-z0-9+.-]*:\/\//i.test(state.url) ? state.url : `http://${state.url}`;
  const headers = [...state.headers];
  let body: Uint8Array | undefined;
  let method = state.head ? 'HEAD' : 'GET';
  const joined = state.dataKind === 'json' ? state.data.join('') : state.data.join('&');

  if (state.data.length > 0 && state.get) {
    url += (url.includes('?') ? '&' : '?') + joined;
  } else if (state.data.length > 0) {
    body = new TextEncoder().encode(joined);
    method = 'POST';
    const type = state.dataKind === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
    if (!hasOwnHeader(state, 'content-type')) headers.push(['Content-Type', type]);
    if (state.dataKind === 'json' && !hasOwnHeader(state, 'accept')) headers.push(['Accept', 'application/json']);
  } else if (state.parts.length > 0) {
    const boundary = options.boundary ?? DEFAULT_BOUNDARY;
    body = encodeMultipart(state.parts, boundary);
    method = 'POST';
    if (!hasOwnHeader(state, 'content-type')) headers.push(['Content-Type', `multipart/form-data; boundary=${boundary}`]);
  } else if (state.upload) {
    body = state.upload;
    method = 'PUT';
  }
  if (state.method) method = state.method;
  return { method, url, headers, ...(body ? { body } : {}), origin: 'curl', notes: state.notes };
}
