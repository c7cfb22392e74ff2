import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { request } from 'undici';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { InputError } from '../errors.js';

/** One parsed file of the document set. */
export interface ParsedDocument {
  /** absolute URL without fragment (file: or http(s):) — the cache key and the base for relative refs */
  url: string;
  /** what messages and SourceLocation name: an absolute path for files, the URL otherwise */
  file: string;
  text: string;
  data: unknown;
}

const BOM = '\uFEFF';

/** A user-given source (path, file: or http(s): URL) as an absolute URL. */
export function sourceUrl(source: string): URL {
  if (/^https?:\/\//i.test(source) || /^file:\/\//i.test(source)) {
    try {
      return new URL(source);
    } catch {
      throw new InputError(`${source}: not a valid URL`);
    }
  }
  return pathToFileURL(path.resolve(source));
}

export function displayName(url: URL): string {
  return url.protocol === 'file:' ? fileURLToPath(url) : url.href;
}

export function withoutFragment(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}

export async function readDocument(url: URL): Promise<ParsedDocument> {
  const file = displayName(url);
  const { text, jsonHint } = url.protocol === 'file:' ? await readLocal(url, file) : await readRemote(url, file);
  const parsed = parseDocumentText(text, file, jsonHint);
  return { url: withoutFragment(url), file, text: parsed.text, data: parsed.data };
}

async function readLocal(url: URL, file: string): Promise<{ text: string; jsonHint: boolean }> {
  try {
    const text = await readFile(url, 'utf8');
    return { text, jsonHint: /\.json$/i.test(file) };
  } catch (error) {
    throw new InputError(`${file}: ${fileErrorText(error)}`);
  }
}

function fileErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

async function readRemote(url: URL, file: string): Promise<{ text: string; jsonHint: boolean }> {
  let response;
  try {
    response = await request(url, { method: 'GET', headers: { accept: 'application/json, application/yaml, text/yaml, */*' } });
  } catch (error) {
    throw new InputError(`${file}: cannot fetch: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = await response.body.text();
  if (response.statusCode < 200 || response.statusCode > 299) {
    throw new InputError(`${file}: cannot fetch: HTTP ${response.statusCode}`);
  }
  const contentType = String(response.headers['content-type'] ?? '');
  return { text, jsonHint: /json/i.test(contentType) || /\.json$/i.test(url.pathname) };
}

/** JSON text is parsed with JSON.parse (fast); anything else, or JSON that turns out to be YAML, with `yaml`. */
export function parseDocumentText(rawText: string, file: string, jsonHint: boolean): { data: unknown; text: string } {
  const text = rawText.startsWith(BOM) ? rawText.slice(1) : rawText;
  const looksLikeJson = /^\s*[{[]/.test(text);
  if (looksLikeJson) {
    try {
      return { data: JSON.parse(text), text };
    } catch (error) {
      if (jsonHint) throw jsonSyntaxError(error, text, file);
    }
  }
  return parseYamlText(text, file);
}

const YAML_OPTIONS = { merge: true, maxAliasCount: -1, uniqueKeys: false, prettyErrors: false } as const;

function parseYamlText(text: string, file: string): { data: unknown; text: string } {
  try {
    return { data: parseYaml(text, YAML_OPTIONS), text };
  } catch (error) {
    const repaired = error instanceof YAMLParseError && error.code === 'MISSING_CHAR' ? indentQuotedContinuations(text) : undefined;
    if (repaired !== undefined) {
      try {
        return { data: parseYaml(repaired, YAML_OPTIONS), text: repaired };
      } catch {
        // report the error of the text as written
      }
    }
    if (error instanceof YAMLParseError) {
      const where = error.linePos?.[0] ?? lineColumnAt(text, error.pos[0]);
      throw new InputError(`${file}:${where.line}:${where.col}: ${firstLine(error.message)}`);
    }
    throw new InputError(`${file}: ${firstLine(error instanceof Error ? error.message : String(error))}`);
  }
}

/**
 * Other YAML readers accept a double-quoted value whose continuation lines are indented no deeper than its key
 * (YAML 1.2 wants one more space; docker-engine's v1.25.yaml has them). Indent such lines by what is missing;
 * line numbers do not change.
 */
function indentQuotedContinuations(text: string): string | undefined {
  const lines = text.split('\n');
  let keyIndent = -1;
  let changed = false;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (keyIndent < 0) {
      const opening = /^(\s*(?:-\s+)?)[^\s#"'-][^:#]*:\s+"/.exec(line);
      if (opening && !closesQuote(line.slice(opening[0].length))) keyIndent = opening[1]!.length;
      continue;
    }
    const lead = /^ */.exec(line)![0].length;
    if (line.trim() !== '' && lead <= keyIndent) {
      lines[index] = ' '.repeat(keyIndent + 1 - lead) + line;
      changed = true;
    }
    if (closesQuote(line)) keyIndent = -1;
  }
  return changed ? lines.join('\n') : undefined;
}

function closesQuote(rest: string): boolean {
  for (let index = 0; index < rest.length; index += 1) {
    if (rest[index] === '\\') index += 1;
    else if (rest[index] === '"') return true;
  }
  return false;
}

function jsonSyntaxError(error: unknown, text: string, file: string): InputError {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  const where = lineColumnAt(text, position ? Number(position[1]) : text.length);
  const cleaned = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/\s*in JSON at position \d+/, '');
  return new InputError(`${file}:${where.line}:${where.col}: JSON syntax error: ${firstLine(cleaned)}`);
}

export function lineColumnAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let index = text.indexOf('\n'); index !== -1 && index < end; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, col: end - lineStart + 1 };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
}
