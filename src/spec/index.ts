import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiSpec, SourceLocation, SpecVersion } from '../model.js';
import { InputError } from '../errors.js';
import { DocumentNotLoaded, DocumentSet, isObject } from './documents.js';
import { positionOf } from './locate.js';
import { normalize } from './normalize.js';
import { parseDocumentText, readDocument, sourceUrl } from './source.js';
import type { ParsedDocument } from './source.js';

export interface LoadOptions {
  /** remote $ref prefixes served from local files: publicURL prefix → localURL (file path or URL prefix) */
  refMap?: Array<{ publicURL: string; localURL: string }>;
}

/**
 * Reads an OpenAPI 3.0/3.1 or Swagger 2.0 document (file path or http(s) URL, YAML or JSON) with every file its
 * $refs reach, and normalizes it into the operation model. Bad input throws InputError.
 */
export async function loadSpec(source: string, options: LoadOptions = {}): Promise<ApiSpec> {
  const url = sourceUrl(source);
  const root = await readDocument(url);
  const { version, versionString } = detectVersion(root);
  const documents = new DocumentSet(root, absoluteRefMap(options.refMap ?? []));
  await documents.fetchReachable();
  for (;;) {
    try {
      const model = normalize(documents, version, url.protocol);
      return {
        ...model,
        versionString,
        source,
        locate: (location: SourceLocation) => locate(documents, location),
      };
    } catch (error) {
      // a file only reachable through an extension member was not read up front: read it and start over
      if (!(error instanceof DocumentNotLoaded)) throw error;
      await documents.fetchReachable([error.url]);
    }
  }
}

/** Reads a ref-map file: a JSON/YAML list of { publicURL, localURL } (or an object publicURL → localURL). */
export async function readRefMap(file: string): Promise<LoadOptions['refMap']> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: cannot read ref map${code === 'ENOENT' ? ': no such file' : ''}`);
  }
  const { data } = parseDocumentText(text, file, /\.json$/i.test(file));
  const entries: unknown[] = Array.isArray(data)
    ? data
    : isObject(data)
      ? Object.entries(data).map(([publicURL, localURL]) => ({ publicURL, localURL }))
      : [];
  if (!Array.isArray(data) && !isObject(data)) throw new InputError(`${file}: a ref map is a list of { publicURL, localURL }`);
  const base = path.dirname(path.resolve(file));
  return entries.map((entry, index) => {
    if (!isObject(entry) || typeof entry.publicURL !== 'string' || typeof entry.localURL !== 'string' || entry.publicURL === '') {
      throw new InputError(`${file}#/${index}: a ref map entry needs "publicURL" and "localURL" strings`);
    }
    return { publicURL: entry.publicURL, localURL: localTarget(entry.localURL, base) };
  });
}

function absoluteRefMap(refMap: NonNullable<LoadOptions['refMap']>): NonNullable<LoadOptions['refMap']> {
  return refMap.map((entry) => ({ publicURL: entry.publicURL, localURL: localTarget(entry.localURL, process.cwd()) }));
}

/** A relative local path resolved against `base`, keeping a trailing slash (it marks a folder prefix). */
function localTarget(localURL: string, base: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(localURL)) return localURL;
  const resolved = path.resolve(base, localURL);
  return /[/\\]$/.test(localURL) ? resolved + path.sep : resolved;
}

function detectVersion(root: ParsedDocument): { version: SpecVersion; versionString: string } {
  const data = root.data;
  if (!isObject(data)) throw new InputError(`${root.file}: not an OpenAPI document (the top level is not a mapping)`);
  if (data.swagger !== undefined) {
    const text = String(data.swagger);
    if (text === '2.0' || text === '2') return { version: '2.0', versionString: '2.0' };
    throw new InputError(`${root.file}: unsupported Swagger version "${text}" (only 2.0)`);
  }
  if (data.openapi !== undefined) {
    const text = String(data.openapi);
    if (/^3\.0\.\d+/.test(text)) return { version: '3.0', versionString: text };
    if (/^3\.1\.\d+/.test(text)) return { version: '3.1', versionString: text };
    throw new InputError(`${root.file}: unsupported OpenAPI version "${text}" (supported: 2.0, 3.0.x, 3.1.x)`);
  }
  throw new InputError(`${root.file}: not an OpenAPI document (no "openapi: 3.x.y" or "swagger: 2.0" at the top)`);
}

function locate(documents: DocumentSet, location: SourceLocation): { file: string; line: number; column: number } | undefined {
  const doc = documents.documentForFile(location.file);
  if (!doc) return undefined;
  const position = positionOf(doc, location.pointer);
  return position ? { file: location.file, ...position } : undefined;
}
