// Static identities, tokens in query/cookie/header API keys swapped at send time, roles for the planner,
// and secrets: nothing a login answer holds appears in a message, every secret is handed to the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { createAuthSession, identitySecrets, openIdentities, planIdentities, type IdentityConfig } from '../src/auth/index.js';
import { InputError } from '../src/errors.js';
import { loadSpec } from '../src/spec/index.js';
import { matchCredentials } from '../src/plan/credentials.js';
import { planOperations } from '../src/plan/index.js';
import { createValidator } from '../src/schema/validator.js';
import type { ApiSpec, HttpRequest } from '../src/model.js';
import { startExampleServer, EXAMPLE_TOKENS } from '../examples/server.js';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const example = await loadSpec(EXAMPLE_CONTRACTS['3.1']);
const schemes = await loadSpec(path.resolve(projectRoot, 'test', 'fixtures', 'auth', 'schemes.yaml'));

/**
 * A real server for what the example API does not do: POST /login issues `tok-N-<random>` (or fails as told),
 * and GET /reports accepts only the latest token, in the api_key query parameter.
 */
interface TokenServer {
  url: string;
  logins: number;
  /** 'ok', or how the next logins fail */
  mode: 'ok' | 'echo-500' | 'html-200' | 'oauth-401';
  latest: string | undefined;
  close(): Promise<void>;
}

const ECHOED = 'echoed-response-secret-777';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function startTokenServer(): Promise<TokenServer> {
  const state: TokenServer = { url: '', logins: 0, mode: 'ok', latest: undefined, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'POST' && url.pathname === '/login') {
        state.logins++;
        if (state.mode === 'echo-500') {
          res.writeHead(500, { 'content-type': 'text/plain' }).end(`crash while handling ${body} ${ECHOED}`);
        } else if (state.mode === 'html-200') {
          res.writeHead(200, { 'content-type': 'text/html' }).end(`<html>${ECHOED} ${body}</html>`);
        } else if (state.mode === 'oauth-401') {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client', error_description: `${ECHOED} ${body}` }));
        } else {
          state.latest = `tok-${state.logins}-${Math.random().toString(36).slice(2)}`;
          res.writeHead(200, { 'content-type': 'application/json', 'x-token': state.latest }).end(JSON.stringify({ data: { token: state.latest, ttl: '60' } }));
        }
        return;
      }
      const key = url.searchParams.get('api_key');
      res.writeHead(key !== null && key === state.latest ? 200 : 401).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}

function planned(api: ApiSpec, operationId: string, path: string, creds: Parameters<typeof matchCredentials>[2], headers: Record<string, string> = {}): HttpRequest {
  const op = api.operations.find((o) => o.id === operationId)!;
  const match = matchCredentials(op, api.securitySchemes, creds);
  assert.equal(match.kind, 'satisfied');
  return match.kind === 'satisfied' ? match.apply({ method: 'GET', path, headers }) : { method: 'GET', path, headers };
}

async function statusOf(base: string, req: HttpRequest): Promise<number> {
  const response = await request(`${base}${req.path}`, { method: req.method as 'GET', headers: req.headers });
  await response.body.dump();
  return response.statusCode;
}

const LOGIN_TO_QUERY: IdentityConfig = {
  schemes: ['keyQuery'],
  login: { url: '/login', form: { user: 'carol', secret: 'carol-password-1' }, token: '$response.body#/data/token', expiresIn: '$response.body#/data/ttl' },
};

test('static identities: fixed bearer tokens take their roles from their scopes and drive 200 / 403 on the example API', async () => {
  const server = await startExampleServer();
  try {
    const identities = await openIdentities(
      { ops: { bearer: EXAMPLE_TOKENS.full }, reader: { bearer: EXAMPLE_TOKENS.read, scopes: ['customers:read'] } },
      { spec: example, baseUrl: server.url, timeoutMs: 5000 },
    );
    assert.deepEqual(identities.map((i) => [i.name, i.role, i.refreshable]), [['ops', 'full', false], ['reader', 'limited', false]]);
    const plan = await planIdentities(identities);
    assert.deepEqual(plan.credentials, { bearer: EXAMPLE_TOKENS.full });
    assert.deepEqual(plan.limited, { credentials: { bearer: EXAMPLE_TOKENS.read }, scopes: ['customers:read'] });
    const session = createAuthSession(identities);
    const asReader = planned(example, 'listCustomers', '/customers', plan.limited!.credentials);
    assert.equal(await session.current(asReader), asReader, 'a static value is never swapped');
    assert.equal(await statusOf(server.url, asReader), 200);
    const create = { ...planned(example, 'createCustomer', '/customers', plan.limited!.credentials, { 'content-type': 'application/json' }), method: 'POST' };
    const response = await request(`${server.url}/customers`, { method: 'POST', headers: create.headers, body: JSON.stringify({ name: 'Ada', email: 'ada@example.com' }) });
    await response.body.dump();
    assert.equal(response.statusCode, 403);
    assert.equal(await session.retryAfter401(asReader, 401), undefined, 'a static value cannot be refreshed: no retry');
  } finally {
    await server.close();
  }
});

