import { locationBrokenCheck } from '../src/check/location-broken.js';
import { STEP } from '../src/plan/stateful-steps.js';
import { testChainCheck, type StepRow } from './stateful-harness.js';
import { ITEMS_SPEC } from './stateful-spec.js';

const LOCATION_RULE = '/paths/~1items/post/responses/201/headers/Location';

function create(location: string, id = 'a1'): StepRow {
  return { step: STEP.create, operation: 'createItem', path: '/items', body: { name: 'Lamp' }, answer: { status: 201, headers: { location }, json: { id, name: 'Lamp' } } };
}

function follow(path: string, status: number, id = 'a1'): StepRow {
  return { step: STEP.followLocation, operation: 'getItem', path, answer: { status, ...(status === 200 ? { json: { id, name: 'Lamp' } } : {}) } };
}

testChainCheck({
  check: locationBrokenCheck,
  spec: ITEMS_SPEC,
  valid: [
    { name: 'a relative Location that leads to the new item', steps: [create('/items/a1'), follow('/items/a1', 200)] },
    { name: 'an absolute Location on the same origin', steps: [create('{origin}/items/a1'), follow('/items/a1', 200)] },
    { name: 'a relative reference without a leading slash, resolved against the request URL', steps: [create('items/a1'), follow('/items/a1', 200)] },
    { name: 'a Location under a base URL with a path prefix', basePath: '/api', steps: [create('/api/items/a1'), follow('/items/a1', 200)] },
    { name: 'a read without an id member cannot be compared, and is not judged', steps: [create('/items/a1'), { ...follow('/items/a1', 200), answer: { status: 200, json: { name: 'Lamp' } } }] },
  ],
  invalid: [
    {
      name: 'the Location leads nowhere (404)',
      steps: [create('/item/a1'), follow('/item/a1', 404)],
      findings: [{ message: /^the Location of the 201 \(\/item\/a1\) does not lead to the created resource: GET http:\/\/127\.0\.0\.1:\d+\/item\/a1 answers 404$/, severity: 'error', actual: '404', specPointer: LOCATION_RULE }],
    },
    {
      name: 'the Location leads to another item',
      steps: [create('/items/a1'), follow('/items/a1', 200, 'b2')],
      findings: [{ message: /leads to another resource: its id differs/, expected: 'id = "a1"', actual: 'id = "b2"', specPointer: LOCATION_RULE }],
    },
    {
      name: 'a Location on another origin is not fetched, and said so',
      steps: [create('https://elsewhere.example/items/a1')],
      findings: [{ message: 'points to another origin (https://elsewhere.example/items/a1); it was not fetched', severity: 'advisory', actual: 'https://elsewhere.example/items/a1' }],
    },
    {
      name: 'a Location outside the base path is not fetched',
      basePath: '/api',
      steps: [create('/v2/items/a1')],
      findings: [{ message: /points to outside the base URL http:\/\/127\.0\.0\.1:\d+\/api/, severity: 'advisory', expected: /^a Location under http:\/\/127\.0\.0\.1:\d+\/api$/ }],
    },
    {
      name: 'a Location that is no URI reference',
      steps: [create('http://[not-a-host/items/a1')],
      findings: [{ message: 'the Location of a 201 is not a URI reference: "http://[not-a-host/items/a1"', severity: 'error', specPointer: LOCATION_RULE }],
    },
  ],
});
