import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, handMade } from './support-generate-requests.js';
import type { JsonSchema, MediaType, Operation, Parameter, ParameterLocation, ParameterStyle, SchemaBundle } from '../src/model.js';
import { buildRequest, encodeBody, serializeParameter, UnserializableValueError } from '../src/generate/serialize.js';
import { parseRequest } from '../src/generate/parse.js';

const defs: Record<string, JsonSchema> = {
  Str: { type: 'string' },
  Int: { type: 'integer' },
  StrList: { type: 'array', items: { type: 'string' } },
  Color: { type: 'object', properties: { R: { type: 'integer' }, G: { type: 'integer' }, B: { type: 'integer' } } },
};
const { bundle, param, operation } = handMade(defs);

const blue = 'blue';
const colors = ['blue', 'black', 'brown'];
const rgb = { R: 100, G: 200, B: 150 };

function defFor(value: unknown): string {
  return Array.isArray(value) ? 'StrList' : typeof value === 'object' ? 'Color' : 'Str';
}

function wire(where: ParameterLocation, style: ParameterStyle, explode: boolean, value: unknown): string {
  const s = serializeParameter(param('color', where, style, explode, defFor(value)), value);
  if (s.in === 'path') return s.text;
  if (s.in === 'header') return s.value;
  return s.in === 'query' ? s.pairs.join('&') : s.pairs.join('; ');
}

// The "Style Examples" table of the OpenAPI 3.1 specification (cookie exploded forms: one cookie each).
const styleExamples: Array<[ParameterLocation, ParameterStyle, boolean, unknown, string]> = [
  ['path', 'simple', false, blue, 'blue'],
  ['path', 'simple', true, blue, 'blue'],
  ['path', 'simple', false, colors, 'blue,black,brown'],
  ['path', 'simple', true, colors, 'blue,black,brown'],
  ['path', 'simple', false, rgb, 'R,100,G,200,B,150'],
  ['path', 'simple', true, rgb, 'R=100,G=200,B=150'],
  ['path', 'label', false, blue, '.blue'],
  ['path', 'label', true, blue, '.blue'],
  ['path', 'label', false, colors, '.blue,black,brown'],
  ['path', 'label', true, colors, '.blue.black.brown'],
  ['path', 'label', false, rgb, '.R,100,G,200,B,150'],
  ['path', 'label', true, rgb, '.R=100.G=200.B=150'],
  ['path', 'matrix', false, blue, ';color=blue'],
  ['path', 'matrix', true, blue, ';color=blue'],
  ['path', 'matrix', false, colors, ';color=blue,black,brown'],
  ['path', 'matrix', true, colors, ';color=blue;color=black;color=brown'],
  ['path', 'matrix', false, rgb, ';color=R,100,G,200,B,150'],
  ['path', 'matrix', true, rgb, ';R=100;G=200;B=150'],
  ['path', 'matrix', false, '', ';color'],
  ['path', 'label', false, '', '.'],
  ['query', 'form', false, blue, 'color=blue'],
  ['query', 'form', true, blue, 'color=blue'],
  ['query', 'form', false, '', 'color='],
  ['query', 'form', false, colors, 'color=blue,black,brown'],
  ['query', 'form', true, colors, 'color=blue&color=black&color=brown'],
  ['query', 'form', false, rgb, 'color=R,100,G,200,B,150'],
  ['query', 'form', true, rgb, 'R=100&G=200&B=150'],
  ['query', 'spaceDelimited', false, colors, 'color=blue%20black%20brown'],
  ['query', 'spaceDelimited', false, rgb, 'color=R%20100%20G%20200%20B%20150'],
  ['query', 'pipeDelimited', false, colors, 'color=blue|black|brown'],
  ['query', 'pipeDelimited', false, rgb, 'color=R|100|G|200|B|150'],
  ['query', 'deepObject', true, rgb, 'color[R]=100&color[G]=200&color[B]=150'],
  ['header', 'simple', false, blue, 'blue'],
  ['header', 'simple', false, colors, 'blue,black,brown'],
  ['header', 'simple', false, rgb, 'R,100,G,200,B,150'],
  ['header', 'simple', true, rgb, 'R=100,G=200,B=150'],
  ['cookie', 'form', false, blue, 'color=blue'],
  ['cookie', 'form', false, colors, 'color=blue,black,brown'],
  ['cookie', 'form', true, colors, 'color=blue; color=black; color=brown'],
  ['cookie', 'form', false, rgb, 'color=R,100,G,200,B,150'],
  ['cookie', 'form', true, rgb, 'R=100; G=200; B=150'],
];

test('every row of the OpenAPI style examples serializes to the documented text', () => {
  for (const [where, style, explode, value, expected] of styleExamples) {
    assert.equal(wire(where, style, explode, value), expected, `${where} ${style} explode=${explode} ${JSON.stringify(value)}`);
  }
});

