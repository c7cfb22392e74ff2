import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { createSender, joinUrl, createStartGate } from '../src/send/index.js';
import { InputError } from '../src/errors.js';
import type { Case, HttpRequest, Operation } from '../src/model.js';

// ---------------------------------------------------------------- helpers: real servers on loopback

interface Running {
  url: string;
  close(): Promise<void>;
}

function listen(server: http.Server | net.Server): Promise<Running> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

const operation: Operation = {
  id: 'listPets',
  hasOperationId: true,
  method: 'get',
  path: '/pets',
  tags: [],
  deprecated: false,
  parameters: [],
  responses: [],
  security: [],
  servers: [],
  location: { file: 'openapi.yaml', pointer: '/paths/~1pets/get' },
};

function caseOf(request: Partial<HttpRequest> & { path: string }): Case {
  return {
    id: `case ${request.method ?? 'GET'} ${request.path}`,
    operation,
    kind: 'positive',
    request: { method: 'GET', headers: {}, ...request },
    expect: { documented: ['200'], outcome: 'success' },
  };
}

const defaults = { concurrency: 4, timeoutMs: 2000, maxBodyBytes: 1 << 20 };

// ---------------------------------------------------------------- tests

test('joinUrl keeps the base path prefix and the request path as written', () => {
  assert.equal(joinUrl('http://h:1/api/v1', '/pets?limit=2'), 'http://h:1/api/v1/pets?limit=2');
  assert.equal(joinUrl('http://h:1/api/v1/', '/pets'), 'http://h:1/api/v1/pets');
  assert.equal(joinUrl('http://h:1', '/a/%7Bb%7D/../c'), 'http://h:1/a/%7Bb%7D/../c');
  assert.equal(joinUrl('http://h:1/', 'pets'), 'http://h:1/pets');
  assert.equal(joinUrl('http://h:1/x', '?q=1'), 'http://h:1/x?q=1');
});

test('bad sender options are InputErrors naming the option', () => {
  assert.throws(() => createSender({ ...defaults, baseUrl: 'not a url' }), (e: unknown) => e instanceof InputError && /--base-url/.test(e.message));
  assert.throws(() => createSender({ ...defaults, baseUrl: 'ftp://x/' }), InputError);
  assert.throws(() => createSender({ ...defaults, baseUrl: 'http://x/', concurrency: 0 }), /--concurrency/);
  assert.throws(() => createSender({ ...defaults, baseUrl: 'http://x/', ratePerSecond: -1 }), /--rate/);
});

test('a JSON answer: status, lower-cased headers, set-cookie array, parsed body, timings, prefix path', async () => {
  let seenUrl = '';
  const server = await listen(
    http.createServer((req, res) => {
      seenUrl = req.url ?? '';
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.setHeader('X-Multi', ['one', 'two']);
      res.end(JSON.stringify([{ id: 1, name: 'Rex' }]));
    }),
  );
  const sender = createSender({ ...defaults, baseUrl: `${server.url}/api/v1` });
  try {
    const before = Date.now();
    const ex = await sender.send(caseOf({ path: '/pets?limit=2' }));
    assert.equal(seenUrl, '/api/v1/pets?limit=2');
    assert.equal(ex.url, `${server.url}/api/v1/pets?limit=2`);
    assert.equal(ex.transportError, undefined);
    assert.equal(ex.response?.status, 200);
    assert.equal(ex.response?.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(ex.response?.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(ex.response?.headers['x-multi'], 'one, two');
    assert.deepEqual(ex.json, { ok: true, value: [{ id: 1, name: 'Rex' }] });
    assert.equal(ex.response?.truncated, false);
    assert.ok(ex.timings.start >= before);
    assert.ok(ex.timings.durationMs >= 0);
  } finally {
    await sender.close();
    await server.close();
  }
});

test('JSON media types: +json parsed, broken JSON reported, text not parsed, HEAD and 204 not parsed', async () => {
  const server = await listen(
    http.createServer((req, res) => {
      if (req.url === '/problem') {
        res.writeHead(400, { 'content-type': 'application/problem+json' });
        res.end('{"title":"Bad","status":400}');
      } else if (req.url === '/broken') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"a":');
      } else if (req.url === '/text') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('{"a":1}');
      } else if (req.url === '/none') {
        res.writeHead(204, { 'content-type': 'application/json' });
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '7' });
        res.end(req.method === 'HEAD' ? undefined : '{"a":1}');
      }
    }),
  );
  const sender = createSender({ ...defaults, baseUrl: server.url });
  try {
    const problem = await sender.send(caseOf({ path: '/problem' }));
    assert.deepEqual(problem.json, { ok: true, value: { title: 'Bad', status: 400 } });
    const broken = await sender.send(caseOf({ path: '/broken' }));
    assert.equal(broken.json?.ok, false);
    assert.ok(broken.json && !broken.json.ok && broken.json.error.length > 0);
    const text = await sender.send(caseOf({ path: '/text' }));
    assert.equal(text.json, undefined);
    assert.equal(Buffer.from(text.response!.body).toString(), '{"a":1}');
    const head = await sender.send(caseOf({ method: 'HEAD', path: '/head' }));
    assert.equal(head.response?.status, 200);
    assert.equal(head.json, undefined);
    const none = await sender.send(caseOf({ path: '/none' }));
    assert.equal(none.response?.status, 204);
    assert.equal(none.json, undefined);
  } finally {
    await sender.close();
    await server.close();
  }
});

