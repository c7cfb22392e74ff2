// Strings for the formats that OpenAPI documents use, shaped to pass ajv-formats' full checks.
import type { Random } from './random.js';

/** 'minimal' and 'maximal' are the boundary extents; 'random' a typical value. */
export type Extent = 'minimal' | 'maximal' | 'random';

export interface LengthRange {
  min: number;
  max: number;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function charsFrom(alphabet: string, length: number, random: Random): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[random.int(0, alphabet.length - 1)];
  return out;
}

/** Letters and digits only: safe in a path, a query, a header and a cookie. */
export function safeString(length: number, random: Random): string {
  if (length <= 0) return '';
  return charsFrom(LOWER, 1, random) + charsFrom(ALNUM, length - 1, random);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

const DAY_MS = 86_400_000;

/**
 * Dates near the run's day and never after it: a value without bounds is most often a birth date, an order
 * date or a window's start, which servers refuse in the future (year 2099) or absurdly far back (1900).
 * The day before today is the latest, so that a server a time zone behind UTC does not see tomorrow.
 */
function recentDay(random: Random, extent: Extent): Date {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const back = extent === 'minimal' ? 365 : extent === 'maximal' ? 1 : random.int(2, 365);
  return new Date(today - back * DAY_MS);
}

function dateString(random: Random, extent: Extent): string {
  return recentDay(random, extent).toISOString().slice(0, 10);
}

function dateTimeString(random: Random, extent: Extent): string {
  const day = recentDay(random, extent).getTime();
  const seconds = extent === 'minimal' ? 0 : extent === 'maximal' ? 86_399 : random.int(0, 86_399);
  return `${new Date(day + seconds * 1000).toISOString().slice(0, 19)}Z`;
}

function timeString(random: Random, extent: Extent): string {
  if (extent === 'minimal') return '00:00:00Z';
  if (extent === 'maximal') return '23:59:59Z';
  return `${pad2(random.int(0, 23))}:${pad2(random.int(0, 59))}:${pad2(random.int(0, 59))}Z`;
}

function uuidString(random: Random, extent: Extent): string {
  if (extent === 'minimal') return '00000000-0000-4000-8000-000000000000';
  const variant = '89ab'[random.int(0, 3)];
  return `${charsFrom(HEX, 8, random)}-${charsFrom(HEX, 4, random)}-4${charsFrom(HEX, 3, random)}-${variant}${charsFrom(HEX, 3, random)}-${charsFrom(HEX, 12, random)}`;
}

function ipv4String(random: Random, extent: Extent): string {
  if (extent === 'minimal') return '0.0.0.0';
  if (extent === 'maximal') return '255.255.255.255';
  return `${random.int(1, 223)}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

function ipv6String(random: Random, extent: Extent): string {
  if (extent === 'minimal') return '::1';
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push(charsFrom(HEX, extent === 'maximal' ? 4 : random.int(1, 4), random));
  return groups.join(':');
}

/** Base64 of a length in range (a multiple of 4), the shortest for 'minimal'. */
function byteString(random: Random, extent: Extent, length: LengthRange): string | undefined {
  const shortest = Math.ceil(length.min / 4) * 4;
  const longest = Math.floor(Math.min(length.max, 1000) / 4) * 4;
  if (shortest > longest) return undefined;
  const target =
    extent === 'minimal' ? shortest : extent === 'maximal' ? longest : Math.min(longest, Math.max(shortest, 4 * random.int(1, 6)));
  const body = charsFrom(BASE64, target, random);
  // end with one '=' pad sometimes, a valid form (3 chars + '=' in the last quartet)
  return target > 0 && extent === 'random' && random.chance(0.3) ? body.slice(0, -1) + '=' : body;
}

function word(random: Random, extent: Extent): string {
  return extent === 'minimal' ? 'a' : charsFrom(LOWER, random.int(3, 8), random);
}

/** Formats whose content is free text (no check on the content); plain string generation applies. */
const FREE_FORMATS = new Set(['binary', 'password', '']);

/** Formats applying to numbers, with the range ajv-formats accepts. */
const NUMERIC_FORMAT_RANGES: Record<string, { min: number; max: number; integer: boolean }> = {
  int32: { min: -(2 ** 31), max: 2 ** 31 - 1, integer: true },
  int64: { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, integer: true },
  float: { min: -3.4e38, max: 3.4e38, integer: false },
  double: { min: -Number.MAX_VALUE, max: Number.MAX_VALUE, integer: false },
};

export function numericFormatRange(format: string | undefined): { min: number; max: number; integer: boolean } | undefined {
  return format === undefined ? undefined : NUMERIC_FORMAT_RANGES[format];
}

/** Formats this module can write; any other string format gets a safe string (and is noted). */
export const KNOWN_STRING_FORMATS: readonly string[] = [
  'date', 'date-time', 'time', 'iso-time', 'iso-date-time', 'duration', 'email', 'idn-email', 'uuid', 'uri', 'url', 'iri',
  'uri-reference', 'iri-reference', 'uri-template', 'hostname', 'idn-hostname', 'ipv4', 'ipv6', 'byte', 'regex',
  'json-pointer', 'relative-json-pointer', 'binary', 'password',
];

export function isFreeFormat(format: string | undefined): boolean {
  return format === undefined || FREE_FORMATS.has(format) || !KNOWN_STRING_FORMATS.includes(format);
}

/**
 * A string in the given format, or undefined when the format is free text (the caller writes plain text)
 * or cannot fit the length range.
 */
export function stringForFormat(format: string, random: Random, extent: Extent, length: LengthRange): string | undefined {
  const n = extent === 'minimal' ? 1 : random.int(1, 999);
  switch (format) {
    case 'date':
      return dateString(random, extent);
    case 'date-time':
    case 'iso-date-time':
      return dateTimeString(random, extent);
    case 'time':
    case 'iso-time':
      return timeString(random, extent);
    case 'duration':
      return extent === 'minimal' ? 'P1D' : `P${random.int(1, 30)}DT${random.int(1, 23)}H`;
    case 'email':
    case 'idn-email':
      return `${word(random, extent)}${extent === 'minimal' ? '' : n}@example.com`;
    case 'uuid':
      return uuidString(random, extent);
    case 'uri':
    case 'url':
    case 'iri':
      return extent === 'minimal' ? 'https://example.com' : `https://example.com/${word(random, extent)}/${n}`;
    case 'uri-reference':
    case 'iri-reference':
      return extent === 'minimal' ? '/a' : `/${word(random, extent)}/${n}`;
    case 'uri-template':
      return `/${word(random, extent)}/{id}`;
    case 'hostname':
    case 'idn-hostname':
      return extent === 'minimal' ? 'example.com' : `${word(random, extent)}${n}.example.com`;
    case 'ipv4':
      return ipv4String(random, extent);
    case 'ipv6':
      return ipv6String(random, extent);
    case 'byte':
      return byteString(random, extent, length);
    case 'regex':
      return extent === 'minimal' ? 'a' : `^${word(random, extent)}[0-9]+$`;
    case 'json-pointer':
      return extent === 'minimal' ? '' : `/${word(random, extent)}/${n}`;
    case 'relative-json-pointer':
      return extent === 'minimal' ? '0' : `${random.int(0, 3)}/${word(random, extent)}`;
    default:
      return undefined;
  }
}
