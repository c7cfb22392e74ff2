// The configuration file: every option of the command line under its camelCase name, plus `spec`.
// Values may use ${ENV_VAR}; the command line overrides the file option by option.
//
// The file is read in three steps, each blind to the next: parse (JSON or YAML) → substitute ${VAR} in every
// string at any depth of the keys the command uses → read each such key with the reader its name selects (an
// option of the command, `spec`, or a section). A nested section such as `identities` is one more entry in
// SECTION_READERS. Keys the command does not use are only checked to be known: `operations` does not need
// the base URL's variable to be set, nor a run whose command line gives --base-url.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command, Option } from 'commander';
import { parseDocument } from 'yaml';
import { InputError } from '../errors.js';
import { parseIdentities } from '../auth/config.js';
import { closest } from '../explain/similar.js';
import { SCHEMATHESIS_ALIASES } from './options.js';

export const CONFIG_FILE_NAMES = [
  'api-contract-check.config.json',
  'api-contract-check.config.yaml',
  'api-contract-check.config.yml',
] as const;

/** An option of the command line as the config file sees it. */
export interface ConfigOption {
  /** camelCase key, e.g. 'baseUrl' (commander's attribute name) */
  key: string;
  /** the long flag, e.g. '--base-url' or '--no-negative' */
  flag: string;
  /** 'flag': true/false; 'value': takes a value (string, or number where the option parses one) */
  takes: 'flag' | 'value';
  /** the command line's own parser (called with the previous value for repeatable options) */
  parse?: (value: string, previous: unknown) => unknown;
  choices?: readonly string[];
}

/** What a config file holds once read and checked. */
export interface ConfigFile {
  /** absolute path of the file */
  file: string;
  /** the OpenAPI document: a URL, or a path resolved against the file's directory */
  spec?: string;
  /** option values by key, parsed as the command line parses them */
  options: Record<string, unknown>;
  /** nested sections by key (`identities`: see src/auth/config.ts) */
  sections: Record<string, unknown>;
}

/** Reads one nested section; `at(pointer)` prefixes an error message with the file and pointer. */
export type SectionReader = (value: unknown, at: (pointer: string) => string) => unknown;

const SECTION_READERS: Record<string, SectionReader> = { identities: parseIdentities };

/** Keys whose option may be given several times: an array in the file (or one value). */
const REPEATABLE = new Set([
  'header', 'authApiKey', 'mutations', 'limitedScopes', 'checks', 'excludeChecks', 'redact',
  'operation', 'excludeOperation', 'tag', 'path', 'method',
]);

/** Keys whose option takes `name<sep>value` pairs: an object in the file. */
const PAIRS: Record<string, (name: string, value: string) => string> = {
  header: (name, value) => `${name}: ${value}`,
  authApiKey: (name, value) => `${name}=${value}`,
};

/** Keys that name files: relative paths are relative to the config file, like the `spec`. */
const PATH_KEYS = new Set(['spec', 'refMap', 'reportJson', 'junit', 'reportHtml', 'sarif', 'baseline', 'writeBaseline']);

/** Options that make no sense inside the file itself. */
const NOT_IN_FILE = new Set(['config', 'version', 'help']);

/** Schemathesis spellings are command-line conveniences; in the file, the key is the option's own name. */
const ALIAS_KEYS = new Map(SCHEMATHESIS_ALIASES.map((a) => [a.key, a.canonicalKey]));

/** Keys the file may carry besides options and sections. */
const EXTRA_KEYS = new Set(['spec', '$schema']);

export function configOptionsOf(command: Command): ConfigOption[] {
  return command.options
    .filter((o: Option) => o.long !== undefined && !NOT_IN_FILE.has(o.attributeName()) && !ALIAS_KEYS.has(o.attributeName()))
    .map((o: Option): ConfigOption => ({
      key: o.attributeName(),
      flag: o.long!,
      takes: o.required || o.optional ? 'value' : 'flag',
      // commander checks choices inside its own parser; the file checks them first, with its own message
      parse: o.argChoices ? undefined : (o.parseArg as ConfigOption['parse']),
      choices: o.argChoices,
    }));
}

/** The config file of a directory, if it has exactly one. */
export function findConfigFile(directory: string): string | undefined {
  const found = CONFIG_FILE_NAMES.map((name) => path.join(directory, name)).filter((file) => existsSync(file));
  if (found.length > 1) {
    throw new InputError(`${found.map((f) => path.basename(f)).join(' and ')}: more than one config file in ${directory}; keep one, or choose with --config`);
  }
  return found[0];
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Parses the text as JSON (.json) or YAML (anything else); errors name the file and the line. */
export function parseConfigText(text: string, display: string): unknown {
  if (display.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new InputError(`${display}: not valid JSON (${(err as Error).message})`);
    }
  }
  const doc = parseDocument(text, { prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const where = error.linePos?.[0] ? `:${error.linePos[0].line}:${error.linePos[0].col}` : '';
    throw new InputError(`${display}${where}: not valid YAML (${error.message.split('\n')[0]})`);
  }
  return doc.toJS();
}

const VARIABLE = /\$(\$?)\{([^}]*)\}/g;

