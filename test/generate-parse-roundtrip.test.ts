import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, handMade } from './support-generate-requests.js';
import type { JsonSchema, MediaType, Operation, Parameter, ParameterLocation, ParameterStyle, SchemaBundle } from '../src/model.js';
import { buildRequest, UnserializableValueError } from '../src/generate/serialize.js';
import { parseRequest } from '../src/generate/parse.js';

const defs: Record<string, JsonSchema> = {
  Str: { type: 'string' },
  Int: { type: 'integer' },
  Num: { type: 'number' },
  Bool: { type: 'boolean' },
  IntOrNull: { type: ['integer', 'null'] },
  StrList: { type: 'array', items: { type: 'string' } },
  IntList: { type: 'array', items: { $ref: '#/$defs/Int' } },
  BoolList: { type: 'array', items: { type: 'boolean' } },
  Color: { type: 'object', properties: { R: { type: 'integer' }, G: { type: 'integer' }, B: { $ref: '#/$defs/Int' } } },
  Mixed: { type: 'object', properties: { name: { type: 'string' }, n: { type: 'number' }, ok: { type: 'boolean' } } },
  ColorRef: { $ref: '#/$defs/Color' },
  Counts: { type: 'object', additionalProperties: { type: 'integer' } },
};
const { bundle, param, operation } = handMade(defs, { method: 'put' });

const STYLES: Record<ParameterLocation, ParameterStyle[]> = {
  path: ['simple', 'label', 'matrix'],
  query: ['form', 'spaceDelimited', 'pipeDelimited', 'deepObject'],
  header: ['simple'],
  cookie: ['form'],
};

// Values sent through every style; 'special' ones carry reserved, non-ASCII and emoji text.
const plain: Array<[string, unknown]> = [
  ['Str', 'blue'],
  ['Str', '5'],
  ['Int', 5],
  ['Int', -12],
  ['Int', 0],
  ['Num', 2.5],
  ['Num', -0.125],
  ['Bool', true],
  ['Bool', false],
  ['IntOrNull', null],
  ['StrList', ['blue', 'black', 'brown']],
  ['StrList', ['one']],
  ['IntList', [1, 2, 3]],
  ['BoolList', [true, false]],
  ['Color', { R: 100, G: 200, B: 150 }],
  ['Mixed', { name: 'n', n: 1.5, ok: false }],
  ['ColorRef', { R: 1, G: 2, B: 3 }],
];
const special: Array<[string, unknown]> = [
  ['Str', 'a b/c?d#e&f=g+h%i;j,k'],
  ['Str', 'ünïcødé 😀'],
  ['Str', 'x.y'],
  ['StrList', ['x/y?z&=#+%', 'ü😀']],
  ['Mixed', { name: 'n/é&=+', n: 3, ok: true }],
];

function roundTrip(p: Parameter, value: unknown): { parsed: unknown; request: string; problems: unknown[]; unknown: unknown } {
  const op = operation(p.in === 'path' ? `/things/{${p.name}}/x` : '/things', [p]);
  const request = buildRequest(op, { [p.in]: { [p.name]: value } });
  const parsed = parseRequest(op, request, bundle);
  return {
    parsed: parsed[p.in][p.name],
    request: JSON.stringify(request),
    problems: parsed.problems,
    unknown: parsed.unknown,
  };
}

test('round trip: every location, style and explode, for primitives, arrays and objects', () => {
  let checked = 0;
  const refused: string[] = [];
  for (const location of Object.keys(STYLES) as ParameterLocation[]) {
    for (const style of STYLES[location]) {
      for (const explode of [false, true]) {
        const values = location === 'header' ? plain : [...plain, ...special];
        for (const [def, value] of values) {
          const p = param('color', location, style, explode, def);
          const label = `${location} ${style} explode=${explode} ${def} ${JSON.stringify(value)}`;
          let result: ReturnType<typeof roundTrip>;
          try {
            result = roundTrip(p, value);
          } catch (error) {
            if (!(error instanceof UnserializableValueError)) throw new Error(`${label}: ${(error as Error).message}`);
            refused.push(label);
            continue;
          }
          assert.deepEqual(result.parsed, value, `${label} → ${result.request}`);
          assert.deepEqual(result.problems, [], label);
          assert.deepEqual(result.unknown, { query: [], cookie: [] }, label);
          checked++;
        }
      }
    }
  }
  // refused, and only these: null leaves an empty path segment; '1.5' holds '.', the exploded label delimiter
  assert.deepEqual(refused, [
    'path simple explode=false IntOrNull null',
    'path simple explode=true IntOrNull null',
    'path label explode=true Mixed {"name":"n","n":1.5,"ok":false}',
  ]);
  assert.equal(checked, 383);
});