test('redirects are answers, not followed', async () => {
  let hits = 0;
  const server = await listen(
    http.createServer((req, res) => {
      hits++;
      res.writeHead(302, { location: '/elsewhere' });
      res.end();
    }),
  );
  const sender = createSender({ ...defaults, baseUrl: server.url });
  try {
    const ex = await sender.send(caseOf({ path: '/old' }));
    assert.equal(ex.response?.status, 302);
    assert.equal(ex.response?.headers['location'], '/elsewhere');
    assert.equal(hits, 1);
  } finally {
    await sender.close();
    await server.close();
  }
});

test('a body over the cap is cut and marked truncated; the sender keeps working', async () => {
  const big = Buffer.alloc(3 << 20, 0x61);
  const server = await listen(
    http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url === '/big' ? big : '{"small":true}');
    }),
  );
  const sender = createSender({ ...defaults, baseUrl: server.url, maxBodyBytes: 1000 });
  try {
    const ex = await sender.send(caseOf({ path: '/big' }));
    assert.equal(ex.transportError, undefined);
    assert.equal(ex.response?.truncated, true);
    assert.equal(ex.response?.body.length, 1000);
    assert.ok(ex.json && !ex.json.ok && /truncated/.test(ex.json.error));
    const next = await sender.send(caseOf({ path: '/small' }));
    assert.deepEqual(next.json, { ok: true, value: { small: true } });
  } finally {
    await sender.close();
    await server.close();
  }
});

test('hanging, headers-then-stall and one-byte-at-a-time servers all end as timeouts', async () => {
  const drips: NodeJS.Timeout[] = [];
  const server = await listen(
    http.createServer((req, res) => {
      if (req.url === '/hang') return; // never answers
      if (req.url === '/stall') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"a":');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      // a byte every 50 ms keeps undici's idle body timeout from ever firing
      drips.push(setInterval(() => res.write('x'), 50));
    }),
  );
  const sender = createSender({ ...defaults, baseUrl: server.url, timeoutMs: 400 });
  try {
    const [hang, stall, drip] = await Promise.all([
      sender.send(caseOf({ path: '/hang' })),
      sender.send(caseOf({ path: '/stall' })),
      sender.send(caseOf({ path: '/drip' })),
    ]);
    assert.equal(hang.transportError?.kind, 'timeout');
    assert.equal(hang.response, undefined);
    assert.equal(stall.transportError?.kind, 'timeout');
    assert.equal(stall.response?.status, 200, 'the headers that did arrive are kept');
    assert.ok(stall.json && !stall.json.ok);
    assert.equal(drip.transportError?.kind, 'timeout');
    assert.ok((drip.response?.body.length ?? 0) > 0);
  } finally {
    for (const d of drips) clearInterval(d);
    await sender.close();
    await server.close();
  }
});