test('percent-encoding: path segments keep unreserved and safe sub-delims, encode the rest as UTF-8', () => {
  const cases: Array<[string, string]> = [
    ['a b', 'a%20b'],
    ['a/b', 'a%2Fb'],
    ['a?b', 'a%3Fb'],
    ['a#b', 'a%23b'],
    ['a&b=c', 'a&b=c'],
    ['a+b', 'a+b'],
    ['100%', '100%25'],
    ['a,b', 'a%2Cb'],
    ['a;b', 'a%3Bb'],
    ['~user_1.x-y', '~user_1.x-y'],
    ['é', '%C3%A9'],
    ['日本', '%E6%97%A5%E6%9C%AC'],
    ['😀', '%F0%9F%98%80'],
  ];
  for (const [value, expected] of cases) assert.equal(wire('path', 'simple', false, value), expected, value);
});

test('percent-encoding: query values encode reserved characters, space as %20, unless allowReserved', () => {
  const p = param('q', 'query', 'form', true, 'Str');
  const pairs = (value: string, allowReserved: boolean): string => {
    const s = serializeParameter({ ...p, allowReserved }, value);
    assert.equal(s.in, 'query');
    return s.in === 'query' ? s.pairs.join('&') : '';
  };
  assert.equal(pairs('a b', false), 'q=a%20b');
  assert.equal(pairs('a/b?c', false), 'q=a%2Fb%3Fc');
  assert.equal(pairs('a#b&c=d+e%f', false), 'q=a%23b%26c%3Dd%2Be%25f');
  assert.equal(pairs('x:y@z[0]!$\'()*,;', false), 'q=x%3Ay%40z%5B0%5D%21%24%27%28%29%2A%2C%3B');
  assert.equal(pairs('/files/a b.txt?v=1', true), 'q=/files/a%20b.txt?v%3D1');
  assert.equal(pairs('x:y@z[0]!$\'()*,;', true), "q=x:y@z[0]!$'()*,;");
  // '#', '&', '=', '+' and '%' stay encoded even with allowReserved: they would change what the server reads
  assert.equal(pairs('a#b&c=d+e%f', true), 'q=a%23b%26c%3Dd%2Be%25f');
  assert.equal(pairs('ü 😀', false), 'q=%C3%BC%20%F0%9F%98%80');
});

test('a content-described parameter is JSON-encoded then percent-encoded', () => {
  const p: Parameter = { ...param('filter', 'query', 'form', true, 'Color'), contentType: 'application/json' };
  const s = serializeParameter(p, { R: 1, tags: ['a b'] });
  assert.deepEqual(s, { in: 'query', name: 'filter', pairs: ['filter=%7B%22R%22%3A1%2C%22tags%22%3A%5B%22a%20b%22%5D%7D'] });
});

test('numbers are written as plain decimals, never with an exponent', () => {
  const p = param('n', 'query', 'form', true, 'Int');
  const text = (n: number): string => {
    const s = serializeParameter(p, n);
    return s.in === 'query' ? s.pairs[0]! : '';
  };
  assert.equal(text(1e21), 'n=1000000000000000000000');
  assert.equal(text(1.5e-7), 'n=0.00000015');
  assert.equal(text(-0), 'n=0');
  assert.throws(() => text(Number.NaN), UnserializableValueError);
});

test('header values that a server would not read back unchanged are refused', () => {
  const p = param('X-Trace', 'header', 'simple', false, 'Str');
  const refused: Array<[unknown, RegExp]> = [
    ['a\r\nInjected: 1', /CR or LF/],
    ['a\nb', /CR or LF/],
    ['a\u0000b', /control character U\+0000/],
    ['a\u007fb', /control character U\+007F/],
    ['café', /non-ASCII/],
    [' padded', /leading or trailing whitespace/],
    [['a,b', 'c'], /contains ","/],
  ];
  for (const [value, message] of refused) {
    assert.throws(
      () => serializeParameter(p, value),
      (error: unknown) => error instanceof UnserializableValueError && error.where === 'header.X-Trace' && message.test(error.message),
      JSON.stringify(value),
    );
  }
  assert.deepEqual(serializeParameter(p, 'a b\tc'), { in: 'header', name: 'X-Trace', value: 'a b\tc' });
});

test('values whose items contain the style delimiter, dot-segments and empty path segments are refused', () => {
  const refused: Array<[Parameter, unknown]> = [
    [param('c', 'query', 'form', false, 'StrList'), ['a,b']],
    [param('c', 'query', 'spaceDelimited', false, 'StrList'), ['a b']],
    [param('c', 'query', 'pipeDelimited', false, 'StrList'), ['a|b']],
    [param('c', 'path', 'simple', false, 'StrList'), ['x', 'y,z']],
    [param('c', 'path', 'label', true, 'StrList'), ['1.5']],
    [param('c', 'path', 'simple', false, 'Str'), '..'],
    [param('c', 'path', 'simple', false, 'Str'), ''],
    [param('c', 'query', 'deepObject', true, 'Color'), { 'a[b]': 1 }],
    [param('c', 'cookie', 'form', true, 'Color'), { 'bad name': 1 }],
    [param('c', 'query', 'form', true, 'Str'), 'lone \ud800 surrogate'],
  ];
  for (const [p, value] of refused) {
    assert.throws(() => serializeParameter(p, value), UnserializableValueError, `${p.in} ${p.style} ${JSON.stringify(value)}`);
  }
});

