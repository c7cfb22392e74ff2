import type { Check, Exchange, FindingDraft, SourceLocation } from '../model.js';
import { parseRetryAfter } from '../send/retry-after.js';
import { documentedResponse, headerText } from './responses.js';

const RETRY_AFTER_FORM = 'Retry-After: <delta-seconds> or <HTTP-date> (RFC 6585 §4, RFC 9110 §10.2.3)';

function rulePointer(exchange: Exchange): SourceLocation {
  const op = exchange.case.operation;
  return documentedResponse(op, 429)?.location ?? op.location;
}

/**
 * A 429 should say when to come back. Without a usable Retry-After a client can only guess, so the sender
 * cannot honour it and the request is not retried; that is worth knowing, but it breaks no documented rule.
 */
export const rateLimitCheck: Check = {
  id: 'rate-limit',
  category: 'headers',
  description: 'A 429 Too Many Requests carries a valid Retry-After, and the retry made after waiting it is not refused again.',
  defaultSeverity: 'advisory',
  appliesTo: (exchange: Exchange) => exchange.response?.status === 429,
  run(exchange: Exchange): FindingDraft[] {
    const value = headerText(exchange, 'retry-after');
    const specPointer = rulePointer(exchange);
    if (value === undefined || value.trim() === '') {
      return [
        {
          message: '429 without Retry-After: a client cannot tell when it may retry, so the request was not retried',
          expected: RETRY_AFTER_FORM,
          actual: 'no Retry-After header',
          specPointer,
        },
      ];
    }
    if (parseRetryAfter(value) === undefined) {
      return [
        {
          message: `429 with Retry-After ${JSON.stringify(value)}, which is neither delta-seconds nor an HTTP-date, so the request was not retried`,
          expected: RETRY_AFTER_FORM,
          actual: `Retry-After: ${value}`,
          specPointer,
        },
      ];
    }
    const retry = exchange.retriedAfter;
    // after a wait cut short by our cap, another 429 is our impatience, not the server's mistake
    if (retry !== undefined && !retry.capped) {
      return [
        {
          message: `still 429 after waiting ${retry.waitedMs / 1000} s as the first answer's Retry-After (${retry.retryAfter}) asked`,
          expected: `an answer other than 429 after waiting Retry-After: ${retry.retryAfter}`,
          actual: `429 again, Retry-After: ${value}`,
          specPointer,
        },
      ];
    }
    return [];
  },
};
