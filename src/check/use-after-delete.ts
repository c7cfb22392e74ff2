import type { Check, Exchange, FindingDraft, Operation, SourceLocation } from '../model.js';
import { earlierStep, isStep, STEP } from '../plan/stateful-steps.js';

const GONE = new Set([404, 410]);

function goneRule(op: Operation): SourceLocation {
  return (op.responses.find((r) => r.status === '404') ?? op.responses.find((r) => r.status === '410'))?.location ?? { file: op.location.file, pointer: `${op.location.pointer}/responses` };
}

function readAfterDelete(exchange: Exchange, status: number): FindingDraft[] {
  if (status < 200 || status >= 300) return [];
  const deleted = earlierStep(exchange, STEP.delete);
  return [
    {
      message: `${exchange.case.request.method} ${exchange.case.request.path} still answers ${status} after ${deleted?.case.operation.id ?? 'the delete'} answered ${deleted?.response?.status ?? '2xx'}`,
      expected: '404 or 410',
      actual: `${status}`,
      specPointer: goneRule(exchange.case.operation),
    },
  ];
}

function deleteAgain(exchange: Exchange, status: number): FindingDraft[] {
  if (status < 200 || status >= 300) return [];
  const op = exchange.case.operation;
  // Idempotent deletes may answer 204 again; the contract says so by documenting 204.
  if (status === 204 && op.responses.some((r) => r.status === '204')) return [];
  return [
    {
      message: `a second ${exchange.case.request.method} ${exchange.case.request.path} succeeds again with ${status}: the first delete left the resource in place, or the API does not say that deletes are idempotent`,
      severity: 'warning',
      expected: op.responses.some((r) => r.status === '204') ? '404, 410 or the documented 204' : '404 or 410',
      actual: `${status}`,
      specPointer: goneRule(op),
    },
  ];
}

/** A deleted resource is gone: reading it answers 404 or 410, and deleting it again does not succeed (204 where documented aside). */
export const useAfterDeleteCheck: Check = {
  id: 'use-after-delete',
  category: 'stateful',
  description: 'After a successful delete, the resource cannot be read (404/410) or deleted again (204 only where documented).',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) => exchange.response !== undefined && (isStep(exchange, STEP.readAfterDelete) || isStep(exchange, STEP.deleteAgain)),
  run(exchange: Exchange): FindingDraft[] {
    const status = exchange.response?.status;
    if (status === undefined || GONE.has(status)) return [];
    return isStep(exchange, STEP.readAfterDelete) ? readAfterDelete(exchange, status) : deleteAgain(exchange, status);
  },
};
