// Identities from POST /auth/login of the real example API: tokens that expire during a run are renewed at
// send time, a 401 gets exactly one retry with a fresh token, a failed login stops everything before a case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { createAuthSession, openIdentities, planIdentities, type AuthSession, type IdentityConfig } from '../src/auth/index.js';
import { InputError } from '../src/errors.js';
import { loadSpec } from '../src/spec/index.js';
import { matchCredentials, type Credentials } from '../src/plan/credentials.js';
import type { ApiSpec, HttpRequest } from '../src/model.js';
import { startExampleServer, type ExampleServer } from '../examples/server.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';

const spec = await loadSpec(EXAMPLE_CONTRACTS['3.1']);

function login(username: string, password: string, expiresIn = true): IdentityConfig {
  return {
    login: {
      url: '/auth/login',
      body: { username, password },
      token: '$response.body#/access_token',
      ...(expiresIn ? { expiresIn: '$response.body#/expires_in' } : {}),
    },
  };
}

/** A request as the planner builds it: the operation's path with the identity's credentials applied. */
function planned(api: ApiSpec, operationId: string, path: string, creds: Credentials, method = 'GET'): HttpRequest {
  const op = api.operations.find((o) => o.id === operationId)!;
  const match = matchCredentials(op, api.securitySchemes, creds);
  assert.equal(match.kind, 'satisfied', `credentials satisfy ${operationId}`);
  const base: HttpRequest = { method, path, headers: { accept: 'application/json' } };
  return match.kind === 'satisfied' ? match.apply(base) : base;
}

async function send(server: ExampleServer, req: HttpRequest): Promise<number> {
  const response = await request(`${server.url}${req.path}`, { method: req.method as 'GET', headers: req.headers, body: req.body });
  await response.body.dump();
  return response.statusCode;
}

/** What core's exec does with a session: current() before sending, one retry after a 401. */
async function exec(server: ExampleServer, session: AuthSession, req: HttpRequest): Promise<{ status: number; first: number; retried: boolean; sent: HttpRequest }> {
  const sent = await session.current(req);
  const first = await send(server, sent);
  const retry = await session.retryAfter401(sent, first);
  if (!retry) return { status: first, first, retried: false, sent };
  return { status: await send(server, retry), first, retried: true, sent: retry };
}

function bearerOf(req: HttpRequest): string {
  return (req.headers['Authorization'] ?? '').replace(/^Bearer /, '');
}

test('tokens from /auth/login that expire mid-run are renewed before sending (expires_in), every request succeeds', async () => {
  let now = Date.parse('2030-01-01T00:00:00Z');
  const clock = (): number => now;
  const server = await startExampleServer({ tokenTtlSeconds: 2, clock });
  try {
    const [alice] = await openIdentities({ alice: login('alice', 'wonderland') }, { spec, baseUrl: server.url, timeoutMs: 5000, clock });
    assert.equal(alice!.role, 'full');
    const session = createAuthSession([alice!]);
    const plan = await planIdentities([alice!]);
    const stale = planned(spec, 'listCustomers', '/customers', plan.credentials);
    const tokensSent = new Set<string>();
    for (let i = 0; i < 10; i++) {
      now += 700; // ten steps of 0.7 s: 7 s, three and a half lifetimes of a token
      const outcome = await exec(server, session, stale);
      assert.equal(outcome.status, 200, `request ${i} succeeds`);
      assert.equal(outcome.retried, false, 'renewed before it was sent, so never refused');
      tokensSent.add(bearerOf(outcome.sent));
    }
    const logins = alice!.tokenValues().length;
    assert.ok(logins >= 4, `logged in ${logins} times`);
    // each token obtained was sent while it lived, the planned one first; none was sent after its end
    assert.deepEqual([...tokensSent], alice!.tokenValues());
    assert.equal([...tokensSent][0], bearerOf(stale));
  } finally {
    await server.close();
  }
});

