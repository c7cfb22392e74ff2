import type { Check, CheckContext, Exchange, FindingDraft, SourceLocation } from '../model.js';
import { bodyExcerpt, documentedAnywhere, headerText } from './responses.js';
import { pointerText } from './rule-text.js';

const VARIANTS: Record<string, string> = {
  'no-credentials': 'without credentials',
  'bad-credentials': 'with invalid credentials',
};

function variantOf(exchange: Exchange): string | undefined {
  const keyword = exchange.case.why?.keyword;
  return exchange.case.kind === 'auth' && keyword !== undefined && keyword in VARIANTS ? keyword : undefined;
}

// The operation, not its `security` member: the requirement may be inherited from the document's root.
function operationRule(exchange: Exchange): SourceLocation {
  return exchange.case.why?.rule ?? exchange.case.operation.location;
}

function answered(exchange: Exchange): string {
  const status = exchange.response?.status ?? 0;
  const excerpt = bodyExcerpt(exchange, 120);
  return excerpt === '' ? `${status}` : `${status} ${excerpt}`;
}

function missingChallenge(exchange: Exchange, how: string): FindingDraft[] {
  if (headerText(exchange, 'www-authenticate') !== undefined) return [];
  return [
    {
      message: `401 ${how} carries no WWW-Authenticate header`,
      expected: 'WWW-Authenticate with at least one challenge (RFC 9110 §15.5.2)',
      actual: '401 without WWW-Authenticate',
      specPointer: operationRule(exchange),
      about: { headers: ['www-authenticate'] },
    },
  ];
}

/** 403 where 401 was due: wrong when the document uses 401 anywhere; what it promised when it uses only 403. */
function forbiddenInstead(exchange: Exchange, ctx: CheckContext, how: string): FindingDraft[] {
  const op = exchange.case.operation;
  const with401 = documentedAnywhere([op, ...ctx.spec.operations], '401');
  if (with401 !== undefined) {
    return [
      {
        message: `403 ${how}; the document answers missing or invalid credentials with 401 (${pointerText(with401.response.location, ctx.spec.source)})`,
        expected: '401 with WWW-Authenticate (RFC 9110 §15.5.2): authentication is missing or failed, not forbidden',
        actual: answered(exchange),
        specPointer: with401.response.location,
      },
    ];
  }
  const with403 = documentedAnywhere([op, ...ctx.spec.operations], '403');
  if (with403 === undefined) return [];
  return [
    {
      message: `403 ${how}, as the document promises (403 and no 401 anywhere); RFC 9110 would answer 401 with WWW-Authenticate`,
      severity: 'advisory',
      expected: '401 with WWW-Authenticate (RFC 9110 §15.5.2)',
      actual: answered(exchange),
      specPointer: with403.response.location,
    },
  ];
}

/**
 * A secured operation asked without credentials, or with invalid ones: 401 with WWW-Authenticate, never a 2xx.
 * 5xx are server-error's. Where the document uses 403 and no 401 anywhere, 403 is what it promised.
 */
export const authRequiredCheck: Check = {
  id: 'auth-required',
  category: 'auth',
  description: 'A secured operation without or with invalid credentials answers 401 with WWW-Authenticate, never 2xx.',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) => exchange.response !== undefined && variantOf(exchange) !== undefined,
  run(exchange: Exchange, ctx: CheckContext): FindingDraft[] {
    const response = exchange.response;
    const variant = variantOf(exchange);
    if (response === undefined || variant === undefined) return [];
    const how = `${VARIANTS[variant]} for ${exchange.case.operation.id}`;
    const status = response.status;
    if (status === 401) return missingChallenge(exchange, how);
    if (status === 403) return forbiddenInstead(exchange, ctx, how);
    if (status >= 500 || status === 429) return [];
    if (status >= 200 && status < 300) {
      return [
        {
          message: `the secured operation ${exchange.case.operation.id} answered ${status} to a request ${VARIANTS[variant]}: the credentials are not checked`,
          expected: '401 with WWW-Authenticate',
          actual: answered(exchange),
          specPointer: operationRule(exchange),
        },
      ];
    }
    return [
      {
        message: `${status} ${how}; authentication should fail with 401 before anything else is judged`,
        severity: 'warning',
        expected: '401 with WWW-Authenticate',
        actual: answered(exchange),
        specPointer: operationRule(exchange),
      },
    ];
  },
};
