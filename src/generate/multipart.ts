// multipart/form-data on the wire (RFC 7578), both ways: parts → bytes with a given boundary, bytes → parts.

export interface MultipartPart {
  name: string;
  /** present for file parts */
  filename?: string;
  contentType?: string;
  body: Uint8Array;
}

const CRLF = '\r\n';
const utf8 = new TextEncoder();

// RFC 2046 bchars, 1 to 70 of them, not ending in a space.
const BOUNDARY_SYNTAX = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

export function isValidBoundary(boundary: string): boolean {
  return BOUNDARY_SYNTAX.test(boundary);
}

/** Quoted-string value of a Content-Disposition parameter, escaped the way browsers do (HTML form submission). */
function quoteDispositionValue(value: string): string {
  return `"${value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

function unquoteDispositionValue(value: string): string {
  return value.replace(/%22/g, '"').replace(/%0D/g, '\r').replace(/%0A/g, '\n');
}

export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  if (needle.length === 0) return from;
  const first = needle[0];
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    if (haystack[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function concatBytes(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** True when the boundary delimiter occurs inside some part (the body would then be cut at the wrong place). */
export function boundaryCollides(parts: MultipartPart[], boundary: string): boolean {
  const delimiter = utf8.encode(`--${boundary}`);
  return parts.some((p) => indexOfBytes(p.body, delimiter) >= 0);
}

export function encodeMultipart(parts: MultipartPart[], boundary: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    let head = `--${boundary}${CRLF}Content-Disposition: form-data; name=${quoteDispositionValue(part.name)}`;
    if (part.filename !== undefined) head += `; filename=${quoteDispositionValue(part.filename)}`;
    head += CRLF;
    if (part.contentType !== undefined) head += `Content-Type: ${part.contentType}${CRLF}`;
    chunks.push(utf8.encode(head + CRLF), part.body, utf8.encode(CRLF));
  }
  chunks.push(utf8.encode(`--${boundary}--${CRLF}`));
  return concatBytes(chunks);
}

export type MultipartParseResult = { ok: true; parts: MultipartPart[] } | { ok: false; message: string; offset: number };

/** Splits a header parameter list such as `form-data; name="a"; filename="b.txt"` (quotes honoured). */
export function parseHeaderParameters(value: string): { value: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const semi = value.indexOf(';');
  const main = (semi < 0 ? value : value.slice(0, semi)).trim();
  let rest = semi < 0 ? '' : value.slice(semi + 1);
  const param = /^\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)\s*(?:;|$)/;
  while (rest.trim() !== '') {
    const m = param.exec(rest);
    if (!m) break;
    let v = m[2]!.trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    params[m[1]!.toLowerCase()] = v;
    rest = rest.slice(m[0].length);
  }
  return { value: main, params };
}

function parsePartHeaders(bytes: Uint8Array): Record<string, string> {
  const headers: Record<string, string> = {};
  // Header bytes are ASCII by the RFC; browsers put UTF-8 names there, so read them as UTF-8.
  const text = new TextDecoder().decode(bytes);
  for (const line of text.split(CRLF)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export function parseMultipart(body: Uint8Array, boundary: string): MultipartParseResult {
  const delimiter = utf8.encode(`--${boundary}`);
  const between = utf8.encode(`${CRLF}--${boundary}`);
  const headEnd = utf8.encode(`${CRLF}${CRLF}`);
  let at = indexOfBytes(body, delimiter);
  if (at < 0) return { ok: false, message: `multipart body has no boundary "--${boundary}"`, offset: 0 };
  const parts: MultipartPart[] = [];
  for (;;) {
    at += delimiter.length;
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return { ok: true, parts };
    // transport padding (spaces, tabs) may follow a delimiter
    while (body[at] === 0x20 || body[at] === 0x09) at++;
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) {
      return { ok: false, message: 'multipart delimiter is not followed by CRLF', offset: at };
    }
    at += 2;
    const next = indexOfBytes(body, between, at);
    if (next < 0) return { ok: false, message: `multipart body has no closing boundary "--${boundary}--"`, offset: body.length };
    const raw = body.subarray(at, next);
    const split = raw[0] === 0x0d && raw[1] === 0x0a ? 0 : indexOfBytes(raw, headEnd);
    if (split < 0) return { ok: false, message: 'multipart part has no blank line after its headers', offset: at };
    const headers = parsePartHeaders(raw.subarray(0, split));
    const content = raw.subarray(split === 0 ? 2 : split + headEnd.length);
    const disposition = headers['content-disposition'];
    if (disposition === undefined) return { ok: false, message: 'multipart part has no Content-Disposition header', offset: at };
    const { value: kind, params } = parseHeaderParameters(disposition);
    if (kind.toLowerCase() !== 'form-data' || params['name'] === undefined) {
      return { ok: false, message: `multipart part has Content-Disposition "${disposition}", expected form-data with a name`, offset: at };
    }
    const part: MultipartPart = { name: unquoteDispositionValue(params['name']), body: content };
    if (params['filename'] !== undefined) part.filename = unquoteDispositionValue(params['filename']);
    if (headers['content-type'] !== undefined) part.contentType = headers['content-type'];
    parts.push(part);
    at = next + CRLF.length;
  }
}

/** File content as text: UTF-8 when it is valid UTF-8, otherwise one character per byte. */
export function bytesAsText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
}
