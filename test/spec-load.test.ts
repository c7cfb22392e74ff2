import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiSpec, JsonSchema, MediaType, Operation, Parameter } from '../src/model.js';
import { loadSpec, readRefMap } from '../src/spec/index.js';
import { createValidator } from '../src/schema/validator.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = path.resolve(projectRoot, 'test/fixtures/spec');
const shopFile = path.join(fixtures, 'api/openapi.yaml');
const commonFile = path.join(fixtures, 'shared/common.yaml');
const v2File = path.join(fixtures, 'swagger2.yaml');

const shop = loadSpec(shopFile);
const v2 = loadSpec(v2File);

function operation(spec: ApiSpec, id: string): Operation {
  const found = spec.operations.find((candidate) => candidate.id === id);
  assert.ok(found, `operation ${id}`);
  return found;
}

function parameter(op: Operation, name: string): Parameter {
  const found = op.parameters.find((candidate) => candidate.name === name);
  assert.ok(found, `parameter ${name}`);
  return found;
}

function def(spec: ApiSpec, key: string): Record<string, unknown> {
  const schema = spec.schemas.root.$defs[key];
  assert.ok(typeof schema === 'object', `def ${key}`);
  return schema as Record<string, unknown>;
}

function property(schema: JsonSchema, name: string): Record<string, unknown> {
  return ((schema as { properties: Record<string, Record<string, unknown>> }).properties)[name]!;
}

function media(list: MediaType[], type: string): MediaType {
  const found = list.find((candidate) => candidate.mediaType === type);
  assert.ok(found, `media type ${type}`);
  return found;
}

test('operations: ids from operationId or METHOD /path, hasOperationId kept, callbacks are not operations', async () => {
  const spec = await shop;
  assert.deepEqual(spec.operations.map((op) => [op.id, op.hasOperationId, op.method, op.path]), [
    ['getItem', true, 'get', '/items/{itemId}'],
    ['DELETE /items/{itemId}', false, 'delete', '/items/{itemId}'],
    ['createItem', true, 'post', '/items'],
    ['getTree', true, 'get', '/tree'],
  ]);
  assert.equal(operation(spec, 'getItem').summary, 'Read one item');
  assert.deepEqual(operation(spec, 'getItem').tags, ['items']);
  assert.deepEqual(operation(spec, 'getItem').location, { file: shopFile, pointer: '/paths/~1items~1{itemId}/get' });
  assert.equal(spec.version, '3.0');
  assert.equal(spec.versionString, '3.0.3');
  assert.equal(spec.title, 'Fixture shop');
  assert.equal(spec.apiVersion, '1.2.0');
});

test('parameters: path-level and operation-level merged, the operation wins on name + in', async () => {
  const getItem = operation(await shop, 'getItem');
  assert.deepEqual(getItem.parameters.map((p) => `${p.in}.${p.name}`).sort(), [
    'cookie.session', 'header.trace', 'path.itemId', 'query.fields', 'query.page', 'query.verbose',
  ]);
  const verbose = parameter(getItem, 'verbose');
  assert.equal(verbose.required, true);
  assert.deepEqual(verbose.schema?.schema, { type: 'string', enum: ['yes', 'no'] });
  assert.equal(verbose.location.pointer, '/paths/~1items~1{itemId}/get/parameters/0');
  const deleteItem = operation(await shop, 'DELETE /items/{itemId}');
  assert.deepEqual(parameter(deleteItem, 'verbose').schema?.schema, { type: 'boolean' });
  assert.equal(parameter(deleteItem, 'itemId').required, true, 'path parameters are always required');
});

test('parameters: default style and explode per location; content parameters keep their media type', async () => {
  const spec = await shop;
  const getItem = operation(spec, 'getItem');
  const styles = Object.fromEntries(getItem.parameters.map((p) => [p.name, [p.style, p.explode]]));
  assert.deepEqual(styles, {
    itemId: ['simple', false], trace: ['simple', false], verbose: ['form', true], fields: ['form', true],
    session: ['form', true], page: ['form', true],
  });
  const filter = parameter(operation(spec, 'getTree'), 'filter');
  assert.equal(filter.contentType, 'application/json');
  assert.deepEqual(filter.schema?.schema, { type: 'object', properties: { depth: { type: 'integer' } } });
});

test('a $ref parameter keeps the location of its target', async () => {
  const page = parameter(operation(await shop, 'getItem'), 'page');
  assert.deepEqual(page.location, { file: shopFile, pointer: '/components/parameters/Page' });
  assert.deepEqual(page.schema?.location, { file: shopFile, pointer: '/components/parameters/Page/schema' });
});

