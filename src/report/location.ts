// Where a finding points in the spec, as SARIF and GitHub annotations name it: a path relative to a root.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonFinding, JsonReport } from './json.js';

export interface SpecPlace {
  /** the spec file: absolute path or URL */
  file: string;
  pointer?: string;
  line?: number;
}

/** The rule the finding cites, else its operation, else the spec document itself. */
export function placeOf(finding: JsonFinding, report: Pick<JsonReport, 'spec'>): SpecPlace {
  if (finding.specPointer) return withLine({ file: finding.specPointer.file, pointer: finding.specPointer.pointer }, finding.specPointer.line ?? lineOfOperation(finding));
  if (finding.operationLocation) return withLine({ file: finding.operationLocation.file, pointer: finding.operationLocation.pointer }, finding.operationLocation.line);
  return { file: report.spec.source };
}

/** A rule without a known line is shown at its operation, when both are in the same file. */
function lineOfOperation(finding: JsonFinding): number | undefined {
  const op = finding.operationLocation;
  return op && op.file === finding.specPointer?.file ? op.line : undefined;
}

function withLine(place: SpecPlace, line: number | undefined): SpecPlace {
  return line === undefined ? place : { ...place, line };
}

export function isUrl(file: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(file);
}

/** `file` relative to `root` with '/' separators, or undefined when it is a URL or lies outside root. */
export function relativePath(file: string, root: string): string | undefined {
  if (isUrl(file)) return undefined;
  const rel = path.relative(path.resolve(root), path.resolve(file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** An RFC 3986 URI reference for a file: relative (percent-encoded) under root, else absolute. */
export function uriOf(file: string, root: string): { uri: string; relative: boolean } {
  const rel = relativePath(file, root);
  if (rel !== undefined) return { uri: rel.split('/').map(encodeURIComponent).join('/'), relative: true };
  if (isUrl(file)) return { uri: file, relative: false };
  return { uri: pathToFileURL(path.resolve(file)).href, relative: false };
}

/** The root as a file: URI ending with '/', as SARIF's originalUriBaseIds want it. */
export function rootUri(root: string): string {
  const href = pathToFileURL(path.resolve(root)).href;
  return href.endsWith('/') ? href : `${href}/`;
}
