import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createSender, renderCurl, curlSecretVariables, redactHeaders, redactUrl, shellQuote } from '../src/send/index.js';
import type { Case, HttpRequest, Operation } from '../src/model.js';

interface Recorded {
  method: string;
  url: string;
  /** [name lower-cased, value] in arrival order */
  headers: Array<[string, string]>;
  body: Buffer;
}

function recordingServer(): Promise<{ url: string; recorded: Recorded[]; close(): Promise<void> }> {
  const recorded: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Array<[string, string]> = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!.toLowerCase(), req.rawHeaders[i + 1]!]);
      recorded.push({ method: req.method ?? '', url: req.url ?? '', headers, body: Buffer.concat(chunks) });
      res.end('ok');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        recorded,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.keepAliveTimeout = 100;
  });
}

function runShell(command: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', command], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${command}\n→ ${stderr}`));
      else resolve();
    });
  });
}

const operation: Operation = {
  id: 'createThing',
  hasOperationId: true,
  method: 'post',
  path: '/things',
  tags: [],
  deprecated: false,
  parameters: [],
  responses: [],
  security: [],
  servers: [],
  location: { file: 'openapi.yaml', pointer: '/paths/~1things/post' },
};

function caseOf(request: HttpRequest): Case {
  return { id: request.path, operation, kind: 'positive', request, expect: { documented: ['200'], outcome: 'success' } };
}

const multipart = Buffer.concat([
  Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"n":"ü"}\r\n'),
  Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'),
  Buffer.from([0, 1, 2, 255, 254, 0x25, 0x5c, 0x27, 10, 13]),
  Buffer.from('\r\n--XyZ--\r\n'),
]);

const requests: Array<{ name: string; request: HttpRequest }> = [
  {
    name: 'JSON with secrets and odd characters',
    request: {
      method: 'POST',
      path: "/things/%7Bid%7D/[x]?q=it's&dollar=$HOME&tick=`id`&uni=%C3%A9&api_key=s3cr3t-q",
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Bearer tok-"quoted"-$(id)-`x`',
        Cookie: 'session=abc123; theme=dark',
        'X-Quote': `it's "quoted" $HOME \`id\` \\ back`,
        'X-Spaces': 'a  b   c',
        'X-Latin': 'café',
        'X-Empty': '',
      },
      body: JSON.stringify({ name: "O'Brien $USER `id`", emoji: '☃', nested: { a: [1, 2] } }),
    },
  },
  {
    name: 'form body',
    request: {
      method: 'PUT',
      path: '/things/1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=%20x+y&c=%26',
    },
  },
  {
    name: 'multipart body',
    request: {
      method: 'POST',
      path: '/upload',
      headers: { 'content-type': 'multipart/form-data; boundary=XyZ', 'X-Api-Key': 'k-998877' },
      body: multipart,
    },
  },
  {
    name: 'binary body, PATCH',
    request: {
      method: 'PATCH',
      path: '/blob',
      headers: { 'content-type': 'application/octet-stream' },
      body: Uint8Array.from({ length: 256 }, (_, i) => i),
    },
  },
  {
    name: 'body starting with @ and a trailing newline',
    request: { method: 'POST', path: '/at', headers: { 'content-type': 'text/plain' }, body: '@/etc/passwd\n' },
  },
  { name: 'GET, no body', request: { method: 'GET', path: '/things?limit=5&a%5Bb%5D=1&{x}=[y]', headers: { Accept: 'application/json' } } },
  { name: 'DELETE, no body', request: { method: 'DELETE', path: '/things/9', headers: {} } },
];

