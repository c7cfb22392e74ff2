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
 * A transport failure has no response, so only checks that apply to it run.
 */
export function runChecks(exchange: Exchange, ctx: CheckContext, selected: Check[]): { findings: Finding[]; ran: string[] } {
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
        exchange,
      });
    }
  }
  return { findings, ran };
}
