import type { Check, Exchange, FindingDraft } from '../model.js';
import { bodyExcerpt, documentedResponse, documentedStatuses } from './responses.js';

/**
 * Any 5xx is a server failure, documented or not: the contract cannot make a crash correct. The one exception is
 * 501 to an undocumented method (a method case), which is a correct refusal.
 */
export const serverErrorCheck: Check = {
  id: 'server-error',
  category: 'server-error',
  description: 'The server answered with a 5xx status.',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) => exchange.response !== undefined,
  run(exchange: Exchange): FindingDraft[] {
    const response = exchange.response;
    if (response === undefined || response.status < 500 || response.status > 599) return [];
    // 501 is how RFC 9110 answers a method the server does not implement: method-not-allowed judges it.
    if (response.status === 501 && exchange.case.kind === 'method') return [];
    const op = exchange.case.operation;
    const documented = documentedResponse(op, response.status);
    const excerpt = bodyExcerpt(exchange);
    return [
      {
        message:
          `server error ${response.status}` +
          (excerpt === '' ? ' with an empty body' : `: ${excerpt}`) +
          (documented?.status === String(response.status) ? ` (the status is documented, but still a failure)` : ''),
        expected: `a non-5xx answer (documented: ${documentedStatuses(op)})`,
        actual: excerpt === '' ? `${response.status}` : `${response.status} ${excerpt}`,
        specPointer: documented?.location ?? op.location,
      },
    ];
  },
};
