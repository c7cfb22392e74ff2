import { STATUS_CODES } from 'node:http';
import type { Check, CheckContext, Exchange, FindingDraft, Operation, Response, SourceLocation } from '../model.js';
import {
  bodyExcerpt,
  documentedContentFor,
  errorFormatOf,
  errorShape,
  headerText,
  isHeadRequest,
  isJsonMediaType,
  isPlainObject,
  isProblemMediaType,
  isUnknownPathCase,
  isUriReference,
  matchingMediaType,
  mediaTypeEssence,
  parsedJson,
  shapeName,
  showValue,
} from './responses.js';

// RFC 9110 renamed a few reason phrases that Node still spells the RFC 7231 way; both are accepted.
const RFC9110_PHRASES: Record<number, string> = { 413: 'Content Too Large', 416: 'Range Not Satisfiable', 422: 'Unprocessable Content' };

function reasonPhrases(status: number): string[] {
  return [STATUS_CODES[status], RFC9110_PHRASES[status]].filter((p): p is string => p !== undefined).map((p) => p.toLowerCase());
}

interface Answer {
  status: number;
  contentType: string;
  body: unknown;
  /** where the rule lives: the documented response, else the operation */
  rule: SourceLocation;
}

function ruleOf(op: Operation, documented: Response | undefined): SourceLocation {
  return documented === undefined ? op.location : { file: documented.location.file, pointer: `${documented.location.pointer}/content` };
}

function memberTypeFindings(problem: Record<string, unknown>, a: Answer): FindingDraft[] {
  const findings: FindingDraft[] = [];
  const wrong = (member: string, expected: string): void => {
    findings.push({
      message: `${a.status} problem: "${member}" is ${showValue(problem[member])}, not ${expected}`,
      expected: `"${member}" is ${expected} (RFC 9457 §3.1)`,
      actual: `"${member}": ${showValue(problem[member])}`,
      specPointer: a.rule,
      about: { members: [member] },
    });
  };
  for (const member of ['type', 'instance']) {
    const value = problem[member];
    if (value !== undefined && (typeof value !== 'string' || !isUriReference(value))) wrong(member, 'a URI reference');
  }
  for (const member of ['title', 'detail']) {
    if (problem[member] !== undefined && typeof problem[member] !== 'string') wrong(member, 'a string');
  }
  return findings;
}

function statusFindings(problem: Record<string, unknown>, a: Answer): FindingDraft[] {
  const status = problem['status'];
  if (status === undefined) return [];
  const expected = `"status": ${a.status}, an integer equal to the HTTP status (RFC 9457 §3.1.2)`;
  if (typeof status !== 'number' || !Number.isInteger(status)) {
    return [{ message: `${a.status} problem: "status" is ${showValue(status)}, not an integer`, expected, actual: `"status": ${showValue(status)}`, specPointer: a.rule, about: { members: ['status'] } }];
  }
  if (status === a.status) return [];
  return [{ message: `${a.status} problem says "status": ${status}, which differs from the HTTP status ${a.status}`, expected, actual: `"status": ${status}`, specPointer: a.rule, about: { members: ['status'] } }];
}

function titleAdvisory(problem: Record<string, unknown>, a: Answer): FindingDraft[] {
  const type = problem['type'];
  const title = problem['title'];
  if ((type !== undefined && type !== 'about:blank') || typeof title !== 'string') return [];
  const phrases = reasonPhrases(a.status);
  if (phrases.length === 0 || phrases.includes(title.trim().toLowerCase())) return [];
  return [
    {
      message: `${a.status} problem of type about:blank has the title ${showValue(title)}; with about:blank the title should be the reason phrase`,
      severity: 'advisory',
      expected: `"title": ${showValue(STATUS_CODES[a.status])} (RFC 9457 §4.2.1)`,
      actual: `"title": ${showValue(title)}${type === undefined ? ' (type absent, so about:blank)' : ''}`,
      specPointer: a.rule,
      about: { members: ['title'] },
    },
  ];
}

/** RFC 9457 member rules; extension members are allowed. */
function memberFindings(a: Answer): FindingDraft[] {
  if (!isPlainObject(a.body)) {
    return [
      {
        message: `${a.status} problem body is ${Array.isArray(a.body) ? 'an array' : typeof a.body}, not a JSON object`,
        expected: 'a JSON object (RFC 9457 §3)',
        actual: showValue(a.body),
        specPointer: a.rule,
      },
    ];
  }
  return [...memberTypeFindings(a.body, a), ...statusFindings(a.body, a), ...titleAdvisory(a.body, a)];
}