test('the rendered curl sends what the sender sent: method, path and query, headers, body bytes', async () => {
  const server = await recordingServer();
  const sender = createSender({ baseUrl: server.url, concurrency: 1, timeoutMs: 5000, maxBodyBytes: 1 << 20 });
  try {
    for (const { name, request } of requests) {
      const ex = await sender.send(caseOf(request));
      assert.equal(ex.response?.status, 200, `${name}: ${JSON.stringify(ex.transportError)}`);
      const fromSender = server.recorded.at(-1)!;

      const curl = renderCurl(ex.url, request, { secrets: { names: [], show: false } });
      const env = Object.fromEntries(curlSecretVariables(ex.url, request).map((v) => [v.variable, v.value]));
      await runShell(curl.replace(/^curl /m, 'curl -s -o /dev/null '), env);
      const fromCurl = server.recorded.at(-1)!;
      assert.notEqual(fromCurl, fromSender);

      assert.equal(fromCurl.method, fromSender.method, name);
      assert.equal(fromCurl.url, fromSender.url, name);
      assert.deepEqual([...fromCurl.body], [...fromSender.body], `${name}: body bytes`);
      for (const [header, value] of Object.entries(request.headers)) {
        const got = fromCurl.headers.filter(([n]) => n === header.toLowerCase()).map(([, v]) => v);
        assert.deepEqual(got, [value], `${name}: header ${header}`);
      }
      // curl adds nothing of its own (no User-Agent, Accept, Content-Type, Expect); undici's Connection aside
      const names = (r: Recorded): string[] => r.headers.map(([n]) => n).filter((n) => n !== 'connection').sort();
      assert.deepEqual(names(fromCurl), names(fromSender), `${name}: header names`);
    }
  } finally {
    await sender.close();
    await server.close();
  }
});

test('secrets become shell variables named after the header, documented above the command', () => {
  const request = requests[0]!.request;
  const url = `http://127.0.0.1:1${request.path}`;
  const curl = renderCurl(url, request, { secrets: { names: ['X-Quote'], show: false } });
  assert.match(curl, /^# set first: .*\$API_AUTHORIZATION \(header Authorization\)/);
  assert.match(curl, /\$API_COOKIE/);
  assert.match(curl, /\$API_X_QUOTE/);
  assert.match(curl, /api_key='"\$API_QUERY_API_KEY"/);
  for (const secret of ['tok-', 'abc123', 's3cr3t-q', 'back']) assert.ok(!curl.includes(secret), `${secret} leaked`);
  assert.match(curl, /--globoff/);

  const shown = renderCurl(url, request, { secrets: { names: [], show: true } });
  assert.ok(!shown.includes('$API_'));
  assert.ok(shown.includes('s3cr3t-q'));
});

test('redactHeaders and redactUrl hide secret names, case-insensitively, query names too', () => {
  const policy = { names: ['X-Tenant-Token', 'sig'], show: false };
  assert.deepEqual(
    redactHeaders({ authorization: 'Bearer x', 'set-cookie': ['a=1', 'b=2'], 'x-tenant-token': 't', accept: '*/*' }, policy),
    { authorization: '[redacted]', 'set-cookie': ['[redacted]', '[redacted]'], 'x-tenant-token': '[redacted]', accept: '*/*' },
  );
  assert.equal(
    redactUrl('http://u:pw@h/p?API_KEY=1&limit=2&Sig=abc&flag#frag', policy),
    'http://u:[redacted]@h/p?API_KEY=[redacted]&limit=2&Sig=[redacted]&flag#frag',
  );
  assert.equal(redactUrl('http://h/p?api%5Fkey=zz', policy), 'http://h/p?api%5Fkey=[redacted]');
  assert.equal(redactUrl('http://h/p?api_key=zz', { names: [], show: true }), 'http://h/p?api_key=zz');
});

test('shellQuote survives a round trip through sh for awkward strings', async () => {
  for (const text of ["it's", '$HOME `id` "q" \\', 'a\nb', '', '☃ é']) {
    const out = await new Promise<string>((resolve, reject) =>
      execFile('sh', ['-c', `printf '%s' ${shellQuote(text)}`], (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    assert.equal(out, text);
  }
});
