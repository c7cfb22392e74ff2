// The example shop API: routing, authentication, media types, and one handler per documented operation.
// Everything here turns a request into a Reply; server.ts owns the sockets.
import type { IncomingHttpHeaders } from 'node:http';
import { clientCredentials, EXAMPLE_CLIENT, EXAMPLE_USERS, type Scope, type TokenRegistry } from './auth.js';
import { canonicalUuid } from './formats.js';
import type { MisbehaveName } from './misbehave.js';
import { emptyReply, htmlPage, jsonReply, problemReply, type ProblemInit, type Reply } from './reply.js';
import {
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  PRODUCTS,
  TIERS,
  type Customer,
  type CustomerFields,
  type Note,
  type Order,
  type OrderItem,
  type OrderStatus,
  type ShopStore,
  type Tier,
} from './store.js';
import { checkObject, checkParameters, isPlainObject, type Issue, type Leniency, type ObjectShape, type ParameterRule, type Rule } from './validate.js';

export interface ApiRequest {
  /** upper-case */
  method: string;
  /** the path as sent, without the query string */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Shop {
  store: ShopStore;
  tokens: TokenRegistry;
  misbehave: ReadonlySet<MisbehaveName>;
  lenient: Leniency;
  now(): number;
}

interface Call {
  req: ApiRequest;
  params: Record<string, string>;
  shop: Shop;
}

interface OperationDef {
  id: string;
  /** the scope a token needs; absent for public operations (security: []) */
  scope?: Scope;
  /** documented request media types; absent when the operation takes no body */
  accepts?: readonly string[];
  handle(call: Call): Reply;
}

type RouteMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface Route {
  template: string;
  methods: Partial<Record<RouteMethod, OperationDef>>;
}

const JSON_TYPE = 'application/json';
const MERGE_PATCH_TYPE = 'application/merge-patch+json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const INT32_MAX = 2147483647;
const SCOPE_LIST = /^(customers:read|customers:write)( (customers:read|customers:write))*$/;

// ---------------------------------------------------------------- rules (mirror examples/openapi.yaml)

const TAG: Rule = { type: 'string', minLength: 1, maxLength: 30, pattern: /^[a-z0-9-]+$/ };

const CUSTOMER_MEMBERS: Record<string, Rule> = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  email: { type: 'string', maxLength: 254, format: 'email' },
  age: { type: 'integer', minimum: 0, maximum: 150 },
  tier: { type: 'enum', values: TIERS },
  zip: { type: 'string', pattern: /^[0-9]{5}$/ },
  birthday: { type: 'string', format: 'date' },
  tags: { type: 'array', maxItems: 5, uniqueItems: true, items: TAG },
  active: { type: 'boolean' },
};

const CUSTOMER_NULLABLE = ['age', 'tier', 'zip', 'birthday', 'tags'] as const;

function customerShapes(members: Record<string, Rule>): { create: ObjectShape; patch: ObjectShape } {
  return {
    create: { members, required: ['name', 'email'], readOnly: ['id', 'createdAt'], allowUnknown: false },
    patch: { members, required: [], nullable: CUSTOMER_NULLABLE, readOnly: ['id', 'createdAt'], allowUnknown: false },
  };
}

const CUSTOMER_SHAPES = customerShapes(CUSTOMER_MEMBERS);
/** The ignore-pattern bug: zip is only checked to be a string. */
const ZIP_UNCHECKED_SHAPES = customerShapes({ ...CUSTOMER_MEMBERS, zip: { type: 'string' } });

const SKU_PATTERN = /^[A-Z]{3}-[0-9]{4}$/;

const ORDER_ITEM: ObjectShape = {
  members: { sku: { type: 'string', pattern: SKU_PATTERN }, quantity: { type: 'integer', minimum: 1, maximum: 1000 } },
  required: ['sku', 'quantity'],
  allowUnknown: false,
};

const NEW_ORDER: ObjectShape = {
  members: {
    customerId: { type: 'string', format: 'uuid' },
    items: { type: 'array', minItems: 1, maxItems: 20, uniqueItems: false, items: { type: 'object', shape: ORDER_ITEM } },
    deliverAfter: { type: 'string', format: 'date-time' },
  },
  required: ['customerId', 'items'],
  allowUnknown: false,
};

const ORDER_PATCH: ObjectShape = {
  members: { status: { type: 'enum', values: ORDER_STATUSES }, deliverAfter: { type: 'string', format: 'date-time' } },
  required: [],
  nullable: ['deliverAfter'],
  allowUnknown: false,
};

const LOGIN: ObjectShape = {
  members: { username: { type: 'string', minLength: 1, maxLength: 100 }, password: { type: 'string', minLength: 1, maxLength: 200 } },
  required: ['username', 'password'],
  allowUnknown: false,
};

const LIMIT: ParameterRule = { name: 'limit', type: 'integer', minimum: 1, maximum: 100 };
/** The refuse-maximum bug: an off-by-one bound (limit < 100). */
const LIMIT_OFF_BY_ONE: ParameterRule = { ...LIMIT, maximum: 99 };
const DEFAULT_LIMIT = 20;

