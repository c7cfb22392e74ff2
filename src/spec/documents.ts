import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../errors.js';
import { appendPointer, fragmentToPointer, valueAt } from './pointer.js';
import { readDocument, withoutFragment } from './source.js';
import type { ParsedDocument } from './source.js';

export type RefMap = Array<{ publicURL: string; localURL: string }>;

/** A value inside one of the documents, with where it is written. */
export interface Node {
  doc: ParsedDocument;
  pointer: string;
  value: unknown;
}

/** Thrown by a synchronous resolve when a file was never fetched; loadSpec fetches it and starts over. */
export class DocumentNotLoaded extends Error {
  constructor(readonly url: string) {
    super(`document not loaded: ${url}`);
  }
}

type RefTarget = { url: string; pointer: string } | { refused: string };

const PARALLEL_READS = 16;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function refOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.$ref === 'string' ? value.$ref : undefined;
}

export function child(node: Node, ...tokens: Array<string | number>): Node {
  let value: unknown = node.value;
  for (const token of tokens) value = isObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[token] : undefined;
  return { doc: node.doc, pointer: appendPointer(node.pointer, ...tokens), value };
}

/**
 * The files of one API description: the root, and every file its $refs reach, each read once and cached by
 * absolute URL. Reading is async and happens up front (`fetchReachable`); resolving is sync.
 */
export class DocumentSet {
  private readonly docs = new Map<string, ParsedDocument>();
  private readonly failures = new Map<string, string>();
  private readonly byFile = new Map<string, ParsedDocument>();
  private rootCrawled = false;
  /** base URL → ref → target */
  private readonly targets = new Map<string, Map<string, RefTarget>>();
  /** document → pointer → node */
  private readonly nodes = new Map<ParsedDocument, Map<string, Node>>();

  constructor(readonly root: ParsedDocument, private readonly refMap: RefMap) {
    this.add(root);
  }

  rootNode(): Node {
    return { doc: this.root, pointer: '', value: this.root.data };
  }

  documentForFile(file: string): ParsedDocument | undefined {
    return this.byFile.get(file);
  }

