import { createNotReadableCheck } from '../src/check/create-not-readable.js';
import { STEP } from '../src/plan/stateful-steps.js';
import { testChainCheck, type StepRow } from './stateful-harness.js';
import { ITEMS_SPEC } from './stateful-spec.js';

const CREATED = { id: 'a1', name: 'Lamp', colour: 'red', createdAt: '2024-05-01T10:00:00Z' };
const READ_RULE = '/paths/~1items~1{itemId}/get/responses/200';

function create(body: Record<string, unknown>, answer: Record<string, unknown> = { ...body, id: 'a1' }): StepRow {
  return { step: STEP.create, operation: 'createItem', path: '/items', body, answer: { status: 201, headers: { location: '/items/a1' }, json: answer } };
}

function read(status: number, json?: unknown): StepRow {
  return { step: STEP.readAfterCreate, operation: 'getItem', path: '/items/a1', answer: { status, ...(json === undefined ? {} : { json }) } };
}

testChainCheck({
  check: createNotReadableCheck,
  spec: ITEMS_SPEC,
  valid: [
    { name: 'the read shows what was sent', steps: [create({ name: 'Lamp', colour: 'red' }), read(200, CREATED)] },
    {
      name: 'server-filled id, createdAt and updatedAt differ from what was sent',
      steps: [
        create({ id: 'mine', name: 'Lamp', createdAt: '2000-01-01T00:00:00Z', updatedAt: '2000-01-01T00:00:00Z' }),
        read(200, { id: 'a1', name: 'Lamp', createdAt: '2024-05-01T10:00:00Z', updatedAt: '2024-05-01T10:00:00Z' }),
      ],
    },
    { name: 'a writeOnly member is not read back', steps: [create({ name: 'Lamp', secret: 's3cret' }), read(200, { id: 'a1', name: 'Lamp' })] },
    {
      name: 'one instant written two ways, an array reordered',
      steps: [create({ name: 'Lamp', dueAt: '2024-05-01T10:00:00Z', tags: ['a', 'b'] }), read(200, { id: 'a1', name: 'Lamp', dueAt: '2024-05-01T12:00:00.000+02:00', tags: ['b', 'a'] })],
    },
    { name: 'an undeclared member the read leaves out', steps: [create({ name: 'Lamp', extra: 1 }), read(200, { id: 'a1', name: 'Lamp' })] },
    { name: 'a 500 on the read is server-error\'s to report', steps: [create({ name: 'Lamp' }), read(500, { oops: true })] },
  ],
  invalid: [
    {
      name: 'the read answers 404',
      steps: [create({ name: 'Lamp' }), read(404)],
      findings: [{ message: 'the resource createItem created (201) cannot be read back: GET /items/a1 answers 404', severity: 'error', actual: '404', specPointer: READ_RULE }],
    },
    {
      name: 'the read answers 410',
      steps: [create({ name: 'Lamp' }), read(410)],
      findings: [{ message: /cannot be read back: GET \/items\/a1 answers 410$/, severity: 'error', expected: /2xx from getItem/ }],
    },
    {
      name: 'the read answers 403 (a warning: maybe a permission model)',
      steps: [create({ name: 'Lamp' }), read(403)],
      findings: [{ message: /answers 403$/, severity: 'warning' }],
    },
    {
      name: 'a member reads back with another value',
      steps: [create({ name: 'Lamp', colour: 'red' }), read(200, { ...CREATED, colour: 'blue' })],
      findings: [{ message: /reads back differently from what was sent \(colour\)/, severity: 'warning', expected: 'as sent: colour = "red"', actual: 'read: colour = "blue"', specPointer: READ_RULE }],
    },
    {
      name: 'an optional member that was sent is left out',
      steps: [create({ name: 'Lamp', note: 'fragile', size: 3 }), read(200, { id: 'a1', name: 'Lamp', size: 4 })],
      findings: [{ message: /\(note, size\)/, expected: 'as sent: note = "fragile", size = 3', actual: 'read: note = (absent), size = 4' }],
    },
  ],
});