const CUSTOMER_QUERY: readonly ParameterRule[] = [
  LIMIT,
  { name: 'tier', type: 'enum', values: TIERS },
  { name: 'tags', type: 'array', maxItems: 5, uniqueItems: false, items: TAG },
  { name: 'active', type: 'boolean' },
  { name: 'createdAfter', type: 'string', format: 'date' },
];

const PRODUCT_QUERY: readonly ParameterRule[] = [LIMIT, { name: 'inStock', type: 'boolean' }];

const CUSTOMER_ID: ParameterRule = { name: 'customerId', type: 'string', format: 'uuid' };
const NOTE_ID: ParameterRule = { name: 'noteId', type: 'string', format: 'uuid' };
const ORDER_ID: ParameterRule = { name: 'orderId', type: 'string', format: 'uuid' };
const SKU: ParameterRule = { name: 'sku', type: 'string', pattern: SKU_PATTERN };

const ORDER_QUERY: readonly ParameterRule[] = [LIMIT, CUSTOMER_ID, { name: 'status', type: 'enum', values: ORDER_STATUSES }];

// ---------------------------------------------------------------- problems

/** The request path as a valid URI reference (the problem's `instance`), whatever bytes the client sent. */
export function problemInstance(path: string): string {
  return path.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/gu, (char) => encodeURIComponent(char));
}

function fail(call: Call, problem: ProblemInit): Reply {
  return problemReply(problem, problemInstance(call.req.path), call.shop.misbehave);
}

function invalidParameters(call: Call, issues: Issue[]): Reply {
  const detail = issues.map((issue) => `${issue.location} parameter ${issue.name ?? ''} ${issue.message}`).join('; ');
  return fail(call, { status: 400, type: 'invalid-parameters', title: 'Invalid parameters', detail, errors: issues });
}

function invalidBody(call: Call, issues: Issue[]): Reply {
  const detail = issues.map((issue) => `${issue.pointer === '' ? 'the body' : `body member ${issue.pointer}`} ${issue.message}`).join('; ');
  return fail(call, { status: 422, type: 'validation-error', title: 'The request body is invalid', detail, errors: issues });
}

function malformedBody(call: Call, detail: string): Reply {
  return fail(call, { status: 400, type: 'malformed-body', title: 'The request body cannot be parsed', detail });
}

/** The WWW-Authenticate a 401 must carry (RFC 9110 §15.5.2), unless the no-www-authenticate bug is on. */
function challengeHeaders(call: Call, challenge: string): Record<string, string> {
  return call.shop.misbehave.has('no-www-authenticate') ? {} : { 'www-authenticate': challenge };
}

function notFound(call: Call, what: string): Reply {
  return fail(call, { status: 404, type: 'not-found', title: 'Not found', detail: `${what} does not exist` });
}

/** A body that is valid for its schema but names a record that does not exist (422). */
function unknownReference(call: Call, issues: Issue[]): Reply {
  const detail = issues.map((issue) => `body member ${issue.pointer ?? ''} ${issue.message}`).join('; ');
  return fail(call, { status: 422, type: 'unknown-reference', title: 'The body refers to a record that does not exist', detail, errors: issues });
}

// ---------------------------------------------------------------- business rules

/** The server's day (UTC), as a full-date. */
function today(call: Call): string {
  return new Date(call.shop.now()).toISOString().slice(0, 10);
}

/** A birthday must not be in the future; today is allowed. */
function futureBirthday(call: Call, value: Record<string, unknown>): Reply | undefined {
  const birthday = value['birthday'];
  const now = today(call);
  if (typeof birthday !== 'string' || birthday <= now) return undefined;
  const message = `must not be in the future (today is ${now} UTC)`;
  return fail(call, {
    status: 422,
    type: 'date-in-future',
    title: 'A date is in the future',
    detail: `body member /birthday ${birthday} ${message}`,
    errors: [{ location: 'body', pointer: '/birthday', message }],
  });
}

/** A 400 for the bugs that refuse what the contract allows; shaped as a validation problem. */
function refusedValue(call: Call, pointer: string, message: string): Reply {
  return fail(call, {
    status: 400,
    type: 'invalid-value',
    title: 'Invalid value',
    detail: `body member ${pointer} ${message}`,
    errors: [{ location: 'body', pointer, message }],
  });
}

/** The refuse-null bug: null for a member the contract makes nullable is refused. */
function nullRefused(call: Call, body: unknown, nullable: readonly string[]): Reply | undefined {
  if (!call.shop.misbehave.has('refuse-null') || !isPlainObject(body)) return undefined;
  const name = nullable.find((member) => body[member] === null);
  return name === undefined ? undefined : refusedValue(call, `/${name}`, 'must not be null');
}