test('buildRequest fills the template, appends the query, sets headers, cookies and Content-Type', () => {
  const op = operation('/shops/{shop}/items/{id}.json', [
    param('shop', 'path', 'simple', false, 'Str'),
    param('id', 'path', 'label', false, 'StrList'),
    param('tags', 'query', 'form', true, 'StrList'),
    param('limit', 'query', 'form', true, 'Int'),
    param('X-Request-Id', 'header', 'simple', false, 'Str'),
    param('Content-Type', 'header', 'simple', false, 'Str'),
    param('session', 'cookie', 'form', true, 'Str'),
  ], [{ mediaType: 'application/json', examples: [], encoding: {}, location: at }]);
  const request = buildRequest(op, {
    path: { shop: 'a b', id: ['1', '2'] },
    query: { tags: ['x', 'y z'], limit: 5, extra: 'yes' },
    header: { 'x-request-id': 'r-1', 'Content-Type': 'text/evil' },
    cookie: { session: 'abc=' },
    body: { name: 'n' },
  });
  assert.deepEqual(request, {
    method: 'POST',
    path: '/shops/a%20b/items/.1,2.json?tags=x&tags=y%20z&limit=5&extra=yes',
    headers: { 'X-Request-Id': 'r-1', Cookie: 'session=abc%3D', 'Content-Type': 'application/json' },
    body: '{"name":"n"}',
  });
  assert.throws(() => buildRequest(op, { path: { shop: 'a' } }), /path\.id: no value/);
});

test('bodies: JSON and +json, form-urlencoded with encoding, text, octet-stream; XML refused with a reason', () => {
  assert.deepEqual(encodeBody('application/json', { a: [1, 'é'] }), { contentType: 'application/json', body: '{"a":[1,"é"]}' });
  assert.deepEqual(encodeBody('application/merge-patch+json', { a: null }), { contentType: 'application/merge-patch+json', body: '{"a":null}' });
  assert.deepEqual(encodeBody('*/*', [1]), { contentType: 'application/json', body: '[1]' });
  assert.throws(() => encodeBody('application/json', { a: Number.POSITIVE_INFINITY }), /body\/a: Infinity has no JSON form/);

  const form: MediaType = {
    mediaType: 'application/x-www-form-urlencoded',
    schema: {
      def: 'Form',
      schema: { type: 'object', properties: { tags: { type: 'array' }, ids: { type: 'array' }, address: { type: 'object' }, color: { type: 'object' } } },
      location: at,
    },
    examples: [],
    encoding: { ids: { style: 'pipeDelimited', explode: false }, color: { style: 'deepObject', explode: true } },
    location: at,
  };
  const encoded = encodeBody(form.mediaType, { name: 'a b+c', tags: ['x', 'y'], ids: [1, 2], address: { city: 'Köln' }, color: { R: 1 } }, form);
  assert.equal(encoded.contentType, 'application/x-www-form-urlencoded');
  assert.equal(encoded.body, 'name=a+b%2Bc&tags=x&tags=y&ids=1|2&address=%7B%22city%22%3A%22K%C3%B6ln%22%7D&color[R]=1');
  // WHATWG's form decoder (what browsers and many servers use) reads the same fields back
  const read = new URLSearchParams(encoded.body as string);
  assert.equal(read.get('name'), 'a b+c');
  assert.deepEqual(read.getAll('tags'), ['x', 'y']);
  assert.equal(read.get('address'), '{"city":"Köln"}');

  assert.deepEqual(encodeBody('text/plain', 42), { contentType: 'text/plain', body: '42' });
  const bytes = encodeBody('application/octet-stream', 'hé');
  assert.deepEqual([...(bytes.body as Uint8Array)], [0x68, 0xc3, 0xa9]);
  assert.throws(() => encodeBody('application/xml', { a: 1 }), /application\/xml bodies are not generated/);
  assert.throws(() => encodeBody('application/x-www-form-urlencoded', 'not an object'), /must be an object/);
});

test('a serialized request reads back through parseRequest with its base path removed', () => {
  const op = operation('/items/{id}', [param('id', 'path', 'simple', false, 'Int')]);
  const request = buildRequest(op, { path: { id: 7 } });
  const parsed = parseRequest(op, { ...request, path: `/api/v2${request.path}` }, '/api/v2/', bundle);
  assert.deepEqual(parsed.path, { id: 7 });
  assert.deepEqual(parsed.problems, []);
});
