import type { Check, Exchange, FindingDraft } from '../model.js';
import { bodyExcerpt, headerText, isHeadRequest } from './responses.js';

function noBodyReason(exchange: Exchange): string | undefined {
  const status = exchange.response?.status;
  if (isHeadRequest(exchange)) return 'an answer to HEAD';
  if (status === 204) return '204 No Content';
  if (status === 304) return '304 Not Modified';
  return undefined;
}

/**
 * RFC 9110 §6.4.1: 204, 304 and HEAD answers end at the header section. A body there desynchronises
 * keep-alive connections. A 204 must also not send Content-Length or Transfer-Encoding (§8.6, RFC 9112 §6.1).
 */
export const noBodyCheck: Check = {
  id: 'no-body',
  category: 'status',
  description: 'No body on 204, 304 and answers to HEAD.',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) => exchange.response !== undefined && noBodyReason(exchange) !== undefined,
  run(exchange: Exchange): FindingDraft[] {
    const response = exchange.response;
    const reason = noBodyReason(exchange);
    if (response === undefined || reason === undefined) return [];
    const op = exchange.case.operation;
    const documented = op.responses.find((r) => r.status === String(response.status));
    const specPointer = documented?.location ?? { file: op.location.file, pointer: `${op.location.pointer}/responses` };
    if (response.body.length > 0) {
      return [
        {
          message: `${reason} carries a body of ${response.body.length} bytes (RFC 9110 allows none): ${bodyExcerpt(exchange)}`,
          expected: 'no body',
          actual: `${response.body.length} bytes`,
          specPointer,
        },
      ];
    }
    if (response.status !== 204) return [];
    const framing = ['content-length', 'transfer-encoding']
      .map((name) => [name, headerText(exchange, name)] as const)
      // Content-Length: 0 is common and harmless, so it is tolerated.
      .filter(([name, value]) => value !== undefined && !(name === 'content-length' && value.trim() === '0'));
    return framing.map(([name, value]) => ({
      message: `204 No Content sends ${name}: ${value ?? ''}, which a 204 must not send`,
      // Harmless to most clients when no bytes follow.
      severity: 'warning' as const,
      expected: `no ${name} header`,
      actual: `${name}: ${value ?? ''}`,
      specPointer,
    }));
  },
};
