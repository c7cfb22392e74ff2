import type { Parameter } from '../model.js';

// OpenAPI 3: header parameters named Accept, Content-Type or Authorization "SHALL be ignored";
// the media types and security schemes say what goes there.
const IGNORED = new Set(['accept', 'content-type', 'authorization']);

export function isIgnoredHeaderParameter(p: Pick<Parameter, 'in' | 'name'>): boolean {
  return p.in === 'header' && IGNORED.has(p.name.toLowerCase());
}