/** The coerce-unknown-enum bug: an unknown tier becomes basic instead of being refused. */
function coercedTier(call: Call, body: unknown): unknown {
  if (!call.shop.misbehave.has('coerce-unknown-enum') || !isPlainObject(body)) return body;
  const tier = body['tier'];
  if (tier === undefined || tier === null || (typeof tier === 'string' && (TIERS as readonly string[]).includes(tier))) return body;
  return { ...body, tier: 'basic' };
}

function customerShapesFor(call: Call): { create: ObjectShape; patch: ObjectShape } {
  return call.shop.misbehave.has('ignore-pattern') ? ZIP_UNCHECKED_SHAPES : CUSTOMER_SHAPES;
}

function queryRules(call: Call, rules: readonly ParameterRule[]): readonly ParameterRule[] {
  return call.shop.misbehave.has('refuse-maximum') ? rules.map((rule) => (rule === LIMIT ? LIMIT_OFF_BY_ONE : rule)) : rules;
}

// ---------------------------------------------------------------- bugs that crash (misbehave only)

/** The int32-overflow-500 bug: a value handed to a 32-bit database column. */
function storeAsInt32(call: Call, what: string, value: unknown): void {
  if (call.shop.misbehave.has('int32-overflow-500') && typeof value === 'number' && value > INT32_MAX) {
    throw new RangeError(`value "${value}" is out of range for type integer (column ${what})`);
  }
}

function int32QueryText(call: Call, name: string): void {
  const text = call.req.query.get(name);
  if (text !== null && /^[0-9]+$/.test(text)) storeAsInt32(call, name, Number(text));
}

/** The reject-valid-unicode bug: a name check that only knows ASCII. */
function asciiOnlyName(call: Call, body: unknown): Reply | undefined {
  if (!call.shop.misbehave.has('reject-valid-unicode') || typeof body !== 'object' || body === null) return undefined;
  const name = (body as { name?: unknown }).name;
  if (typeof name !== 'string' || /^[\x20-\x7e]*$/.test(name)) return undefined;
  const errors: Issue[] = [{ location: 'body', pointer: '/name', message: 'must contain only letters, digits and spaces' }];
  return fail(call, { status: 400, type: 'invalid-name', title: 'Invalid name', detail: 'body member /name must contain only letters, digits and spaces', errors });
}

// ---------------------------------------------------------------- bodies

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function bodyText(call: Call): { text: string } | { reply: Reply } {
  try {
    return { text: UTF8.decode(call.req.body) };
  } catch {
    return { reply: malformedBody(call, 'the body is not valid UTF-8') };
  }
}

function jsonBody(call: Call): { value: unknown } | { reply: Reply } {
  const decoded = bodyText(call);
  if ('reply' in decoded) return decoded;
  if (decoded.text.trim() === '') return { reply: malformedBody(call, 'the body is empty; a JSON document is required') };
  if (call.shop.misbehave.has('wrong-json-500')) return { value: JSON.parse(decoded.text) as unknown };
  try {
    return { value: JSON.parse(decoded.text) as unknown };
  } catch (error) {
    return { reply: malformedBody(call, `the body is not valid JSON: ${(error as Error).message}`) };
  }
}

function formBody(call: Call): { form: URLSearchParams } | { reply: Reply } {
  const decoded = bodyText(call);
  return 'reply' in decoded ? decoded : { form: new URLSearchParams(decoded.text) };
}

/** type/subtype lower-cased and its charset, or undefined when the header is absent or unreadable */
export function parseMediaType(header: string | undefined): { type: string; charset?: string } | undefined {
  if (header === undefined) return undefined;
  const [essence = '', ...parameters] = header.split(';');
  const type = essence.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return undefined;
  const charset = parameters
    .map((parameter) => parameter.trim().split('='))
    .find(([key]) => key?.trim().toLowerCase() === 'charset')?.[1]
    ?.trim()
    .replace(/^"(.*)"$/, '$1')
    .toLowerCase();
  return charset === undefined ? { type } : { type, charset };
}

function unsupportedMediaType(call: Call, accepts: readonly string[]): Reply | undefined {
  // Accept-Post (W3C LDP) and Accept-Patch (RFC 5789) tell the client what would have worked
  if (call.shop.misbehave.has('ignore-content-type')) return undefined;
  const header = call.req.headers['content-type'];
  const media = parseMediaType(header);
  if (media && accepts.includes(media.type) && (media.charset === undefined || media.charset === 'utf-8')) return undefined;
  const sent = header === undefined ? 'no Content-Type' : `Content-Type "${header}"`;
  return fail(call, {
    status: 415,
    type: 'unsupported-media-type',
    title: 'Unsupported media type',
    detail: `${sent}; this operation accepts ${accepts.join(' or ')} (UTF-8)`,
    headers: { [call.req.method === 'PATCH' ? 'accept-patch' : 'accept-post']: accepts.join(', ') },
  });
}

// ---------------------------------------------------------------- representations

