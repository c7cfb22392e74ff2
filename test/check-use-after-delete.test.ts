import { useAfterDeleteCheck } from '../src/check/use-after-delete.js';
import { STEP } from '../src/plan/stateful-steps.js';
import { testChainCheck, type StepRow } from './stateful-harness.js';
import { ITEMS_SPEC } from './stateful-spec.js';

const createItem: StepRow = { step: STEP.createForDelete, operation: 'createItem', path: '/items', body: { name: 'Lamp' }, answer: { status: 201, json: { id: 'a1', name: 'Lamp' } } };
const deleteItem: StepRow = { step: STEP.delete, operation: 'deleteItem', path: '/items/a1', answer: { status: 204 } };
const deleteThing: StepRow = { step: STEP.delete, operation: 'deleteThing', path: '/things/t1', answer: { status: 200, json: {} } };

function readAfter(status: number): StepRow {
  return { step: STEP.readAfterDelete, operation: 'getItem', path: '/items/a1', answer: { status, ...(status === 200 ? { json: { id: 'a1', name: 'Lamp' } } : {}) } };
}

function again(operation: 'deleteItem' | 'deleteThing', status: number): StepRow {
  return { step: STEP.deleteAgain, operation, path: operation === 'deleteItem' ? '/items/a1' : '/things/t1', answer: { status, ...(status === 200 ? { json: {} } : {}) } };
}

testChainCheck({
  check: useAfterDeleteCheck,
  spec: ITEMS_SPEC,
  valid: [
    { name: '404 after delete, 404 on a second delete', steps: [createItem, deleteItem, readAfter(404), again('deleteItem', 404)] },
    { name: '410 instead of 404', steps: [createItem, deleteItem, readAfter(410), again('deleteItem', 410)] },
    { name: '204 on the second delete, where 204 is documented (idempotent delete)', steps: [createItem, deleteItem, readAfter(404), again('deleteItem', 204)] },
    { name: 'a 400 or 500 after delete is not use-after-delete\'s to report', steps: [createItem, deleteItem, readAfter(400), again('deleteItem', 500)] },
  ],
  invalid: [
    {
      name: 'the deleted resource still reads 200',
      steps: [createItem, deleteItem, readAfter(200), again('deleteItem', 404)],
      findings: [{ message: 'GET /items/a1 still answers 200 after deleteItem answered 204', severity: 'error', expected: '404 or 410', actual: '200', specPointer: '/paths/~1items~1{itemId}/get/responses/404' }],
    },
    {
      name: 'a second delete succeeds with 200',
      steps: [createItem, deleteThing, again('deleteThing', 200)],
      findings: [{ message: /^a second DELETE \/things\/t1 succeeds again with 200/, severity: 'warning', expected: '404 or 410', actual: '200', specPointer: '/paths/~1things~1{thingId}/delete/responses/404' }],
    },
    {
      name: 'a second delete answers 204, which this delete does not document',
      steps: [createItem, deleteThing, again('deleteThing', 204)],
      findings: [{ message: /succeeds again with 204/, severity: 'warning' }],
    },
    {
      name: 'both: still readable and deletable again',
      steps: [createItem, deleteItem, readAfter(200), again('deleteItem', 200)],
      findings: [{ message: /still answers 200/ }, { message: /succeeds again with 200/, expected: '404, 410 or the documented 204' }],
    },
  ],
});