/**
 * Every string at any depth with ${NAME} replaced by the environment variable NAME; `$${NAME}` stays a
 * literal `${NAME}`. An unset variable is an error naming it and where it is used.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, at: (pointer: string) => string, pointer = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (_match, escaped: string, name: string) => {
      if (escaped) return `\${${name}}`;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new InputError(`${at(pointer)}: '\${${name}}' is not a variable name (letters, digits, _)`);
      const found = env[name];
      if (found === undefined) throw new InputError(`${at(pointer)}: environment variable ${name} is not set`);
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, at, `${pointer}/${i}`));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, at, `${pointer}/${escapePointer(k)}`)]));
  }
  return value;
}

function camelCase(key: string): string {
  return key.replace(/-+([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase());
}

/** Why a key is not known, with the key the user probably meant. */
function unknownKey(key: string, known: Map<string, ConfigOption>, at: (pointer: string) => string): InputError {
  const where = at(`/${escapePointer(key)}`);
  const camel = camelCase(key);
  if (key.includes('-') && (known.has(camel) || EXTRA_KEYS.has(camel))) {
    return new InputError(`${where}: config keys are camelCase: write '${camel}', not '${key}'`);
  }
  const negated = /^no([A-Z].*)$/.exec(camel)?.[1];
  if (negated) {
    const positive = `${negated[0]!.toLowerCase()}${negated.slice(1)}`;
    if (known.get(positive)?.flag.startsWith('--no-')) return new InputError(`${where}: write '${positive}: false', not '${key}'`);
  }
  if (NOT_IN_FILE.has(key)) return new InputError(`${where}: '${key}' cannot be set in the config file`);
  const near = ALIAS_KEYS.get(camel) ?? closest(key, [...known.keys(), ...EXTRA_KEYS, ...Object.keys(SECTION_READERS)]);
  return new InputError(`${where}: unknown key '${key}'${near ? ` (did you mean '${near}'?)` : ''}`);
}

function resolvePath(value: string, directory: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : path.resolve(directory, value);
}

/** One option value from the file, parsed the way the command line parses it. */
export function readOptionValue(option: ConfigOption, value: unknown, at: (pointer: string) => string, directory: string): unknown {
  const where = at(`/${escapePointer(option.key)}`);
  if (option.takes === 'flag') {
    if (typeof value !== 'boolean') throw new InputError(`${where}: '${option.key}' must be true or false (${option.flag}), got ${typeName(value)}`);
    return value;
  }
  const pairs = PAIRS[option.key];
  let items: Array<{ text: string; pointer: string }>;
  if (pairs && isRecord(value)) {
    items = Object.entries(value).map(([name, v]) => {
      if (typeof v !== 'string' && typeof v !== 'number') throw new InputError(`${at(`/${escapePointer(option.key)}/${escapePointer(name)}`)}: must be a string, got ${typeName(v)}`);
      return { text: pairs(name, String(v)), pointer: `/${escapePointer(option.key)}/${escapePointer(name)}` };
    });
  } else if (option.key === 'authBasic' && isRecord(value)) {
    if (typeof value['user'] !== 'string' || typeof value['password'] !== 'string') {
      throw new InputError(`${where}: 'authBasic' must be "user:password" or { "user": …, "password": … } with two strings`);
    }
    items = [{ text: `${value['user']}:${value['password']}`, pointer: `/${option.key}` }];
  } else if (Array.isArray(value)) {
    if (!REPEATABLE.has(option.key)) throw new InputError(`${where}: '${option.key}' takes one value (${option.flag}), got an array`);
    items = value.map((item, i) => ({ text: scalarText(option, item, at(`/${escapePointer(option.key)}/${i}`)), pointer: `/${escapePointer(option.key)}/${i}` }));
  } else {
    items = [{ text: scalarText(option, value, where), pointer: `/${escapePointer(option.key)}` }];
  }
  let result: unknown = REPEATABLE.has(option.key) && !option.parse ? [] : undefined;
  for (const item of items) {
    if (option.choices && !option.choices.includes(item.text)) {
      throw new InputError(`${at(item.pointer)}: '${option.key}' must be one of ${option.choices.join(', ')}, got '${item.text}'`);
    }
    const text = PATH_KEYS.has(option.key) ? resolvePath(item.text, directory) : item.text;
    try {
      result = option.parse ? option.parse(text, result) : Array.isArray(result) ? [...result, text] : text;
    } catch (err) {
      throw new InputError(`${at(item.pointer)}: ${(err as Error).message}`);
    }
  }
  return result;
}