  /** Reads every file reachable by $ref from the root and from `extra` (extension members x-* excepted) not read yet. */
  async fetchReachable(extra: string[] = []): Promise<void> {
    const queue: string[] = [];
    const seen = new Set<string>();
    for (const url of extra) {
      if (this.docs.has(url) || this.failures.has(url) || seen.has(url)) continue;
      seen.add(url);
      queue.push(url);
    }
    if (!this.rootCrawled) {
      this.rootCrawled = true;
      this.enqueueRefsOf(this.root, queue, seen);
    }
    const worker = async (): Promise<void> => {
      for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
        try {
          const doc = await readDocument(new URL(url));
          this.add(doc);
          this.enqueueRefsOf(doc, queue, seen);
        } catch (error) {
          this.failures.set(url, error instanceof Error ? error.message : String(error));
        }
      }
    };
    // workers drain the queue while other workers add to it; loop until no worker found anything left
    while (queue.length > 0) await Promise.all(Array.from({ length: PARALLEL_READS }, worker));
  }

  /** The node a `$ref` found at `holder` points to (one step). */
  resolve(holder: Node, ref: string): Node {
    const target = this.cachedTarget(ref, holder.doc.url);
    if ('refused' in target) throw this.refError(holder, ref, target.refused);
    const doc = this.docs.get(target.url);
    if (!doc) {
      const failure = this.failures.get(target.url);
      if (failure !== undefined) throw this.refError(holder, ref, failure);
      throw new DocumentNotLoaded(target.url);
    }
    const nodes = cacheIn(this.nodes, doc);
    let node = nodes.get(target.pointer);
    if (!node) {
      const value = valueAt(doc.data, target.pointer);
      if (value === undefined) throw this.refError(holder, ref, `nothing at "#${target.pointer}" in ${doc.file}`);
      node = { doc, pointer: target.pointer, value };
      nodes.set(target.pointer, node);
    }
    return node;
  }

  private cachedTarget(ref: string, base: string): RefTarget {
    const targets = cacheIn(this.targets, base);
    let target = targets.get(ref);
    if (!target) {
      target = this.target(ref, base);
      targets.set(ref, target);
    }
    return target;
  }

  /** Follows `$ref` objects until a node that is not one (every object with $ref, as OpenAPI 3.0 reads them). */
  deref(node: Node): Node {
    let current = node;
    const visited = new Set<string>();
    for (let ref = refOf(current.value); ref !== undefined; ref = refOf(current.value)) {
      const key = `${current.doc.url}#${current.pointer}`;
      if (visited.has(key)) throw this.refError(node, refOf(node.value)!, 'the $ref chain loops without reaching a value');
      visited.add(key);
      current = this.resolve(current, ref);
    }
    return current;
  }

  private add(doc: ParsedDocument): void {
    this.docs.set(doc.url, doc);
    this.byFile.set(doc.file, doc);
  }

  private refError(holder: Node, ref: string, reason: string): InputError {
    return new InputError(`${holder.doc.file}#${holder.pointer}: cannot resolve $ref "${ref}": ${reason}`);
  }

  private enqueueRefsOf(doc: ParsedDocument, queue: string[], seen: Set<string>): void {
    forEachRef(doc.data, (ref) => {
      const target = this.cachedTarget(ref, doc.url);
      if ('refused' in target || target.url === doc.url) return;
      if (this.docs.has(target.url) || this.failures.has(target.url) || seen.has(target.url)) return;
      seen.add(target.url);
      queue.push(target.url);
    });
  }

  /** Where a ref leads: relative to the referring file; remote URLs only through the ref map or the root's own server. */
  private target(ref: string, base: string): RefTarget {
    const hash = ref.indexOf('#');
    const address = hash === -1 ? ref : ref.slice(0, hash);
    const pointer = fragmentToPointer(hash === -1 ? '' : ref.slice(hash + 1));
    if (pointer === undefined) return { refused: 'only JSON-pointer fragments ("#/...") are supported' };
    if (address === '') return { url: base, pointer };
    let url: URL;
    try {
      url = new URL(address, base);
    } catch {
      return { refused: 'not a valid URL or path' };
    }
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      const mapped = this.mapped(url);
      if (mapped) return { url: withoutFragment(mapped), pointer };
      const rootUrl = new URL(this.root.url);
      if (rootUrl.protocol === 'file:' || rootUrl.origin !== url.origin) {
        return { refused: `remote URL ${withoutFragment(url)} is not fetched; map it to a local file with --ref-map` };
      }
    } else if (url.protocol !== 'file:') {
      return { refused: `unsupported URL scheme "${url.protocol}"` };
    }
    return { url: withoutFragment(url), pointer };
  }

  private mapped(url: URL): URL | undefined {
    const href = withoutFragment(url);
    let best: { publicURL: string; localURL: string } | undefined;
    for (const entry of this.refMap) {
      if (href.startsWith(entry.publicURL) && (!best || entry.publicURL.length > best.publicURL.length)) best = entry;
    }
    if (!best) return undefined;
    const local = best.localURL + href.slice(best.publicURL.length);
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(local) ? new URL(local) : pathToFileURL(path.resolve(local));
  }
}

function cacheIn<K, V>(outer: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let inner = outer.get(key);
  if (!inner) {
    inner = new Map();
    outer.set(key, inner);
  }
  return inner;
}

/** Calls `visit` with every $ref string in a document, skipping extension members (x-*). */
function forEachRef(value: unknown, visit: (ref: string) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) forEachRef(item, visit);
  } else if (isObject(value)) {
    for (const [key, member] of Object.entries(value)) {
      if (key === '$ref' && typeof member === 'string') visit(member);
      else if (!key.startsWith('x-') && typeof member === 'object' && member !== null) forEachRef(member, visit);
    }
  }
}
