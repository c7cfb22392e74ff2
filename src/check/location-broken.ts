import type { Check, Exchange, FindingDraft, Operation, SourceLocation } from '../model.js';
import { baseUrlOf, createExchangeOf, isStep, isSuccess, locationHeader, resolveLocation, STEP } from '../plan/stateful-steps.js';
import { parsedJson, showValue } from './responses.js';

const ID_MEMBERS = ['id', '_id', 'uuid'];

/** The documented Location header of the create's answer, else the answer itself. */
function locationRule(op: Operation, status: number): SourceLocation {
  const response = op.responses.find((r) => r.status === String(status)) ?? op.responses.find((r) => r.status.startsWith('2'));
  const header = response?.headers.find((h) => h.name.toLowerCase() === 'location');
  return header?.location ?? response?.location ?? op.location;
}

/** On the create: a Location that cannot be resolved, or that the tool will not fetch (another origin). */
function judgeCreate(exchange: Exchange, status: number): FindingDraft[] {
  const location = locationHeader(exchange);
  if (location === undefined) return [];
  const rule = locationRule(exchange.case.operation, status);
  const resolved = resolveLocation(exchange, location);
  if (resolved.kind === 'invalid') {
    return [{ message: `the Location of a ${status} is ${resolved.reason}: ${showValue(location)}`, expected: 'a URI reference to the created resource', actual: location, specPointer: rule }];
  }
  if (resolved.kind === 'other-origin' || resolved.kind === 'outside-base') {
    const where = resolved.kind === 'other-origin' ? 'another origin' : `outside the base URL ${resolved.base}`;
    return [
      {
        message: `the Location of a ${status} points to ${where} (${resolved.url}); it was not fetched, so whether it resolves is not known`,
        severity: 'advisory',
        expected: `a Location under ${baseUrlOf(exchange)}`,
        actual: resolved.url,
        specPointer: rule,
      },
    ];
  }
  return [];
}

function idOf(body: unknown): { member: string; value: unknown } | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const member = ID_MEMBERS.find((m) => typeof record[m] === 'string' || typeof record[m] === 'number');
  return member === undefined ? undefined : { member, value: record[member] };
}

/** On the GET of the Location: it must answer, and answer with the resource just created. */
function judgeFollow(exchange: Exchange, status: number): FindingDraft[] {
  const created = createExchangeOf(exchange);
  if (created?.response === undefined) return [];
  const location = locationHeader(created) ?? exchange.url;
  const rule = locationRule(created.case.operation, created.response.status);
  if (status >= 400 && status < 500) {
    return [
      {
        message: `the Location of the ${created.response.status} (${location}) does not lead to the created resource: GET ${exchange.url} answers ${status}`,
        expected: `2xx: the resource ${created.case.operation.id} created`,
        actual: `${status}`,
        specPointer: rule,
      },
    ];
  }
  if (status < 200 || status >= 300) return [];
  const createdJson = parsedJson(created);
  const readJson = parsedJson(exchange);
  const createdId = createdJson?.ok === true ? idOf(createdJson.value) : undefined;
  const readId = readJson?.ok === true ? idOf(readJson.value) : undefined;
  if (createdId === undefined || readId === undefined || createdId.member !== readId.member || createdId.value === readId.value) return [];
  return [
    {
      message: `the Location of the ${created.response.status} (${location}) leads to another resource: its ${readId.member} differs from the created one`,
      expected: `${createdId.member} = ${showValue(createdId.value)}`,
      actual: `${readId.member} = ${showValue(readId.value)}`,
      specPointer: rule,
    },
  ];
}

/** The Location of a 201 (or other 2xx create) resolves, on the same origin, to the resource just created. */
export const locationBrokenCheck: Check = {
  id: 'location-broken',
  category: 'stateful',
  description: 'The Location a create answers resolves to the new resource (relative to the request URL, same origin).',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) =>
    exchange.response !== undefined &&
    ((isStep(exchange, STEP.create) && isSuccess(exchange) && locationHeader(exchange) !== undefined) || isStep(exchange, STEP.followLocation)),
  run(exchange: Exchange): FindingDraft[] {
    const status = exchange.response?.status;
    if (status === undefined) return [];
    return isStep(exchange, STEP.create) ? judgeCreate(exchange, status) : judgeFollow(exchange, status);
  },
};