test('reset, refused and invalid HTTP become transport errors of their kind', async () => {
  const resetting = await listen(http.createServer((req) => req.socket.destroy()));
  const garbage = await listen(net.createServer((s) => s.end('HTTP/1.1 2x0 NOPE\r\n\r\n')));
  const gone = await listen(http.createServer());
  const goneUrl = gone.url;
  await gone.close();
  const senders = [resetting.url, garbage.url, goneUrl].map((baseUrl) => createSender({ ...defaults, baseUrl }));
  try {
    const [reset, invalid, refused] = await Promise.all(senders.map((s) => s.send(caseOf({ path: '/x' }))));
    assert.equal(reset!.transportError?.kind, 'reset');
    assert.equal(invalid!.transportError?.kind, 'invalid-http');
    assert.equal(refused!.transportError?.kind, 'refused');
    for (const ex of [reset!, invalid!, refused!]) assert.ok(ex.transportError!.message.length > 0);
  } finally {
    await Promise.all(senders.map((s) => s.close()));
    await resetting.close();
    await garbage.close();
  }
});

test('compressed answers are decoded and noted; a gzip bomb stops at the cap', async () => {
  const doc = JSON.stringify({ hello: 'world', n: [1, 2, 3] });
  const bomb = zlib.gzipSync(Buffer.alloc(16 << 20));
  const server = await listen(
    http.createServer((req, res) => {
      const enc = req.url!.slice(1);
      const body = enc === 'bomb' ? bomb : enc === 'gzip' ? zlib.gzipSync(doc) : enc === 'deflate' ? zlib.deflateSync(doc) : enc === 'rawdeflate' ? zlib.deflateRawSync(doc) : zlib.brotliCompressSync(doc);
      const header = enc === 'bomb' ? 'gzip' : enc === 'rawdeflate' ? 'deflate' : enc;
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': header });
      res.end(body);
    }),
  );
  const sender = createSender({ ...defaults, baseUrl: server.url, maxBodyBytes: 64 * 1024 });
  try {
    assert.ok(bomb.length < 64 * 1024, 'the compressed bomb itself fits under the cap');
    for (const enc of ['gzip', 'deflate', 'rawdeflate', 'br']) {
      const ex = await sender.send(caseOf({ path: `/${enc}` }));
      assert.deepEqual(ex.json, { ok: true, value: JSON.parse(doc) }, enc);
      assert.equal(ex.response?.contentEncoding, enc === 'rawdeflate' ? 'deflate' : enc);
      assert.equal(ex.response?.headers['content-encoding'], enc === 'rawdeflate' ? 'deflate' : enc);
    }
    const exploded = await sender.send(caseOf({ path: '/bomb' }));
    assert.equal(exploded.response?.truncated, true);
    assert.equal(exploded.response?.body.length, 64 * 1024);
  } finally {
    await sender.close();
    await server.close();
  }
});

test('illegal request headers do not crash the sender', async () => {
  const server = await listen(http.createServer((req, res) => res.end('ok')));
  const sender = createSender({ ...defaults, baseUrl: server.url });
  try {
    const illegal: Array<Record<string, string>> = [
      { 'bad name': 'x' },
      { 'x-newline': 'a\r\nInjected: yes' },
      { 'transfer-encoding': 'chunked' },
      { 'x-wide': 'snow ☃' },
      { expect: '100-continue' },
      { Host: 'a', host: 'b' },
      { 'content-length': 'lots' },
      { connection: 'upgrade' },
    ];
    for (const headers of illegal) {
      const ex = await sender.send(caseOf({ path: '/x', headers }));
      assert.equal(ex.transportError?.kind, 'other', JSON.stringify(headers));
    }
    const badPath = await sender.send(caseOf({ path: '/a b' }));
    assert.match(badPath.transportError?.message ?? '', /path/);
    const lying = await sender.send(caseOf({ method: 'POST', path: '/x', body: 'abc', headers: { 'content-length': '10' } }));
    assert.ok(lying.transportError, 'a content-length that does not match the body is not sent');
    // four connections at most: had any request wedged one, these would queue forever
    const after = await Promise.all(Array.from({ length: 8 }, () => sender.send(caseOf({ path: '/x' }))));
    assert.ok(after.every((ex) => ex.response?.status === 200));
  } finally {
    await sender.close();
    await server.close();
  }
});