test('examples: example, examples (refs followed) collected with their locations', async () => {
  const fields = parameter(operation(await shop, 'getItem'), 'fields');
  assert.deepEqual(fields.examples.map((example) => example.value), [['name', 'price'], ['name'], ['name', 'price', 'stock']]);
  assert.equal(fields.examples[2]!.location.pointer, '/components/examples/FieldList/value');
  const body = operation(await shop, 'createItem').requestBody!;
  assert.deepEqual(media(body.content, 'application/json').examples.map((example) => example.value), [{ name: 'pen' }]);
});

test('servers: variables take their defaults; path-level servers override the global list', async () => {
  const spec = await shop;
  assert.deepEqual(spec.servers, [{ url: 'https://eu.shop.test/v1', description: 'regional' }]);
  assert.deepEqual(operation(spec, 'getItem').servers, spec.servers);
  assert.deepEqual(operation(spec, 'createItem').servers, [{ url: '/local' }]);
});

test('security: global applies by default, operation-level replaces it, security: [] makes an operation public', async () => {
  const spec = await shop;
  assert.deepEqual(spec.security, [[{ scheme: 'apiKey', scopes: [] }]]);
  assert.deepEqual(operation(spec, 'getItem').security, [[{ scheme: 'apiKey', scopes: [] }]]);
  assert.deepEqual(operation(spec, 'DELETE /items/{itemId}').security, []);
  assert.deepEqual(operation(spec, 'createItem').security, [
    [{ scheme: 'apiKey', scopes: [] }, { scheme: 'oauth', scopes: ['write'] }],
    [{ scheme: 'basic', scopes: [] }],
  ]);
  assert.deepEqual(spec.securitySchemes.apiKey, { type: 'apiKey', in: 'header', name: 'X-Api-Key', location: { file: shopFile, pointer: '/components/securitySchemes/apiKey' } });
  assert.equal((spec.securitySchemes.basic as { scheme: string }).scheme, 'basic');
  assert.deepEqual((spec.securitySchemes.oauth as { flows: unknown }).flows, {
    clientCredentials: { tokenUrl: 'https://auth.shop.test/token', scopes: { write: 'change things' } },
  });
});

test('responses: status keys as written with ranges upper-cased, headers (Content-Type ignored), links resolved', async () => {
  const getItem = operation(await shop, 'getItem');
  assert.deepEqual(getItem.responses.map((response) => response.status), ['200', '4XX', 'default']);
  const ok = getItem.responses[0]!;
  assert.deepEqual(ok.headers.map((header) => [header.name, header.required]), [['X-Rate-Limit', true]]);
  assert.deepEqual(ok.headers[0]!.schema?.schema, { type: 'integer' });
  assert.deepEqual(ok.links, {
    owner: { operationId: 'getOwner', parameters: { ownerId: '$response.body#/ownerId' } },
    shared: { operationId: 'getItem' },
  });
  assert.equal(ok.description, 'the item');
});

test('a relative $ref into another folder is followed; the response keeps the location in that file', async () => {
  const problem = operation(await shop, 'getItem').responses[1]!;
  assert.deepEqual(problem.location, { file: commonFile, pointer: '/components/responses/Problem' });
  const content = media(problem.content, 'application/problem+json');
  assert.deepEqual(content.schema?.location, { file: commonFile, pointer: '/components/schemas/Problem' });
  assert.deepEqual(content.schema?.schema, { type: 'object', required: ['title'], properties: { title: { type: 'string' }, status: { type: 'integer' } } });
});

test('request bodies: refs followed, every media type with its schema and encoding', async () => {
  const body = operation(await shop, 'createItem').requestBody!;
  assert.equal(body.required, true);
  assert.deepEqual(body.location, { file: shopFile, pointer: '/components/requestBodies/NewItem' });
  assert.deepEqual(body.content.map((content) => content.mediaType), ['application/json', 'multipart/form-data']);
  assert.equal(media(body.content, 'application/json').schema?.def, 'Item');
  assert.deepEqual(media(body.content, 'multipart/form-data').encoding, {
    photo: { contentType: 'image/png' },
    tags: { style: 'form', explode: true },
  });
});

test('schemas: nullable becomes a null type, null joins an enum, and a composed schema is wrapped', async () => {
  const item = def(await shop, 'Item');
  assert.deepEqual(property(item, 'note'), { type: ['string', 'null'] });
  assert.deepEqual(property(item, 'color'), { type: ['string', 'null'], enum: ['red', 'blue', null] });
  assert.deepEqual(property(item, 'owner'), { anyOf: [{ allOf: [{ $ref: '#/$defs/Owner' }] }, { type: 'null' }] });
});

