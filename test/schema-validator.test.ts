import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLE_ID } from '../src/model.js';
import type { JsonSchema, SchemaBundle, SchemaHandle, SourceLocation } from '../src/model.js';
import { createValidator } from '../src/schema/validator.js';

const FILE = '/specs/hand-made.yaml';

/** A bundle whose every def (and every nested object given in `extra`) has an origin at /components/schemas/<key>. */
function bundleOf(defs: Record<string, JsonSchema>, extra: Array<[object, string]> = [], unknownFormats: string[] = []): SchemaBundle {
  const origin = new WeakMap<object, SourceLocation>();
  for (const [key, schema] of Object.entries(defs)) {
    if (typeof schema === 'object') origin.set(schema, { file: FILE, pointer: `/components/schemas/${key}` });
  }
  for (const [schema, pointer] of extra) origin.set(schema, { file: FILE, pointer });
  return { root: { $id: BUNDLE_ID, $defs: defs }, origin, unknownFormats };
}

function handle(bundle: SchemaBundle, def: string): SchemaHandle {
  return { def, schema: bundle.root.$defs[def]!, location: { file: FILE, pointer: `/components/schemas/${def}` } };
}

function keywordsOf(issues: Array<{ keyword: string }>): string[] {
  return issues.map((issue) => issue.keyword).sort();
}

test('types: a valid value gives no issue, a wrong type gives a type issue at the right instance path', () => {
  const bundle = bundleOf({
    Pet: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name'] },
  });
  const validator = createValidator(bundle);
  assert.deepEqual(validator.validate(handle(bundle, 'Pet'), { name: 'Rex', age: 3 }, 'response'), []);
  const issues = validator.validate(handle(bundle, 'Pet'), { name: 7, age: 1.5 }, 'response');
  assert.deepEqual(issues.map((issue) => [issue.instancePath, issue.keyword]).sort(), [['/age', 'type'], ['/name', 'type']]);
  const missing = validator.validate(handle(bundle, 'Pet'), {}, 'response');
  assert.equal(missing.length, 1);
  assert.equal(missing[0]!.keyword, 'required');
  assert.deepEqual(missing[0]!.params, { missingProperty: 'name' });
});

test('nullable as converted (type array with null, enum with null) accepts null and still rejects other types', () => {
  const bundle = bundleOf({
    Note: { type: ['string', 'null'], maxLength: 3 },
    Color: { type: ['string', 'null'], enum: ['red', 'blue', null] },
  });
  const validator = createValidator(bundle);
  assert.deepEqual(validator.validate(handle(bundle, 'Note'), null, 'response'), []);
  assert.deepEqual(validator.validate(handle(bundle, 'Note'), 'abc', 'response'), []);
  assert.deepEqual(keywordsOf(validator.validate(handle(bundle, 'Note'), 12, 'response')), ['type']);
  assert.deepEqual(validator.validate(handle(bundle, 'Color'), null, 'response'), []);
  assert.deepEqual(keywordsOf(validator.validate(handle(bundle, 'Color'), 'green', 'response')), ['enum']);
});

test('int32 rejects overflow and fractions; int64 accepts 2^53 and its documented maximum, rejects beyond', () => {
  const bundle = bundleOf({ I32: { type: 'integer', format: 'int32' }, I64: { type: 'integer', format: 'int64' } });
  const validator = createValidator(bundle);
  const i32 = handle(bundle, 'I32');
  assert.deepEqual(validator.validate(i32, 2147483647, 'request'), []);
  assert.deepEqual(validator.validate(i32, -2147483648, 'request'), []);
  assert.deepEqual(keywordsOf(validator.validate(i32, 2147483648, 'request')), ['format']);
  assert.deepEqual(keywordsOf(validator.validate(i32, -2147483649, 'request')), ['format']);
  const i64 = handle(bundle, 'I64');
  assert.deepEqual(validator.validate(i64, 2 ** 53, 'request'), []);
  assert.deepEqual(validator.validate(i64, JSON.parse('9223372036854775807'), 'request'), []);
  assert.deepEqual(validator.validate(i64, JSON.parse('-9223372036854775808'), 'request'), []);
  assert.deepEqual(keywordsOf(validator.validate(i64, 2 ** 64, 'request')), ['format']);
  assert.deepEqual(keywordsOf(validator.validate(i64, -(2 ** 64), 'request')), ['format']);
});

