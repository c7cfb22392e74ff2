import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, handMade } from './support-generate-requests.js';
import type { HttpRequest, JsonSchema, MediaType, Operation, Parameter, ParameterLocation, ParameterStyle, SchemaBundle } from '../src/model.js';
import { coerceText, matchPath, parseJsonWithPosition, parseRequest } from '../src/generate/parse.js';

const defs: Record<string, JsonSchema> = {
  Str: { type: 'string' },
  Int: { type: 'integer' },
  Num: { type: 'number' },
  Bool: { type: 'boolean' },
  StrOrInt: { type: ['string', 'integer'] },
  IntOrBool: { anyOf: [{ type: 'integer' }, { type: 'boolean' }] },
  IntRef: { $ref: '#/$defs/Int' },
  Level: { enum: [1, 2, 3] },
  NullableInt: { type: ['integer', 'null'] },
  AllOfInt: { allOf: [{ type: 'number' }, { $ref: '#/$defs/Int' }] },
  Any: {},
  StrList: { type: 'array', items: { type: 'string' } },
  IntList: { type: 'array', items: { $ref: '#/$defs/Int' } },
  Tuple: { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'boolean' }], items: { type: 'string' } },
  Color: { type: 'object', properties: { R: { type: 'integer' }, G: { type: 'integer' }, B: { type: 'integer' } } },
  Nested: { type: 'object', properties: { range: { type: 'object', properties: { min: { type: 'integer' }, max: { type: 'number' } } }, tags: { type: 'array', items: { type: 'string' } } } },
};
const { bundle, param, operation } = handMade(defs, { bodyRequired: false });

function request(path: string, headers: Record<string, string> = {}, body?: string | Uint8Array): HttpRequest {
  const req: HttpRequest = { method: 'POST', path, headers };
  if (body !== undefined) req.body = body;
  return req;
}

test('coercion: text becomes a number, boolean or null only when the schema wants it and the text is plain', () => {
  const table: Array<[string, string, unknown]> = [
    ['Int', '5', 5],
    ['Int', '-12', -12],
    ['Int', '05', 5],
    ['Int', '5.5', 5.5], // a number: the validator then reports "must be integer"
    ['Int', '05x', '05x'],
    ['Int', '', ''],
    ['Int', ' 5', ' 5'],
    ['Int', '1e3', '1e3'],
    ['Int', '0x10', '0x10'],
    ['Int', 'abc', 'abc'],
    ['Num', '2.50', 2.5],
    ['Num', '.5', '.5'],
    ['Bool', 'true', true],
    ['Bool', 'false', false],
    ['Bool', 'TRUE', 'TRUE'],
    ['Bool', '1', '1'],
    ['Str', '5', '5'],
    ['Str', 'true', 'true'],
    ['StrOrInt', '5', '5'],
    ['IntOrBool', 'true', true],
    ['IntOrBool', '7', 7],
    ['IntRef', '7', 7],
    ['Level', '2', 2],
    ['AllOfInt', '3', 3],
    ['NullableInt', '', null],
    ['NullableInt', 'null', null],
    ['NullableInt', '4', 4],
    ['Any', '5', '5'],
  ];
  for (const [def, text, expected] of table) assert.deepEqual(coerceText(text, defs[def], bundle), expected, `${def} ${JSON.stringify(text)}`);
  // without the bundle a ref hides the type, so the text stays text
  assert.equal(coerceText('7', defs['IntRef'], undefined), '7');
});

test('matchPath returns raw (still encoded) text per template variable, or undefined', () => {
  assert.deepEqual(matchPath('/pets/{petId}', '/pets/42'), { petId: '42' });
  assert.deepEqual(matchPath('/pets/{petId}', '/pets/a%20b'), { petId: 'a%20b' });
  assert.deepEqual(matchPath('/files/{name}.{ext}', '/files/report.pdf'), { name: 'report', ext: 'pdf' });
  assert.deepEqual(matchPath('/a/{x}/b/{y}', '/a/1/b/;y=2'), { x: '1', y: ';y=2' });
  assert.deepEqual(matchPath('/static(v1)/{id}', '/static(v1)/9'), { id: '9' });
  assert.equal(matchPath('/pets/{petId}', '/pets/1/toys'), undefined);
  assert.equal(matchPath('/pets/{petId}', '/owners/1'), undefined);
  assert.deepEqual(matchPath('/health', '/health'), {});
});

