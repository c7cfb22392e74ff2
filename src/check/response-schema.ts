import type { Check, CheckContext, Exchange, FindingDraft, MediaType, SchemaHandle, ValidationIssue } from '../model.js';
import { parsePointer } from '../spec/pointer.js';
import { issueExpectation } from './rule-text.js';
import { documentedResponse, headerText, isHeadRequest, isJsonMediaType, matchingMediaType, parsedJson, showValue } from './responses.js';

/** Beyond this many issues in one body, one more finding says how many were left out. */
const ISSUES_SHOWN = 10;

interface Target {
  status: number;
  media: MediaType & { schema: SchemaHandle };
  contentType: string;
}

function target(exchange: Exchange): Target | undefined {
  const response = exchange.response;
  if (response === undefined || response.truncated || isHeadRequest(exchange)) return undefined;
  if (response.status === 204 || response.status === 304) return undefined;
  const contentType = headerText(exchange, 'content-type');
  if (contentType === undefined) return undefined;
  const documented = documentedResponse(exchange.case.operation, response.status);
  const media = documented === undefined ? undefined : matchingMediaType(documented.content, contentType);
  if (media?.schema === undefined) return undefined;
  return { status: response.status, media: { ...media, schema: media.schema }, contentType };
}

/** The body as the schema sees it: parsed JSON, or the text of a text/* body; undefined when neither. */
function bodyValue(exchange: Exchange, contentType: string): { value: unknown } | undefined {
  if (isJsonMediaType(contentType)) {
    const json = parsedJson(exchange);
    return json?.ok === true ? { value: json.value } : undefined;
  }
  if (contentType.trim().toLowerCase().startsWith('text/') && exchange.response !== undefined) {
    return { value: new TextDecoder().decode(exchange.response.body) };
  }
  return undefined;
}

/** The top-level member an instance path starts in: '/address/zip' → 'address'; undefined for the root. */
function topMember(instancePath: string): string | undefined {
  return parsePointer(instancePath)?.[0];
}

/** RFC 6901: '/items/0/price' of a value. */
function valueAt(value: unknown, instancePath: string): unknown {
  if (instancePath === '') return value;
  let node: unknown = value;
  for (const raw of instancePath.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function issueFinding(issue: ValidationIssue, body: unknown, t: Target): FindingDraft {
  const where = `body${issue.instancePath}`;
  const member = topMember(issue.instancePath);
  return {
    message: `${t.status} ${t.media.mediaType}: ${where} ${issue.message}`,
    expected: issueExpectation(issue),
    actual: `${where} = ${showValue(valueAt(body, issue.instancePath))}`,
    specPointer: issue.rule ?? t.media.schema.location,
    ...(member === undefined ? {} : { about: { members: [member] } }),
  };
}

/** The body validates, as a response (writeOnly members not expected), against the documented schema. */
export const responseSchemaCheck: Check = {
  id: 'response-schema',
  category: 'response-schema',
  description: 'The response body validates against the schema documented for its status and media type.',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) => target(exchange) !== undefined,
  run(exchange: Exchange, ctx: CheckContext): FindingDraft[] {
    const t = target(exchange);
    if (t === undefined) return [];
    const body = bodyValue(exchange, t.contentType);
    if (body === undefined) return [];
    const issues = ctx.validator.validate(t.media.schema, body.value, 'response');
    const findings = issues.slice(0, ISSUES_SHOWN).map((issue) => issueFinding(issue, body.value, t));
    if (issues.length > ISSUES_SHOWN) {
      findings.push({
        message: `${t.status} ${t.media.mediaType}: ${issues.length - ISSUES_SHOWN} more schema issues not shown`,
        expected: `a body valid against the schema`,
        actual: `${issues.length} issues`,
        specPointer: t.media.schema.location,
      });
    }
    return findings;
  },
};
