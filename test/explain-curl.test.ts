import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { parseCurl, splitShellWords } from '../src/explain/index.js';
import { parseMultipart } from '../src/generate/multipart.js';
import { InputError } from '../src/errors.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = path.join(projectRoot, 'test/fixtures/explain');
const text = (body: Uint8Array | undefined): string => new TextDecoder().decode(body);
const header = (headers: Array<[string, string]>, name: string): string | undefined =>
  headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

test('shell words: quotes, escapes, $-quotes and continuations', () => {
  const cases: Array<[string, string[]]> = [
    [`curl 'a b' "c d" e\\ f`, ['curl', 'a b', 'c d', 'e f']],
    [`curl -d '{"it'\\''s": 1}'`, ['curl', '-d', `{"it's": 1}`]],
    [`curl -H "X-Say: \\"hi\\" \\$HOME \\\\ \\n"`, ['curl', '-H', 'X-Say: "hi" $HOME \\ \\n']],
    [`curl $'line1\\nline2\\t\\x41\\u00e9\\'q'`, ['curl', 'line1\nline2\tAé\'q']],
    ['curl -X POST \\\n  http://x/y \\\r\n  -d a=1', ['curl', '-X', 'POST', 'http://x/y', '-d', 'a=1']],
    [`curl ""  '' x`, ['curl', '', '', 'x']],
    [`curl a"b"'c'd`, ['curl', 'abcd']],
  ];
  for (const [line, words] of cases) assert.deepEqual(splitShellWords(line).words, words, line);
});

test('shell words: a pipe or redirect ends the command; $VAR is noted, not expanded', () => {
  const split = splitShellWords(`curl -H "Authorization: Bearer $TOKEN" http://x/y | jq .`);
  assert.deepEqual(split.words, ['curl', '-H', 'Authorization: Bearer $TOKEN', 'http://x/y']);
  assert.equal(split.dropped, '| jq .');
  assert.deepEqual(split.unexpanded, ['$TOKEN']);
  assert.deepEqual(splitShellWords(`curl 'http://x/a?b=1&c=2' > out.json # save`).words, ['curl', 'http://x/a?b=1&c=2']);
});

test('shell words: unterminated quotes and Windows cmd continuations are rejected clearly', () => {
  assert.throws(() => splitShellWords(`curl -d '{"a": 1}`), (e: unknown) => e instanceof InputError && /unterminated single quote/.test(e.message));
  assert.throws(() => splitShellWords(`curl -d "abc`), (e: unknown) => e instanceof InputError && /unterminated double quote/.test(e.message));
  assert.throws(
    () => splitShellWords('curl ^"http://x/y^" ^\n  -H ^"Accept: */*^"'),
    (e: unknown) => e instanceof InputError && /Windows cmd quoting/.test(e.message) && /cURL \(bash\)/.test(e.message),
  );
});

test('curl: a command copied from Chrome ("Copy as cURL (bash)")', () => {
  const pasted = `curl 'http://127.0.0.1:8080/customers' \\
  -H 'Accept: application/json, text/plain, */*' \\
  -H 'Authorization: Bearer full-token' \\
  -H 'Content-Type: application/json' \\
  -H $'X-Note: it\\'s' \\
  --data-raw $'{"name":"Zo\\u00eb","tags":["vip"]}' \\
  --compressed`;
  const request = parseCurl([pasted]);
  assert.equal(request.method, 'POST');
  assert.equal(request.url, 'http://127.0.0.1:8080/customers');
  assert.equal(header(request.headers, 'content-type'), 'application/json');
  assert.equal(header(request.headers, 'x-note'), "it's");
  assert.deepEqual(JSON.parse(text(request.body)), { name: 'Zoë', tags: ['vip'] });
  assert.equal(request.origin, 'curl');
});

test('curl: argument arrays as the shell passed them, bundled short options, attached values', () => {
  const request = parseCurl(['curl', '-sSL', '-XPATCH', '-HContent-Type: application/merge-patch+json', 'localhost:8080/customers/1', '-d{"tier":"pro"}']);
  assert.equal(request.method, 'PATCH');
  assert.equal(request.url, 'http://localhost:8080/customers/1');
  assert.equal(header(request.headers, 'content-type'), 'application/merge-patch+json');
  assert.equal(text(request.body), '{"tier":"pro"}');
});