test('without expiresIn the token is renewed on its first 401, the request retried once and the retry counts', async () => {
  let now = Date.parse('2030-01-01T00:00:00Z');
  const clock = (): number => now;
  const server = await startExampleServer({ tokenTtlSeconds: 2, clock });
  try {
    const [alice] = await openIdentities({ alice: login('alice', 'wonderland', false) }, { spec, baseUrl: server.url, timeoutMs: 5000, clock });
    const session = createAuthSession([alice!]);
    const stale = planned(spec, 'listCustomers', '/customers', (await planIdentities([alice!])).credentials);
    const outcomes = [];
    for (let i = 0; i < 6; i++) {
      now += 1500;
      outcomes.push(await exec(server, session, stale));
    }
    assert.deepEqual(outcomes.map((o) => o.status), [200, 200, 200, 200, 200, 200]);
    // 1.5 s, 3 s, … : a token of 2 s is refused every second or so step, and each refusal is retried once
    const retried = outcomes.filter((o) => o.retried);
    assert.ok(retried.length >= 3, `${retried.length} retries`);
    for (const o of retried) assert.equal(o.first, 401);
    assert.equal(alice!.tokenValues().length, 1 + retried.length, 'one login per refusal');
  } finally {
    await server.close();
  }
});

test('a token the server no longer accepts gets exactly one retry, even when the retry is refused too', async () => {
  let now = Date.parse('2030-01-01T00:00:00Z');
  let jumping = false;
  // once jumping, each reading of the server's clock is an hour later: every token is expired when used
  const serverClock = (): number => (jumping ? (now += 3_600_000) : now);
  const server = await startExampleServer({ tokenTtlSeconds: 60, clock: serverClock });
  try {
    const frozen = Date.now();
    const [alice] = await openIdentities({ alice: login('alice', 'wonderland') }, { spec, baseUrl: server.url, timeoutMs: 5000, clock: () => frozen });
    const session = createAuthSession([alice!]);
    const req = planned(spec, 'listCustomers', '/customers', await alice!.credentials());
    jumping = true;
    const sent = await session.current(req);
    assert.equal(sent, req, 'the identity believes its token fresh: nothing to swap');
    assert.equal(await send(server, sent), 401);
    const retry = await session.retryAfter401(sent, 401);
    assert.ok(retry, 'a retry is given');
    assert.notEqual(bearerOf(retry), bearerOf(req), 'with a new token');
    assert.equal(await send(server, retry), 401, 'refused again');
    assert.equal(await session.retryAfter401(retry, 401), undefined, 'no second retry');
    // current() on the retry (as exec may call it) keeps it a retry
    assert.equal(await session.retryAfter401(await session.current(retry), 401), undefined);
    assert.equal(alice!.tokenValues().length, 2, 'the first login and one refresh');
    assert.equal(await session.retryAfter401(sent, 403), undefined, 'only a 401 is retried');
  } finally {
    await server.close();
  }
});

test('concurrent 401s with the same stale token share one login', async () => {
  let now = Date.parse('2030-01-01T00:00:00Z');
  const server = await startExampleServer({ tokenTtlSeconds: 60, clock: () => now });
  try {
    const frozen = now;
    const [alice] = await openIdentities({ alice: login('alice', 'wonderland', false) }, { spec, baseUrl: server.url, timeoutMs: 5000, clock: () => frozen });
    const session = createAuthSession([alice!]);
    const req = planned(spec, 'listCustomers', '/customers', await alice!.credentials());
    now += 120_000; // the server expires the token; the identity has no expiry to go by
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => exec(server, session, req)));
    assert.deepEqual(outcomes.map((o) => [o.first, o.status]), Array.from({ length: 6 }, () => [401, 200]));
    assert.equal(alice!.tokenValues().length, 2, 'one refresh for six refusals');
    // a later 401 for the old token is not a reason to log in again: the current token is used
    const late = await session.retryAfter401(req, 401);
    assert.equal(bearerOf(late!), alice!.currentToken());
    assert.equal(alice!.tokenValues().length, 2);
  } finally {
    await server.close();
  }
});

