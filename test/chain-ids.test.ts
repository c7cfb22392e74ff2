// Chains you can trust (issue 14, point 8): an inferred id that does not lead to the record is retried with
// the other candidates before anything is reported, and a chain whose inferred id finds nothing is not covered,
// not "create not readable". Each row is a small real server on 127.0.0.1 that keeps records by one key.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runContract } from '../src/core.js';

interface Shop {
  /** what the create answers: the record's body and, when set, a Location */
  created: (n: number) => { body: Record<string, unknown>; location?: string };
  /** the key the server files a record under (what GET/DELETE /things/{thingId} must name) */
  keyOf: (body: Record<string, unknown>) => string;
}

function document(): object {
  const thing = {
    type: 'object',
    required: ['id', 'name'],
    properties: { id: { type: 'string' }, name: { type: 'string' } },
  };
  const json = (schema: object) => ({ 'application/json': { schema } });
  const notFound = { description: 'no such thing', content: json({ type: 'object' }) };
  return {
    openapi: '3.1.0',
    info: { title: 'things', version: '1' },
    paths: {
      '/things': {
        post: {
          operationId: 'createThing',
          requestBody: { required: true, content: json({ type: 'object', required: ['label'], properties: { label: { type: 'string', const: 'x' } } }) },
          responses: {
            '201': { description: 'created', headers: { Location: { schema: { type: 'string' } } }, content: json(thing) },
            '400': { description: 'bad', content: json({ type: 'object' }) },
          },
        },
      },
      '/things/{thingId}': {
        parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9-]+$' } }],
        get: { operationId: 'getThing', responses: { '200': { description: 'the thing', content: json(thing) }, '404': notFound } },
        delete: { operationId: 'deleteThing', responses: { '204': { description: 'deleted' }, '404': notFound } },
      },
    },
  };
}

async function withShop(shop: Shop, body: (url: string, seen: string[], records: Map<string, unknown>) => Promise<void>): Promise<void> {
  const records = new Map<string, Record<string, unknown>>();
  const seen: string[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const send = (status: number, json?: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
        res.end(json === undefined ? undefined : JSON.stringify(json));
      };
      const item = /^\/things\/([^/?]+)$/.exec(req.url ?? '');
      if (req.method === 'POST' && req.url === '/things') {
        let label: unknown;
        try {
          label = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { label?: unknown }).label;
        } catch {
          return send(400, { error: 'not JSON' });
        }
        if (label !== 'x') return send(400, { error: 'label must be x' });
        const made = shop.created(++n);
        records.set(shop.keyOf(made.body), made.body);
        return send(201, made.body, made.location ? { location: made.location } : {});
      }
      if (item && req.method === 'GET') {
        const found = records.get(decodeURIComponent(item[1]!));
        return found ? send(200, found) : send(404, { error: 'no such thing' });
      }
      if (item && req.method === 'DELETE') {
        return records.delete(decodeURIComponent(item[1]!)) ? send(204) : send(404, { error: 'no such thing' });
      }
      send(404, { error: 'no route' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, records);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function run(url: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chain-ids-'));
  try {
    const file = path.join(dir, 'things.json');
    await writeFile(file, JSON.stringify(document()));
    // chains only: no negative, auth or method cases, which this tiny server does not attempt to pass
    return await runContract({ spec: file, baseUrl: url, negative: false, auth: false, methods: false });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('chains find the id that leads to the created record', () => {
  it('a record filed under its name is read by name after its id member led nowhere, and nothing is reported', async () => {
    const shop: Shop = { created: (n) => ({ body: { id: `serial-${n}`, name: `thing-${n}` } }), keyOf: (b) => String(b['name']) };
    await withShop(shop, async (url, seen, records) => {
      const { report } = await run(url);
      const chainChecks = report.findings.filter((f) => f.category === 'stateful');
      assert.deepEqual(chainChecks.map((f) => `${f.check}: ${f.message}`), []);
      // the id member was tried first (a probe), then the name, which is what the read that counted used
      assert.ok(seen.some((s) => /^GET \/things\/serial-\d+$/.test(s)), seen.join('\n'));
      assert.ok(seen.some((s) => /^GET \/things\/thing-\d+$/.test(s)), seen.join('\n'));
      // the chain went on with the name: the delete chain deleted, and the read after it found nothing
      assert.ok(seen.some((s) => /^DELETE \/things\/thing-\d+$/.test(s)), seen.join('\n'));
      const create = report.operations.find((o) => o.operation === 'createThing')!;
      assert.ok(!create.notCovered.some((n) => /no candidate id/.test(n)), create.notCovered.join('; '));
      // what the run created it deleted
      assert.equal(records.size, 0, JSON.stringify([...records.keys()]));
      assert.deepEqual(report.warnings.filter((w) => /not deleted/.test(w)), []);
    });
  });

  it('when no candidate leads to the record and no Location names it, the chain is not covered, not a finding', async () => {
    // the server files records under a key it never shows
    const shop: Shop = { created: (n) => ({ body: { id: `serial-${n}`, name: `thing-${n}`, hidden: `k${n}` } }), keyOf: (b) => String(b['hidden']) };
    await withShop(shop, async (url, _seen, records) => {
      const { report } = await run(url);
      assert.deepEqual(report.findings.filter((f) => f.category === 'stateful').map((f) => f.check), []);
      const create = report.operations.find((o) => o.operation === 'createThing')!;
      const reason = create.notCovered.find((n) => /no candidate id led to the record/.test(n));
      assert.ok(reason, create.notCovered.join('; '));
      assert.match(reason, /member id="serial-\d+" → 404/);
      assert.match(reason, /member name="thing-\d+" → 404/);
      // the records the tool could not address are listed, not silently left behind
      assert.ok(records.size > 0);
      const left = report.warnings.filter((w) => /^not deleted: createThing created/.test(w));
      assert.equal(left.length, records.size, report.warnings.join('\n'));
      assert.match(left[0]!, /deleteThing answered 404/);
    });
  });

  it('a Location that names the record proves the id: a read answered 404 is create-not-readable', async () => {
    const shop: Shop = {
      created: (n) => ({ body: { id: `serial-${n}`, name: `thing-${n}` }, location: `/things/serial-${n}` }),
      keyOf: (b) => `gone-${String(b['id'])}`,
    };
    await withShop(shop, async (url) => {
      const { report } = await run(url);
      const found = report.findings.filter((f) => f.check === 'create-not-readable');
      assert.equal(found.length, 1, report.findings.map((f) => `${f.check}: ${f.message}`).join('\n'));
      assert.equal(found[0]!.severity, 'error');
      assert.match(found[0]!.exchange.url, /\/things\/serial-\d+$/);
    });
  });
});
