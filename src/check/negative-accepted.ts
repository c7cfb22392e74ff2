import type { CheckContext, Check, Exchange, FindingDraft, Why } from '../model.js';
import { documentedStatuses, showValue } from './responses.js';
import { pointerText, ruleValue } from './rule-text.js';

const PARAMETER_PLACES = ['path.', 'query.', 'header.', 'cookie.'];

/** A parameter is text on the wire, so 'query.limit=101' rather than 'query.limit="101"'. */
function sentValue(why: Why): string {
  if (typeof why.value === 'string' && PARAMETER_PLACES.some((place) => why.where.startsWith(place))) {
    return why.value.length > 80 ? `${why.value.slice(0, 80)}…` : why.value;
  }
  return showValue(why.value);
}

/** 'query.limit=101 breaks maximum 100 (#/components/parameters/Limit/schema/maximum)' */
export function brokenConstraint(why: Why, ctx: CheckContext): string {
  const sent = why.value === undefined ? why.where : `${why.where}=${sentValue(why)}`;
  const limit = why.rule === undefined ? undefined : ruleValue(ctx.spec.schemas, why.rule);
  const keyword = limit === undefined ? why.keyword : `${why.keyword} ${limit}`;
  const where = why.rule === undefined ? '' : ` (${pointerText(why.rule, ctx.spec.source)})`;
  return `${sent} breaks ${keyword}${where}`;
}

/** A request built to break exactly one constraint was answered with a 2xx. */
export const negativeAcceptedCheck: Check = {
  id: 'negative-accepted',
  category: 'negative-accepted',
  description: 'A request that breaks one documented constraint was accepted with a 2xx.',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) =>
    exchange.case.kind === 'negative' &&
    exchange.response !== undefined &&
    exchange.response.status >= 200 &&
    exchange.response.status < 300,
  run(exchange: Exchange, ctx: CheckContext): FindingDraft[] {
    const response = exchange.response;
    if (response === undefined || !negativeAcceptedCheck.appliesTo(exchange)) return [];
    const op = exchange.case.operation;
    const why = exchange.case.why;
    const broken = why === undefined ? 'a request built to break the contract' : `${brokenConstraint(why, ctx)} and`;
    const clientErrors = op.responses.map((r) => r.status).filter((s) => s.startsWith('4') || s === 'default');
    return [
      {
        message: `${broken} was accepted with ${response.status}`,
        expected: `a client error (${clientErrors.length > 0 ? clientErrors.join(', ') : '4xx; none documented'}) because ${why?.description ?? 'the request breaks the contract'}`,
        actual: `${response.status} (documented: ${documentedStatuses(op)})`,
        specPointer: why?.rule ?? op.location,
      },
    ];
  },
};