test('the OpenAPI style examples read back as values', () => {
  const cases: Array<[Parameter, string, unknown]> = [
    [param('color', 'query', 'form', false, 'StrList'), '/x?color=blue,black,brown', ['blue', 'black', 'brown']],
    [param('color', 'query', 'form', true, 'StrList'), '/x?color=blue&color=black&color=brown', ['blue', 'black', 'brown']],
    [param('color', 'query', 'deepObject', true, 'Color'), '/x?color[R]=100&color[G]=200&color[B]=150', { R: 100, G: 200, B: 150 }],
    [param('color', 'query', 'form', true, 'Color'), '/x?R=100&G=200&B=150', { R: 100, G: 200, B: 150 }],
    [param('color', 'query', 'spaceDelimited', false, 'StrList'), '/x?color=blue%20black%20brown', ['blue', 'black', 'brown']],
    [param('color', 'query', 'pipeDelimited', false, 'Color'), '/x?color=R|100|G|200|B|150', { R: 100, G: 200, B: 150 }],
  ];
  for (const [p, path, expected] of cases) {
    const parsed = parseRequest(operation('/x', [p]), request(path), bundle);
    assert.deepEqual(parsed.query[p.name], expected, path);
  }
  const pathCases: Array<[Parameter, string, unknown]> = [
    [param('color', 'path', 'matrix', false, 'Str'), '/p/;color=blue', 'blue'],
    [param('color', 'path', 'matrix', true, 'StrList'), '/p/;color=blue;color=black;color=brown', ['blue', 'black', 'brown']],
    [param('color', 'path', 'matrix', true, 'Color'), '/p/;R=100;G=200;B=150', { R: 100, G: 200, B: 150 }],
    [param('color', 'path', 'label', true, 'StrList'), '/p/.blue.black.brown', ['blue', 'black', 'brown']],
    [param('color', 'path', 'label', false, 'Color'), '/p/.R,100,G,200,B,150', { R: 100, G: 200, B: 150 }],
    [param('color', 'path', 'simple', true, 'Color'), '/p/R=100,G=200,B=150', { R: 100, G: 200, B: 150 }],
  ];
  for (const [p, path, expected] of pathCases) {
    const parsed = parseRequest(operation('/p/{color}', [p]), request(path), bundle);
    assert.deepEqual(parsed.path['color'], expected, path);
    assert.deepEqual(parsed.problems, [], path);
  }
});

test('requests written by hand: + as space, decode-then-split, nested deepObject, repeats and unknown names', () => {
  const op = operation('/s', [
    param('q', 'query', 'form', true, 'Str'),
    param('tags', 'query', 'form', false, 'StrList'),
    param('filter', 'query', 'deepObject', true, 'Nested'),
    param('limit', 'query', 'form', true, 'Int'),
    param('tuple', 'query', 'form', false, 'Tuple'),
  ]);
  const parsed = parseRequest(
    op,
    request('/s?q=a+b%2Bc&tags=x%2Cy&filter[range][min]=1&filter[range][max]=2.5&filter[tags]=a&filter[tags]=b&limt=5&tuple=1,true,x#frag'),
    bundle,
  );
  assert.deepEqual(parsed.query, {
    q: 'a b+c',
    tags: ['x', 'y'],
    filter: { range: { min: 1, max: 2.5 }, tags: ['a', 'b'] },
    tuple: [1, true, 'x'],
  });
  assert.deepEqual(parsed.unknown, { query: ['limt'], cookie: [] });
  assert.deepEqual(parsed.problems, []);

  const repeated = parseRequest(op, request('/s?limit=1&limit=2&q=%E0%A4%A'), bundle);
  assert.deepEqual(repeated.query['limit'], ['1', '2']);
  assert.deepEqual(
    repeated.problems.map((p) => p.where),
    ['query', 'query.limit'],
  );
  assert.match(repeated.problems[0]!.message, /malformed percent-encoding/);
  assert.match(repeated.problems[1]!.message, /repeated 2 times/);
});

test('a value that does not coerce stays text, so the validator can report it', () => {
  const op = operation('/items/{id}', [param('id', 'path', 'simple', false, 'Int'), param('ids', 'query', 'form', false, 'IntList'), param('on', 'header', 'simple', false, 'Bool')]);
  const parsed = parseRequest(op, request('/items/12ab?ids=1,x,3', { ON: 'yes' }), bundle);
  assert.deepEqual(parsed.path, { id: '12ab' });
  assert.deepEqual(parsed.query, { ids: [1, 'x', 3] });
  assert.deepEqual(parsed.header, { on: 'yes' });
});

test('headers: case-insensitive names, optional whitespace around list commas; cookies: quotes and encoding', () => {
  const op = operation('/h', [
    param('X-Ids', 'header', 'simple', false, 'IntList'),
    param('X-Color', 'header', 'simple', false, 'Color'),
    param('Accept', 'header', 'simple', false, 'Str'),
    param('sid', 'cookie', 'form', true, 'Str'),
    param('n', 'cookie', 'form', true, 'Int'),
  ]);
  const parsed = parseRequest(op, request('/h', { 'x-ids': ' 1, 2 ,3 ', 'X-COLOR': 'R, 1, G, 2, B, 3', accept: 'text/html', cookie: 'sid="a%20b"; n=4; other=z' }), bundle);
  assert.deepEqual(parsed.header, { 'X-Ids': [1, 2, 3], 'X-Color': { R: 1, G: 2, B: 3 } });
  assert.deepEqual(parsed.cookie, { sid: 'a b', n: 4 });
  assert.deepEqual(parsed.unknown.cookie, ['other']);
});

