import type { Check, CheckContext, Exchange, FindingDraft } from '../model.js';
import { bodyExcerpt, documentedAnywhere } from './responses.js';
import { pointerText } from './rule-text.js';

function isLimitedScopeCase(exchange: Exchange): boolean {
  return exchange.case.kind === 'auth' && exchange.case.why?.keyword === 'limited-scope';
}

function answered(exchange: Exchange): string {
  const status = exchange.response?.status ?? 0;
  const excerpt = bodyExcerpt(exchange, 120);
  return excerpt === '' ? `${status}` : `${status} ${excerpt}`;
}

/** 401 for a valid identity that lacks a scope: wrong when the document uses 403 anywhere. */
function unauthorizedInstead(exchange: Exchange, ctx: CheckContext, lacking: string): FindingDraft[] {
  const op = exchange.case.operation;
  const with403 = documentedAnywhere([op, ...ctx.spec.operations], '403');
  if (with403 !== undefined) {
    return [
      {
        message: `401 for ${op.id} ${lacking}; the credentials are valid, so the answer is 403 (${pointerText(with403.response.location, ctx.spec.source)})`,
        expected: '403: authenticated but not allowed (RFC 9110 §15.5.4, RFC 6750 insufficient_scope)',
        actual: answered(exchange),
        specPointer: with403.response.location,
      },
    ];
  }
  const with401 = documentedAnywhere([op, ...ctx.spec.operations], '401');
  if (with401 === undefined) return [];
  return [
    {
      message: `401 for ${op.id} ${lacking}, as the document promises (401 and no 403 anywhere); RFC 6750 would answer 403 insufficient_scope`,
      severity: 'advisory',
      expected: '403 (RFC 6750 §3.1 insufficient_scope)',
      actual: answered(exchange),
      specPointer: with401.response.location,
    },
  ];
}

/** A valid identity lacking a scope the operation requires: 403, not 401 and never 2xx. 5xx are server-error's. */
export const authScopeCheck: Check = {
  id: 'auth-scope',
  category: 'auth',
  description: 'Valid credentials that lack a required scope get 403, not 401 and never 2xx.',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) => exchange.response !== undefined && isLimitedScopeCase(exchange),
  run(exchange: Exchange, ctx: CheckContext): FindingDraft[] {
    const response = exchange.response;
    if (response === undefined || !isLimitedScopeCase(exchange)) return [];
    const op = exchange.case.operation;
    const status = response.status;
    const lacking = `by an identity ${exchange.case.why?.description.replace(/^request sent by an identity /, '') ?? 'lacking a scope'}`;
    const scopes = op.security[0]?.flatMap((s) => s.scopes).join(', ') || 'a scope';
    if (status === 403 || status === 429 || status >= 500) return [];
    if (status === 401) return unauthorizedInstead(exchange, ctx, lacking);
    const rule = exchange.case.why?.rule ?? op.location;
    if (status >= 200 && status < 300) {
      return [
        {
          message: `${op.id} answered ${status} to a request ${lacking}: the scopes (${scopes}) are not checked`,
          expected: `403: the operation requires ${scopes}`,
          actual: answered(exchange),
          specPointer: rule,
        },
      ];
    }
    return [
      {
        message: `${status} for ${op.id} ${lacking}; a missing scope should be refused with 403 before anything else is judged`,
        severity: 'warning',
        expected: `403: the operation requires ${scopes}`,
        actual: answered(exchange),
        specPointer: rule,
      },
    ];
  },
};