function labelFinding(a: Answer, severity: 'error' | 'warning' | 'advisory', why: string): FindingDraft {
  return {
    message: `${a.status} carries problem details labelled ${a.contentType}; ${why}`,
    severity,
    expected: 'Content-Type: application/problem+json',
    actual: `Content-Type: ${a.contentType}`,
    specPointer: a.rule,
    about: { headers: ['content-type'] },
  };
}

function notAProblemFinding(exchange: Exchange, a: Answer, severity: 'error' | 'warning', why: string): FindingDraft {
  return {
    message: `${a.status} is ${shapeName(errorShape(a.body))} (${a.contentType}), not problem details; ${why}`,
    severity,
    expected: 'application/problem+json with type, title, status, detail, instance',
    actual: `${a.contentType} ${bodyExcerpt(exchange, 120)}`,
    specPointer: a.rule,
    about: { headers: ['content-type'] },
  };
}

/** A problem-shaped or other JSON error body that did not declare itself a problem by its media type. */
function undeclaredFindings(exchange: Exchange, ctx: CheckContext, a: Answer, documented: Response | undefined): FindingDraft[] {
  const isProblem = errorShape(a.body) === 'problem';
  if (documented !== undefined) {
    const problemDocumented = documented.content.some((m) => isProblemMediaType(m.mediaType));
    const labelDocumented = matchingMediaType(documented.content, a.contentType) !== undefined;
    if (isProblem) {
      const label = labelDocumented
        ? labelFinding(a, 'advisory', `the document allows ${mediaTypeEssence(a.contentType)} here, but RFC 9457 registers application/problem+json for them`)
        : labelFinding(a, 'error', `the document promises ${documented.content.map((m) => m.mediaType).join(', ')}`);
      return [label, ...memberFindings(a)];
    }
    if (problemDocumented && !labelDocumented) return [notAProblemFinding(exchange, a, 'error', 'the document promises problem details for this status')];
    return [];
  }
  // The document is silent about this status: only --error-format problem makes a rule, and the unknown-path check owns its case.
  if (errorFormatOf(ctx) !== 'problem' || isUnknownPathCase(exchange.case)) return [];
  if (isProblem) return [labelFinding(a, 'warning', 'the status is undocumented and --error-format problem assumes problem details'), ...memberFindings(a)];
  return [notAProblemFinding(exchange, a, 'warning', 'the status is undocumented and --error-format problem assumes problem details')];
}

function unparsable(exchange: Exchange, status: number, rule: SourceLocation, error: string): FindingDraft {
  return {
    message: `${status} says application/problem+json but the body is not valid JSON: ${error}`,
    expected: 'a JSON object (RFC 9457 §3)',
    actual: bodyExcerpt(exchange, 120),
    specPointer: rule,
  };
}

function appliesToAnswer(exchange: Exchange): boolean {
  const response = exchange.response;
  return response !== undefined && response.status >= 400 && response.body.length > 0 && !response.truncated && !isHeadRequest(exchange);
}

/**
 * RFC 9457 problem details for error answers that are, or are documented as, problems: the media type, a JSON
 * object, type/instance URI references, title/detail strings, status an integer equal to the HTTP status.
 * The documented schema is response-schema's business; HTML pages are html-response's.
 */
export const problemDetailsCheck: Check = {
  id: 'problem-details',
  category: 'problem-details',
  description: 'Error answers that are, or are documented as, RFC 9457 problem details follow its rules (media type, members, status equal to the HTTP status).',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) => {
    if (!appliesToAnswer(exchange)) return false;
    const contentType = headerText(exchange, 'content-type') ?? '';
    return isProblemMediaType(contentType) || isJsonMediaType(contentType);
  },
  run(exchange: Exchange, ctx: CheckContext): FindingDraft[] {
    const response = exchange.response;
    if (response === undefined || !problemDetailsCheck.appliesTo(exchange)) return [];
    const op = exchange.case.operation;
    const contentType = headerText(exchange, 'content-type') ?? '';
    const documented = documentedContentFor(op, response.status);
    if (documented === undefined && errorFormatOf(ctx) === 'none') return [];
    const rule = ruleOf(op, documented);
    // problem+xml cannot be read here; whether it is documented is the content-type check's question.
    if (mediaTypeEssence(contentType) === 'application/problem+xml') return [];
    const json = parsedJson(exchange);
    if (json === undefined) return [];
    if (!json.ok) {
      // With documented content the content-type check already reports the unparsable body.
      return isProblemMediaType(contentType) && documented === undefined ? [unparsable(exchange, response.status, rule, json.error)] : [];
    }
    const answer: Answer = { status: response.status, contentType, body: json.value, rule };
    if (isProblemMediaType(contentType)) return memberFindings(answer);
    return undeclaredFindings(exchange, ctx, answer, documented);
  },
};
