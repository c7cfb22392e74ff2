// Option parsers: each turns one CLI value into a typed value or throws InputError naming the option.
import { InputError } from '../errors.js';

export function parsePositiveInt(option: string, min = 1) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
      throw new InputError(`${option} '${value}' must be an integer ≥ ${min}`);
    }
    return Number(value);
  };
}

// Durations and sizes are parsed here rather than with `ms` / `bytes`: `ms` reads a bare number as
// milliseconds (the very mistake these parsers exist to avoid) and `bytes` knows no KiB/MiB spellings.
const DURATION = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m)?$/i;
const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** '10s', '1500ms', '2m', '1.5' (a bare number is seconds) → whole milliseconds, at least 1. */
export function parseDuration(option: string) {
  return (value: string): number => {
    const m = DURATION.exec(value.trim());
    if (!m) throw new InputError(`${option} '${value}' is not a duration: seconds (5, 0.5) or a number with ms, s or m (500ms, 10s, 2m)`);
    const ms = Number(m[1]) * DURATION_UNIT_MS[(m[2] ?? 's').toLowerCase()]!;
    if (ms < 1) throw new InputError(`${option} '${value}' is under 1 ms; a bare number is seconds (e.g. 0.5 or 500ms)`);
    return Math.round(ms);
  };
}

const SIZE = /^(\d+(?:\.\d+)?|\.\d+)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i;
const SIZE_FACTOR: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** '4mb', '1GB', '512KiB', '1.5m', '1048576' (bytes) → bytes, 1024-based, at least 1. */
export function parseBytes(option: string) {
  return (value: string): number => {
    const m = SIZE.exec(value.trim());
    if (!m) throw new InputError(`${option} '${value}' is not a size: bytes, or a number with kb, mb or gb (e.g. 4mb, 512kb, 1GB)`);
    const bytes = Math.floor(Number(m[1]) * SIZE_FACTOR[(m[2] ?? 'b')[0]!.toLowerCase()]!);
    if (bytes < 1) throw new InputError(`${option} '${value}' must be at least 1 byte`);
    return bytes;
  };
}

const RATE_PER: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** '10', '10/s', '100/m' (Schemathesis' --rate-limit form), '1000/h' → requests per second. */
export function parseRate(option = '--rate') {
  return (value: string): number => {
    const m = /^(\d+(?:\.\d+)?)(?:\s*\/\s*(s|m|h))?$/i.exec(value.trim());
    const perSecond = m ? Number(m[1]) / RATE_PER[(m[2] ?? 's').toLowerCase()]! : NaN;
    if (!(perSecond > 0)) throw new InputError(`${option} '${value}' must be a positive number of requests per second, minute or hour (e.g. 20/s, 100/m)`);
    return perSecond;
  };
}

/** 'i/n' with 1 ≤ i ≤ n. */
export function parseShard(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new InputError(`--shard '${value}' must be i/n with 1 ≤ i ≤ n (e.g. 2/4)`);
  }
  return { index, count };
}

// Request headers whose value HTTP defines as a comma-separated list (RFC 9110 §5.3): repeats are joined.
const LIST_HEADERS = new Set([
  'accept', 'accept-charset', 'accept-encoding', 'accept-language', 'cache-control', 'connection', 'expect',
  'forwarded', 'if-match', 'if-none-match', 'pragma', 'prefer', 'te', 'trailer', 'upgrade', 'via', 'warning',
  'x-forwarded-for', 'baggage',
]);

/**
 * `-H "Name: value"`, repeatable. A name given twice (in any case) is joined where HTTP allows a list (", ";
 * Cookie with "; ") and refused otherwise: a second Authorization or Content-Type is never dropped silently.
 */
export function collectHeader(value: string, previous: Record<string, string> = {}, option = '--header'): Record<string, string> {
  const at = value.indexOf(':');
  const name = at > 0 ? value.slice(0, at).trim() : '';
  if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new InputError(`${option} '${value}' must look like "Name: value"`);
  }
  const headerValue = value.slice(at + 1).trim();
  if (/[\r\n\0]/.test(headerValue)) throw new InputError(`${option} '${name}': the value holds a line break or NUL`);
  const lower = name.toLowerCase();
  const earlier = Object.keys(previous).find((k) => k.toLowerCase() === lower);
  if (earlier === undefined) return { ...previous, [name]: headerValue };
  if (lower === 'cookie') return { ...previous, [earlier]: `${previous[earlier]}; ${headerValue}` };
  if (LIST_HEADERS.has(lower)) return { ...previous, [earlier]: `${previous[earlier]}, ${headerValue}` };
  throw new InputError(`${option} '${name}' is given twice, and ${name} takes one value: keep one (repeats of a list header such as Accept are joined)`);
}

export function collectApiKey(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InputError(`--auth-api-key '${value}' must look like name=value`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

export function parseBasic(value: string): { user: string; password: string } {
  const at = value.indexOf(':');
  if (at < 0) throw new InputError(`--auth-basic must look like user:password`);
  return { user: value.slice(0, at), password: value.slice(at + 1) };
}

export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

/** The operation filter options, shared by the run and `operations`. */
export interface FilterCliOptions {
  operation?: string[];
  excludeOperation?: string[];
  tag?: string[];
  path?: string[];
  method?: string[];
}

/** A Schemathesis spelling of one of our options: same value, same parser, listed in its own help group. */
export interface OptionAlias {
  /** commander flags, e.g. '-w, --workers <n>' */
  flags: string;
  /** e.g. '--workers' */
  long: string;
  /** commander's attribute name of the alias, e.g. 'workers' */
  key: string;
  /** the option it stands for, e.g. '--concurrency' */
  canonical: string;
  canonicalKey: string;
  parse?: (value: string) => unknown;
}

function alias(flags: string, canonical: string, parse?: (option: string) => (value: string) => unknown): OptionAlias {
  const long = /--[a-z-]+/.exec(flags)![0];
  const camel = (flag: string): string => flag.slice(2).replace(/-([a-z])/g, (_m, ch: string) => ch.toUpperCase());
  return { flags, long, key: camel(long), canonical, canonicalKey: camel(canonical), ...(parse ? { parse: parse(long) } : {}) };
}

export const SCHEMATHESIS_ALIASES: readonly OptionAlias[] = [
  alias('--url <url>', '--base-url'),
  alias('-w, --workers <n>', '--concurrency', (o) => parsePositiveInt(o)),
  alias('--request-timeout <duration>', '--timeout', parseDuration),
  alias('--rate-limit <n/s>', '--rate', parseRate),
  alias('--max-examples <n>', '--max-positive', (o) => parsePositiveInt(o)),
];
