import type { Check, Exchange, FindingDraft, Operation } from '../model.js';
import { bodyExcerpt, documentedResponse } from './responses.js';

/**
 * Statuses that say nothing about the data sent, so they are not "valid data rejected":
 * 401/403 belong to the auth check (credentials may simply not be configured), 429 is rate limiting.
 */
const NOT_ABOUT_THE_DATA = new Set([401, 403, 429]);

function hasPathParameters(op: Operation): boolean {
  return op.parameters.some((p) => p.in === 'path') || /\{[^}]+\}/.test(op.path);
}

function isDocumentedExactly(op: Operation, status: number): boolean {
  return op.responses.some((r) => r.status === String(status));
}

function successStatuses(op: Operation): string {
  return op.responses.map((r) => r.status).filter((s) => s.startsWith('2')).join(', ') || '2xx';
}

/**
 * A 4xx for a request the tool built from the contract. Decisions, so the check does not cry wolf:
 * - a documented 404 on a path with parameters is correct: a positive case invents its ids;
 * - a documented 409 is resource state (duplicate, conflict), which schema-valid data cannot foresee: nothing;
 * - a documented 422 is a business rule beyond the schema: a warning, since the server may also be stricter
 *   than its schema and that is worth a look, but it is not proof.
 */
export const positiveRejectedCheck: Check = {
  id: 'positive-rejected',
  category: 'positive-rejected',
  description:
    'A request valid by the contract was answered with a 4xx (401/403 are left to the auth check, 429 is ignored).',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) =>
    exchange.case.kind === 'positive' &&
    exchange.response !== undefined &&
    exchange.response.status >= 400 &&
    exchange.response.status < 500 &&
    !NOT_ABOUT_THE_DATA.has(exchange.response.status),
  run(exchange: Exchange): FindingDraft[] {
    const response = exchange.response;
    if (response === undefined || !positiveRejectedCheck.appliesTo(exchange)) return [];
    const op = exchange.case.operation;
    const status = response.status;
    const documented = isDocumentedExactly(op, status);
    if (documented && status === 404 && hasPathParameters(op)) return [];
    if (documented && status === 409) return [];
    const excerpt = bodyExcerpt(exchange);
    const base = {
      expected: `a success status (${successStatuses(op)}) for a request valid by the contract`,
      actual: excerpt === '' ? `${status}` : `${status} ${excerpt}`,
      specPointer: op.requestBody?.location ?? op.location,
    };
    const said = excerpt === '' ? '' : `; the server said: ${excerpt}`;
    if (documented && status === 422) {
      const rule = documentedResponse(op, status);
      return [
        {
          ...base,
          severity: 'warning',
          message: `a valid request was refused with the documented 422; a business rule beyond the schema, or a server stricter than its contract${said}`,
          specPointer: rule?.location ?? base.specPointer,
        },
      ];
    }
    return [{ ...base, message: `a request valid by the contract was rejected with ${status}${said}` }];
  },
};