test('schemas: boolean exclusiveMinimum/Maximum become numbers', async () => {
  const page = parameter(operation(await shop, 'getItem'), 'page');
  assert.deepEqual(page.schema?.schema, { type: 'integer', exclusiveMinimum: 1, maximum: 100 });
});

test('schemas: 3.0 siblings of $ref are ignored, chains of refs end at the value, unknown formats are noted', async () => {
  const spec = await shop;
  const item = def(spec, 'Item');
  assert.deepEqual(property(item, 'price'), { $ref: '#/$defs/Amount' });
  // readOnly/writeOnly next to a $ref are kept: they only make validation more lenient
  assert.deepEqual(property(item, 'createdBy'), { $ref: '#/$defs/Owner', readOnly: true });
  assert.deepEqual(def(spec, 'Amount'), { type: 'number', minimum: 0 });
  assert.ok(spec.schemas.unknownFormats.includes('sku-code'));
  assert.ok(!spec.schemas.unknownFormats.includes('int64'));
});

test('schemas: only what operations reach is bundled (an unused component with a broken ref is no error)', async () => {
  const keys = Object.keys((await shop).schemas.root.$defs);
  assert.ok(!keys.includes('Unused'));
  assert.ok(keys.includes('Item') && keys.includes('Node') && keys.includes('Owner'));
});

test('schemas: origin maps converted objects at any depth to their place in the document', async () => {
  const spec = await shop;
  const item = def(spec, 'Item');
  assert.deepEqual(spec.schemas.origin.get(item), { file: shopFile, pointer: '/components/schemas/Item' });
  assert.deepEqual(spec.schemas.origin.get(property(item, 'name')), { file: shopFile, pointer: '/components/schemas/Item/properties/name' });
  const owner = property(item, 'owner') as { anyOf: [{ allOf: object[] }, object] };
  assert.deepEqual(spec.schemas.origin.get(owner.anyOf[0].allOf[0]!), { file: shopFile, pointer: '/components/schemas/Item/properties/owner/allOf/0' });
});

test('circular references stay refs; the recursive schema validates a deep value', async () => {
  const spec = await shop;
  const node = def(spec, 'Node');
  assert.deepEqual(property(node, 'children'), { type: 'array', items: { $ref: '#/$defs/Node' } });
  const handle = media(operation(spec, 'getTree').responses[0]!.content, 'application/json').schema!;
  const validator = createValidator(spec.schemas);
  const tree = { value: 1, children: [{ value: 2, children: [{ value: 3, children: [{ value: 'four' }] }] }] };
  const issues = validator.validate(handle, tree, 'response');
  assert.deepEqual(issues.map((issue) => [issue.instancePath, issue.keyword, issue.rule?.pointer]), [
    ['/children/0/children/0/children/0/value', 'type', '/components/schemas/Node/properties/value/type'],
  ]);
  assert.deepEqual(validator.validate(handle, { value: 1, children: [{ value: 2 }] }, 'response'), []);
});

test('validator on a loaded spec: readOnly id not required in the request, rule points into the right file', async () => {
  const spec = await shop;
  const validator = createValidator(spec.schemas);
  const body = media(operation(spec, 'createItem').requestBody!.content, 'application/json').schema!;
  assert.deepEqual(validator.validate(body, { name: 'pen', note: null }, 'request'), []);
  assert.deepEqual(validator.validate(body, { name: 'pen' }, 'response').map((issue) => issue.params.missingProperty), ['id']);
  const [negative] = validator.validate(body, { name: 'pen', price: -1 }, 'request');
  assert.deepEqual(negative?.rule, { file: commonFile, pointer: '/components/schemas/Amount/minimum' });
});

