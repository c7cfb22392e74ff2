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

function clip(text: string, max = 100): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A 4xx for a request the tool built from the contract. The server is blamed only for what is proven:
 * - a try to find a first accepted request proves nothing: no finding (the operation's coverage says why it
 *   was not covered, with the last answer);
 * - a variation (an accepted request with one change the schema allows) refused is an error naming the
 *   change and the rule that allows it; none when the status is a documented business rule (409, 422), the
 *   change is a made-up value for a reference (an id, a key), or a
 *   DELETE finds its record gone (the accepted one deleted it); an
 *   advisory when the changed place's description states a rule in prose;
 * - a case from outside the adaptive loop keeps the older rules (documented 404 on path ids and 409 are
 *   nothing, a documented 422 a warning).
 */
export const positiveRejectedCheck: Check = {
  id: 'positive-rejected',
  category: 'positive-rejected',
  description:
    'A request valid by the contract was answered with a 4xx (401/403 are left to the auth check, 429 is ignored); an error only when it differs from an accepted request by one change the schema allows.',
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
    const business = documented && (status === 409 || status === 422);
    const excerpt = bodyExcerpt(exchange);
    const base = {
      expected: `a success status (${successStatuses(op)}) for a request valid by the contract`,
      actual: excerpt === '' ? `${status}` : `${status} ${excerpt}`,
      specPointer: op.requestBody?.location ?? op.location,
    };
    const said = excerpt === '' ? '' : `; the server said: ${excerpt}`;
    const derivation = exchange.case.derivation;
    // a try for a first accepted request proves nothing about the server: when none is accepted the
    // operation is not covered, with the last answer in the coverage report
    if (derivation?.phase === 'baseline-try') return [];
    const change = derivation?.phase === 'variation' ? derivation.change : undefined;
    if (change) {
      const what = change.removed ? `${change.where} left out` : `${change.where} set to ${shown(change.value)}`;
      const from = derivation?.baseline ? ` (${derivation.baseline.id} was accepted)` : '';
      const allowed = change.allowedBy ? `allowed as ${change.allowedBy}` : 'allowed by its schema';
      const pointer = change.rule ?? base.specPointer;
      // a documented 409 or 422 is the server saying which business rule the change broke: not a finding
      if (business) return [];
      // a value the tool made up for a reference names no record: the server is right to refuse it
      if (change.madeUpReference) return [];
      // the accepted DELETE removed the record, so the same request again finds nothing: state, not data
      if (op.method.toUpperCase() === 'DELETE' && (status === 404 || status === 410)) return [];
      if (change.prose) {
        return [{
          ...base,
          severity: 'advisory',
          message: `the accepted request with ${what}${from} was refused with ${status}; its description states a rule the schema does not: "${clip(change.prose)}"${said}`,
          specPointer: pointer,
        }];
      }
      return [{
        ...base,
        expected: `a success status (${successStatuses(op)}): ${change.where} is ${allowed}`,
        message: `the accepted request with ${what}${from} was refused with ${status}, though the change is ${allowed}${said}`,
        specPointer: pointer,
      }];
    }
    if (documented && status === 404 && hasPathParameters(op)) return [];
    if (documented && status === 409) return [];
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