test('round trip: empty arrays and objects', () => {
  // not exploded: `color=` reads back as empty; exploded form sends nothing, so the parameter is absent
  assert.deepEqual(roundTrip(param('color', 'query', 'form', false, 'StrList'), []).parsed, []);
  assert.deepEqual(roundTrip(param('color', 'query', 'form', false, 'Color'), {}).parsed, {});
  assert.equal(roundTrip(param('color', 'query', 'form', true, 'StrList'), []).parsed, undefined);
  assert.deepEqual(roundTrip(param('color', 'path', 'label', false, 'StrList'), []).parsed, []);
  assert.deepEqual(roundTrip(param('color', 'path', 'matrix', true, 'StrList'), []).parsed, []);
  assert.deepEqual(roundTrip(param('color', 'header', 'simple', false, 'StrList'), []).parsed, []);
  assert.throws(() => roundTrip(param('color', 'path', 'simple', false, 'StrList'), []), /empty path segment/);
});

test('round trip: several query parameters share one query string (spread object, deepObject, extras)', () => {
  const op = operation('/search', [
    param('color', 'query', 'form', true, 'Color'),
    param('counts', 'query', 'form', true, 'Counts'),
    param('limit', 'query', 'form', true, 'Int'),
    param('filter', 'query', 'deepObject', true, 'Mixed'),
    param('ids', 'query', 'pipeDelimited', false, 'IntList'),
    param('q', 'query', 'form', true, 'Str', { allowReserved: true }),
  ]);
  const query = {
    color: { R: 1, G: 2, B: 3 },
    counts: { apples: 4, pears: 5 },
    limit: 10,
    filter: { name: 'a b', n: 2, ok: true },
    ids: [7, 8],
    q: '/path/to?x:y',
  };
  const request = buildRequest(op, { query });
  assert.equal(request.path, '/search?R=1&G=2&B=3&apples=4&pears=5&limit=10&filter[name]=a%20b&filter[n]=2&filter[ok]=true&ids=7|8&q=/path/to?x:y');
  const parsed = parseRequest(op, request, bundle);
  assert.deepEqual(parsed.query, query);
  assert.deepEqual(parsed.problems, []);
});

test('round trip: cookies and headers together, header names case-insensitive', () => {
  const op = operation('/c', [
    param('session', 'cookie', 'form', true, 'Str'),
    param('prefs', 'cookie', 'form', true, 'Color'),
    param('ids', 'cookie', 'form', false, 'IntList'),
    param('X-Rate', 'header', 'simple', true, 'Mixed'),
    param('x-count', 'header', 'simple', false, 'Int'),
  ]);
  const values = {
    cookie: { session: 'a;b c=d', prefs: { R: 1, G: 2, B: 3 }, ids: [4, 5] },
    header: { 'X-Rate': { name: 'n m', n: 1, ok: true }, 'X-Count': 9 },
  };
  const request = buildRequest(op, values);
  assert.equal(request.headers['Cookie'], 'session=a%3Bb%20c%3Dd; R=1; G=2; B=3; ids=4,5');
  const parsed = parseRequest(op, request, bundle);
  assert.deepEqual(parsed.cookie, values.cookie);
  assert.deepEqual(parsed.header, { 'X-Rate': values.header['X-Rate'], 'x-count': 9 });
});

const formMedia: MediaType = {
  mediaType: 'application/x-www-form-urlencoded',
  schema: {
    def: 'Form',
    schema: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer' },
        vip: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' } },
        ids: { type: 'array', items: { type: 'integer' } },
        address: { type: 'object', properties: { zip: { type: 'integer' } } },
        color: { $ref: '#/$defs/Color' },
      },
    },
    location: at,
  },
  examples: [],
  encoding: { ids: { style: 'spaceDelimited', explode: false }, color: { style: 'deepObject', explode: true } },
  location: at,
};

test('round trip: bodies in JSON, +json, form-urlencoded (with encoding), text and octet-stream', () => {
  const jsonMedia: MediaType = { mediaType: 'application/json', examples: [], encoding: {}, location: at };
  const op = operation('/b', [], [
    jsonMedia,
    { ...jsonMedia, mediaType: 'application/merge-patch+json' },
    formMedia,
    { mediaType: 'text/plain', schema: { def: 'Int', schema: defs['Int']!, location: at }, examples: [], encoding: {}, location: at },
    { mediaType: 'application/octet-stream', examples: [], encoding: {}, location: at },
  ]);
  const bodies: Array<[string, unknown]> = [
    ['application/json', { a: [1, 'é', null, { b: true }] }],
    ['application/merge-patch+json', { a: null }],
    ['application/x-www-form-urlencoded', { name: 'Zoë & co + 1', age: 30, vip: false, tags: ['a', 'b c'], ids: [1, 2], address: { zip: 12345 }, color: { R: 1, G: 2, B: 3 } }],
    ['text/plain', 42],
    ['application/octet-stream', 'raw ü bytes'],
  ];
  for (const [mediaType, body] of bodies) {
    const request = buildRequest(op, { body, mediaType });
    const parsed = parseRequest(op, request, bundle);
    assert.deepEqual(parsed.body, { mediaType, value: body }, mediaType);
    assert.deepEqual(parsed.problems, [], mediaType);
  }
});

test('the parsed body names the documented media type it matched, even a range', () => {
  const op = operation('/any', [], [{ mediaType: '*/*', examples: [], encoding: {}, location: at }]);
  const request = buildRequest(op, { body: { x: 1 } });
  assert.equal(request.headers['Content-Type'], 'application/json');
  assert.deepEqual(parseRequest(op, request).body, { mediaType: '*/*', value: { x: 1 } });
});