test('3.1: type arrays kept, $ref siblings kept, a stray nullable is honoured with a warning, webhooks are not operations', async () => {
  const file = path.join(fixtures, 'openapi31.yaml');
  const spec = await loadSpec(file);
  assert.equal(spec.version, '3.1');
  assert.deepEqual(spec.operations.map((op) => op.id), ['GET /notes']);
  const note = def(spec, 'Note');
  assert.deepEqual(property(note, 'text'), { type: ['string', 'null'] });
  assert.deepEqual(property(note, 'legacy'), { type: ['string', 'null'] });
  assert.deepEqual(property(note, 'size'), { maximum: 5, $ref: '#/$defs/Size' });
  // reached only through a member named x-…, which the up-front crawl skips: read on demand
  assert.deepEqual(property(note, 'x-trace'), { $ref: '#/$defs/trace' });
  assert.deepEqual(def(spec, 'trace'), { type: 'string', pattern: '^[a-f0-9]{8}$' });
  assert.deepEqual(spec.warnings.map((warning) => warning.location?.pointer), ['/components/schemas/Note/properties/legacy']);
  const handle = media(spec.operations[0]!.responses[0]!.content, 'application/json').schema!;
  const issues = createValidator(spec.schemas).validate(handle, { size: 7 }, 'response');
  assert.deepEqual(issues.map((issue) => [issue.keyword, issue.rule?.pointer]), [['maximum', '/components/schemas/Note/properties/size/maximum']]);
});

test('2.0: collectionFormat becomes style/explode; tsv is best effort with a warning', async () => {
  const spec = await v2;
  const list = operation(spec, 'listThings');
  const styles = Object.fromEntries(list.parameters.map((p) => [p.name, [p.style, p.explode]]));
  assert.deepEqual(styles, {
    ids: ['form', false], words: ['spaceDelimited', false], pipes: ['pipeDelimited', false], tag: ['form', true],
    tabs: ['form', false], limit: ['form', true], 'X-Ids': ['simple', false],
  });
  assert.deepEqual(spec.warnings.map((warning) => warning.location?.pointer), ['/paths/~1things/get/parameters/4']);
});

test('2.0: parameter keywords become a schema located at the parameter; x-example collected', async () => {
  const spec = await v2;
  const list = operation(spec, 'listThings');
  const limit = parameter(list, 'limit');
  assert.deepEqual(limit.schema?.schema, { type: 'integer', format: 'int32', exclusiveMinimum: 1 });
  assert.deepEqual(limit.examples.map((example) => example.value), [5]);
  const validator = createValidator(spec.schemas);
  const [issue] = validator.validate(parameter(list, 'ids').schema!, [3, 11], 'request');
  assert.deepEqual(issue?.rule, { file: v2File, pointer: '/paths/~1things/get/parameters/0/items/maximum' });
});

test('2.0: body parameter becomes a request body for each consumes type', async () => {
  const create = operation(await v2, 'createThing');
  assert.equal(create.requestBody?.required, true);
  assert.deepEqual(create.requestBody?.content.map((content) => [content.mediaType, content.schema?.def]), [
    ['application/json', 'Thing'], ['text/json', 'Thing'],
  ]);
  assert.equal(create.parameters.length, 0);
});

test('2.0: formData becomes multipart with a file, urlencoded otherwise; arrays keep their encoding', async () => {
  const spec = await v2;
  const upload = operation(spec, 'uploadPhoto');
  assert.deepEqual(upload.requestBody?.content.map((content) => content.mediaType), ['multipart/form-data']);
  const uploadSchema = upload.requestBody!.content[0]!.schema!.schema;
  assert.deepEqual(uploadSchema, { type: 'object', properties: { photo: { type: 'string', format: 'binary' }, caption: { type: 'string' } }, required: ['photo'] });
  assert.deepEqual(upload.parameters.map((p) => p.name), ['id']);
  const label = operation(spec, 'labelThing');
  assert.deepEqual(label.requestBody?.content.map((content) => content.mediaType), ['application/x-www-form-urlencoded']);
  assert.deepEqual(label.requestBody?.content[0]!.encoding, { labels: { style: 'form', explode: true } });
  assert.equal(label.requestBody?.required, true);
});

test('2.0: produces gives response media types; response examples, headers and schema converted', async () => {
  const spec = await v2;
  const [ok, clientError] = operation(spec, 'listThings').responses;
  assert.deepEqual(ok!.content.map((content) => content.mediaType), ['application/json', 'application/xml']);
  assert.deepEqual(media(ok!.content, 'application/json').examples.map((example) => example.value), [[{ name: 'a' }]]);
  assert.deepEqual(media(ok!.content, 'application/xml').examples, []);
  assert.deepEqual(ok!.headers.map((header) => [header.name, header.schema?.schema]), [['X-Total', { type: 'integer', minimum: 0 }]]);
  assert.equal(clientError!.status, '4XX');
  assert.deepEqual(clientError!.content, []);
});

test('2.0: x-nullable and type file converted in definitions', async () => {
  const thing = def(await v2, 'Thing');
  assert.deepEqual(property(thing, 'size'), { type: ['integer', 'null'] });
  assert.deepEqual(property(thing, 'blob'), { type: 'string', format: 'binary' });
});