test('curl: -d defaults to form-urlencoded and POST, pieces joined by &; -G moves them to the query', () => {
  const form = parseCurl(['curl', 'http://x/customers', '-d', 'name=Ada', '--data', 'age=36']);
  assert.equal(form.method, 'POST');
  assert.equal(header(form.headers, 'content-type'), 'application/x-www-form-urlencoded');
  assert.equal(text(form.body), 'name=Ada&age=36');

  const get = parseCurl(['curl', '-G', 'http://x/customers?tier=pro', '-d', 'limit=5', '--data-urlencode', 'q=a b&c']);
  assert.equal(get.method, 'GET');
  assert.equal(get.url, 'http://x/customers?tier=pro&limit=5&q=a%20b%26c');
  assert.equal(get.body, undefined);
});

test('curl: --json sets both JSON headers unless given; "Name:" removes a header', () => {
  const json = parseCurl(['curl', '--json', '{"a":', '--json', '1}', 'http://x/y']);
  assert.equal(text(json.body), '{"a":1}');
  assert.equal(header(json.headers, 'content-type'), 'application/json');
  assert.equal(header(json.headers, 'accept'), 'application/json');

  const bare = parseCurl(['curl', '-H', 'Content-Type:', '--data-binary', '{"a":1}', 'http://x/y']);
  assert.equal(header(bare.headers, 'content-type'), undefined);
  const empty = parseCurl(['curl', '-H', 'X-Empty;', 'http://x/y']);
  assert.equal(header(empty.headers, 'x-empty'), '');
});

test('curl: @file bodies (-d strips newlines, --data-binary keeps them), -F parts, -u, -b, -I', () => {
  const raw = readFileSync(path.join(fixtures, 'customer.json'), 'utf8');
  const stripped = parseCurl(['curl', '-d', '@customer.json', 'http://x/customers'], { cwd: fixtures });
  assert.equal(text(stripped.body), raw.replace(/[\r\n]/g, ''));
  const binary = parseCurl(['curl', '--data-binary', '@customer.json', 'http://x/customers'], { cwd: fixtures });
  assert.equal(text(binary.body), raw);

  const boundary = 'test-boundary-1';
  const multipart = parseCurl(['curl', '-F', 'text=<note.txt', '-F', 'pinned=true', '-F', 'file=@customer.json;type=application/json', 'http://x/notes'], { cwd: fixtures, boundary });
  assert.equal(multipart.method, 'POST');
  assert.equal(header(multipart.headers, 'content-type'), `multipart/form-data; boundary=${boundary}`);
  const parsed = parseMultipart(multipart.body!, boundary);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.parts.map((p) => [p.name, p.filename, p.contentType]), [
    ['text', undefined, undefined],
    ['pinned', undefined, undefined],
    ['file', 'customer.json', 'application/json'],
  ]);
  assert.equal(text(parsed.parts[0]!.body), 'Prefers e-mail & phone\n');

  const auth = parseCurl(['curl', '-u', 'shop-client:shop-secret', '-b', 'session=abc; theme=dark', '-I', 'http://x/y']);
  assert.equal(auth.method, 'HEAD');
  assert.equal(header(auth.headers, 'authorization'), `Basic ${Buffer.from('shop-client:shop-secret').toString('base64')}`);
  assert.equal(header(auth.headers, 'cookie'), 'session=abc; theme=dark');
});

test('curl: what cannot be reproduced is an InputError naming the option', () => {
  const rejects = (args: string[], pattern: RegExp): void => {
    assert.throws(() => parseCurl(args, { cwd: fixtures }), (e: unknown) => e instanceof InputError && pattern.test(e.message), args.join(' '));
  };
  rejects(['curl', '-d', '@-', 'http://x/y'], /@- reads standard input/);
  rejects(['curl', '-d', '@missing.json', 'http://x/y'], /@missing\.json: cannot read .*ENOENT/);
  rejects(['curl', '--frobnicate', 'http://x/y'], /--frobnicate is not supported/);
  rejects(['curl', '-X'], /-X needs a value/);
  rejects(['curl', '-H', 'NoColonHere', 'http://x/y'], /not a header/);
  rejects(['curl', '-s'], /no URL/);
  rejects(['curl', 'http://x/a', 'http://x/b'], /more than one URL/);
  rejects(['curl', '-F', 'a=1', '-d', 'b=2', 'http://x/y'], /-F cannot be combined/);
  rejects(['curl', '-b', 'cookies.txt', 'http://x/y'], /reads a cookie file/);
});