test('extra headers go on every request; a header the case sets wins; the exchange records what was sent', async () => {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = await listen(
    http.createServer((req, res) => {
      seen.push(req.headers);
      res.end();
    }),
  );
  const sender = createSender({ ...defaults, baseUrl: server.url, headers: { 'X-Tenant': 't1', Authorization: 'Bearer default' } });
  try {
    const ex = await sender.send(caseOf({ path: '/x', headers: { authorization: 'Bearer mine' } }));
    assert.equal(seen[0]!['x-tenant'], 't1');
    assert.equal(seen[0]!['authorization'], 'Bearer mine');
    assert.equal(seen[0]!['accept-encoding'], undefined, 'we never ask for compression');
    assert.deepEqual(ex.request?.headers, { 'X-Tenant': 't1', authorization: 'Bearer mine' });
    assert.deepEqual(ex.case.request.headers, { authorization: 'Bearer mine' }, 'the case itself is left alone');
  } finally {
    await sender.close();
    await server.close();
  }
});

test('request bodies arrive byte for byte', async () => {
  const bodies: Buffer[] = [];
  const server = await listen(
    http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks));
        res.end();
      });
    }),
  );
  const sender = createSender({ ...defaults, baseUrl: server.url });
  try {
    const binary = Uint8Array.from([0, 255, 13, 10, 39, 92]);
    await sender.send(caseOf({ method: 'POST', path: '/b', body: binary, headers: { 'content-type': 'application/octet-stream' } }));
    await sender.send(caseOf({ method: 'PUT', path: '/t', body: 'naïve ☃', headers: { 'content-type': 'text/plain' } }));
    assert.deepEqual([...bodies[0]!], [...binary]);
    assert.equal(bodies[1]!.toString('utf8'), 'naïve ☃');
  } finally {
    await sender.close();
    await server.close();
  }
});

test('no more than `concurrency` requests are in flight to one origin', async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  const server = await listen(
    http.createServer((req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        res.end('ok');
      }, 10);
    }),
  );
  const sender = createSender({ ...defaults, baseUrl: server.url, concurrency: 2 });
  try {
    const all = await Promise.all(Array.from({ length: 12 }, (_, i) => sender.send(caseOf({ path: `/n${i}` }))));
    assert.ok(all.every((ex) => ex.response?.status === 200));
    assert.equal(maxInFlight, 2);
  } finally {
    await sender.close();
    await server.close();
  }
});

test('a caller abort ends a pending request without throwing', async () => {
  const server = await listen(http.createServer(() => undefined));
  const sender = createSender({ ...defaults, baseUrl: server.url, timeoutMs: 60_000 });
  try {
    const controller = new AbortController();
    const pending = sender.send(caseOf({ path: '/hang' }), controller.signal);
    setImmediate(() => controller.abort());
    const ex = await pending;
    assert.equal(ex.transportError?.kind, 'other');
    assert.match(ex.transportError!.message, /aborted/);
    const already = await sender.send(caseOf({ path: '/hang' }), AbortSignal.abort());
    assert.equal(already.transportError?.kind, 'other');
  } finally {
    await sender.close();
    await server.close();
  }
});

test('the start gate spaces starts 1000/rate ms apart', () => {
  let now = 0;
  const gate = createStartGate(4, () => now);
  assert.deepEqual([gate.book(), gate.book(), gate.book()], [0, 250, 500]);
  now = 1000; // idle long enough: the next start is free, no burst of saved-up tokens
  assert.deepEqual([gate.book(), gate.book()], [0, 250]);
});
