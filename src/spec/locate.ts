import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { parsePointer } from './pointer.js';
import type { ParsedDocument } from './source.js';

interface IndexedDocument {
  document: Document;
  lines: LineCounter;
}

const indexed = new WeakMap<ParsedDocument, IndexedDocument>();

function indexOf(doc: ParsedDocument): IndexedDocument {
  let entry = indexed.get(doc);
  if (!entry) {
    const lines = new LineCounter();
    const document = parseDocument(doc.text, { lineCounter: lines, keepSourceTokens: false, uniqueKeys: false, merge: true });
    entry = { document, lines };
    indexed.set(doc, entry);
  }
  return entry;
}

/**
 * 1-based line and column where `pointer` is written in the file: the key of a mapping member, the start of a
 * sequence item. The file is parsed again with positions on first use, then kept.
 */
export function positionOf(doc: ParsedDocument, pointer: string): { line: number; column: number } | undefined {
  const tokens = parsePointer(pointer);
  if (!tokens) return undefined;
  const { document, lines } = indexOf(doc);
  let node: unknown = document.contents;
  let offset = (node as YamlNode | null)?.range?.[0] ?? 0;
  for (const token of tokens) {
    node = resolveAlias(node, document);
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === token);
      if (!pair) return undefined;
      offset = (pair.key as YamlNode).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(token)] as YamlNode | undefined;
      if (!/^\d+$/.test(token) || !item) return undefined;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return undefined;
    }
  }
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function resolveAlias(node: unknown, document: Document): unknown {
  return isAlias(node) ? node.resolve(document) : node;
}