/** A single option value as the command line would see it: strings, and numbers where a parser reads them. */
function scalarText(option: ConfigOption, value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && option.parse) return String(value);
  const wanted = option.parse ? 'a string or a number' : 'a string';
  throw new InputError(`${where}: '${option.key}' must be ${wanted} (${option.flag}), got ${typeName(value)}`);
}

/**
 * Reads and checks a config file against `options` (configOptionsOf the root command: every option of a run).
 * `display` is how errors name the file.
 */
export async function readConfigFile(
  file: string,
  options: ConfigOption[],
  env: NodeJS.ProcessEnv = process.env,
  display: string = file,
  uses?: (key: string) => boolean,
): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`--config ${display}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return configFromValue(parseConfigText(text, display), path.resolve(file), options, env, display, uses);
}

/**
 * A parsed config document, checked and read: see readConfigFile. Only keys for which `uses` is true are
 * substituted and read; every key is checked to be known.
 */
export function configFromValue(
  raw: unknown,
  file: string,
  options: ConfigOption[],
  env: NodeJS.ProcessEnv,
  display: string = file,
  uses: (key: string) => boolean = () => true,
): ConfigFile {
  const at = (pointer: string): string => `${display}#${pointer}`;
  if (!isRecord(raw)) throw new InputError(`${display}: must hold an object of options (e.g. { "baseUrl": "http://localhost:8080" }), got ${typeName(raw)}`);
  const directory = path.dirname(file);
  const known = new Map(options.map((o) => [o.key, o]));
  // unknown keys are reported before an unset variable elsewhere in the file
  for (const key of Object.keys(raw)) {
    if (!known.has(key) && !EXTRA_KEYS.has(key) && !(key in SECTION_READERS)) throw unknownKey(key, known, at);
  }
  const config: ConfigFile = { file, options: {}, sections: {} };
  for (const [key, rawValue] of Object.entries(raw)) {
    if (key === '$schema' || !uses(key)) continue;
    const value = substituteEnv(rawValue, env, at, `/${escapePointer(key)}`);
    if (key === 'spec') {
      if (typeof value !== 'string' || value === '') throw new InputError(`${at('/spec')}: 'spec' must be the path or URL of the OpenAPI document, got ${typeName(value)}`);
      config.spec = resolvePath(value, directory);
    } else if (key in SECTION_READERS) {
      config.sections[key] = SECTION_READERS[key]!(value, (pointer) => at(`/${escapePointer(key)}${pointer}`));
    } else {
      config.options[key] = readOptionValue(known.get(key)!, value, at, directory);
    }
  }
  return config;
}

/** The root command: its options are every option a config file may hold. */
function rootOf(command: Command): Command {
  let root = command;
  while (root.parent) root = root.parent;
  return root;
}

/**
 * The config file that applies: --config FILE, or the one in the current directory, or none with --no-config.
 * Returns the spec and the options of `command` with the file's values under those the command line did not
 * give. `sections`: the nested sections the command reads (the run: identities).
 */
export async function withConfig<T extends object>(
  command: Command,
  specArgument: string | undefined,
  opts: T & { config?: string | false },
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
  sections: readonly string[] = [],
): Promise<{ spec: string | undefined; opts: T; config?: ConfigFile }> {
  const explicit = opts.config;
  if (explicit === false) return { spec: specArgument, opts };
  const file = explicit ? path.resolve(cwd, explicit) : findConfigFile(cwd);
  if (!file) return { spec: specArgument, opts };
  if (explicit && !existsSync(file)) throw new InputError(`--config ${explicit}: no such file`);
  const display = explicit ?? path.relative(cwd, file);
  const own = new Set(command.options.map((o) => o.attributeName()));
  const uses = (key: string): boolean =>
    key === 'spec' ? specArgument === undefined
      : key in SECTION_READERS ? sections.includes(key)
        : own.has(key) && command.getOptionValueSource(key) !== 'cli';
  const config = await readConfigFile(file, configOptionsOf(rootOf(command)), env, display, uses);
  const merged: Record<string, unknown> = { ...opts };
  for (const [key, value] of Object.entries(config.options)) {
    if (own.has(key) && command.getOptionValueSource(key) !== 'cli') merged[key] = value;
  }
  return { spec: specArgument ?? config.spec, opts: merged as T, config };
}