function customerRepresentation(call: Call, customer: Customer): Record<string, unknown> {
  const wrongType = call.shop.misbehave.has('wrong-response-type');
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    ...(customer.age === undefined ? {} : { age: wrongType ? String(customer.age) : customer.age }),
    tier: customer.tier,
    ...(customer.zip === undefined ? {} : { zip: customer.zip }),
    ...(customer.birthday === undefined ? {} : { birthday: customer.birthday }),
    tags: customer.tags,
    active: customer.active,
    createdAt: customer.createdAt,
  };
}

function createdReply(call: Call, location: string, value: unknown): Reply {
  const misbehave = call.shop.misbehave;
  if (misbehave.has('no-location')) return jsonReply(201, value);
  const sent = misbehave.has('location-broken') ? location.replace(/^\/customers\//, '/customer/') : location;
  return jsonReply(201, value, { location: sent });
}

/** Applies a merge patch (RFC 7396) whose members were validated: null resets a member to its default. */
function mergeCustomer(customer: Customer, patch: Record<string, unknown>): Customer {
  const next: Customer = { ...customer };
  const record = next as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(patch)) {
    if (value !== null) record[name] = value;
    else if (name === 'tier') next.tier = 'basic';
    else if (name === 'tags') next.tags = [];
    else delete record[name];
  }
  return next;
}

function newCustomerFields(value: Record<string, unknown>): CustomerFields {
  const fields: CustomerFields = {
    name: value['name'] as string,
    email: value['email'] as string,
    tier: (value['tier'] as Tier | undefined) ?? 'basic',
    tags: (value['tags'] as string[] | undefined) ?? [],
    active: (value['active'] as boolean | undefined) ?? true,
  };
  if (value['age'] !== undefined) fields.age = value['age'] as number;
  if (value['zip'] !== undefined) fields.zip = value['zip'] as string;
  if (value['birthday'] !== undefined) fields.birthday = value['birthday'] as string;
  return fields;
}

function pathParameters(call: Call, rules: readonly ParameterRule[]): Reply | undefined {
  const { issues } = checkParameters('path', new URLSearchParams(call.params), rules, call.shop.lenient);
  return issues.length > 0 ? invalidParameters(call, issues) : undefined;
}

// ---------------------------------------------------------------- handlers

function getHealth(): Reply {
  return jsonReply(200, { status: 'ok' });
}

function listProducts(call: Call): Reply {
  int32QueryText(call, 'limit');
  const { value, issues } = checkParameters('query', call.req.query, queryRules(call, PRODUCT_QUERY), call.shop.lenient);
  if (issues.length > 0) return invalidParameters(call, issues);
  const matches = PRODUCTS.filter((product) => value['inStock'] === undefined || product.inStock === value['inStock']);
  const limit = (value['limit'] as number | undefined) ?? DEFAULT_LIMIT;
  return jsonReply(200, { items: matches.slice(0, Math.max(limit, 0)), total: matches.length });
}

function getProduct(call: Call): Reply {
  const invalid = pathParameters(call, [SKU]);
  if (invalid) return invalid;
  const product = PRODUCTS.find((candidate) => candidate.sku === call.params['sku']);
  return product ? jsonReply(200, product) : notFound(call, `product ${call.params['sku']}`);
}

function login(call: Call): Reply {
  const body = jsonBody(call);
  if ('reply' in body) return body.reply;
  const { value, issues } = checkObject(body.value, LOGIN, call.shop.lenient);
  if (issues.length > 0) return invalidBody(call, issues);
  const username = value['username'] as string;
  const user = Object.hasOwn(EXAMPLE_USERS, username) ? EXAMPLE_USERS[username] : undefined;
  if (!user || user.password !== value['password']) {
    return fail(call, {
      status: 401,
      type: 'invalid-credentials',
      title: 'Invalid credentials',
      detail: 'the username or the password is wrong',
      headers: challengeHeaders(call, 'Bearer realm="shop"'),
    });
  }
  const token = call.shop.tokens.issue(user.scopes, call.shop.now());
  return jsonReply(200, { access_token: token, token_type: 'Bearer', expires_in: call.shop.tokens.lifetimeSeconds }, { 'cache-control': 'no-store' });
}

function oauthError(call: Call, status: 400 | 401, error: string, detail: string): Reply {
  const headers = status === 401 ? challengeHeaders(call, 'Basic realm="shop"') : {};
  return fail(call, { status, type: `oauth-${error.replace(/_/g, '-')}`, title: 'Token request refused', detail, extensions: { error }, headers });
}

