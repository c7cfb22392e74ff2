// OAuth 2.0 identities against the example API's POST /oauth/token, with the token URL the document declares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { createAuthSession, identitySecrets, openIdentities, type IdentityConfig } from '../src/auth/index.js';
import { InputError } from '../src/errors.js';
import { loadSpec } from '../src/spec/index.js';
import { startExampleServer, EXAMPLE_CLIENT } from '../examples/server.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const spec = await loadSpec(EXAMPLE_CONTRACTS['3.1']);

function client(extra: Partial<NonNullable<IdentityConfig['oauth2']>> = {}): IdentityConfig {
  return { oauth2: { grant: 'client_credentials', clientId: EXAMPLE_CLIENT.id, clientSecret: EXAMPLE_CLIENT.secret, ...extra } };
}

async function statusOf(url: string, method: string, headers: Record<string, string>, body?: string): Promise<number> {
  const response = await request(url, { method: method as 'GET', headers, body });
  await response.body.dump();
  return response.statusCode;
}

test('client credentials at the tokenUrl of examples/openapi.yaml (relative, resolved against the base URL)', async () => {
  const server = await startExampleServer();
  try {
    const [shop] = await openIdentities({ shop: client() }, { spec, baseUrl: server.url, timeoutMs: 5000 });
    assert.equal(shop!.role, 'full', 'granted both scopes');
    assert.deepEqual(shop!.scopes, ['customers:read', 'customers:write']);
    const creds = await shop!.credentials();
    assert.equal(creds.bearer, shop!.currentToken());
    assert.equal(await statusOf(`${server.url}/customers`, 'GET', { authorization: `Bearer ${creds.bearer}` }), 200);
  } finally {
    await server.close();
  }
});

test('a narrower scope makes a limited identity, from the scope the token endpoint granted; form client auth works too', async () => {
  const server = await startExampleServer();
  try {
    const [reader] = await openIdentities({ reader: client({ scope: 'customers:read', clientAuth: 'body' }) }, { spec, baseUrl: server.url, timeoutMs: 5000 });
    assert.equal(reader!.role, 'limited');
    assert.deepEqual(reader!.scopes, ['customers:read']);
    const headers = { authorization: `Bearer ${reader!.currentToken()}`, 'content-type': 'application/json' };
    assert.equal(await statusOf(`${server.url}/customers`, 'GET', headers), 200);
    assert.equal(await statusOf(`${server.url}/customers`, 'POST', headers, JSON.stringify({ name: 'Ada', email: 'ada@example.com' })), 403);
  } finally {
    await server.close();
  }
});

test('an expired OAuth2 token is fetched again, from expires_in', async () => {
  let now = Date.parse('2030-01-01T00:00:00Z');
  const clock = (): number => now;
  const server = await startExampleServer({ tokenTtlSeconds: 2, clock });
  try {
    const [shop] = await openIdentities({ shop: client() }, { spec, baseUrl: server.url, timeoutMs: 5000, clock });
    const first = (await shop!.credentials()).bearer;
    now += 1000;
    assert.equal((await shop!.credentials()).bearer, first, 'still fresh at half its life');
    now += 1500;
    const second = (await shop!.credentials()).bearer;
    assert.notEqual(second, first);
    assert.equal(await statusOf(`${server.url}/customers`, 'GET', { authorization: `Bearer ${first}` }), 401);
    assert.equal(await statusOf(`${server.url}/customers`, 'GET', { authorization: `Bearer ${second}` }), 200);
    assert.deepEqual(shop!.tokenValues(), [first, second]);
  } finally {
    await server.close();
  }
});

test('a wrong client secret: InputError with the identity, the status and the RFC 6749 error code, never the secret', async () => {
  const server = await startExampleServer();
  try {
    await assert.rejects(openIdentities({ ci: client({ clientSecret: 'wrong-secret-123' }) }, { spec, baseUrl: server.url, timeoutMs: 5000 }), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.message, `identity "ci": OAuth2 client_credentials token request POST ${server.url}/oauth/token answered 401 (invalid_client), expected 200`);
      assert.ok(!error.message.includes('wrong-secret-123'));
      return true;
    });
  } finally {
    await server.close();
  }
});

