import { InputError } from '../errors.js';
import type { Check, CheckContext, Exchange, Finding } from '../model.js';
import { contentTypeCheck } from './content-type.js';
import { negativeAcceptedCheck } from './negative-accepted.js';
import { noBodyCheck } from './no-body.js';
import { positiveRejectedCheck } from './positive-rejected.js';
import { responseHeadersCheck } from './response-headers.js';
import { responseSchemaCheck } from './response-schema.js';
import { serverErrorCheck } from './server-error.js';
import { statusDocumentedCheck } from './status-documented.js';
import { transportCheck } from './transport.js';
import { authRequiredCheck } from './auth-required.js';
import { authScopeCheck } from './auth-scope.js';
import { errorStatusMemberCheck } from './error-status-member.js';
import { htmlResponseCheck } from './html-response.js';
import { methodNotAllowedCheck } from './method-not-allowed.js';
import { problemDetailsCheck } from './problem-details.js';
import { proxyErrorPageCheck } from './proxy-error-page.js';
import { publicOperationCheck } from './public-operation.js';
import { unknownPathCheck } from './unknown-path.js';
import { createNotReadableCheck } from './create-not-readable.js';
import { locationBrokenCheck } from './location-broken.js';
import { updateNotPersistedCheck } from './update-not-persisted.js';
import { useAfterDeleteCheck } from './use-after-delete.js';
import { rateLimitCheck } from './rate-limit.js';
import { brokenMembers, foldFindings, sameHeaders, sameMembers, type FoldRule } from './fold.js';

/** Every check, in the order they run and are listed. */
export const checks: readonly Check[] = [
  transportCheck,
  serverErrorCheck,
  statusDocumentedCheck,
  positiveRejectedCheck,
  negativeAcceptedCheck,
  contentTypeCheck,
  responseSchemaCheck,
  responseHeadersCheck,
  rateLimitCheck,
  noBodyCheck,
  problemDetailsCheck,
  errorStatusMemberCheck,
  htmlResponseCheck,
  proxyErrorPageCheck,
  authRequiredCheck,
  authScopeCheck,
  publicOperationCheck,
  methodNotAllowedCheck,
  unknownPathCheck,
  createNotReadableCheck,
  updateNotPersistedCheck,
  useAfterDeleteCheck,
  locationBrokenCheck,
];

/**
 * Which finding names the cause when several checks fire on one exchange: the keeper absorbs the others
 * (shown as "also: …"). Earlier rules win; a finding absorbed by a keeper that is itself absorbed moves along.
 */
export const FOLDS: readonly FoldRule[] = [
  {
    keep: 'server-error',
    absorb: ['html-response', 'content-type', 'status-documented', 'response-schema', 'problem-details', 'error-status-member', 'response-headers'],
    why: 'a crash is the cause; the page, status and body it comes with are its symptoms',
  },
  {
    keep: 'method-not-allowed',
    absorb: ['html-response', 'content-type', 'status-documented', 'problem-details', 'response-schema'],
    why: 'an undocumented method refused without Allow: the page and the undocumented 405 are the same answer',
  },
  {
    keep: 'auth-required',
    absorb: ['response-headers'],
    why: 'a 401 without WWW-Authenticate is one missing header, whether RFC 9110 or the document asks for it',
    when: sameHeaders,
  },
  {
    keep: 'public-operation',
    absorb: ['status-documented', 'auth-required', 'response-headers'],
    why: 'a public operation that demands credentials: its undocumented 401 is that demand',
  },
  {
    keep: 'positive-rejected',
    absorb: ['status-documented'],
    why: 'a valid request refused: the undocumented status is the refusal',
  },
  {
    keep: 'negative-accepted',
    absorb: ['response-schema'],
    why: 'an invalid value accepted and echoed: the response breaks the schema at the value sent',
    when: (_kept, other, exchange) => {
      const broken = new Set(brokenMembers(exchange));
      const members = other.about?.members ?? [];
      return broken.size > 0 && members.length > 0 && members.every((m) => broken.has(m));
    },
  },
  {
    keep: 'html-response',
    absorb: ['content-type', 'problem-details', 'response-schema', 'error-status-member'],
    why: 'an HTML page where JSON is documented: a wrong Content-Type and a body that is not the error format follow',
  },
  {
    keep: 'problem-details',
    absorb: ['content-type'],
    why: 'problem details labelled or shaped wrong: the Content-Type finding says the same',
    when: sameHeaders,
  },
  {
    keep: 'problem-details',
    absorb: ['response-schema', 'error-status-member'],
    why: 'a problem member of the wrong type or value breaks the documented problem schema at that member',
    when: sameMembers,
  },
  {
    keep: 'response-schema',
    absorb: ['create-not-readable', 'update-not-persisted'],
    why: 'a member of the wrong type reads back different from what was sent: the schema break is the cause',
    when: sameMembers,
  },
];

function unknownIds(ids: string[], option: string): void {
  const known = new Set(checks.map((c) => c.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new InputError(`${option}: unknown check ${unknown.map((id) => `'${id}'`).join(', ')} (known: ${[...known].join(', ')})`);
  }
}

/** The checks to run: all, or only `include`, minus `exclude`. An unknown id is an input error. */
export function selectChecks(include?: string[], exclude?: string[]): Check[] {
  if (include !== undefined) unknownIds(include, '--checks');
  if (exclude !== undefined) unknownIds(exclude, '--exclude-checks');
  const wanted = include === undefined || include.length === 0 ? undefined : new Set(include);
  const unwanted = new Set(exclude ?? []);
  return checks.filter((c) => (wanted === undefined || wanted.has(c.id)) && !unwanted.has(c.id));
}

/**
 * Runs the selected checks that apply to an exchange; `ran` lists the ids that applied, for coverage.
 * A transport failure has no response, so only checks that apply to it run. Findings of one cause are
 * folded into one (FOLDS).
 */
export function runChecks(exchange: Exchange, ctx: CheckContext, selected: Check[]): { findings: Finding[]; ran: string[] } {
  const { findings, ran } = runEachCheck(exchange, ctx, selected);
  return { findings: foldFindings(findings, FOLDS), ran };
}

function runEachCheck(exchange: Exchange, ctx: CheckContext, selected: Check[]): { findings: Finding[]; ran: string[] } {
  const findings: Finding[] = [];
  const ran: string[] = [];
  for (const check of selected) {
    if (!check.appliesTo(exchange)) continue;
    ran.push(check.id);
    for (const draft of check.run(exchange, ctx)) {
      findings.push({
        check: check.id,
        category: check.category,
        severity: draft.severity ?? check.defaultSeverity,
        operation: exchange.case.operation.id,
        message: draft.message,
        ...(draft.expected === undefined ? {} : { expected: draft.expected }),
        ...(draft.actual === undefined ? {} : { actual: draft.actual }),
        ...(draft.specPointer === undefined ? {} : { specPointer: draft.specPointer }),
        ...(draft.about === undefined ? {} : { about: draft.about }),
        exchange,
      });
    }
  }
  return { findings, ran };
}