function issueToken(call: Call): Reply {
  const body = formBody(call);
  if ('reply' in body) return body.reply;
  const form = body.form;
  const repeated = [...new Set(form.keys())].find((key) => form.getAll(key).length > 1);
  if (repeated !== undefined) return oauthError(call, 400, 'invalid_request', `the parameter ${repeated} is given more than once`);
  const grantType = form.get('grant_type');
  if (grantType === null) return oauthError(call, 400, 'invalid_request', 'the parameter grant_type is missing');
  if (grantType !== 'client_credentials') return oauthError(call, 400, 'unsupported_grant_type', `grant_type "${grantType}" is not supported; use client_credentials`);
  const client = clientCredentials(call.req.headers.authorization, form);
  if (client.id !== EXAMPLE_CLIENT.id || client.secret !== EXAMPLE_CLIENT.secret) {
    return oauthError(call, 401, 'invalid_client', 'the client is unknown or its secret is wrong');
  }
  const scope = form.get('scope');
  if (scope !== null && !SCOPE_LIST.test(scope)) {
    return oauthError(call, 400, 'invalid_scope', `the scope "${scope}" is not a space-separated list of ${EXAMPLE_CLIENT.scopes.join(', ')}`);
  }
  const scopes = scope === null ? [...EXAMPLE_CLIENT.scopes] : [...new Set(scope.split(' ') as Scope[])];
  const token = call.shop.tokens.issue(scopes, call.shop.now());
  return jsonReply(
    200,
    { access_token: token, token_type: 'Bearer', expires_in: call.shop.tokens.lifetimeSeconds, scope: scopes.join(' ') },
    { 'cache-control': 'no-store' },
  );
}

function createCustomer(call: Call): Reply {
  const body = jsonBody(call);
  if ('reply' in body) return body.reply;
  if (call.shop.misbehave.has('500-on-missing-member')) {
    // the bug: the email is normalised before anything checked that it is there
    (body.value as { email: string }).email.trim();
  }
  storeAsInt32(call, 'age', (body.value as { age?: unknown } | null)?.age);
  const unicodeRejected = asciiOnlyName(call, body.value);
  if (unicodeRejected) return unicodeRejected;
  const { value, issues } = checkObject(coercedTier(call, body.value), customerShapesFor(call).create, call.shop.lenient);
  if (issues.length > 0) return invalidBody(call, issues);
  const future = futureBirthday(call, value);
  if (future) return future;
  const customer = call.shop.store.createCustomer(newCustomerFields(value));
  return createdReply(call, `/customers/${customer.id}`, customerRepresentation(call, customer));
}

function listCustomers(call: Call): Reply {
  int32QueryText(call, 'limit');
  const { value, issues } = checkParameters('query', call.req.query, queryRules(call, CUSTOMER_QUERY), call.shop.lenient);
  if (issues.length > 0) return invalidParameters(call, issues);
  const createdAfter = value['createdAfter'] as string | undefined;
  const parsedDate = createdAfter === undefined ? Number.NaN : Date.parse(`${createdAfter}T00:00:00Z`);
  const matches = call.shop.store.listCustomers({
    ...(value['tier'] === undefined ? {} : { tier: value['tier'] as Tier }),
    ...(value['tags'] === undefined ? {} : { tags: value['tags'] as string[] }),
    ...(value['active'] === undefined ? {} : { active: value['active'] as boolean }),
    ...(Number.isNaN(parsedDate) ? {} : { createdFrom: parsedDate }),
  });
  const limit = (value['limit'] as number | undefined) ?? DEFAULT_LIMIT;
  const status = call.shop.misbehave.has('undocumented-status') ? 206 : 200;
  return jsonReply(status, { items: matches.slice(0, Math.max(limit, 0)).map((customer) => customerRepresentation(call, customer)), total: matches.length });
}

function lookUpCustomer(call: Call): Customer | undefined {
  const id = canonicalUuid(call.params['customerId'] ?? '');
  const misbehave = call.shop.misbehave;
  if (misbehave.has('created-not-readable')) return call.shop.store.findCustomer(id.toUpperCase());
  if (misbehave.has('deleted-still-readable')) return call.shop.store.findCustomerIncludingDeleted(id);
  return call.shop.store.findCustomer(id);
}

function getCustomer(call: Call): Reply {
  const invalid = pathParameters(call, [CUSTOMER_ID]);
  if (invalid) return invalid;
  const customer = lookUpCustomer(call);
  if (!customer) return notFound(call, `customer ${call.params['customerId']}`);
  const representation = customerRepresentation(call, customer);
  if (call.shop.misbehave.has('missing-required-response-member')) delete representation['email'];
  return jsonReply(200, representation);
}

function updateCustomer(call: Call): Reply {
  const invalid = pathParameters(call, [CUSTOMER_ID]);
  if (invalid) return invalid;
  const body = jsonBody(call);
  if ('reply' in body) return body.reply;
  storeAsInt32(call, 'age', (body.value as { age?: unknown } | null)?.age);
  const unicodeRejected = asciiOnlyName(call, body.value);
  if (unicodeRejected) return unicodeRejected;
  const refused = nullRefused(call, body.value, CUSTOMER_NULLABLE);
  if (refused) return refused;
  const { value, issues } = checkObject(coercedTier(call, body.value), customerShapesFor(call).patch, call.shop.lenient);
  if (issues.length > 0) return invalidBody(call, issues);
  const future = futureBirthday(call, value);
  if (future) return future;
  const customer = call.shop.store.findCustomer(canonicalUuid(call.params['customerId'] ?? ''));
  if (!customer) return notFound(call, `customer ${call.params['customerId']}`);
  const updated = mergeCustomer(customer, value);
  if (!call.shop.misbehave.has('patch-not-persisted')) call.shop.store.saveCustomer(updated);
  return jsonReply(200, customerRepresentation(call, updated));
}