test('the full identity runs the positive cases, the limited one gets 403 where it lacks a scope', async () => {
  const server = await startExampleServer();
  try {
    const identities = await openIdentities(
      { alice: login('alice', 'wonderland'), bob: { ...login('bob', 'builder'), scopes: ['customers:read'] } },
      { spec, baseUrl: server.url, timeoutMs: 5000 },
    );
    assert.deepEqual(identities.map((i) => [i.name, i.role]), [['alice', 'full'], ['bob', 'limited']]);
    const plan = await planIdentities(identities);
    assert.deepEqual(plan.full, ['alice']);
    assert.equal(plan.limitedName, 'bob');
    assert.deepEqual(plan.limited!.scopes, ['customers:read']);
    const session = createAuthSession(identities);
    const body = JSON.stringify({ name: 'Ada', email: 'ada@example.com' });
    const create = { ...planned(spec, 'createCustomer', '/customers', plan.credentials, 'POST'), body };
    create.headers = { ...create.headers, 'content-type': 'application/json' };
    assert.equal((await exec(server, session, create)).status, 201);
    const limited = { ...planned(spec, 'createCustomer', '/customers', plan.limited!.credentials, 'POST'), body };
    limited.headers = { ...limited.headers, 'content-type': 'application/json' };
    const refused = await exec(server, session, limited);
    assert.equal(refused.status, 403);
    assert.equal(refused.retried, false, 'a 403 is not a reason to refresh');
    const anonymous = { method: 'GET', path: '/customers', headers: {} };
    const noIdentity = await exec(server, session, anonymous);
    assert.deepEqual([noIdentity.status, noIdentity.retried], [401, false], 'a request without a token is not retried');
  } finally {
    await server.close();
  }
});

test('a wrong password stops before any case: InputError naming the identity and the status, not the password', async () => {
  const server = await startExampleServer();
  try {
    await assert.rejects(
      openIdentities({ alice: login('alice', 'wonderland'), mallory: login('alice', 'not-the-password-42') }, { spec, baseUrl: server.url, timeoutMs: 5000 }),
      (error: unknown) => {
        assert.ok(error instanceof InputError);
        assert.equal(error.message, `identity "mallory": login POST ${server.url}/auth/login answered 401, expected 2xx`);
        assert.ok(!error.message.includes('not-the-password-42'));
        return true;
      },
    );
  } finally {
    await server.close();
  }
});

test('a login URL nobody answers, and a token pointer the answer lacks, are InputErrors naming the identity', async () => {
  const server = await startExampleServer();
  const url = server.url;
  try {
    const wrongPointer: IdentityConfig = { login: { url: '/auth/login', body: { username: 'alice', password: 'wonderland' }, token: '$response.body#/token' } };
    await assert.rejects(openIdentities({ a: wrongPointer }, { spec, baseUrl: url, timeoutMs: 5000 }), /^InputError: identity "a": login POST http:\/\/127\.0\.0\.1:\d+\/auth\/login answered 200 but \$response\.body#\/token holds no token$/);
    const noSuchScheme: IdentityConfig = { ...login('alice', 'wonderland'), schemes: ['apiKey'] };
    await assert.rejects(openIdentities({ a: noSuchScheme }, { spec, baseUrl: url, timeoutMs: 5000 }), /identity "a": schemes: the document has no security scheme 'apiKey' \(it has: bearerAuth, oauth2\)/);
  } finally {
    await server.close();
  }
  await assert.rejects(openIdentities({ a: login('alice', 'wonderland') }, { spec, baseUrl: url, timeoutMs: 5000 }), /^InputError: identity "a": login POST http:\/\/127\.0\.0\.1:\d+\/auth\/login: cannot connect \(ECONNREFUSED\)$/);
});

test('a login behind a path prefix is joined under the base URL, and Swagger 2.0 gets "Bearer " on its Authorization apiKey', async () => {
  const server = await startExampleServer();
  try {
    const swagger = await loadSpec(EXAMPLE_CONTRACTS['2.0']);
    const [alice] = await openIdentities({ alice: { ...login('alice', 'wonderland'), schemes: ['bearer'] } }, { spec: swagger, baseUrl: `${server.url}/`, timeoutMs: 5000 });
    const creds = await alice!.credentials();
    assert.equal(creds.apiKeys?.['bearer'], `Bearer ${alice!.currentToken()}`);
    const req = planned(swagger, 'listCustomers', '/customers', creds);
    assert.equal(req.headers['Authorization'], `Bearer ${alice!.currentToken()}`);
    assert.equal(await send(server, req), 200);
    // the prefix of the base URL is kept: /v9/auth/login does not exist on the example server
    await assert.rejects(openIdentities({ a: login('alice', 'wonderland') }, { spec, baseUrl: `${server.url}/v9`, timeoutMs: 5000 }), /login POST http:\/\/127\.0\.0\.1:\d+\/v9\/auth\/login answered 404/);
  } finally {
    await server.close();
  }
});