test('float, double, byte, binary and password formats exist and behave', () => {
  const bundle = bundleOf({
    F: { type: 'number', format: 'float' },
    D: { type: 'number', format: 'double' },
    B: { type: 'string', format: 'byte' },
    Bin: { type: 'string', format: 'binary' },
    P: { type: 'string', format: 'password' },
  });
  const validator = createValidator(bundle);
  assert.deepEqual(validator.validate(handle(bundle, 'F'), 1.5, 'request'), []);
  assert.deepEqual(keywordsOf(validator.validate(handle(bundle, 'F'), 1e39, 'request')), ['format']);
  assert.deepEqual(validator.validate(handle(bundle, 'D'), 1e300, 'request'), []);
  assert.deepEqual(validator.validate(handle(bundle, 'B'), 'aGVsbG8=', 'request'), []);
  assert.deepEqual(validator.validate(handle(bundle, 'B'), '', 'request'), []);
  assert.deepEqual(keywordsOf(validator.validate(handle(bundle, 'B'), 'not base64!', 'request')), ['format']);
  assert.deepEqual(keywordsOf(validator.validate(handle(bundle, 'B'), 'aGVsbG8=\n!!!', 'request')), ['format']);
  assert.deepEqual(validator.validate(handle(bundle, 'Bin'), '\u0000\u00ff raw', 'request'), []);
  assert.deepEqual(validator.validate(handle(bundle, 'P'), 'hunter2', 'request'), []);
});

test('formats unknown to ajv-formats are accepted, never a failure', () => {
  const bundle = bundleOf({ Phone: { type: 'string', format: 'phone-number' } }, [], ['phone-number']);
  const validator = createValidator(bundle);
  assert.deepEqual(validator.validate(handle(bundle, 'Phone'), 'anything at all', 'response'), []);
  assert.deepEqual(keywordsOf(validator.validate(handle(bundle, 'Phone'), 42, 'response')), ['type']);
});

test('readOnly members are not required in a request, writeOnly members not required in a response', () => {
  const Id = { type: 'string', readOnly: true };
  const bundle = bundleOf({
    Id,
    User: {
      type: 'object',
      properties: {
        id: { $ref: '#/$defs/Id' },
        created: { type: 'string', readOnly: true },
        password: { type: 'string', writeOnly: true },
        name: { type: 'string' },
      },
      required: ['id', 'created', 'password', 'name'],
    },
  });
  const validator = createValidator(bundle);
  const user = handle(bundle, 'User');
  const inRequest = validator.validate(user, { password: 'x', name: 'n' }, 'request');
  assert.deepEqual(inRequest, []);
  const missingInRequest = validator.validate(user, { name: 'n' }, 'request');
  assert.deepEqual(missingInRequest.map((issue) => issue.params.missingProperty), ['password']);
  assert.deepEqual(validator.validate(user, { id: 'u1', created: 'now', name: 'n' }, 'response'), []);
  const missingInResponse = validator.validate(user, { name: 'n' }, 'response');
  assert.deepEqual(missingInResponse.map((issue) => issue.params.missingProperty).sort(), ['created', 'id']);
  // present readOnly members are still validated in a request
  assert.deepEqual(keywordsOf(validator.validate(user, { id: 5, password: 'x', name: 'n' }, 'request')), ['type']);
  // the bundle itself is left untouched
  assert.deepEqual((bundle.root.$defs.User as { required: string[] }).required, ['id', 'created', 'password', 'name']);
});

