import type { Check, CheckContext, Exchange, FindingDraft } from '../model.js';
import { earlierStep, isStep, isSuccess, STEP } from '../plan/stateful-steps.js';
import { answerSchema, declaredMembers, describeDisagreements, disagreements, sentSchema } from './create-not-readable.js';
import { parsedJson } from './responses.js';

/** After a successful update (PATCH/PUT), a read shows the change; null members of a merge patch reset, so they are not compared. */
export const updateNotPersistedCheck: Check = {
  id: 'update-not-persisted',
  category: 'stateful',
  description: 'After a successful update, reading the resource shows the change.',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) => isStep(exchange, STEP.readAfterUpdate) && exchange.response !== undefined,
  run(exchange: Exchange, ctx: CheckContext): FindingDraft[] {
    const update = earlierStep(exchange, STEP.update);
    const json = parsedJson(exchange);
    // A failed update or read is the single-call checks' to report; only a successful pair can disagree.
    if (!isSuccess(exchange) || !isSuccess(update) || update?.response === undefined || json?.ok !== true) return [];
    const list = disagreements(
      update.case.values?.body,
      json.value,
      declaredMembers(answerSchema(exchange), ctx.spec.schemas),
      declaredMembers(sentSchema(update), ctx.spec.schemas),
    );
    if (list.length === 0) return [];
    const updateOp = update.case.operation;
    const media = updateOp.requestBody?.content.find((m) => m.mediaType === update.case.values?.mediaType) ?? updateOp.requestBody?.content[0];
    const { expected, actual } = describeDisagreements(list);
    return [
      {
        message:
          `${updateOp.id} answered ${update.response.status}, but ${exchange.case.request.method} ${exchange.case.request.path} ` +
          `does not show the change (${list.map((d) => d.member).join(', ')})`,
        expected: `as updated: ${expected}`,
        actual: `read: ${actual}`,
        specPointer: media?.location ?? updateOp.location,
        about: { members: list.map((d) => d.member) },
      },
    ];
  },
};
