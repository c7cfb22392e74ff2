import type { Check, CheckContext, Exchange, FindingDraft, Operation } from '../model.js';
import { bodyExcerpt, headerText } from './responses.js';

/** `security: []`, or an alternative with no requirement: anyone may call it. */
function isPublic(op: Operation): boolean {
  return op.security.length === 0 || op.security.some((alternative) => alternative.length === 0);
}

function isPublicPositive(exchange: Exchange): boolean {
  return exchange.case.kind === 'positive' && exchange.response !== undefined && isPublic(exchange.case.operation);
}

/**
 * An operation documented as public must not demand credentials: a valid request answered 401/403 is a finding,
 * unless the operation documents that status itself (a login endpoint refusing the password it was sent).
 * When the document describes no security at all the promise is weaker (it may just not describe auth): a warning.
 */
export const publicOperationCheck: Check = {
  id: 'public-operation',
  category: 'auth',
  description: 'An operation documented as public (security: []) does not answer a valid request with 401/403.',
  defaultSeverity: 'error',
  appliesTo: isPublicPositive,
  run(exchange: Exchange, ctx: CheckContext): FindingDraft[] {
    const response = exchange.response;
    if (response === undefined || !isPublicPositive(exchange)) return [];
    if (response.status !== 401 && response.status !== 403) return [];
    const op = exchange.case.operation;
    // A login or token endpoint documents its own 401 for credentials sent in the request: that is its contract.
    if (op.responses.some((r) => r.status === String(response.status))) return [];
    const describesSecurity = Object.keys(ctx.spec.securitySchemes).length > 0;
    const challenge = headerText(exchange, 'www-authenticate');
    const excerpt = bodyExcerpt(exchange, 120);
    return [
      {
        message: describesSecurity
          ? `${op.id} is documented as public (no security requirement) but answered a valid request with ${response.status}`
          : `${op.id} answered a valid request with ${response.status}, but the document describes no security at all`,
        ...(describesSecurity ? {} : { severity: 'warning' as const }),
        expected: 'an answer without credentials: the operation has no security requirement',
        actual: `${response.status}${challenge === undefined ? '' : ` WWW-Authenticate: ${challenge}`}${excerpt === '' ? '' : ` ${excerpt}`}`,
        specPointer: op.location,
      },
    ];
  },
};
