// Variations refused for reasons the schema cannot see are not errors against the server (issue 14): a string
// whose description names a syntax inside it (a matcher, a JSON-encoded map), a DELETE that finds the record
// its accepted twin already deleted, and a made-up id in a create that the server reads as "replace this". Each row is a small real server on 127.0.0.1 that is correct.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runContract } from '../src/core.js';

const json = (schema: object) => ({ 'application/json': { schema } });
const problem = { description: 'bad request', content: json({ type: 'object' }) };

function document(): object {
  return {
    openapi: '3.1.0',
    info: { title: 'volumes', version: '1' },
    paths: {
      '/alerts': {
        get: {
          operationId: 'listAlerts',
          parameters: [
            { name: 'filter', in: 'query', description: 'A list of matchers to filter alerts by', schema: { type: 'array', items: { type: 'string' } } },
            { name: 'filters', in: 'query', description: 'A JSON encoded value of filters (a map[string][]string).', schema: { type: 'string' } },
          ],
          responses: { '200': { description: 'alerts', content: json({ type: 'array', items: { type: 'string' } }) }, '400': problem },
        },
      },
      '/files/{path}': {
        get: {
          operationId: 'getFile',
          parameters: [{ name: 'path', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'the file', content: json({ type: 'object' }) } },
        },
      },
      '/volumes': {
        get: {
          operationId: 'listVolumes',
          responses: { '200': { description: 'volumes', content: json({ type: 'array', items: { $ref: '#/components/schemas/Volume' } }) } },
        },
        post: {
          operationId: 'createVolume',
          requestBody: { required: true, content: json({ type: 'object', properties: { size: { type: 'integer', minimum: 1, maximum: 10 }, id: { type: 'string' } } }) },
          // an id given means "replace that volume", as Alertmanager's silences do
          responses: { '201': { description: 'created', content: json({ $ref: '#/components/schemas/Volume' }) }, '400': problem, '404': problem },
        },
      },
      '/volumes/{name}': {
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
        delete: {
          operationId: 'deleteVolume',
          parameters: [{ name: 'force', in: 'query', schema: { type: 'boolean' } }],
          responses: { '204': { description: 'deleted' }, '404': { description: 'no such volume', content: json({ type: 'object' }) } },
        },
      },
    },
    components: { schemas: { Volume: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } },
  };
}

async function withServer(body: (url: string, seen: string[]) => Promise<void>): Promise<void> {
  const volumes = new Set(['v1', 'v2', 'v3']);
  const seen: string[] = [];
  let made = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const url = new URL(req.url ?? '/', 'http://x');
      const send = (status: number, value?: unknown): void => {
        res.writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' });
        res.end(value === undefined ? undefined : JSON.stringify(value));
      };
      if (req.method === 'GET' && url.pathname === '/alerts') {
        if (url.searchParams.getAll('filter').some((m) => !/^\w+=~?.+$/.test(m))) return send(400, { error: 'bad matcher format' });
        const filters = url.searchParams.get('filters');
        if (filters !== null) {
          try {
            JSON.parse(filters);
          } catch {
            return send(400, { error: 'filters is not JSON' });
          }
        }
        return send(200, ['a1']);
      }
      if (req.method === 'GET' && url.pathname.startsWith('/files/')) return send(200, { path: url.pathname.slice(7) });
      if (req.method === 'GET' && url.pathname === '/volumes') return send(200, [...volumes].map((name) => ({ name })));
      if (req.method === 'POST' && url.pathname === '/volumes') {
        let id: unknown;
        try {
          id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown }).id;
        } catch {
          return send(400, { error: 'not JSON' });
        }
        if (id !== undefined && !volumes.has(String(id))) return send(404, { error: 'no volume to replace' });
        const name = `made${++made}`;
        volumes.add(name);
        return send(201, { name });
      }
      const item = /^\/volumes\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'DELETE' && item) {
        return volumes.delete(decodeURIComponent(item[1]!)) ? send(204) : send(404, { cause: 'no such volume' });
      }
      send(405);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function run(url: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'variation-truth-'));
  try {
    const file = path.join(dir, 'volumes.json');
    await writeFile(file, JSON.stringify(document()));
    return await runContract({ spec: file, baseUrl: url, negative: false, auth: false, methods: false, seed: 7 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('variations refused for what the schema cannot see are not blamed on the server', () => {
  it('matchers, JSON-encoded strings, a DELETE after the accepted DELETE and a made-up id give no error', async () => {
    await withServer(async (url, seen) => {
      const { report } = await run(url);
      const rejected = report.findings.filter((f) => f.check === 'positive-rejected');
      // the prose-rule refusals may be advisories quoting the description; never errors or warnings
      assert.deepEqual(rejected.filter((f) => f.severity !== 'advisory').map((f) => `${f.operation}: ${f.message}`), []);
      // the rows were reached: a variation of each kind was sent and refused
      assert.ok(seen.filter((s) => s === 'POST /volumes').length >= 2, seen.join('\n'));
      assert.ok(seen.some((s) => /^GET \/alerts\?.*filter=/.test(s)), seen.join('\n'));
      const deletes = seen.filter((s) => /^DELETE \/volumes\/made\d+/.test(s));
      assert.ok(deletes.length >= 2 && new Set(deletes.map((s) => s.split('?')[0])).size < deletes.length, seen.join('\n'));
      // the seeded volumes the run did not create are never deleted
      assert.ok(!seen.some((s) => /^DELETE \/volumes\/v\d/.test(s)), seen.join('\n'));
      const prose = rejected.filter((f) => /states a rule the schema does not/.test(f.message));
      for (const f of prose) assert.match(f.message, /matchers|JSON encoded/);
    });
  });

  it('an empty path value among the generated ones is skipped, not reported as a gap in coverage', async () => {
    await withServer(async (url, seen) => {
      const { report } = await run(url);
      const file = report.operations.find((o) => o.operation === 'getFile')!;
      assert.deepEqual(file.notCovered, []);
      // the first request sent was a typical value, not the empty-string boundary
      assert.ok(seen.some((s) => /^GET \/files\/[^/?]+/.test(s)), seen.join('\n'));
    });
  });
});
