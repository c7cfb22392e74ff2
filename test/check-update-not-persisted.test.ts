import { updateNotPersistedCheck } from '../src/check/update-not-persisted.js';
import { STEP } from '../src/plan/stateful-steps.js';
import { testChainCheck, type StepRow } from './stateful-harness.js';
import { ITEMS_SPEC } from './stateful-spec.js';

const MERGE_PATCH = 'application/merge-patch+json';
const CREATED = { id: 'a1', name: 'Lamp', colour: 'red', size: 3, updatedAt: '2024-05-01T10:00:00Z' };

const create: StepRow = { step: STEP.createForUpdate, operation: 'createItem', path: '/items', body: { name: 'Lamp', colour: 'red', size: 3 }, answer: { status: 201, json: CREATED } };

function patch(body: Record<string, unknown>, status = 200): StepRow {
  return { step: STEP.update, operation: 'updateItem', path: '/items/a1', body, mediaType: MERGE_PATCH, answer: { status, json: { ...CREATED, ...body } } };
}

function put(body: Record<string, unknown>): StepRow {
  return { step: STEP.update, operation: 'replaceItem', path: '/items/a1', body, answer: { status: 200, json: { ...body, id: 'a1' } } };
}

function read(status: number, json?: unknown): StepRow {
  return { step: STEP.readAfterUpdate, operation: 'getItem', path: '/items/a1', answer: { status, ...(json === undefined ? {} : { json }) } };
}

testChainCheck({
  check: updateNotPersistedCheck,
  spec: ITEMS_SPEC,
  valid: [
    { name: 'the read shows the change', steps: [create, patch({ colour: 'blue' }), read(200, { ...CREATED, colour: 'blue' })] },
    { name: 'null in a merge patch resets the member, which the read leaves out', steps: [create, patch({ colour: null }), read(200, { id: 'a1', name: 'Lamp', size: 3 })] },
    {
      name: 'a PUT whose updatedAt the server sets anew',
      steps: [create, put({ name: 'Desk', updatedAt: '2000-01-01T00:00:00Z' }), read(200, { id: 'a1', name: 'Desk', updatedAt: '2024-06-01T08:00:00Z' })],
    },
    { name: 'a failed update is not judged here', steps: [create, patch({ colour: 'blue' }, 404), read(200, CREATED)] },
    { name: 'a read that fails after the update is not judged here', steps: [create, patch({ colour: 'blue' }), read(404)] },
  ],
  invalid: [
    {
      name: 'the change is answered but not kept',
      steps: [create, patch({ colour: 'blue' }), read(200, CREATED)],
      findings: [
        {
          message: 'updateItem answered 200, but GET /items/a1 does not show the change (colour)',
          severity: 'error',
          expected: 'as updated: colour = "blue"',
          actual: 'read: colour = "red"',
          specPointer: '/paths/~1items~1{itemId}/patch/requestBody/content/application~1merge-patch+json',
        },
      ],
    },
    {
      name: 'a PUT that is not kept',
      steps: [create, put({ name: 'Desk' }), read(200, CREATED)],
      findings: [{ message: /^replaceItem answered 200, but GET \/items\/a1 does not show the change \(name\)$/, expected: 'as updated: name = "Desk"', actual: 'read: name = "Lamp"' }],
    },
    {
      name: 'one member kept, two not (one of them dropped)',
      steps: [create, patch({ name: 'Lamp', colour: 'blue', size: 4 }), read(200, { id: 'a1', name: 'Lamp', size: 3 })],
      findings: [{ message: /\(colour, size\)$/, expected: 'as updated: colour = "blue", size = 4', actual: 'read: colour = (absent), size = 3' }],
    },
  ],
});
