import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLE_ID } from '../src/model.js';
import type { Direction, JsonSchema, SchemaBundle, SchemaHandle, SourceLocation, Validator } from '../src/model.js';
import { createValidator } from '../src/schema/validator.js';
import { mutations, type Mutation, type MutationFamily } from '../src/generate/mutate.js';

const FILE = '/specs/hand-made.yaml';

/** A bundle whose every schema object has an origin under /components/schemas/<key>, as the spec loader gives. */
function bundleOf(defs: Record<string, JsonSchema>): SchemaBundle {
  const origin = new WeakMap<object, SourceLocation>();
  const mark = (node: unknown, pointer: string): void => {
    if (typeof node !== 'object' || node === null) return;
    if (!Array.isArray(node)) origin.set(node, { file: FILE, pointer });
    for (const [key, child] of Object.entries(node)) mark(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  };
  for (const [key, schema] of Object.entries(defs)) mark(schema, `/components/schemas/${key}`);
  return { root: { $id: BUNDLE_ID, $defs: defs }, origin, unknownFormats: [] };
}

function handle(bundle: SchemaBundle, def: string): SchemaHandle {
  return { def, schema: bundle.root.$defs[def]!, location: { file: FILE, pointer: `/components/schemas/${def}` } };
}

interface Setup {
  bundle: SchemaBundle;
  validator: Validator;
  schema: SchemaHandle;
  direction: Direction;
}

function setup(defs: Record<string, JsonSchema>, def: string, direction: Direction = 'request'): Setup {
  const bundle = bundleOf(defs);
  return { bundle, validator: createValidator(bundle), schema: handle(bundle, def), direction };
}

function run(s: Setup, valid: unknown, families?: MutationFamily[]) {
  assert.deepEqual(s.validator.validate(s.schema, valid, s.direction), [], 'the starting value must be valid');
  return mutations(s.schema, valid, { bundle: s.bundle, validator: s.validator, direction: s.direction }, { families });
}

const tokens = (pointer: string): string[] => pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));

function valueAt(value: unknown, pointer: string): { found: boolean; value?: unknown } {
  let cur: unknown = value;
  for (const token of tokens(pointer)) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, token)) return { found: false };
    cur = (cur as Record<string, unknown>)[token];
  }
  return { found: true, value: cur };
}