test('a recursive $ref validates a deep value and finds an error deep inside it', () => {
  const Node = {
    type: 'object',
    properties: { value: { type: 'integer' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
    required: ['value'],
  };
  const bundle = bundleOf({ Node });
  const validator = createValidator(bundle);
  const deep = (depth: number, leaf: unknown): unknown =>
    depth === 0 ? { value: leaf } : { value: depth, children: [{ value: 0 }, deep(depth - 1, leaf)] };
  assert.deepEqual(validator.validate(handle(bundle, 'Node'), deep(40, 1), 'response'), []);
  const issues = validator.validate(handle(bundle, 'Node'), deep(3, 'x'), 'response');
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.instancePath, '/children/1/children/1/children/1/value');
  assert.equal(issues[0]!.keyword, 'type');
});

test('rule pointers lead to the keyword in the original document, through inlined and recursive refs', () => {
  const quantity = { type: 'integer', maximum: 10 };
  const Line = { type: 'object', properties: { quantity }, required: ['quantity'] };
  const items = { type: 'array', items: { $ref: '#/$defs/Line' }, maxItems: 2 };
  const Order = { type: 'object', properties: { items, note: { $ref: '#/$defs/Order' } } };
  const bundle = bundleOf({ Line, Order }, [
    [quantity, '/components/schemas/Line/properties/quantity'],
    [items, '/components/schemas/Order/properties/items'],
  ]);
  const validator = createValidator(bundle);
  const issues = validator.validate(handle(bundle, 'Order'), { items: [{ quantity: 11 }, {}, { quantity: 1 }], note: { items: [{ quantity: 99 }] } }, 'request');
  const byPath = Object.fromEntries(issues.map((issue) => [`${issue.instancePath} ${issue.keyword}`, issue.rule?.pointer]));
  assert.deepEqual(byPath, {
    '/items maxItems': '/components/schemas/Order/properties/items/maxItems',
    '/items/0/quantity maximum': '/components/schemas/Line/properties/quantity/maximum',
    '/items/1 required': '/components/schemas/Line/required',
    '/note/items/0/quantity maximum': '/components/schemas/Line/properties/quantity/maximum',
  });
  assert.ok(issues.every((issue) => issue.rule?.file === FILE));
});

test('rule pointers stay right in the per-direction copy', () => {
  const name = { type: 'string', minLength: 2 };
  const Thing = { type: 'object', properties: { id: { type: 'string', readOnly: true }, name }, required: ['id', 'name'] };
  const bundle = bundleOf({ Thing }, [[name, '/components/schemas/Thing/properties/name']]);
  const validator = createValidator(bundle);
  const issues = validator.validate(handle(bundle, 'Thing'), { name: 'x' }, 'request');
  assert.deepEqual(issues.map((issue) => issue.rule?.pointer), ['/components/schemas/Thing/properties/name/minLength']);
});

test('a def key with characters special in pointers and URIs is found', () => {
  const bundle = bundleOf({ 'a/b~c d%': { type: 'boolean' } });
  const validator = createValidator(bundle);
  assert.deepEqual(validator.validate(handle(bundle, 'a/b~c d%'), true, 'response'), []);
  assert.deepEqual(keywordsOf(validator.validate(handle(bundle, 'a/b~c d%'), 'yes', 'response')), ['type']);
});

test('a pattern that is invalid with the unicode flag (\\: outside a class) is still checked', () => {
  const bundle = bundleOf({ Tag: { type: 'string', pattern: '^[a-z]+\\:[a-z]+$' } });
  const validator = createValidator(bundle);
  assert.deepEqual(validator.validate(handle(bundle, 'Tag'), 'env:prod', 'request'), []);
  assert.deepEqual(keywordsOf(validator.validate(handle(bundle, 'Tag'), 'env-prod', 'request')), ['pattern']);
});
