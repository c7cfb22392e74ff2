import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonSchema } from '../src/model.js';
import { run } from './support-generate-values.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

test('arrays: min/maxItems boundaries, prefixItems, uniqueItems, contains', () => {
  const defs: Record<string, JsonSchema> = {
    Tags: { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, minItems: 1, maxItems: 3, uniqueItems: true },
    Pair: { type: 'array', prefixItems: [{ type: 'string', format: 'date' }, { type: 'integer', minimum: 0 }], items: false, minItems: 2 },
    WithContains: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 9 }, contains: { const: 7 } },
    Wide: { type: 'array', items: { type: 'integer' } },
  };
  const tags = run(defs, 'Tags').values as string[][];
  assert.ok(tags.some((t) => t.length === 1) && tags.some((t) => t.length === 3));
  assert.ok(tags.every((t) => new Set(t).size === t.length));
  const pairs = run(defs, 'Pair').values as unknown[][];
  assert.ok(pairs.length > 0 && pairs.every((p) => p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'number'));
  const contains = run(defs, 'WithContains').values as number[][];
  assert.ok(contains.length > 0 && contains.every((a) => a.includes(7)));
  const wide = run(defs, 'Wide').values as number[][];
  assert.ok(wide.some((a) => a.length === 0), 'shortest array');
  assert.ok(wide.every((a) => a.length <= 5), 'arrays stay small without minItems');
});

test('objects: "only required" and "all members" are both boundaries; maps, patternProperties, propertyNames, dependentRequired, min/maxProperties', () => {
  const defs: Record<string, JsonSchema> = {
    Pet: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1 }, tag: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
      additionalProperties: false,
    },
    Labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 8 }, propertyNames: { pattern: '^[a-z]{3,6}$' }, minProperties: 1 },
    Headers: { type: 'object', patternProperties: { '^x-[a-z]+$': { type: 'integer' } }, additionalProperties: false, minProperties: 1 },
    Card: {
      type: 'object',
      properties: { number: { type: 'string' }, cvv: { type: 'string', pattern: '^\\d{3}$' } },
      dependentRequired: { number: ['cvv'] },
      maxProperties: 2,
    },
  };
  const pets = run(defs, 'Pet').values as Array<Record<string, unknown>>;
  assert.ok(pets.some((p) => Object.keys(p).length === 1), 'only required');
  assert.ok(pets.some((p) => Object.keys(p).sort().join() === 'age,name,tag'), 'all members');
  const labels = run(defs, 'Labels').values as Array<Record<string, unknown>>;
  assert.ok(labels.length > 0 && labels.every((l) => Object.keys(l).length >= 1 && Object.keys(l).every((k) => /^[a-z]{3,6}$/.test(k))));
  const headers = run(defs, 'Headers').values as Array<Record<string, unknown>>;
  assert.ok(headers.length > 0 && headers.every((h) => Object.keys(h).every((k) => /^x-[a-z]+$/.test(k))));
  const cards = run(defs, 'Card').values as Array<Record<string, unknown>>;
  assert.ok(cards.some((c) => 'number' in c) && cards.every((c) => !('number' in c) || 'cvv' in c));
});

test('allOf merges; anyOf picks a branch; not is avoided', () => {
  const defs: Record<string, JsonSchema> = {
    Base: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } },
    Named: { allOf: [{ $ref: '#/$defs/Base' }, { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 10 } } }] },
    Either: { anyOf: [{ type: 'string', format: 'email' }, { type: 'integer', minimum: 100 }] },
    NotZero: { type: 'integer', minimum: 0, maximum: 3, not: { const: 0 } },
  };
  const named = run(defs, 'Named').values as Array<Record<string, unknown>>;
  assert.ok(named.length >= 3 && named.every((n) => typeof n.id === 'number' && typeof n.name === 'string'));
  const either = run(defs, 'Either', { max: 20 }).values;
  assert.ok(either.some((v) => typeof v === 'string') && either.some((v) => typeof v === 'number'));
  const notZero = run(defs, 'NotZero').values as number[];
  assert.deepEqual(new Set(notZero), new Set([1, 2, 3]));
});

test('oneOf: each value matches exactly one branch, proven by the validator and by hand', () => {
  const defs: Record<string, JsonSchema> = {
    // every integer is also a number: only non-integers may come from the number branch
    Amount: { oneOf: [{ type: 'integer' }, { type: 'number', minimum: 0, maximum: 10 }] },
    // an object with a radius matches both branches: only the second branch can give values
    Shape: {
      oneOf: [
        { type: 'object', required: ['radius'], properties: { radius: { type: 'number' } } },
        { type: 'object', properties: { side: { type: 'number' } } },
      ],
    },
  };
  const amounts = run(defs, 'Amount', { max: 20 }).values as number[];
  assert.ok(amounts.some((n) => !Number.isInteger(n)), 'the number branch is used too');
  assert.ok(amounts.some((n) => Number.isInteger(n) && (n < 0 || n > 10)), 'the integer branch is used too');
  for (const n of amounts) {
    const matches = [Number.isInteger(n), n >= 0 && n <= 10].filter(Boolean).length;
    assert.equal(matches, 1, `${n} matches ${matches} branches`);
  }
  const shapes = run(defs, 'Shape', { max: 10 }).values as Array<Record<string, unknown>>;
  assert.ok(shapes.length >= 5);
  assert.ok(shapes.every((s) => !('radius' in s)), JSON.stringify(shapes));
});