test('the password grant needs a token URL: the document has none for it; named in the config, the server refuses the grant', async () => {
  const server = await startExampleServer();
  try {
    const password: IdentityConfig = { oauth2: { grant: 'password', clientId: 'shop-client', username: 'alice', password: 'wonderland-9' } };
    await assert.rejects(
      openIdentities({ p: password }, { spec, baseUrl: server.url, timeoutMs: 5000 }),
      /^InputError: identity "p": no oauth2 scheme of the document declares flows\.password\.tokenUrl; name the token URL as identities\/p\/oauth2\/tokenUrl$/,
    );
    const named: IdentityConfig = { oauth2: { ...password.oauth2!, tokenUrl: '/oauth/token' } };
    await assert.rejects(openIdentities({ p: named }, { spec, baseUrl: server.url, timeoutMs: 5000 }), (error: Error) => {
      assert.match(error.message, /^identity "p": OAuth2 password token request POST http:\/\/127\.0\.0\.1:\d+\/oauth\/token answered 400 \(unsupported_grant_type\), expected 200$/);
      assert.ok(!error.message.includes('wonderland-9'));
      return true;
    });
  } finally {
    await server.close();
  }
});

test('a tokenUrl on another origin is never contacted unless the config names it', async () => {
  const schemes = await loadSpec(path.resolve(projectRoot, 'test', 'fixtures', 'auth', 'schemes.yaml'));
  // refused while building the flow: no request leaves (auth.example.com is not contacted)
  await assert.rejects(
    openIdentities({ admin: client({ scheme: 'remoteAuth' }) }, { spec: schemes, baseUrl: 'http://127.0.0.1:9', timeoutMs: 5000 }),
    /^InputError: identity "admin": the tokenUrl of scheme 'remoteAuth' \(#\/components\/securitySchemes\/remoteAuth\/flows\/clientCredentials\/tokenUrl\) is https:\/\/auth\.example\.com\/oauth\/token, on another origin than the base URL; name it as identities\/admin\/oauth2\/tokenUrl to use it$/,
  );
  const server = await startExampleServer();
  try {
    // a relative tokenUrl without a leading slash ('oauth/token') resolves against the base URL (RFC 3986)
    const password: IdentityConfig = { oauth2: { grant: 'password', scheme: 'passwordAuth', clientId: 'app', username: 'u', password: 'pw-123' } };
    await assert.rejects(
      openIdentities({ pw: password }, { spec: schemes, baseUrl: `${server.url}/`, timeoutMs: 5000 }),
      new RegExp(`^InputError: identity "pw": OAuth2 password token request POST ${server.url.replace(/[.:/]/g, '\\$&')}/oauth/token answered 400 \\(unsupported_grant_type\\)`),
    );
    const swagger = await loadSpec(EXAMPLE_CONTRACTS['2.0']);
    const declared = 'http://127.0.0.1:8080/oauth/token';
    if (!server.url.endsWith(':8080')) {
      await assert.rejects(openIdentities({ s: client() }, { spec: swagger, baseUrl: server.url, timeoutMs: 5000 }), new RegExp(`is ${declared.replace(/[.:/]/g, '\\$&')}, on another origin`));
    }
    // the Swagger 2.0 document declares port 8080; the config names the server that runs
    const [shop] = await openIdentities({ s: client({ tokenUrl: `${server.url}/oauth/token` }) }, { spec: swagger, baseUrl: server.url, timeoutMs: 5000 });
    assert.equal(await statusOf(`${server.url}/customers`, 'GET', { authorization: `Bearer ${shop!.currentToken()}` }), 200);
    assert.ok(identitySecrets([shop!]).includes(EXAMPLE_CLIENT.secret));
    assert.ok(identitySecrets([shop!]).includes(shop!.currentToken()!));
    const session = createAuthSession([shop!]);
    assert.deepEqual(session.secretValues(), identitySecrets([shop!]));
  } finally {
    await server.close();
  }
});
