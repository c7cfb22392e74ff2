// The config file's `identities` section: what parseIdentities accepts, and the one-line InputError for the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseIdentities, type IdentityConfig } from '../src/auth/index.js';
import { InputError } from '../src/errors.js';
import { substituteEnv } from '../src/cli/config.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = path.join(projectRoot, 'test', 'fixtures', 'auth');
const at = (pointer: string): string => `cfg.yaml#/identities${pointer}`;

const valid: Array<{ name: string; value: unknown; expected: Record<string, IdentityConfig> }> = [
  {
    name: 'static bearer with scopes and role',
    value: { reader: { bearer: 'read-token', scopes: ['customers:read'], role: 'limited' } },
    expected: { reader: { bearer: 'read-token', scopes: ['customers:read'], role: 'limited' } },
  },
  {
    name: 'basic and API keys together (one requirement naming two schemes)',
    value: { ops: { basic: { username: 'ops', password: 'pw-1234' }, apiKey: { 'X-Api-Key': 'k-5678' }, schemes: ['basicAuth', 'keyHeader'] } },
    expected: { ops: { basic: { username: 'ops', password: 'pw-1234' }, apiKey: { 'X-Api-Key': 'k-5678' }, schemes: ['basicAuth', 'keyHeader'] } },
  },
  {
    name: 'login with a header token, lower-case method, form body',
    value: { u: { login: { method: 'put', url: '/session', form: { user: 'u', pass: 'p' }, token: '$response.header.X-Token' } } },
    expected: { u: { login: { method: 'PUT', url: '/session', form: { user: 'u', pass: 'p' }, token: '$response.header.X-Token' } } },
  },
  {
    name: 'login with JSON body, expiry pointer, scheme and prefix',
    value: { a: { login: { url: '/auth/login', body: { username: 'alice', password: 'x' }, token: '$response.body#/access_token', expiresIn: '$response.body#/expires_in', scheme: 'bearer', prefix: '' } } },
    expected: { a: { login: { url: '/auth/login', body: { username: 'alice', password: 'x' }, token: '$response.body#/access_token', expiresIn: '$response.body#/expires_in', scheme: 'bearer', prefix: '' } } },
  },
  {
    name: 'oauth2 password grant without a client secret, body client auth',
    value: { p: { oauth2: { grant: 'password', clientId: 'app', username: 'u', password: 'p', clientAuth: 'body', scope: 'a b' } } },
    expected: { p: { oauth2: { grant: 'password', clientId: 'app', username: 'u', password: 'p', clientAuth: 'body', scope: 'a b' } } },
  },
];

