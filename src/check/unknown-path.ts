import type { Check, CheckContext, Exchange, FindingDraft, MediaType, Operation, Response, SchemaHandle, ValidationIssue } from '../model.js';
import {
  bodyExcerpt,
  documentsJsonAnywhere,
  errorFormatOf,
  headerText,
  isPageMediaType,
  isProblemMediaType,
  isUnknownPathCase,
  matchingMediaType,
  mediaTypeEssence,
  parsedJson,
} from './responses.js';
import { issueExpectation, pointerText } from './rule-text.js';

interface ErrorFormatDoc {
  /** the documented error responses that define the format: 404s when the document has any, else all 4xx/default */
  responses: Response[];
  content: MediaType[];
}

function isClientErrorKey(status: string): boolean {
  return status === 'default' || /^4(\d\d|XX)$/i.test(status);
}

/** The format the document uses for its errors elsewhere: its documented 404s first, else its client errors. */
function apiErrorFormat(operations: Operation[]): ErrorFormatDoc {
  const withContent = operations.flatMap((op) => op.responses).filter((r) => r.content.length > 0);
  const notFound = withContent.filter((r) => r.status === '404');
  const responses = notFound.length > 0 ? notFound : withContent.filter((r) => isClientErrorKey(r.status));
  return { responses, content: responses.flatMap((r) => r.content) };
}

function distinctSchemas(media: MediaType[]): SchemaHandle[] {
  const byDef = new Map<string, SchemaHandle>();
  for (const m of media) if (m.schema !== undefined && !byDef.has(m.schema.def)) byDef.set(m.schema.def, m.schema);
  return [...byDef.values()];
}

function answered(exchange: Exchange): string {
  const response = exchange.response;
  const contentType = headerText(exchange, 'content-type');
  const excerpt = bodyExcerpt(exchange, 120);
  return `${response?.status ?? ''}${contentType === undefined ? '' : ` ${contentType}`}${excerpt === '' ? '' : `: ${excerpt}`}`;
}

function pathsRule(exchange: Exchange): { file: string; pointer: string } {
  return exchange.case.why?.rule ?? { file: exchange.case.operation.location.file, pointer: '/paths' };
}

/** The 404 body against the schemas the document gives its errors in that media type: one must accept it. */
function schemaFindings(exchange: Exchange, ctx: CheckContext, media: MediaType[], contentType: string): FindingDraft[] {
  const schemas = distinctSchemas(media.filter((m) => matchingMediaType([m], contentType) !== undefined));
  const json = parsedJson(exchange);
  if (schemas.length === 0 || json === undefined) return [];
  if (!json.ok) {
    return [{ message: `404 for an unknown path says ${contentType} but is not valid JSON: ${json.error}`, severity: 'warning', expected: 'the error format documented elsewhere', actual: answered(exchange), specPointer: pathsRule(exchange) }];
  }
  let closest: { schema: SchemaHandle; issues: ValidationIssue[] } | undefined;
  for (const schema of schemas) {
    const issues = ctx.validator.validate(schema, json.value, 'response');
    if (issues.length === 0) return [];
    if (closest === undefined || issues.length < closest.issues.length) closest = { schema, issues };
  }
  if (closest === undefined) return [];
  const first = closest.issues[0];
  return [
    {
      message: `404 for an unknown path is not in the API's error format (${pointerText(closest.schema.location, ctx.spec.source)}): body${first?.instancePath ?? ''} ${first?.message ?? 'does not validate'}`,
      severity: 'warning',
      expected: first === undefined ? 'the documented error schema' : `the documented error schema: ${issueExpectation(first)}`,
      actual: answered(exchange),
      specPointer: first?.rule ?? closest.schema.location,
    },
  ];
}

/** A 404 in the API's documented error format (media type, then schema). Unknown paths are never documented, hence warnings. */
function formatFindings(exchange: Exchange, ctx: CheckContext): FindingDraft[] {
  const format = apiErrorFormat(ctx.spec.operations);
  const contentType = headerText(exchange, 'content-type') ?? '';
  if (format.content.length === 0) {
    if (errorFormatOf(ctx) !== 'problem' || isProblemMediaType(contentType) || exchange.response?.body.length === 0) return [];
    return [{ message: `404 for an unknown path is ${contentType || 'without Content-Type'}, not problem details (--error-format problem)`, severity: 'warning', expected: 'Content-Type: application/problem+json', actual: answered(exchange), specPointer: pathsRule(exchange) }];
  }
  const offered = [...new Set(format.content.map((m) => mediaTypeEssence(m.mediaType)))].join(', ');
  const rule = format.responses[0]?.location ?? pathsRule(exchange);
  if (exchange.response?.body.length === 0) {
    return [{ message: `404 for an unknown path has an empty body; the API documents its errors as ${offered}`, severity: 'warning', expected: `an error body in ${offered}`, actual: answered(exchange) || '404, empty body', specPointer: rule }];
  }
  if (matchingMediaType(format.content, contentType) === undefined) {
    return [{ message: `404 for an unknown path is ${contentType || 'without Content-Type'}; the API documents its errors as ${offered} (${pointerText(rule, ctx.spec.source)})`, severity: 'warning', expected: `Content-Type: ${offered}`, actual: answered(exchange), specPointer: rule }];
  }
  return schemaFindings(exchange, ctx, format.content, contentType);
}

function pageFinding(exchange: Exchange, contentType: string): FindingDraft {
  const status = exchange.response?.status ?? 0;
  return {
    message: `${status} for an unknown path is ${contentType.toLowerCase().includes('html') ? 'an HTML' : 'a plain-text'} page (${contentType}), not the API's error format`,
    expected: '404 in the error format the API documents',
    actual: answered(exchange),
    specPointer: pathsRule(exchange),
  };
}

/**
 * A path the document does not have, under the base URL: 404 in the API's error format, never a page, never 2xx.
 * 5xx are server-error's.
 */
export const unknownPathCheck: Check = {
  id: 'unknown-path',
  category: 'error-format',
  description: "A path the document does not have gets 404 in the API's documented error format, not an HTML page or a 2xx.",
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) => exchange.response !== undefined && isUnknownPathCase(exchange.case),
  run(exchange: Exchange, ctx: CheckContext): FindingDraft[] {
    const response = exchange.response;
    if (response === undefined || !isUnknownPathCase(exchange.case)) return [];
    const status = response.status;
    if (status >= 500 || status === 429) return [];
    const contentType = headerText(exchange, 'content-type') ?? '';
    const format = apiErrorFormat(ctx.spec.operations);
    // A page the API itself documents for its errors (text/plain errors, say) is its format, not a framework's page.
    const isPage =
      response.body.length > 0 &&
      isPageMediaType(contentType) &&
      matchingMediaType(format.content, contentType) === undefined &&
      ctx.spec.operations.some(documentsJsonAnywhere);
    if (status >= 200 && status < 300) {
      return [{ message: `${exchange.case.request.path} is not a path of the document but was answered ${status}${isPage ? ' with a page' : ''}`, expected: '404', actual: answered(exchange), specPointer: pathsRule(exchange) }];
    }
    if (isPage) return [pageFinding(exchange, contentType)];
    if (status !== 404) {
      return [{ message: `${exchange.case.request.path} is not a path of the document and was answered ${status}, not 404`, severity: 'warning', expected: '404', actual: answered(exchange), specPointer: pathsRule(exchange) }];
    }
    return formatFindings(exchange, ctx);
  },
};
