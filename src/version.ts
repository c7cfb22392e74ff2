import { readFileSync } from 'node:fs';

export const TOOL_NAME = 'api-contract-check';
// dist/src/version.js → package.json at the package root
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
