// Candidate values that break one constraint of a string or a number, best first. They are only candidates:
// mutate.ts proves each one with the validator and keeps the first that fails for the intended reason only.
import { patternMatches } from './match.js';

export const codePoints = (text: string): string[] => [...text];

/** A value as a description shows it: strings quoted, long ones cut. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

// ---------------------------------------------------------------- numbers

function decimalsOf(value: number): number {
  const text = String(value);
  if (text.includes('e')) return -1;
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** The next multiple of `step` strictly past `bound` in the given direction, or undefined when floats blur it. */
function nextMultiple(bound: number, step: number, up: boolean): number | undefined {
  const k = up ? Math.floor(bound / step) + 1 : Math.ceil(bound / step) - 1;
  const candidate = Number((k * step).toPrecision(15));
  return up ? (candidate > bound ? candidate : undefined) : candidate < bound ? candidate : undefined;
}

/**
 * Numbers just past an inclusive bound: the next integer for integers, one decimal place finer for numbers
 * (100 → 100.1, 0.5 → 0.51), the next multiple when multipleOf applies; a whole step as a fallback.
 */
export function pastInclusive(bound: number, up: boolean, integerOnly: boolean, multipleOf: number | undefined): number[] {
  const out: number[] = [];
  const dir = up ? 1 : -1;
  if (multipleOf !== undefined) {
    const m = nextMultiple(bound, multipleOf, up);
    if (m !== undefined) out.push(m);
  }
  if (integerOnly) {
    out.push(up ? Math.floor(bound) + 1 : Math.ceil(bound) - 1);
  } else {
    const decimals = decimalsOf(bound);
    if (decimals >= 0 && decimals < 12) {
      const step = 10 ** -(decimals + 1);
      out.push(Number((bound + dir * step).toFixed(decimals + 1)));
    }
    out.push(bound + dir);
  }
  return unique(out.filter((n) => Number.isFinite(n) && (up ? n > bound : n < bound)));
}

/** Numbers on or past an exclusive bound: the bound itself first (the off-by-one a server gets wrong). */
export function onExclusive(bound: number, up: boolean, integerOnly: boolean, multipleOf: number | undefined): number[] {
  const out: number[] = [];
  if (!integerOnly || Number.isInteger(bound)) out.push(bound);
  if (integerOnly) out.push(up ? Math.ceil(bound) : Math.floor(bound));
  if (multipleOf !== undefined) {
    const k = up ? Math.ceil(bound / multipleOf) : Math.floor(bound / multipleOf);
    out.push(Number((k * multipleOf).toPrecision(15)));
  }
  return unique(out.filter((n) => Number.isFinite(n) && (up ? n >= bound : n <= bound)));
}

/** Numbers near `value` that are not multiples of `step` (integers only when the type demands it). */
export function offMultiple(value: number, step: number, integerOnly: boolean): number[] {
  const out: number[] = [];
  if (integerOnly) {
    if (Number.isInteger(step) && step < 2) return [];
    out.push(value + 1, value - 1);
  } else {
    const half = Number((step / 2).toPrecision(15));
    out.push(Number((value + half).toPrecision(15)), Number((value - half).toPrecision(15)));
  }
  return unique(out.filter((n) => Number.isFinite(n) && Number.isFinite(n / step) && !Number.isInteger(Number((n / step).toPrecision(12)))));
}

/** Ranges of the numeric formats: the first value past each end, chosen so that JSON carries it exactly. */
export const NUMERIC_FORMAT_BREAKS: Record<string, { above: number; below: number; label: string }> = {
  int32: { above: 2 ** 31, below: -(2 ** 31) - 1, label: 'int32' },
  // 2^63 itself is not a break: 9223372036854775807 parses to the same double, so the validator (rightly)
  // accepts it. The next double, 2^63 + 2048, is exactly representable, prints as 9223372036854778000 and is
  // past the int64 range whatever the server parses it into; a BigInt would need every serializer to cope.
  int64: { above: 2 ** 63 + 2048, below: -(2 ** 63) - 2048, label: 'int64' },
  float: { above: 3.5e38, below: -3.5e38, label: 'float' },
};

// ---------------------------------------------------------------- strings

/** Strings of exactly `length` code points built from the valid value, so pattern and format tend to survive. */
export function stringsOfLength(value: string, length: number): string[] {
  const chars = codePoints(value);
  const out: string[] = [];
  if (length < chars.length) {
    out.push(chars.slice(0, length).join(''), chars.slice(chars.length - length).join(''));
  } else {
    const fill = chars.length > 0 ? chars : ['a'];
    const last = fill[fill.length - 1]!;
    const first = fill[0]!;
    out.push(chars.join('') + last.repeat(length - chars.length));
    out.push(first.repeat(length - chars.length) + chars.join(''));
    let cyclic = '';
    for (let i = 0; i < length; i++) cyclic += fill[i % fill.length];
    out.push(cyclic);
  }
  out.push('a'.repeat(length), '0'.repeat(length));
  return unique(out).filter((s) => codePoints(s).length === length);
}

