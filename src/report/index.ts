export { renderConsole, createProgress } from './console.js';
export type { ConsoleOptions } from './console.js';
export { reportToJson, writeJsonReport, findingToJson, JSON_REPORT_FORMAT, JSON_REPORT_VERSION } from './json.js';
export type { JsonReport, JsonFinding, JsonBody } from './json.js';
export { renderJUnit, writeJUnitReport, xmlEscape } from './junit.js';
export { finalizeFindings } from './finalize.js';
export { excerptOf, RESPONSE_EXCERPT_BYTES, REQUEST_EXCERPT_BYTES } from './view.js';
