import type { Format } from 'ajv';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
// 2^63 - 1 is not a double: it parses as 2^63, so the upper bound is inclusive to accept the real maximum.
const INT64_LIMIT = 2 ** 63;
const FLOAT_MAX = 3.4028234663852886e38;
// Standard or URL-safe alphabet, padding optional: servers use both and neither breaks a client that decodes.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function isBase64(text: string): boolean {
  if (!BASE64.test(text)) return false;
  const padded = text.endsWith('=');
  return padded ? text.length % 4 === 0 : text.length % 4 !== 1;
}

/** OpenAPI's own formats (OAS 3.x "Data Types"), overriding ajv-formats where its check is looser. */
export const openApiFormats: Record<string, Format> = {
  int32: { type: 'number', validate: (value: number) => Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX },
  int64: { type: 'number', validate: (value: number) => Number.isInteger(value) && value >= -INT64_LIMIT && value <= INT64_LIMIT },
  float: { type: 'number', validate: (value: number) => Number.isFinite(value) && Math.abs(value) <= FLOAT_MAX },
  double: { type: 'number', validate: (value: number) => Number.isFinite(value) },
  byte: { type: 'string', validate: isBase64 },
  binary: true,
  password: true,
};

/** Formats the validator checks (ajv-formats' list plus OpenAPI's); any other format is accepted and noted. */
export const KNOWN_FORMATS: ReadonlySet<string> = new Set([
  'date', 'time', 'date-time', 'iso-time', 'iso-date-time', 'duration', 'uri', 'uri-reference', 'uri-template',
  'url', 'email', 'hostname', 'ipv4', 'ipv6', 'regex', 'uuid', 'json-pointer', 'json-pointer-uri-fragment',
  'relative-json-pointer', ...Object.keys(openApiFormats),
]);

/** Ajv's RegExp engine, made lenient: a pattern that is not valid with the 'u' flag is compiled without it. */
export const lenientRegExp = Object.assign(
  (pattern: string, flags: string): RegExp => {
    try {
      return new RegExp(pattern, flags);
    } catch (error) {
      if (!flags.includes('u')) throw error;
      return new RegExp(pattern, flags.replace('u', ''));
    }
  },
  { code: 'new RegExp' },
);

export function compilesAsRegExp(pattern: string): boolean {
  try {
    lenientRegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