test('planIdentities: two full identities with a bearer token clash; a limited identity without scopes is refused; extra limited ones are named', async () => {
  const ctx = { spec: example, baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000 };
  const twoFull = await openIdentities({ a: { bearer: 'token-a' }, b: { bearer: 'token-b' } }, ctx);
  await assert.rejects(planIdentities(twoFull), /^InputError: identities "a" and "b" both give a bearer token for the positive cases; mark one of them role: limited$/);
  await assert.rejects(openIdentities({ x: { bearer: 'token-x', role: 'limited' } }, ctx), /identity "x": role limited needs 'scopes'/);
  const three = await openIdentities({ a: { bearer: 'token-a' }, r1: { bearer: 'token-r1', scopes: [] }, r2: { bearer: 'token-r2', scopes: ['customers:read'] } }, ctx);
  const plan = await planIdentities(three);
  assert.equal(plan.limitedName, 'r1');
  assert.deepEqual(plan.warnings, ['identity "r2" (limited) not used: the 403 cases take one limited identity ("r1")']);
  const none = await planIdentities(await openIdentities({ r: { bearer: 'token-r', scopes: ['customers:read'] } }, ctx));
  assert.deepEqual(none.credentials, {});
  assert.match(none.warnings[0]!, /no identity holds every scope/);
});

test('basic and API keys of several full identities combine for a requirement that names two schemes', async () => {
  const ctx = { spec: schemes, baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000 };
  const identities = await openIdentities(
    { cookie: { apiKey: { keyCookie: 'cookie-value-1' } }, header: { apiKey: { 'X-Api-Key': 'header-value-2' }, basic: { username: 'ops', password: 'ops-password' } } },
    ctx,
  );
  const plan = await planIdentities(identities);
  const req = planned(schemes, 'getReport', '/reports/7', plan.credentials);
  assert.equal(req.headers['Cookie'], 'session=cookie-value-1');
  assert.equal(req.headers['X-Api-Key'], 'header-value-2');
  assert.ok(identitySecrets(identities).includes('ops-password'));
  assert.ok(identitySecrets(identities).includes(Buffer.from('ops:ops-password').toString('base64')));
});

test('a login token bound to an apiKey query scheme: swapped in the query string after a refresh, retried once after a 401', async () => {
  const server = await startTokenServer();
  try {
    const [carol] = await openIdentities({ carol: LOGIN_TO_QUERY }, { spec: schemes, baseUrl: server.url, timeoutMs: 5000 });
    const creds = await carol!.credentials();
    assert.deepEqual(creds, { apiKeys: { keyQuery: server.latest } });
    const session = createAuthSession([carol!]);
    const req = planned(schemes, 'listReports', '/reports?page=2', creds);
    assert.equal(req.path, `/reports?page=2&api_key=${server.latest}`);
    assert.equal(await statusOf(server.url, req), 200);
    await carol!.refresh();
    assert.equal(server.logins, 2);
    const swapped = await session.current(req);
    assert.equal(swapped.path, `/reports?page=2&api_key=${encodeURIComponent(server.latest!)}`);
    assert.equal(await statusOf(server.url, swapped), 200);
    // the server moves on (another client logged in as carol): the token carol holds is refused
    const other = await request(`${server.url}/login`, { method: 'POST', body: '' });
    await other.body.dump();
    assert.equal(await statusOf(server.url, swapped), 401);
    const retry = await session.retryAfter401(swapped, 401);
    assert.equal(retry!.path, `/reports?page=2&api_key=${server.latest}`);
    assert.equal(await statusOf(server.url, retry!), 200);
    assert.equal(server.logins, 4);
  } finally {
    await server.close();
  }
});

