import type { CaseKind, Check, Exchange, FindingDraft, Operation } from '../model.js';
import { documentedResponse, documentedStatuses } from './responses.js';

const JUDGED_ELSEWHERE: ReadonlySet<CaseKind> = new Set<CaseKind>(['auth', 'method']);

function documentsClientErrors(op: Operation): boolean {
  return op.responses.some((r) => r.status === 'default' || r.status.startsWith('4'));
}

/**
 * The status is one the operation documents (exact, range, or default). 5xx are left to server-error so a
 * crash is reported once. Where the operation documents no client error at all, a 4xx is only a warning:
 * the document is silent, so the tool assumes 400/422 rather than inventing a rule. A 4xx to a request holding
 * references the tool made up is a warning too: the refusal is right, the document incomplete.
 */
export const statusDocumentedCheck: Check = {
  id: 'status-documented',
  category: 'status',
  description: 'The response status is documented for the operation (exact code, 4XX-style range, or default).',
  defaultSeverity: 'error',
  // Auth and method cases (and the unknown path) probe what the operation never documents: their own checks judge them.
  appliesTo: (exchange: Exchange) =>
    exchange.response !== undefined && exchange.response.status < 500 && !JUDGED_ELSEWHERE.has(exchange.case.kind),
  run(exchange: Exchange): FindingDraft[] {
    const response = exchange.response;
    if (response === undefined || !statusDocumentedCheck.appliesTo(exchange)) return [];
    const op = exchange.case.operation;
    if (documentedResponse(op, response.status) !== undefined) return [];
    const status = response.status;
    const kind = exchange.case.kind;
    const expected = `one of the documented statuses: ${documentedStatuses(op)}`;
    const actual = `${status}`;
    const specPointer = { file: op.location.file, pointer: `${op.location.pointer}/responses` };
    if (status >= 400 && status < 500 && !documentsClientErrors(op)) {
      return [
        {
          message:
            `${status} is not documented, and ${op.id} documents no 4xx or default response; ` +
            (kind === 'negative'
              ? 'the tool assumed invalid input is answered with 400/422 and accepts it, but the document should say so'
              : 'the document should list the client errors the operation can return'),
          severity: 'warning',
          expected,
          actual,
          specPointer,
        },
      ];
    }
    // a refusal of what the tool made up (an id that names no record) is the server right; only the
    // document is incomplete for leaving its status out
    const madeUp = exchange.case.madeUp ?? [];
    if (status >= 400 && status < 500 && kind === 'positive' && madeUp.length > 0) {
      return [
        {
          message: `${status} is not documented for ${op.id}; the request held values the tool made up (${madeUp.join(', ')}), which the server may rightly refuse, but the document should list the status`,
          severity: 'warning',
          expected,
          actual,
          specPointer,
        },
      ];
    }
    const what = status >= 200 && status < 300 && kind === 'positive' ? 'a valid request was answered with an undocumented success status' : 'the status is not documented';
    return [{ message: `${status}: ${what} for ${op.id}`, expected, actual, specPointer }];
  },
};
