// A curl command that sends the same bytes our sender sent: same method, URL, headers and body.
import type { HttpRequest } from '../model.js';
import { DEFAULT_SECRET_POLICY, decodedQueryName, isSecretName, splitUrl, type SecretPolicy } from './secrets.js';

export interface CurlOptions {
  secrets?: SecretPolicy;
}

export interface CurlSecretVariable {
  /** shell variable name, e.g. API_AUTHORIZATION */
  variable: string;
  /** the value it must hold to reproduce the request */
  value: string;
  /** what it stands for, e.g. 'header Authorization', 'query parameter api_key' */
  source: string;
}

/** Above this size a body goes through printf and stdin: argv strings are limited (128 KiB on Linux). */
const MAX_INLINE_BODY = 64 * 1024;

/** 'X-Api-Key' → 'API_X_API_KEY'; query parameters get 'API_QUERY_' so they cannot clash with headers. */
export function secretVariableName(kind: 'header' | 'query', name: string): string {
  const stem = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'SECRET';
  return kind === 'header' ? `API_${stem}` : `API_QUERY_${stem}`;
}

/** The shell variables a rendered command refers to, and the values they must hold. */
export function curlSecretVariables(url: string, request: HttpRequest, opts: CurlOptions = {}): CurlSecretVariable[] {
  const policy = opts.secrets ?? DEFAULT_SECRET_POLICY;
  if (policy.show) return [];
  const vars = new Map<string, CurlSecretVariable>();
  for (const [name, value] of Object.entries(request.headers)) {
    if (isSecretName(name, policy)) {
      const variable = secretVariableName('header', name);
      vars.set(variable, { variable, value, source: `header ${name}` });
    }
  }
  for (const { name, value } of splitUrl(url).query) {
    if (value !== undefined && isSecretName(decodedQueryName(name), policy)) {
      const variable = secretVariableName('query', decodedQueryName(name));
      // the first occurrence wins; a repeated secret parameter gets the same variable
      if (!vars.has(variable)) vars.set(variable, { variable, value, source: `query parameter ${decodedQueryName(name)}` });
    }
  }
  return [...vars.values()];
}

export function renderCurl(url: string, request: HttpRequest, opts: CurlOptions = {}): string {
  const policy = opts.secrets ?? DEFAULT_SECRET_POLICY;
  const secrets = curlSecretVariables(url, request, { secrets: policy });
  const body = bodyBytes(request.body);
  const method = request.method.toUpperCase();

  const args: string[] = ['--globoff', '--path-as-is'];
  if (method === 'HEAD' && body === undefined) args.push('--head');
  else if (method !== 'GET' || body !== undefined) args.push(`--request ${shellQuote(method)}`);
  args.push(urlArgument(url, policy));

  const present = new Set(Object.keys(request.headers).map((n) => n.toLowerCase()));
  for (const [name, value] of Object.entries(request.headers)) args.push(`--header ${headerArgument(name, value, policy)}`);
  // curl adds these on its own; an empty "Name:" tells it not to, so only what we sent is sent
  const suppressed = ['User-Agent', 'Accept'];
  if (body !== undefined) suppressed.push('Content-Type', 'Expect');
  for (const name of suppressed) if (!present.has(name.toLowerCase())) args.push(`--header ${shellQuote(`${name}:`)}`);

  let pipeFrom = '';
  if (body !== undefined) {
    const text = inlineText(body);
    if (text !== undefined) args.push(`--data-raw ${shellQuote(text)}`);
    else {
      pipeFrom = `printf ${shellQuote(printfFormat(body))} | `;
      args.push('--data-binary @-');
    }
  }

  const comment = secrets.length === 0
    ? ''
    : `# set first: ${secrets.map((s) => `$${s.variable} (${s.source})`).join(', ')}\n`;
  return `${comment}${pipeFrom}curl ${args.join(' \\\n  ')}`;
}

function bodyBytes(body: HttpRequest['body']): Uint8Array | undefined {
  if (body === undefined) return undefined;
  // undici sends a string body as UTF-8
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** The body as text when it can sit inside single quotes unchanged: valid UTF-8, no control bytes but \n and \t. */
function inlineText(body: Uint8Array): string | undefined {
  if (body.length > MAX_INLINE_BODY) return undefined;
  for (const byte of body) if ((byte < 0x20 && byte !== 0x0a && byte !== 0x09) || byte === 0x7f) return undefined;
  try {
    return utf8Strict.decode(body);
  } catch {
    return undefined;
  }
}

/** POSIX single quoting: everything literal; a quote is closed, escaped, reopened. */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A printf format that writes exactly these bytes (printf is a builtin in every POSIX shell, and takes octal escapes). */
function printfFormat(bytes: Uint8Array): string {
  let keepHighBytes = true;
  try {
    utf8Strict.decode(bytes);
  } catch {
    keepHighBytes = false;
  }
  let out = '';
  for (const [i, byte] of bytes.entries()) {
    if (i === 0 && byte === 0x2d) out += '\\055'; // a leading '-' would be read as an option by printf
    else if (byte === 0x25) out += '%%';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x27) out += '\\047';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if ((byte >= 0x20 && byte < 0x7f) || (byte >= 0x80 && keepHighBytes)) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  // printable bytes were appended one char each; high bytes must be re-joined as UTF-8 text
  return keepHighBytes ? Buffer.from(out, 'latin1').toString('utf8') : out;
}

/** undici writes header lines as latin1: a char up to U+00FF is one byte; beyond that it refuses to send. */
function headerLineBytes(line: string): Uint8Array {
  return /^[\u0000-\u00ff]*$/.test(line) ? Buffer.from(line, 'latin1') : Buffer.from(line, 'utf8');
}

function headerArgument(name: string, value: string, policy: SecretPolicy): string {
  if (isSecretName(name, policy) && !policy.show) {
    return `${shellQuote(`${name}: `)}"$${secretVariableName('header', name)}"`;
  }
  if (value === '') return shellQuote(`${name};`); // curl: "Name;" sends an empty header, "Name:" removes it
  const line = `${name}: ${value}`;
  if (/^[\u0020-\u007e]*$/.test(line)) return shellQuote(line);
  return `"$(printf ${shellQuote(printfFormat(headerLineBytes(line)))})"`;
}

function urlArgument(url: string, policy: SecretPolicy): string {
  const parts = splitUrl(url);
  const secretAt = parts.query.map(({ name, value }) => value !== undefined && !policy.show && isSecretName(decodedQueryName(name), policy));
  if (!secretAt.includes(true)) return shellQuote(url);
  let quoted = shellQuote(`${parts.base}?`);
  parts.query.forEach(({ name, value }, i) => {
    const sep = i === 0 ? '' : '&';
    if (secretAt[i]) quoted += `${shellQuote(`${sep}${name}=`)}"$${secretVariableName('query', decodedQueryName(name))}"`;
    else quoted += shellQuote(value === undefined ? `${sep}${name}` : `${sep}${name}=${value}`);
  });
  if (parts.fragment) quoted += shellQuote(parts.fragment);
  return quoted;
}