/** The mutated value with its one broken spot put back as it was in the valid value. */
function restore(m: Mutation, valid: unknown): unknown {
  const spot = m.member === undefined ? m.instancePath : `${m.instancePath}/${m.member.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const original = valueAt(valid, spot);
  if (spot === '') return structuredClone(valid);
  const copy = structuredClone(m.value);
  const path = tokens(spot);
  let parent = copy as Record<string, unknown>;
  for (const token of path.slice(0, -1)) parent = parent[token] as Record<string, unknown>;
  const last = path[path.length - 1]!;
  if (original.found) parent[last] = structuredClone(original.value);
  else delete parent[last];
  return copy;
}

/** Invalid for the reason recorded, and valid in every other respect. */
function assertProven(s: Setup, valid: unknown, m: Mutation): void {
  const issues = s.validator.validate(s.schema, m.value, s.direction);
  const intended = issues.filter((i) => i.keyword === m.keyword && i.instancePath === m.instancePath);
  assert.ok(intended.length > 0, `${m.description}: no ${m.keyword} issue at '${m.instancePath}' in ${JSON.stringify(issues)}`);
  if (m.rule) assert.ok(intended.some((i) => i.rule?.pointer === m.rule!.pointer), `${m.description}: rule ${m.rule.pointer} not reported`);
  const restored = restore(m, valid);
  assert.deepEqual(restored, valid, `${m.description}: the value differs elsewhere than at the break`);
  assert.deepEqual(s.validator.validate(s.schema, restored, s.direction), []);
}

function proveAll(s: Setup, valid: unknown, list: Mutation[]): void {
  for (const m of list) assertProven(s, valid, m);
}

const at = (list: Mutation[], path: string): Mutation[] => list.filter((m) => m.instancePath === path);

test('required: each present required member left out, readOnly members excluded in requests', () => {
  const s = setup({
    Customer: {
      type: 'object', required: ['id', 'name', 'email'],
      properties: { id: { type: 'string', readOnly: true }, name: { type: 'string' }, email: { type: 'string', format: 'email' } },
    },
  }, 'Customer');
  const valid = { id: 'c1', name: 'Ada', email: 'ada@example.com' };
  const { mutations: list } = run(s, valid, ['required']);
  assert.deepEqual(list.map((m) => [m.keyword, m.instancePath, m.member]), [['required', '', 'name'], ['required', '', 'email']]);
  assert.equal(list[0]!.description, "missing required member 'name'");
  assert.deepEqual(list[0]!.rule, { file: FILE, pointer: '/components/schemas/Customer/required' });
  proveAll(s, valid, list);
  // in a response the readOnly member is required again
  const r = { ...s, direction: 'response' as const };
  const inResponse = run(r, valid, ['required']).mutations;
  assert.deepEqual(inResponse.map((m) => m.member), ['id', 'name', 'email']);
  proveAll(r, valid, inResponse);
});

test('type: another type for each typed place, never one the schema also allows', () => {
  const s = setup({
    Order: {
      type: 'object',
      properties: {
        qty: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } }, active: { type: 'boolean' },
        note: { type: ['string', 'integer', 'null'] }, anything: {}, amount: { type: 'number' },
      },
    },
  }, 'Order');
  const valid = { qty: 2, tags: ['a'], active: true, note: 'n', anything: 'x', amount: 1.25 };
  const { mutations: list } = run(s, valid, ['type']);
  proveAll(s, valid, list);
  assert.deepEqual(at(list, '').map((m) => m.value), ['abc']);
  assert.deepEqual(at(list, '/qty').map((m) => (m.value as { qty: unknown }).qty), ['abc', 2.5]);
  assert.equal(at(list, '/qty')[1]!.description, '2.5 is not an integer');
  assert.deepEqual((at(list, '/tags')[0]!.value as { tags: unknown }).tags, { abc: 1 });
  assert.deepEqual((at(list, '/active')[0]!.value as { active: unknown }).active, 'abc');
  // 12345 is an integer, which `note` allows: the break is a boolean instead
  assert.deepEqual(at(list, '/note').map((m) => (m.value as { note: unknown }).note), [true]);
  assert.deepEqual(at(list, '/anything'), [], 'no type to break where none is declared');
  assert.deepEqual(at(list, '/amount').map((m) => (m.value as { amount: unknown }).amount), ['abc'], 'a fraction is fine for a number');
  assert.deepEqual(at(list, '/tags/0').map((m) => (m.value as { tags: unknown[] }).tags[0]), [12345]);
});

test('null: only where neither a type list nor an anyOf branch allows it', () => {
  const s = setup({
    Profile: {
      type: 'object',
      properties: {
        a: { type: 'string' }, b: { type: ['string', 'null'] }, c: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        d: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
      },
    },
  }, 'Profile');
  const valid = { a: 'x', b: 'y', c: 'z', d: 'w' };
  const { mutations: list } = run(s, valid, ['null']);
  proveAll(s, valid, list);
  assert.deepEqual(list.map((m) => [m.instancePath, m.keyword]), [['', 'type'], ['/a', 'type'], ['/d', 'anyOf']]);
  assert.equal(list[1]!.description, 'null breaks type string (not nullable)');
});

test('range: just past inclusive bounds, exactly on exclusive ones, past the int32/int64 range of the format', () => {
  const s = setup({
    Item: {
      type: 'object',
      properties: {
        qty: { type: 'integer', minimum: 1, maximum: 100 },
        price: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1000 },
        weight: { type: 'number', minimum: 0.5, maximum: 20 },
        i32: { type: 'integer', format: 'int32' },
        i64: { type: 'integer', format: 'int64' },
        small: { type: 'integer', format: 'int32', maximum: 10 },
      },
    },
  }, 'Item');
  const valid = { qty: 5, price: 9.99, weight: 1, i32: 7, i64: 8, small: 3 };
  const { mutations: list, dropped } = run(s, valid, ['range']);
  proveAll(s, valid, list);
  const got = (path: string): unknown[] => at(list, path).map((m) => valueAt(m.value, path).value);
  assert.deepEqual(got('/qty'), [101, 0, 2147483648, -2147483649]);
  assert.deepEqual(got('/price'), [1000, 0]);
  assert.deepEqual(got('/weight'), [20.1, 0.49]);
  assert.deepEqual(got('/i32'), [2147483648, -2147483649]);
  assert.deepEqual(got('/i64'), [2 ** 63 + 2048, -(2 ** 63) - 2048]);
  assert.ok(JSON.stringify(at(list, '/i64')[0]!.value).includes('9223372036854778000'), 'the int64 break prints past 9223372036854775807');
  // maximum 10 already bounds `small`: an int32 overflow would break two rules, so the far break stays inside int32
  assert.deepEqual(got('/small'), [11, 2147483647, -2147483649]);
  assert.deepEqual(at(list, '/qty').map((m) => m.description), [
    '101 breaks maximum 100', '0 breaks minimum 1',
    '2147483648 breaks maximum 100 (far past it: more than 32 bits)', '-2147483649 breaks minimum 1 (far past it: more than 32 bits)',
  ]);
  assert.deepEqual(at(list, '/i32').map((m) => m.keyword), ['format', 'format']);
  assert.equal(at(list, '/qty')[0]!.rule?.pointer, '/components/schemas/Item/properties/qty/maximum');
  assert.deepEqual(dropped, []);
});

test('multipleOf: a near value off the step, staying within the bounds', () => {
  const s = setup({
    Pack: {
      type: 'object',
      properties: { units: { type: 'integer', multipleOf: 5, minimum: 0 }, half: { type: 'number', multipleOf: 0.5 }, one: { type: 'integer', multipleOf: 1 } },
    },
  }, 'Pack');
  const valid = { units: 10, half: 1.5, one: 3 };
  const { mutations: list } = run(s, valid, ['multipleOf']);
  proveAll(s, valid, list);
  assert.deepEqual(list.map((m) => [m.instancePath, valueAt(m.value, m.instancePath).value]), [['/units', 11], ['/half', 1.75]]);
  assert.equal(list[0]!.description, '11 is not a multiple of 5');
});

test('length: code points counted as JSON Schema does; no longer string where maxLength is absent', () => {
  const s = setup({
    Label: {
      type: 'object',
      properties: { name: { type: 'string', minLength: 2, maxLength: 5 }, emoji: { type: 'string', maxLength: 3 }, free: { type: 'string' } },
    },
  }, 'Label');
  const valid = { name: 'abc', emoji: '😀😀', free: 'anything' };
  const { mutations: list } = run(s, valid, ['length']);
  proveAll(s, valid, list);
  const lengths = list.map((m) => [m.instancePath, m.keyword, [...(valueAt(m.value, m.instancePath).value as string)].length]);
  assert.deepEqual(lengths, [['/name', 'maxLength', 6], ['/name', 'minLength', 1], ['/emoji', 'maxLength', 4]]);
  assert.equal((list[2]!.value as { emoji: string }).emoji, '😀😀😀😀', 'four code points, eight UTF-16 units');
  assert.equal(list[0]!.description, '6 characters break maxLength 5');
});

test('pattern: a string of the same length that does not match, proven both by RegExp and the validator', () => {
  const s = setup({
    Sku: {
      type: 'object',
      properties: { code: { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' }, word: { type: 'string', pattern: 'a', maxLength: 4 } },
    },
  }, 'Sku');
  const valid = { code: 'ABC-1234', word: 'bab' };
  const { mutations: list } = run(s, valid, ['pattern']);
  proveAll(s, valid, list);
  assert.deepEqual(list.map((m) => m.instancePath), ['/code', '/word']);
  const code = (list[0]!.value as { code: string }).code;
  assert.equal(code.length, 8);
  assert.equal(/^[A-Z]{3}-\d{4}$/u.test(code), false);
  const word = (list[1]!.value as { word: string }).word;
  assert.equal(word.includes('a'), false, 'an unanchored pattern needs every occurrence gone');
  assert.equal(word.length, 3);
});

test('enum: a stranger and the case-changed member; no case change that is itself a member', () => {
  const s = setup({
    Sub: {
      type: 'object',
      properties: { plan: { type: 'string', enum: ['basic', 'pro', 'enterprise'] }, tier: { type: 'string', enum: ['a', 'A'] }, level: { type: 'integer', enum: [1, 2, 3] } },
    },
  }, 'Sub');
  const valid = { plan: 'pro', tier: 'a', level: 2 };
  const { mutations: list } = run(s, valid, ['enum']);
  proveAll(s, valid, list);
  const got = list.map((m) => [m.instancePath, valueAt(m.value, m.instancePath).value]);
  assert.deepEqual(got, [['/plan', 'prx'], ['/plan', 'PRO'], ['/tier', 'x'], ['/level', 4]]);
  assert.equal(list[1]!.description, "'PRO' is not one of basic|pro|enterprise (case changed)");
});

test('format: one broken string per format the validator checks, nothing for formats it does not', () => {
  const formats = ['date', 'date-time', 'email', 'uuid', 'uri', 'ipv4', 'ipv6', 'hostname', 'time'];
  const valid: Record<string, string> = {
    date: '2024-05-06', 'date-time': '2024-05-06T10:00:00Z', email: 'ada@example.com', uuid: '123e4567-e89b-42d3-a456-426614174000',
    uri: 'https://example.com/a', ipv4: '10.0.0.1', ipv6: '::1', hostname: 'api.example.com', time: '10:00:00Z', secret: 'pw', custom: 'x',
  };
  const properties: Record<string, JsonSchema> = Object.fromEntries(formats.map((f) => [f, { type: 'string', format: f }]));
  properties.secret = { type: 'string', format: 'password' };
  properties.custom = { type: 'string', format: 'x-made-up' };
  const s = setup({ Formats: { type: 'object', properties } }, 'Formats');
  const { mutations: list } = run(s, valid, ['format']);
  proveAll(s, valid, list);
  assert.deepEqual(list.map((m) => m.instancePath), formats.map((f) => `/${f}`));
  const broken = Object.fromEntries(list.map((m) => [m.instancePath.slice(1), valueAt(m.value, m.instancePath).value]));
  assert.equal(broken.date, '2024-13-45');
  assert.equal(broken['date-time'], '2024-05-06T10:00:00', 'date-time without its zone');
  assert.equal(broken.email, 'ada.example.com');
  assert.equal(broken.uri, 'example.com/a');
  assert.equal(broken.ipv4, '256.1.1.1');
  assert.equal(broken.uuid, 'g23e4567-e89b-42d3-a456-426614174000');
});

test('items: past minItems/maxItems, a duplicate under uniqueItems, an item that breaks its own schema', () => {
  const s = setup({
    Cart: {
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c', 'd'] }, minItems: 1, maxItems: 3, uniqueItems: true },
        lines: { type: 'array', items: { $ref: '#/$defs/Line' } },
        loose: { type: 'array', items: { type: 'integer' } },
      },
    },
    Line: { type: 'object', required: ['quantity'], properties: { quantity: { type: 'integer', minimum: 1 } } },
  }, 'Cart');
  const valid = { tags: ['a', 'b'], lines: [{ quantity: 2 }, { quantity: 3 }], loose: [1, 1] };
  const { mutations: list } = run(s, valid);
  proveAll(s, valid, list);
  const tags = at(list, '/tags').filter((m) => m.family === 'items');
  assert.deepEqual(tags.map((m) => [m.keyword, (m.value as { tags: string[] }).tags]), [
    ['maxItems', ['a', 'b', 'c', 'd']], ['minItems', []], ['uniqueItems', ['a', 'a']],
  ]);
  const line = at(list, '/lines/0/quantity').map((m) => [m.keyword, valueAt(m.value, '/lines/0/quantity').value]);
  assert.deepEqual(line.filter(([k]) => k === 'minimum'), [['minimum', 0], ['minimum', -2147483649]]);
  assert.deepEqual(at(list, '/lines/0').map((m) => [m.keyword, m.member]).filter(([k]) => k === 'required'), [['required', 'quantity']]);
  assert.equal(at(list, '/lines/1/quantity').length, 0, 'one item is enough to break the items schema');
  assert.deepEqual(list.filter((m) => m.instancePath === '/loose' && m.family === 'items'), [], 'no uniqueItems to break');
});

test('properties: an unknown member ONLY where additionalProperties is false; min/maxProperties', () => {
  const s = setup({
    Strict: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' }, b: { type: 'string' } } },
    Open: { type: 'object', properties: { a: { type: 'string' } }, maxProperties: 2, minProperties: 1 },
    Typed: { type: 'object', additionalProperties: true, properties: { a: { type: 'string' } } },
  }, 'Strict');
  const validStrict = { a: 'x' };
  const strict = run(s, validStrict, ['properties']).mutations;
  proveAll(s, validStrict, strict);
  assert.deepEqual(strict.map((m) => [m.keyword, m.instancePath, m.member]), [['additionalProperties', '', 'unexpectedMember']]);
  assert.equal(strict[0]!.description, "unknown member 'unexpectedMember' breaks additionalProperties false");

  const open = { ...s, schema: handle(s.bundle, 'Open') };
  const validOpen = { a: 'x', z: 1 };
  const openList = run(open, validOpen, ['properties']).mutations;
  proveAll(open, validOpen, openList);
  assert.deepEqual(openList.map((m) => [m.keyword, Object.keys(m.value as object).length]), [['maxProperties', 3], ['minProperties', 0]]);

  const typed = { ...s, schema: handle(s.bundle, 'Typed') };
  assert.deepEqual(run(typed, { a: 'x' }, ['properties']).mutations, []);
});

test('oneOf of refs: breaks inside the matching branch only, the other branch failing as before', () => {
  const s = setup({
    Pet: { oneOf: [{ $ref: '#/$defs/Cat' }, { $ref: '#/$defs/Dog' }] },
    Cat: { type: 'object', required: ['petType', 'lives'], properties: { petType: { type: 'string', enum: ['cat'] }, lives: { type: 'integer', maximum: 9 } } },
    Dog: { type: 'object', required: ['petType', 'bark'], properties: { petType: { type: 'string', enum: ['dog'] }, bark: { type: 'boolean' }, lives: { type: 'integer', maximum: 99 } } },
  }, 'Pet');
  const valid = { petType: 'cat', lives: 7 };
  const { mutations: list } = run(s, valid);
  proveAll(s, valid, list);
  const lives = at(list, '/lives').filter((m) => m.keyword === 'maximum');
  assert.deepEqual(lives.map((m) => [(m.value as { lives: number }).lives, m.rule?.pointer]), [
    [10, '/components/schemas/Cat/properties/lives/maximum'], [2147483648, '/components/schemas/Cat/properties/lives/maximum'],
  ]);
  assert.ok(list.some((m) => m.keyword === 'required' && m.member === 'lives'));
  assert.ok(list.every((m) => !m.rule?.pointer.startsWith('/components/schemas/Dog/')), 'nothing is broken in the branch that never matched');
});

test('anyOf traps: no break another branch accepts, no break where the matching branch is ambiguous', () => {
  const s = setup({
    Mixed: { anyOf: [{ type: 'integer', maximum: 10 }, { type: 'string' }] },
    Range: { anyOf: [{ $ref: '#/$defs/Small' }, { $ref: '#/$defs/Big' }] },
    Small: { type: 'integer', maximum: 10 },
    Big: { type: 'integer', minimum: 5 },
  }, 'Mixed');
  const mixed = run(s, 5);
  proveAll(s, 5, mixed.mutations);
  assert.deepEqual(mixed.mutations.map((m) => [m.keyword, m.value]), [['anyOf', true], ['anyOf', null]], "'abc' is accepted by a branch, and maximum is not known to be the one");

  const range = { ...s, schema: handle(s.bundle, 'Range') };
  const both = run(range, 7);
  assert.deepEqual(both.mutations.filter((m) => m.family === 'range'), [], '7 matches both branches: no bound names the break');
  const onlySmall = run(range, 3);
  proveAll(range, 3, onlySmall.mutations);
  assert.deepEqual(onlySmall.mutations.filter((m) => m.family === 'range'), [], '11 breaks Small but Big accepts it');
  assert.ok(onlySmall.dropped.some((d) => d.value === 11 && d.reason.endsWith('still valid')), JSON.stringify(onlySmall.dropped));
});

test('nested combinators: a type is only a break when every branch on the way rejects it', () => {
  const s = setup({
    Option: { anyOf: [{ $ref: '#/$defs/Choice' }, { type: 'null' }] },
    Choice: { oneOf: [{ type: 'string', enum: ['auto'] }, { $ref: '#/$defs/Format' }] },
    Format: { type: 'object', required: ['kind'], properties: { kind: { type: 'string', maxLength: 4 } } },
  }, 'Option');
  const valid = { kind: 'json' };
  const { mutations: list, dropped } = run(s, valid);
  proveAll(s, valid, list);
  assert.deepEqual(at(list, '').map((m) => [m.keyword, m.family, m.value]), [
    ['required', 'required', {}], ['type', 'type', ['abc']],
  ], 'null is allowed by the anyOf and a string by the oneOf: neither is a break at the top');
  assert.deepEqual(at(list, '/kind').map((m) => [m.family, m.keyword]), [['null', 'type'], ['length', 'maxLength'], ['type', 'type']]);
  assert.deepEqual(dropped, []);
});

test('a break that cannot be parted from another keyword at the same place is returned naming both (issue 14 point 6)', () => {
  const s = setup({ T: { type: 'string', minLength: 3, pattern: '^a.*z$' } }, 'T');
  const r = run(s, 'abz', ['length']);
  assert.deepEqual(r.mutations.map((m) => [m.keyword, m.value, m.alsoBreaks]), [['minLength', 'ab', ['pattern']]]);
  assert.match(r.mutations[0]!.description, /break minLength 3, which also breaks pattern \(they cannot be broken apart\)$/);
  const s2 = setup({ T: { type: 'string', maxLength: 3, enum: ['abc', 'ab'] } }, 'T');
  const r2 = run(s2, 'ab', ['length']);
  assert.deepEqual(r2.mutations.map((m) => [m.keyword, m.alsoBreaks]), [['maxLength', ['enum']]]);
});

test('maximum at the int32 limit is broken together with format int32, naming both (issue 14 point 6)', () => {
  const s = setup({ T: { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 } }, 'T');
  const r = run(s, 7, ['range']);
  const above = r.mutations.find((m) => m.keyword === 'maximum');
  assert.ok(above, JSON.stringify(r.mutations.map((m) => [m.keyword, m.value])) + JSON.stringify(r.dropped));
  assert.equal(above.value, 2147483648);
  assert.deepEqual(above.alsoBreaks, ['format']);
  assert.match(above.description, /also breaks format/);
});

test('a break that also breaks something at another place is dropped with why, never returned', () => {
  const s = setup({ T: { type: 'object', properties: { a: { type: 'string', minLength: 2 } }, if: { properties: { a: { maxLength: 1 } } }, then: { required: ['b'] } } }, 'T');
  const r = run(s, { a: 'xy' }, ['length']);
  assert.deepEqual(r.mutations.filter((m) => m.instancePath === '/a' && m.keyword === 'minLength'), []);
  assert.ok(r.dropped.some((d) => /^minLength at '\/a' .*: also breaks /.test(d.reason)), JSON.stringify(r.dropped));
});

test('a small max still reaches every family: the families are taken in turn', () => {
  const s = setup({
    Form: {
      type: 'object', required: ['a', 'b', 'c'],
      properties: {
        a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' },
        n: { type: 'integer', maximum: 9 }, e: { type: 'string', enum: ['x', 'y'] }, f: { type: 'string', format: 'date' },
      },
    },
  }, 'Form');
  const valid = { a: 'a', b: 'b', c: 'c', n: 1, e: 'x', f: '2024-01-02' };
  const few = mutations(s.schema, valid, { bundle: s.bundle, validator: s.validator, direction: 'request' }, { max: 6 });
  proveAll(s, valid, few.mutations);
  assert.deepEqual(few.mutations.map((m) => m.family), ['required', 'type', 'null', 'range', 'format', 'enum']);
});

test('deterministic, bounded by max, and no hang on recursive schemas', () => {
  const s = setup({
    Tree: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 8 }, children: { type: 'array', items: { $ref: '#/$defs/Tree' } } } },
  }, 'Tree');
  let valid: unknown = { name: 'leaf' };
  for (let i = 0; i < 30; i++) valid = { name: `n${i}`, children: [valid] };
  const first = run(s, valid);
  const second = run(s, valid);
  assert.deepEqual(first, second);
  assert.ok(first.mutations.length > 60, `${first.mutations.length}`);
  proveAll(s, valid, first.mutations.slice(0, 20));
  const capped = mutations(s.schema, valid, { bundle: s.bundle, validator: s.validator, direction: 'request' }, { max: 5 });
  assert.deepEqual(capped.mutations, first.mutations.slice(0, 5));
  const invalidStart = mutations(s.schema, { children: [] }, { bundle: s.bundle, validator: s.validator, direction: 'request' });
  assert.deepEqual(invalidStart.mutations, []);
  assert.match(invalidStart.dropped[0]!.reason, /starting value is not valid/);
});
