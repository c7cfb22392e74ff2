import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request as undiciRequest } from 'undici';
import { BUNDLE_ID } from '../src/model.js';
import type { JsonSchema, MediaType, Operation, SchemaBundle } from '../src/model.js';
import { buildRequest, encodeBody, UnserializableValueError } from '../src/generate/serialize.js';
import { parseRequest } from '../src/generate/parse.js';

const at = { file: 'hand-made.yaml', pointer: '' };

const defs: Record<string, JsonSchema> = {
  Binary: { type: 'string', format: 'binary' },
  Upload: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      count: { type: 'integer' },
      ratio: { type: 'number' },
      tags: { type: 'array', items: { type: 'string' } },
      meta: { type: 'object', properties: { k: { type: 'array', items: { type: 'integer' } } } },
      file: { type: 'string', format: 'binary' },
      photo: { $ref: '#/$defs/Binary' },
      digest: { type: 'string', format: 'byte' },
      note: { type: 'string' },
      pages: { type: 'array', items: { type: 'string', contentMediaType: 'application/pdf' } },
    },
  },
};
const bundle: SchemaBundle = { root: { $id: BUNDLE_ID, $defs: defs }, origin: new WeakMap(), unknownFormats: [] };

const media: MediaType = {
  mediaType: 'multipart/form-data',
  schema: { def: 'Upload', schema: defs['Upload']!, location: at },
  examples: [],
  encoding: { note: { contentType: 'text/plain' }, photo: { contentType: 'image/png, image/jpeg' } },
  location: at,
};

const op: Operation = {
  id: 'upload',
  hasOperationId: true,
  method: 'post',
  path: '/uploads',
  tags: [],
  deprecated: false,
  parameters: [],
  requestBody: { required: true, content: [media], location: at },
  responses: [],
  security: [],
  servers: [],
  location: at,
};

const photoBytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0x80, 0x0d, 0x0a]);
const body = {
  name: 'Zoë "the" uploader',
  count: 3,
  ratio: 0.5,
  tags: ['a', 'b c'],
  meta: { k: [1, 2] },
  file: 'line 1\r\n--not-the-boundary\r\nline 3 ü',
  photo: photoBytes,
  digest: 'aGVsbG8=',
  note: 'plain note',
  pages: ['%PDF-1', '%PDF-2'],
  'odd "name"': 'x',
};

interface SeenEntry {
  name: string;
  kind: 'text' | 'file';
  filename?: string;
  type?: string;
  text?: string;
  bytes?: number[];
}

/** A server that parses the bytes it receives with the platform's own multipart parser (Request.formData()). */
async function withFormDataServer(run: (url: string) => Promise<void>): Promise<void> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const platformRequest = new Request('http://127.0.0.1/', {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? '' },
        body: Buffer.concat(chunks),
      });
      platformRequest
        .formData()
        .then(async (form) => {
          const seen: SeenEntry[] = [];
          for (const [name, value] of form.entries()) {
            if (typeof value === 'string') seen.push({ name, kind: 'text', text: value });
            else seen.push({ name, kind: 'file', filename: value.name, type: value.type, bytes: [...new Uint8Array(await value.arrayBuffer())] });
          }
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(seen));
        })
        .catch((error: unknown) => {
          res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // the client keeps its connection alive
    await closed;
  }
}

test('multipart: one part per property, arrays repeated, files with filename, JSON objects; same bytes for the same boundary', () => {
  const request = buildRequest(op, { body }, { boundary: 'test-boundary-1', bundle });
  assert.equal(request.headers['Content-Type'], 'multipart/form-data; boundary=test-boundary-1');
  const text = Buffer.from(request.body as Uint8Array).toString('latin1');
  assert.ok(text.startsWith('--test-boundary-1\r\nContent-Disposition: form-data; name="name"\r\n\r\nZo'));
  assert.ok(text.includes('name="tags"\r\n\r\na\r\n--test-boundary-1\r\nContent-Disposition: form-data; name="tags"\r\n\r\nb c\r\n'));
  assert.ok(text.includes('name="meta"\r\nContent-Type: application/json\r\n\r\n{"k":[1,2]}\r\n'));
  assert.ok(text.includes('name="file"; filename="file"\r\nContent-Type: application/octet-stream\r\n\r\nline 1'));
  assert.ok(text.includes('name="photo"; filename="photo"\r\nContent-Type: image/png\r\n\r\n'));
  assert.ok(text.includes('name="digest"; filename="digest"\r\nContent-Type: application/octet-stream\r\n\r\naGVsbG8=\r\n'));
  assert.ok(text.includes('name="note"\r\nContent-Type: text/plain\r\n\r\nplain note\r\n'));
  assert.ok(text.endsWith('\r\n--test-boundary-1--\r\n'));
  const again = buildRequest(op, { body }, { boundary: 'test-boundary-1', bundle });
  assert.deepEqual(again.body, request.body);
});