test('path problems: no match, outside the base path, wrong label/matrix prefix', () => {
  const op = operation('/pets/{id}', [param('id', 'path', 'matrix', false, 'Int')]);
  assert.match(parseRequest(op, request('/owners/1'), bundle).problems[0]!.message, /does not match the template "\/pets\/\{id\}"/);
  assert.match(parseRequest(op, request('/v1/pets/;id=1'), '/v2', bundle).problems[0]!.message, /not under the base path "\/v2"/);
  const wrong = parseRequest(op, request('/pets/7'), bundle);
  assert.equal(wrong.path['id'], '7');
  assert.match(wrong.problems[0]!.message, /does not start with ";"/);
  assert.deepEqual(parseRequest(op, request('/v2/pets/;id=7'), '/v2', bundle).path, { id: 7 });
});

test('parseJsonWithPosition: offset, line and column of the first syntax error', () => {
  const table: Array<[string, number, number, number, RegExp]> = [
    ['{"a":}', 5, 1, 6, /unexpected character "}", expected a JSON value/],
    ['{\n  "a": 1,\n}', 12, 3, 1, /expected a property name/],
    ['', 0, 1, 1, /unexpected end of input/],
    ['[1,2', 4, 1, 5, /end of input, expected "," or "]"/],
    ['{"a":1} x', 8, 1, 9, /after the JSON value/],
    ["{'a':1}", 1, 1, 2, /property name in double quotes/],
    ['[01]', 2, 1, 3, /expected "," or "]"/],
    ['"tab\there"', 4, 1, 5, /control character/],
    ['"\\x"', 2, 1, 3, /valid escape/],
    ['"\\u12G4"', 5, 1, 6, /four hex digits/],
    ['\r\n[\r\n  tru]', 10, 3, 6, /expected "true"/],
    ['{"é😀": nul}', 11, 1, 12, /expected "null"/],
    ['[1.]', 3, 1, 4, /expected a digit/],
    ['-', 1, 1, 2, /expected a digit/],
  ];
  for (const [text, offset, line, column, message] of table) {
    const result = parseJsonWithPosition(text);
    assert.equal(result.ok, false, JSON.stringify(text));
    if (result.ok) continue;
    assert.deepEqual({ offset: result.offset, line: result.line, column: result.column }, { offset, line, column }, JSON.stringify(text));
    assert.match(result.message, message, JSON.stringify(text));
  }
  assert.deepEqual(parseJsonWithPosition(' {"a":[1,{"b":null}]} '), { ok: true, value: { a: [1, { b: null }] } });
});

test('body problems: JSON syntax with position, missing Content-Type, unsupported type, bad multipart', () => {
  const json: MediaType = { mediaType: 'application/json', examples: [], encoding: {}, location: at };
  const op = operation('/b', [], [json]);
  const broken = parseRequest(op, request('/b', { 'Content-Type': 'application/json; charset=utf-8' }, '{\n  "name": "x",\n  "age": 3,,\n}'));
  assert.equal(broken.body, undefined);
  assert.deepEqual(broken.problems.map((p) => ({ ...p, message: undefined })), [{ where: 'body', message: undefined, offset: 28, line: 3, column: 12 }]);
  assert.match(broken.problems[0]!.message, /^invalid JSON: unexpected character ","/);

  assert.match(parseRequest(op, request('/b', {}, '{}')).problems[0]!.message, /without a Content-Type/);
  assert.match(parseRequest(op, request('/b', { 'content-type': 'application/xml' }, '<a/>')).problems[0]!.message, /application\/xml is not one we can read/);
  assert.match(parseRequest(op, request('/b', { 'content-type': 'multipart/form-data' }, 'x')).problems[0]!.message, /no boundary parameter/);
  assert.match(
    parseRequest(op, request('/b', { 'content-type': 'multipart/form-data; boundary=zz' }, '--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated')).problems[0]!.message,
    /no closing boundary/,
  );
  // a type the operation documents but we cannot decode is read as an opaque payload; XML never is
  const opaque = operation('/b', [], [{ ...json, mediaType: 'application/cbor' }, { ...json, mediaType: 'application/xml' }]);
  assert.deepEqual(parseRequest(opaque, request('/b', { 'content-type': 'application/cbor' }, new Uint8Array([0xa1, 0x61]))).body, {
    mediaType: 'application/cbor',
    value: '\u00a1a',
  });
  assert.match(parseRequest(opaque, request('/b', { 'content-type': 'application/xml' }, '<a/>')).problems[0]!.message, /application\/xml is not one we can read/);
  assert.deepEqual(parseRequest(op, request('/b')), { path: {}, query: {}, header: {}, cookie: {}, problems: [], unknown: { query: [], cookie: [] } });
});