test('2.0: servers from host, basePath and schemes; securityDefinitions mapped to 3.x shapes', async () => {
  const spec = await v2;
  assert.deepEqual(spec.servers, [{ url: 'https://api.v2.test/base' }, { url: 'http://api.v2.test/base' }]);
  assert.deepEqual(operation(spec, 'listThings').security, [[{ scheme: 'key', scopes: [] }]]);
  assert.deepEqual(operation(spec, 'uploadPhoto').security, []);
  const { basicAuth, key, oauth } = spec.securitySchemes;
  assert.equal(basicAuth?.type, 'http');
  assert.equal((basicAuth as { scheme: string }).scheme, 'basic');
  assert.deepEqual([key?.type, (key as { in: string }).in, (key as { name: string }).name], ['apiKey', 'query', 'api_key']);
  assert.deepEqual((oauth as { flows: unknown }).flows, {
    authorizationCode: { authorizationUrl: 'https://auth.v2.test/authorize', tokenUrl: 'https://auth.v2.test/token', scopes: { read: 'read things' } },
  });
});

test('ref map: a published URL is read from the mapped local folder (and relative refs from there)', async () => {
  const refMap = await readRefMap(path.join(fixtures, 'refmap.json'));
  assert.deepEqual(refMap, [{ publicURL: 'https://schemas.example.test/v1/', localURL: path.join(fixtures, 'mapped') + path.sep }]);
  const spec = await loadSpec(path.join(fixtures, 'remote-refs.yaml'), { refMap });
  const schema = spec.operations[0]!.responses[0]!.content[0]!.schema!;
  assert.deepEqual(schema.location, { file: path.join(fixtures, 'mapped/money.yaml'), pointer: '/Money' });
  assert.deepEqual(def(spec, 'Amount'), { type: 'integer', minimum: 0 });
  const [issue] = createValidator(spec.schemas).validate(schema, { amount: -3 }, 'response');
  assert.deepEqual(issue?.rule, { file: path.join(fixtures, 'mapped/units.yaml'), pointer: '/Amount/minimum' });
});

test('http: a document and its relative $ref are read from a real server', async (t) => {
  const requested: string[] = [];
  const server = createServer((request, response) => {
    requested.push(request.url ?? '');
    const file = path.join(fixtures, decodeURIComponent((request.url ?? '/').split('?')[0]!));
    if (!file.startsWith(fixtures)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file, 'utf8').then(
      (text) => response.writeHead(200, { 'content-type': 'application/yaml' }).end(text),
      () => response.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/api/openapi.yaml`;
  const spec = await loadSpec(url);
  assert.equal(spec.source, url);
  assert.equal(spec.operations.length, 4);
  const problem = operation(spec, 'getItem').responses[1]!;
  assert.deepEqual(problem.location, { file: `http://127.0.0.1:${port}/shared/common.yaml`, pointer: '/components/responses/Problem' });
  assert.ok(requested.includes('/shared/common.yaml'));
  assert.deepEqual(spec.locate(problem.location), { file: problem.location.file, line: 3, column: 5 });
});

test('locate: line and column of pointers in YAML and JSON files, undefined for unknown places', async () => {
  const spec = await shop;
  const text = await readFile(shopFile, 'utf8');
  const lines = text.split('\n');
  const getItem = operation(spec, 'getItem');
  const where = spec.locate(getItem.location)!;
  assert.equal(lines[where.line - 1]!.trim(), 'get:');
  assert.equal(where.column, lines[where.line - 1]!.indexOf('get:') + 1);
  const page = spec.locate(parameter(getItem, 'page').location)!;
  assert.equal(lines[page.line - 1]!.trim(), 'Page:');
  const item = spec.locate({ file: shopFile, pointer: '/components/schemas/Item/properties/name/maxLength' })!;
  assert.equal(lines[item.line - 1]!.trim(), 'maxLength: 20');
  assert.equal(spec.locate({ file: shopFile, pointer: '/no/such/place' }), undefined);
  assert.equal(spec.locate({ file: '/not/loaded.yaml', pointer: '' }), undefined);

  const jsonFile = path.resolve(projectRoot, '../shared/specs/targets/etcd/v3lock.swagger.json');
  const json = await loadSpec(jsonFile);
  const jsonLines = (await readFile(jsonFile, 'utf8')).split('\n');
  const op = json.operations[0]!;
  const at = json.locate(op.location)!;
  assert.match(jsonLines[at.line - 1]!, new RegExp(`"${op.method}"\\s*:`));
});