test('multipart: our own parser reads the body back to the values (binary as text, numbers coerced)', () => {
  const request = buildRequest(op, { body }, { boundary: 'test-boundary-2', bundle });
  const parsed = parseRequest(op, request, bundle);
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(parsed.body, {
    mediaType: 'multipart/form-data',
    value: { ...body, photo: Buffer.from(photoBytes).toString('latin1') },
  });
});

test('multipart: a real node:http server parsing with Request.formData() sees every part as sent', async () => {
  const request = buildRequest(op, { body }, { boundary: 'test-boundary-3', bundle });
  const agent = new Agent();
  await withFormDataServer(async (url) => {
    const response = await undiciRequest(`${url}${request.path}`, {
      dispatcher: agent,
      method: 'POST',
      headers: request.headers,
      body: request.body === undefined ? null : Buffer.from(request.body),
    });
    const text = await response.body.text();
    assert.equal(response.statusCode, 200, text);
    const seen = JSON.parse(text) as SeenEntry[];
    const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];
    assert.deepEqual(seen, [
      { name: 'name', kind: 'text', text: 'Zoë "the" uploader' },
      { name: 'count', kind: 'text', text: '3' },
      { name: 'ratio', kind: 'text', text: '0.5' },
      { name: 'tags', kind: 'text', text: 'a' },
      { name: 'tags', kind: 'text', text: 'b c' },
      // a part without filename is a text field to the platform, whatever its Content-Type
      { name: 'meta', kind: 'text', text: '{"k":[1,2]}' },
      { name: 'file', kind: 'file', filename: 'file', type: 'application/octet-stream', bytes: utf8(body.file) },
      { name: 'photo', kind: 'file', filename: 'photo', type: 'image/png', bytes: [...photoBytes] },
      { name: 'digest', kind: 'file', filename: 'digest', type: 'application/octet-stream', bytes: utf8('aGVsbG8=') },
      { name: 'note', kind: 'text', text: 'plain note' },
      { name: 'pages', kind: 'file', filename: 'pages', type: 'application/octet-stream', bytes: utf8('%PDF-1') },
      { name: 'pages', kind: 'file', filename: 'pages', type: 'application/octet-stream', bytes: utf8('%PDF-2') },
      { name: 'odd "name"', kind: 'text', text: 'x' },
    ]);
  });
  await agent.close();
});

test('multipart: a boundary found inside a part is refused; the default one steps aside', () => {
  const value = { file: 'xx\r\n--clash\r\nyy' };
  assert.throws(() => encodeBody('multipart/form-data', value, media, { boundary: 'clash' }), (e: unknown) => e instanceof UnserializableValueError && /occurs inside a part/.test(e.message));
  assert.throws(() => encodeBody('multipart/form-data', value, media, { boundary: 'bad boundary ' }), /not a valid multipart boundary/);
  const tricky = { note: '--api-contract-check-boundary' };
  const encoded = encodeBody('multipart/form-data', tricky, media);
  assert.equal(encoded.contentType, 'multipart/form-data; boundary=api-contract-check-boundary-1');
  const parsed = parseRequest(op, { method: 'POST', path: '/uploads', headers: { 'content-type': encoded.contentType }, body: encoded.body });
  assert.deepEqual(parsed.body?.value, tricky);
  assert.throws(() => encodeBody('multipart/form-data', ['not', 'an', 'object'], media), /must be an object/);
});