const SUBSTITUTES = ['!', ' ', '~', '0', 'a', 'Z', '-', '_', 'é'];
const MAX_PATTERN_CANDIDATES = 6;

/**
 * Strings that do NOT match `pattern` (checked here with the same RegExp flags Ajv uses), of the value's length
 * when possible: one character changed first, then uniform strings. undefined when the pattern does not compile.
 */
export function nonMatching(value: string, pattern: string, minLength: number, maxLength: number): string[] | undefined {
  if (patternMatches(pattern, value) === undefined) return undefined;
  const out: string[] = [];
  const push = (s: string): void => {
    if (out.length < MAX_PATTERN_CANDIDATES && !out.includes(s) && patternMatches(pattern, s) === false) out.push(s);
  };
  const chars = codePoints(value);
  for (let i = 0; i < Math.min(chars.length, 24); i++) {
    for (const sub of SUBSTITUTES) {
      if (chars[i] === sub) continue;
      push([...chars.slice(0, i), sub, ...chars.slice(i + 1)].join(''));
    }
  }
  const lengths = unique([chars.length, Math.max(minLength, 1), Math.min(maxLength, Math.max(minLength, 8))]);
  for (const length of lengths) {
    if (length < minLength || length > maxLength) continue;
    for (const sub of SUBSTITUTES) push(sub.repeat(length));
  }
  return out;
}

/** The same text with its letters' case flipped, when that changes anything. */
export function caseChanged(value: string): string | undefined {
  const upper = value.toUpperCase();
  const flipped = upper !== value ? upper : value.toLowerCase();
  return flipped !== value ? flipped : undefined;
}

function withoutZone(value: string): string | undefined {
  const stripped = value.replace(/(?:[Zz]|[+-]\d{2}:?\d{2})$/, '');
  return stripped !== value ? stripped : undefined;
}

function replaceFirstHex(value: string): string | undefined {
  const i = value.search(/[0-9a-fA-F]/);
  return i < 0 ? undefined : `${value.slice(0, i)}g${value.slice(i + 1)}`;
}

/** Strings that break a format, derived from the valid value where that keeps the rest of it intact. */
export function offFormat(format: string, value: string): string[] {
  const out: Array<string | undefined> = [];
  switch (format) {
    case 'date':
      out.push('2024-13-45', '2024-02-30');
      break;
    case 'date-time':
      out.push(withoutZone(value), '2024-01-15T10:30:00', '2024-13-45T10:30:00Z');
      break;
    case 'iso-date-time':
      out.push('2024-13-45T10:30:00Z', '2024-01-15T25:30:00Z');
      break;
    case 'time':
      out.push(withoutZone(value), '10:30:00', '25:61:00Z');
      break;
    case 'iso-time':
      out.push('25:61:00Z', '25:61:00');
      break;
    case 'email':
      out.push(value.includes('@') ? value.replace(/@/g, '.') : undefined, 'user.example.com');
      break;
    case 'uuid':
      out.push(replaceFirstHex(value), '00000000-0000-4000-8000-00000000000g');
      break;
    case 'uri':
    case 'url':
      out.push(value.replace(/^[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/)?/, ''), 'example.com/path');
      break;
    case 'uri-reference':
      out.push('a b', '#%zz', '\\\\bad');
      break;
    case 'uri-template':
      out.push('/items/{unclosed');
      break;
    case 'ipv4':
      out.push('256.1.1.1', '1.2.3');
      break;
    case 'ipv6':
      out.push('2001:db8::g', '1:2:3:4:5:6:7:8:9');
      break;
    case 'hostname':
      out.push('bad_host.example.com', '-example.com');
      break;
    case 'duration':
      out.push('P1Y2X', '1D');
      break;
    case 'byte':
      out.push('@@@@', 'a');
      break;
    case 'regex':
      out.push('[unclosed', '(');
      break;
    case 'json-pointer':
      out.push('no-leading-slash');
      break;
    case 'relative-json-pointer':
      out.push('/a', 'x');
      break;
    default:
      break;
  }
  return unique(out.filter((s): s is string => s !== undefined && s !== value));
}

/** Formats whose breaking strings offFormat knows how to write. */
export const BREAKABLE_FORMATS: ReadonlySet<string> = new Set([
  'date', 'date-time', 'iso-date-time', 'time', 'iso-time', 'email', 'uuid', 'uri', 'url', 'uri-reference', 'uri-template',
  'ipv4', 'ipv6', 'hostname', 'duration', 'byte', 'regex', 'json-pointer', 'relative-json-pointer',
]);
