export { renderConsole, createProgress, progressText, progressBar } from './console.js';
export type { ConsoleOptions, Progress, ProgressOptions, ProgressSnapshot } from './console.js';
export {
  reportToJson,
  writeJsonReport,
  findingToJson,
  asJsonReport,
  isJsonReport,
  groupsOf,
  groupsOfJson,
  JSON_REPORT_FORMAT,
  JSON_REPORT_VERSION,
} from './json.js';
export type { JsonReport, JsonFinding, JsonBody, JsonGroup } from './json.js';
export { renderJUnit, writeJUnitReport, xmlEscape } from './junit.js';
export { finalizeFindings } from './finalize.js';
export { excerptOf, RESPONSE_EXCERPT_BYTES, REQUEST_EXCERPT_BYTES } from './view.js';
export { groupFindings, groupKey } from './groups.js';
export type { FindingGroup, GroupableFinding } from './groups.js';
export { renderHtml, writeHtmlReport, htmlDataOf, scriptSafeJson } from './html.js';
export type { HtmlData } from './html.js';
export { renderSarif, writeSarifReport, sarifLevel, SARIF_SCHEMA_URI } from './sarif.js';
export type { SarifLog, SarifOptions } from './sarif.js';
export {
  renderGithubAnnotations,
  renderMarkdownSummary,
  writeGithubOutputs,
  escapeCommandData,
  escapeCommandProperty,
} from './github.js';
export type { GithubOptions } from './github.js';
export { readJsonReport, mergeReports } from './merge.js';