test('a token read from a response header, put in a cookie and an API-key header, is swapped in both places', async () => {
  const server = await startTokenServer();
  try {
    const config: IdentityConfig = { login: { url: '/login', token: '$response.header.X-Token', scheme: 'keyCookie' }, apiKey: { 'X-Api-Key': 'fixed-header-key' } };
    const [dave] = await openIdentities({ dave: config }, { spec: schemes, baseUrl: server.url, timeoutMs: 5000 });
    const first = dave!.currentToken()!;
    const req = planned(schemes, 'getReport', '/reports/1', await dave!.credentials(), { Cookie: 'theme=dark' });
    assert.equal(req.headers['Cookie'], `theme=dark; session=${first}`);
    await dave!.refresh();
    const swapped = await createAuthSession([dave!]).current(req);
    assert.equal(swapped.headers['Cookie'], `theme=dark; session=${dave!.currentToken()}`);
    assert.equal(swapped.headers['X-Api-Key'], 'fixed-header-key');
    assert.notEqual(dave!.currentToken(), first);
  } finally {
    await server.close();
  }
});

test('nothing a login answer holds reaches a message: bodies, tokens, passwords stay out; every secret is handed to the report', async () => {
  const server = await startTokenServer();
  const ctx = { spec: schemes, baseUrl: server.url, timeoutMs: 5000 };
  const messages: string[] = [];
  const capture = async (promise: Promise<unknown>): Promise<void> => {
    await assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof InputError);
      messages.push(error.message);
      return true;
    });
  };
  try {
    server.mode = 'echo-500';
    await capture(openIdentities({ carol: LOGIN_TO_QUERY }, ctx));
    server.mode = 'html-200';
    await capture(openIdentities({ carol: LOGIN_TO_QUERY }, ctx));
    server.mode = 'oauth-401';
    await capture(openIdentities({ app: { oauth2: { grant: 'client_credentials', tokenUrl: '/login', clientId: 'app', clientSecret: 'client-secret-55' } } }, ctx));
    assert.deepEqual(messages, [
      `identity "carol": login POST ${server.url}/login answered 500, expected 2xx`,
      `identity "carol": login POST ${server.url}/login answered 200 but $response.body#/data/token holds no token (the body is not JSON)`,
      `identity "app": OAuth2 client_credentials token request POST ${server.url}/login answered 401 (invalid_client), expected 200`,
    ]);

    // mid-run: the token expired and the login now fails — the request goes out as it was, a warning is kept
    server.mode = 'ok';
    let now = Date.parse('2030-01-01T00:00:00Z');
    const [carol] = await openIdentities({ carol: LOGIN_TO_QUERY }, { ...ctx, clock: () => now });
    const token = carol!.currentToken()!;
    const session = createAuthSession([carol!]);
    const req = planned(schemes, 'listReports', '/reports', await carol!.credentials());
    server.mode = 'echo-500';
    now += 61_000;
    assert.equal(await session.current(req), req);
    assert.equal(await session.retryAfter401(req, 401), undefined, 'the failure is remembered: no login storm');
    assert.equal(server.logins, 5, 'three failed opens, one login, one failed refresh');
    assert.deepEqual(session.warnings(), [`token refresh failed during the run: identity "carol": login POST ${server.url}/login answered 500, expected 2xx`]);
    messages.push(...session.warnings());

    for (const message of messages) {
      for (const secret of [ECHOED, 'carol-password-1', 'client-secret-55', token, '<html>']) assert.ok(!message.includes(secret), `${message} holds ${secret}`);
      assert.doesNotMatch(message, /\n/);
    }
    const secrets = session.secretValues();
    assert.ok(secrets.includes(token), 'the token, for scrubbing');
    assert.ok(secrets.includes('carol-password-1'), 'the login form password');
    assert.ok(!secrets.includes('carol'), 'the user name is not a secret');
  } finally {
    await server.close();
  }
});

test('an operation the identities cannot authenticate is planned as not covered, naming the scheme it needs', async () => {
  const server = await startTokenServer();
  try {
    const identities = await openIdentities({ carol: LOGIN_TO_QUERY }, { spec: schemes, baseUrl: server.url, timeoutMs: 5000 });
    const plan = await planIdentities(identities);
    const validator = createValidator(schemes.schemas);
    const plans = [...planOperations(schemes.operations, { spec: schemes, validator, seed: 1, maxPositive: 1, credentials: plan.credentials }, { auth: { limited: plan.limited } })];
    const notCovered = Object.fromEntries(plans.map((p) => [p.operation.id, p.notCovered]));
    assert.deepEqual(notCovered['listReports'], []);
    assert.ok(plans.find((p) => p.operation.id === 'listReports')!.cases.length > 0);
    assert.deepEqual(notCovered['admin'], ['no credentials for its security requirement: remoteAuth (oauth2)']);
    assert.deepEqual(notCovered['me'], ['no credentials for its security requirement: passwordAuth (oauth2) or basicAuth (http basic)']);
  } finally {
    await server.close();
  }
});