function deleteCustomer(call: Call): Reply {
  const invalid = pathParameters(call, [CUSTOMER_ID]);
  if (invalid) return invalid;
  const id = canonicalUuid(call.params['customerId'] ?? '');
  if (!call.shop.store.deleteCustomer(id)) return notFound(call, `customer ${call.params['customerId']}`);
  return call.shop.misbehave.has('body-on-204') ? jsonReply(204, { deleted: true, id }) : emptyReply(204);
}

function noteRepresentation(note: Note): Note {
  return { id: note.id, customerId: note.customerId, text: note.text, pinned: note.pinned, createdAt: note.createdAt };
}

function noteFormIssues(form: URLSearchParams): Issue[] {
  const issues: Issue[] = [];
  for (const name of ['text', 'pinned']) {
    if (form.getAll(name).length > 1) issues.push({ location: 'body', pointer: `/${name}`, message: 'must be given once' });
  }
  const text = form.get('text');
  const length = text === null ? 0 : [...text].length;
  if (text === null) issues.push({ location: 'body', pointer: '', message: 'must have the member "text"' });
  else if (length < 1 || length > 500) issues.push({ location: 'body', pointer: '/text', message: 'must have between 1 and 500 characters' });
  const pinned = form.get('pinned');
  if (pinned !== null && pinned !== 'true' && pinned !== 'false') issues.push({ location: 'body', pointer: '/pinned', message: 'must be true or false' });
  return issues;
}

function createNote(call: Call): Reply {
  const invalid = pathParameters(call, [CUSTOMER_ID]);
  if (invalid) return invalid;
  const body = formBody(call);
  if ('reply' in body) return body.reply;
  const issues = noteFormIssues(body.form);
  if (issues.length > 0) return invalidBody(call, issues);
  const customerId = canonicalUuid(call.params['customerId'] ?? '');
  if (!call.shop.store.findCustomer(customerId)) return notFound(call, `customer ${call.params['customerId']}`);
  const note = call.shop.store.createNote(customerId, body.form.get('text') ?? '', body.form.get('pinned') === 'true');
  return createdReply(call, `/customers/${customerId}/notes/${note.id}`, noteRepresentation(note));
}

function getNote(call: Call): Reply {
  const invalid = pathParameters(call, [CUSTOMER_ID, NOTE_ID]);
  if (invalid) return invalid;
  const note = call.shop.store.findNote(canonicalUuid(call.params['customerId'] ?? ''), canonicalUuid(call.params['noteId'] ?? ''));
  return note ? jsonReply(200, noteRepresentation(note)) : notFound(call, `note ${call.params['noteId']}`);
}

function orderRepresentation(order: Order): Record<string, unknown> {
  return {
    id: order.id,
    customerId: order.customerId,
    items: order.items.map((item) => ({ sku: item.sku, quantity: item.quantity })),
    status: order.status,
    ...(order.deliverAfter === undefined ? {} : { deliverAfter: order.deliverAfter }),
    totalCents: order.totalCents,
    createdAt: order.createdAt,
  };
}

function createOrder(call: Call): Reply {
  const body = jsonBody(call);
  if ('reply' in body) return body.reply;
  const { value, issues } = checkObject(body.value, NEW_ORDER, call.shop.lenient);
  if (issues.length > 0) return invalidBody(call, issues);
  // References are checked once the body is valid: the customer and every product must exist.
  const customerId = canonicalUuid(value['customerId'] as string);
  const items = (value['items'] as Array<Record<string, unknown>>).map((item): OrderItem => ({ sku: item['sku'] as string, quantity: item['quantity'] as number }));
  const unknown: Issue[] = [];
  if (!call.shop.store.findCustomer(customerId)) unknown.push({ location: 'body', pointer: '/customerId', message: 'names no customer: create the customer first (POST /customers)' });
  items.forEach((item, index) => {
    if (!PRODUCTS.some((product) => product.sku === item.sku)) unknown.push({ location: 'body', pointer: `/items/${index}/sku`, message: 'names no product of the catalog (GET /products)' });
  });
  if (unknown.length > 0) return unknownReference(call, unknown);
  const totalCents = items.reduce((sum, item) => sum + (PRODUCTS.find((product) => product.sku === item.sku)?.priceCents ?? 0) * item.quantity, 0);
  const deliverAfter = value['deliverAfter'] as string | undefined;
  const order = call.shop.store.createOrder({ customerId, items, totalCents, ...(deliverAfter === undefined ? {} : { deliverAfter }) });
  return createdReply(call, `/orders/${order.id}`, orderRepresentation(order));
}

