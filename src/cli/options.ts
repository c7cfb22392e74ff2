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

/** '10s', '1500ms', '1500' (ms), '2m' → milliseconds. */
export function parseDuration(option: string) {
  return (value: string): number => {
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(value.trim());
    if (!m) throw new InputError(`${option} '${value}' is not a duration (e.g. 10s, 500ms)`);
    const n = Number(m[1]);
    const ms = m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n;
    if (ms <= 0) throw new InputError(`${option} '${value}' must be greater than zero`);
    return Math.round(ms);
  };
}

/** '4mb', '512kb', '1048576' → bytes. */
export function parseBytes(option: string) {
  return (value: string): number => {
    const m = /^(\d+)\s*(b|kb|kib|mb|mib|gb|gib)?$/i.exec(value.trim());
    if (!m) throw new InputError(`${option} '${value}' is not a size (e.g. 4mb, 512kb)`);
    const unit = (m[2] ?? 'b').toLowerCase();
    const factor = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1;
    return Number(m[1]) * factor;
  };
}

/** '10', '10/s' → requests per second. */
export function parseRate(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(value.trim());
  if (!m || Number(m[1]) <= 0) throw new InputError(`--rate '${value}' must be a positive number of requests per second (e.g. 20/s)`);
  return Number(m[1]);
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

export function collectHeader(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf(':');
  const name = at > 0 ? value.slice(0, at).trim() : '';
  if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new InputError(`--header '${value}' must look like "Name: value"`);
  }
  const headerValue = value.slice(at + 1).trim();
  if (/[\r\n\0]/.test(headerValue)) throw new InputError(`--header '${name}': the value holds a line break or NUL`);
  return { ...previous, [name]: headerValue };
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