test('discriminator: the property is set to the mapping key, or to the schema name', () => {
  const defs: Record<string, JsonSchema> = {
    Cat: { type: 'object', required: ['petType', 'meows'], properties: { petType: { type: 'string' }, meows: { type: 'boolean' } } },
    Dog: { type: 'object', required: ['petType', 'barks'], properties: { petType: { type: 'string' }, barks: { type: 'boolean' } } },
    Pet: {
      oneOf: [{ $ref: '#/$defs/Cat' }, { $ref: '#/$defs/Dog' }],
      discriminator: { propertyName: 'petType', mapping: { cat: '#/$defs/Cat' } },
    },
  };
  const pets = run(defs, 'Pet', { max: 12 }).values as Array<Record<string, unknown>>;
  assert.ok(pets.length > 0);
  for (const pet of pets) {
    if ('meows' in pet) assert.equal(pet.petType, 'cat');
    else assert.equal(pet.petType, 'Dog');
  }
  assert.ok(pets.some((p) => 'meows' in p) && pets.some((p) => 'barks' in p));
});

test('discriminator through allOf inheritance names the concrete schema', () => {
  const defs: Record<string, JsonSchema> = {
    Animal: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' } }, discriminator: { propertyName: 'kind' } },
    Horse: { allOf: [{ $ref: '#/$defs/Animal' }, { type: 'object', properties: { speed: { type: 'integer' } } }] },
  };
  const horses = run(defs, 'Horse').values as Array<Record<string, unknown>>;
  assert.ok(horses.length > 0 && horses.every((h) => h.kind === 'Horse'));
});

test('readOnly members are left out of requests, writeOnly members out of responses', () => {
  const defs: Record<string, JsonSchema> = {
    Id: { type: 'string', format: 'uuid', readOnly: true },
    User: {
      type: 'object',
      required: ['id', 'email', 'password'],
      properties: {
        id: { $ref: '#/$defs/Id' },
        email: { type: 'string', format: 'email' },
        password: { type: 'string', writeOnly: true, minLength: 8 },
        created: { type: 'string', format: 'date-time', readOnly: true },
      },
    },
  };
  const requests = run(defs, 'User', { direction: 'request' }).values as Array<Record<string, unknown>>;
  assert.ok(requests.length > 0);
  for (const r of requests) assert.ok(!('id' in r) && !('created' in r) && 'password' in r, JSON.stringify(r));
  const responses = run(defs, 'User', { direction: 'response' }).values as Array<Record<string, unknown>>;
  assert.ok(responses.length > 0);
  for (const r of responses) assert.ok('id' in r && !('password' in r), JSON.stringify(r));
  assert.ok(responses.some((r) => 'created' in r));
});

function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (isObject(value)) return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

test('recursion: optional recursive members stop at a small depth; endless required recursion is reported', () => {
  const defs: Record<string, JsonSchema> = {
    Node: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', maxLength: 5 }, parent: { $ref: '#/$defs/Node' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
    },
    Endless: { type: 'object', required: ['next'], properties: { next: { $ref: '#/$defs/Endless' } } },
    Tree: { oneOf: [{ type: 'string' }, { type: 'array', minItems: 1, items: { $ref: '#/$defs/Tree' } }] },
  };
  const nodes = run(defs, 'Node', { max: 15 }).values;
  assert.ok(nodes.length >= 10);
  assert.ok(nodes.some((n) => depthOf(n) >= 3), 'recursion is explored');
  assert.ok(nodes.every((n) => depthOf(n) <= 24), 'and it stops');
  const endless = run(defs, 'Endless');
  assert.deepEqual(endless.values, []);
  assert.ok(endless.result.unsatisfied.some((r) => /recurse without end/.test(r)), endless.result.unsatisfied.join(' | '));
  const trees = run(defs, 'Tree', { max: 10 }).values;
  assert.ok(trees.some((t) => Array.isArray(t)) && trees.some((t) => typeof t === 'string'));
});

test('never hangs: a schema with many wide nested levels stays within the size budget', () => {
  const level = (next: JsonSchema): JsonSchema => ({
    type: 'object',
    required: ['a', 'b', 'c'],
    properties: { a: next, b: next, c: next },
  });
  let schema: JsonSchema = { type: 'string' };
  for (let i = 0; i < 12; i++) schema = level(schema);
  const { result, values } = run({ Wide: schema }, 'Wide', { max: 2 });
  assert.deepEqual(values, []);
  assert.ok(result.unsatisfied.some((r) => /size budget/.test(r)), result.unsatisfied.join(' | '));
});

test('the maximal boundary stays small: nested arrays are short and long strings give way to a character budget', () => {
  const defs: Record<string, JsonSchema> = {
    Text: { type: 'string' },
    Leaf: { type: 'object', properties: { a: { $ref: '#/$defs/Text' }, b: { $ref: '#/$defs/Text' }, c: { $ref: '#/$defs/Text' } } },
    Mid: { type: 'object', properties: { leaves: { type: 'array', items: { $ref: '#/$defs/Leaf' } }, note: { $ref: '#/$defs/Text' } } },
    Top: { type: 'object', properties: { mids: { type: 'array', items: { $ref: '#/$defs/Mid' } }, title: { $ref: '#/$defs/Text' } } },
  };
  const { result } = run(defs, 'Top');
  const maximal = result.values.find((v) => v.source === 'boundary' && /highest/.test(v.note ?? ''));
  assert.ok(maximal, 'a maximal boundary value exists');
  const top = maximal.value as { mids: Array<{ leaves: Array<{ a: string }> }>; title: string };
  assert.equal(top.mids.length, 5);
  assert.ok(top.mids.every((m) => m.leaves.length === 2));
  assert.equal(top.mids[0]!.leaves[0]!.a.length, 1000, 'the first strings are the longest');
  assert.ok(top.title.length < 1000, 'later strings shrink once the budget runs low');
  assert.ok(JSON.stringify(top).length < 60000, `${JSON.stringify(top).length} characters`);
});