function listOrders(call: Call): Reply {
  int32QueryText(call, 'limit');
  const { value, issues } = checkParameters('query', call.req.query, queryRules(call, ORDER_QUERY), call.shop.lenient);
  if (issues.length > 0) return invalidParameters(call, issues);
  const customerId = value['customerId'] === undefined ? undefined : canonicalUuid(value['customerId'] as string);
  if (customerId !== undefined && !call.shop.store.findCustomer(customerId)) {
    const errors: Issue[] = [{ location: 'query', name: 'customerId', message: 'names no record: no customer has this id' }];
    return fail(call, { status: 400, type: 'unknown-reference', title: 'A parameter names no record', detail: `query parameter customerId ${call.req.query.get('customerId') ?? ''} names no record: no customer has this id`, errors });
  }
  const matches = call.shop.store.listOrders({
    ...(customerId === undefined ? {} : { customerId }),
    ...(value['status'] === undefined ? {} : { status: value['status'] as OrderStatus }),
  });
  const limit = (value['limit'] as number | undefined) ?? DEFAULT_LIMIT;
  return jsonReply(200, { items: matches.slice(0, Math.max(limit, 0)).map(orderRepresentation), total: matches.length });
}

function getOrder(call: Call): Reply {
  const invalid = pathParameters(call, [ORDER_ID]);
  if (invalid) return invalid;
  const order = call.shop.store.findOrder(canonicalUuid(call.params['orderId'] ?? ''));
  return order ? jsonReply(200, orderRepresentation(order)) : notFound(call, `order ${call.params['orderId']}`);
}

function updateOrder(call: Call): Reply {
  const invalid = pathParameters(call, [ORDER_ID]);
  if (invalid) return invalid;
  const body = jsonBody(call);
  if ('reply' in body) return body.reply;
  const refused = nullRefused(call, body.value, ['deliverAfter']);
  if (refused) return refused;
  const { value, issues } = checkObject(body.value, ORDER_PATCH, call.shop.lenient);
  if (issues.length > 0) return invalidBody(call, issues);
  const order = call.shop.store.findOrder(canonicalUuid(call.params['orderId'] ?? ''));
  if (!order) return notFound(call, `order ${call.params['orderId']}`);
  const next = value['status'] as OrderStatus | undefined;
  if (next !== undefined && next !== order.status && !ORDER_TRANSITIONS[order.status].includes(next)) {
    const allowed = ORDER_TRANSITIONS[order.status];
    const message = `cannot go from ${order.status} to ${next} (from ${order.status}: ${allowed.length === 0 ? 'no change is allowed' : allowed.join(' or ')})`;
    return fail(call, {
      status: 409,
      type: 'invalid-transition',
      title: 'The order cannot change to this status',
      detail: `order ${order.id} is ${order.status}: its status ${message}`,
      errors: [{ location: 'body', pointer: '/status', message }],
    });
  }
  const updated: Order = { ...order, items: [...order.items], ...(next === undefined ? {} : { status: next }) };
  if (value['deliverAfter'] === null) delete updated.deliverAfter;
  else if (value['deliverAfter'] !== undefined) updated.deliverAfter = value['deliverAfter'] as string;
  call.shop.store.saveOrder(updated);
  return jsonReply(200, orderRepresentation(updated));
}

// ---------------------------------------------------------------- routing

const READ: Scope = 'customers:read';
const WRITE: Scope = 'customers:write';

export const ROUTES: readonly Route[] = [
  { template: '/health', methods: { GET: { id: 'getHealth', handle: getHealth } } },
  { template: '/products', methods: { GET: { id: 'listProducts', handle: listProducts } } },
  { template: '/products/{sku}', methods: { GET: { id: 'getProduct', handle: getProduct } } },
  { template: '/auth/login', methods: { POST: { id: 'login', accepts: [JSON_TYPE], handle: login } } },
  { template: '/oauth/token', methods: { POST: { id: 'issueToken', accepts: [FORM_TYPE], handle: issueToken } } },
  {
    template: '/customers',
    methods: {
      GET: { id: 'listCustomers', scope: READ, handle: listCustomers },
      POST: { id: 'createCustomer', scope: WRITE, accepts: [JSON_TYPE], handle: createCustomer },
    },
  },
  {
    template: '/customers/{customerId}',
    methods: {
      GET: { id: 'getCustomer', scope: READ, handle: getCustomer },
      PATCH: { id: 'updateCustomer', scope: WRITE, accepts: [MERGE_PATCH_TYPE, JSON_TYPE], handle: updateCustomer },
      DELETE: { id: 'deleteCustomer', scope: WRITE, handle: deleteCustomer },
    },
  },
  { template: '/customers/{customerId}/notes', methods: { POST: { id: 'createNote', scope: WRITE, accepts: [FORM_TYPE], handle: createNote } } },
  { template: '/customers/{customerId}/notes/{noteId}', methods: { GET: { id: 'getNote', scope: READ, handle: getNote } } },
  {
    template: '/orders',
    methods: {
      GET: { id: 'listOrders', scope: READ, handle: listOrders },
      POST: { id: 'createOrder', scope: WRITE, accepts: [JSON_TYPE], handle: createOrder },
    },
  },
  {
    template: '/orders/{orderId}',
    methods: {
      GET: { id: 'getOrder', scope: READ, handle: getOrder },
      PATCH: { id: 'updateOrder', scope: WRITE, accepts: [MERGE_PATCH_TYPE, JSON_TYPE], handle: updateOrder },
    },
  },
];

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The route whose template matches the path, with its path parameters decoded. */
export function matchRoute(path: string): { route: Route; params: Record<string, string> } | undefined {
  const segments = path.split('/');
  for (const route of ROUTES) {
    const parts = route.template.split('/');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = parts.every((part, index) => {
      const segment = segments[index] ?? '';
      if (!part.startsWith('{')) return part === segment;
      params[part.slice(1, -1)] = decodeSegment(segment);
      return segment !== '';
    });
    if (matches) return { route, params };
  }
  return undefined;
}