const invalid: Array<{ name: string; value: unknown; message: RegExp }> = [
  { name: 'not an object', value: ['alice'], message: /^cfg\.yaml#\/identities: 'identities' must be an object, got an array$/ },
  { name: 'empty', value: {}, message: /'identities' is empty/ },
  { name: 'unknown identity key, near miss by case', value: { a: { Bearer: 'x' } }, message: /^cfg\.yaml#\/identities\/a\/Bearer: unknown key 'Bearer' \(did you mean 'bearer'\?\)$/ },
  { name: 'unknown login key', value: { a: { login: { url: '/l', token: '$response.body#/t', tokenPath: '/t' } } }, message: /#\/identities\/a\/login\/tokenPath: unknown key 'tokenPath'/ },
  { name: 'basic with user instead of username', value: { a: { basic: { user: 'u', password: 'p' } } }, message: /#\/identities\/a\/basic\/user: unknown key 'user' \(did you mean 'username'\?\)/ },
  { name: 'missing token pointer', value: { a: { login: { url: '/auth/login', body: {} } } }, message: /#\/identities\/a\/login\/token: 'token' is required/ },
  { name: 'token not an expression', value: { a: { login: { url: '/l', token: 'access_token' } } }, message: /#\/identities\/a\/login\/token: 'token': 'access_token' is not \$response/ },
  { name: 'token pointer broken', value: { a: { login: { url: '/l', token: '$response.body#access_token' } } }, message: /login\/token: 'token': 'access_token' is not a JSON pointer/ },
  { name: 'expiresIn bad header name', value: { a: { login: { url: '/l', token: '$response.body', expiresIn: '$response.header.X Y' } } }, message: /login\/expiresIn: 'expiresIn': 'X Y' is not a header name/ },
  { name: 'url missing', value: { a: { login: { token: '$response.body' } } }, message: /#\/identities\/a\/login\/url: 'url' is required \(a non-empty string\)$/ },
  { name: 'body and form', value: { a: { login: { url: '/l', token: '$response.body', body: {}, form: {} } } }, message: /login\/form: give 'body' .* or 'form'/ },
  { name: 'method not a method', value: { a: { login: { url: '/l', token: '$response.body', method: 'GET /x' } } }, message: /login\/method: 'GET \/x' is not an HTTP method/ },
  { name: 'wrong type of scopes', value: { a: { bearer: 't', scopes: 'customers:read' } }, message: /#\/identities\/a\/scopes: 'scopes' must be an array of strings, got a string$/ },
  { name: 'wrong role', value: { a: { bearer: 't', role: 'admin' } }, message: /#\/identities\/a\/role: 'role' must be full or limited, got 'admin'/ },
  { name: 'bearer a number', value: { a: { bearer: 12345 } }, message: /#\/identities\/a\/bearer: 'bearer' must be a non-empty string, got a number/ },
  { name: 'apiKey value not a string', value: { a: { apiKey: { 'X-Api-Key': true } } }, message: /#\/identities\/a\/apiKey\/X-Api-Key: must be a string, got a boolean/ },
  { name: 'no credentials', value: { a: { scopes: ['x'] } }, message: /#\/identities\/a: the identity has no credentials/ },
  { name: 'login and oauth2', value: { a: { login: { url: '/l', token: '$response.body' }, oauth2: { grant: 'client_credentials', clientId: 'c', clientSecret: 's' } } }, message: /give 'login' or 'oauth2', not both/ },
  { name: 'bearer and a flow', value: { a: { bearer: 't', login: { url: '/l', token: '$response.body' } } }, message: /#\/identities\/a\/bearer: 'bearer' and a flow \('login'\)/ },
  { name: 'unknown grant', value: { a: { oauth2: { grant: 'implicit', clientId: 'c' } } }, message: /oauth2\/grant: 'grant' must be client_credentials or password, got 'implicit'/ },
  { name: 'client_credentials without secret', value: { a: { oauth2: { grant: 'client_credentials', clientId: 'c' } } }, message: /oauth2\/clientSecret: 'clientSecret' is required/ },
  { name: 'password grant without password', value: { a: { oauth2: { grant: 'password', clientId: 'c', username: 'u' } } }, message: /oauth2\/password: 'password' is required for the password grant/ },
  { name: 'clientAuth wrong', value: { a: { oauth2: { grant: 'client_credentials', clientId: 'c', clientSecret: 's', clientAuth: 'jwt' } } }, message: /oauth2\/clientAuth: 'clientAuth' must be basic or body/ },
  { name: 'key with a slash is escaped in the pointer', value: { 'a/b': { bogus: 1 } }, message: /#\/identities\/a~1b\/bogus: unknown key/ },
];

for (const row of valid) {
  test(`parseIdentities accepts: ${row.name}`, () => {
    assert.deepEqual(parseIdentities(row.value, at), row.expected);
  });
}

for (const row of invalid) {
  test(`parseIdentities rejects: ${row.name}`, () => {
    assert.throws(() => parseIdentities(row.value, at), (error: unknown) => {
      assert.ok(error instanceof InputError, 'an InputError');
      assert.match(error.message, row.message);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  });
}

test('a secret of the wrong type is never printed back', () => {
  const secret = 'hunter2-very-secret';
  const cases: unknown[] = [
    { a: { basic: { username: 'u', password: [secret] } } },
    { a: { bearer: { token: secret } } },
    { a: { oauth2: { grant: 'client_credentials', clientId: 'c', clientSecret: { value: secret } } } },
    { a: { login: { url: '/l', token: '$response.body', headers: { Authorization: [secret] } } } },
  ];
  for (const value of cases) {
    assert.throws(() => parseIdentities(value, at), (error: Error) => {
      assert.ok(error instanceof InputError);
      assert.ok(!error.message.includes(secret), error.message);
      return true;
    });
  }
});

test('a string prefix stands for the where of the messages', () => {
  assert.throws(() => parseIdentities({ a: {} }, 'my.json#/identities'), /^InputError: my\.json#\/identities\/a: the identity has no credentials/);
});

test('the README config fixture reads, after the config loader substitutes the environment', () => {
  const raw = parse(readFileSync(path.join(fixtures, 'identities.yaml'), 'utf8')) as { identities: unknown };
  const env = { ALICE_PASSWORD: 'wonderland', BOB_PASSWORD: 'builder', SHOP_CLIENT_SECRET: 'shop-secret' };
  const substituted = substituteEnv(raw.identities, env, at);
  const identities = parseIdentities(substituted, at);
  assert.deepEqual(Object.keys(identities), ['alice', 'bob', 'shop-client']);
  assert.deepEqual(identities['alice']!.login!.body, { username: 'alice', password: 'wonderland' });
  assert.equal(identities['bob']!.role, 'limited');
  assert.equal(identities['shop-client']!.oauth2!.clientSecret, 'shop-secret');
});