/** The documented methods of a route, plus HEAD wherever GET exists. */
export function allowedMethods(route: Route): string[] {
  const others = Object.keys(route.methods).filter((method) => method !== 'GET');
  return route.methods.GET ? ['GET', 'HEAD', ...others] : others;
}

function unauthenticated(call: Call, kind: 'missing' | 'malformed' | 'unknown' | 'expired'): Reply {
  const misbehave = call.shop.misbehave;
  if (kind === 'missing' && misbehave.has('403-for-missing-token')) {
    return fail(call, { status: 403, type: 'forbidden', title: 'Forbidden', detail: 'access denied' });
  }
  const challenge = {
    missing: 'Bearer realm="shop"',
    malformed: 'Bearer realm="shop", error="invalid_request", error_description="the Authorization header is not a bearer token"',
    unknown: 'Bearer realm="shop", error="invalid_token", error_description="the token is unknown"',
    expired: 'Bearer realm="shop", error="invalid_token", error_description="the token has expired"',
  }[kind];
  const detail = {
    missing: 'this operation needs a bearer token in the Authorization header',
    malformed: 'the Authorization header is not of the form "Bearer <token>"',
    unknown: 'the bearer token is unknown',
    expired: 'the bearer token has expired',
  }[kind];
  return fail(call, { status: 401, type: 'unauthorized', title: 'Authentication required', detail, headers: challengeHeaders(call, challenge) });
}

function authorizationFailure(call: Call, operation: OperationDef, method: RouteMethod): Reply | undefined {
  const misbehave = call.shop.misbehave;
  const demandsToken = operation.scope !== undefined || (misbehave.has('public-requires-auth') && method === 'GET');
  if (!demandsToken) return undefined;
  const auth = call.shop.tokens.authenticate(call.req.headers.authorization, call.shop.now(), misbehave.has('any-token-accepted'));
  if (auth.kind !== 'valid') return unauthenticated(call, auth.kind);
  if (operation.scope === undefined || auth.scopes.includes(operation.scope) || misbehave.has('scopes-ignored')) return undefined;
  return fail(call, {
    status: 403,
    type: 'insufficient-scope',
    title: 'Insufficient scope',
    detail: `this operation needs the scope ${operation.scope}`,
    headers: { 'www-authenticate': `Bearer realm="shop", error="insufficient_scope", scope="${operation.scope}"` },
  });
}

function unknownPath(req: ApiRequest, shop: Shop): Reply {
  if (shop.misbehave.has('html-404')) {
    return { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' }, body: htmlPage(404, 'Not Found', `Cannot ${req.method} ${req.path}`) };
  }
  const detail = `no resource at ${req.path}`;
  return problemReply({ status: 404, type: 'not-found', title: 'Not found', detail }, problemInstance(req.path), shop.misbehave);
}

/** Answers one request: route, method, authentication, media type, then the operation's handler. */
export function answer(req: ApiRequest, shop: Shop): Reply {
  const match = matchRoute(req.path);
  if (!match) return unknownPath(req, shop);
  const method = (req.method === 'HEAD' ? 'GET' : req.method) as RouteMethod;
  const operation = Object.hasOwn(match.route.methods, method) ? match.route.methods[method] : undefined;
  const call: Call = { req, params: match.params, shop };
  if (!operation) {
    const allow = allowedMethods(match.route).join(', ');
    return fail(call, {
      status: 405,
      type: 'method-not-allowed',
      title: 'Method not allowed',
      detail: `${req.method} is not allowed on ${match.route.template}; allowed: ${allow}`,
      headers: shop.misbehave.has('405-without-allow') ? {} : { allow },
    });
  }
  const refused = authorizationFailure(call, operation, method);
  if (refused) return refused;
  if (operation.accepts) {
    const unsupported = unsupportedMediaType(call, operation.accepts);
    if (unsupported) return unsupported;
  }
  return operation.handle(call);
}
