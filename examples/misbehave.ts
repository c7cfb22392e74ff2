// The known bugs the example server can be switched into, each described by what it does and which
// category of check (design.md) should report it.
import { InputError } from '../src/errors.js';
import type { CheckCategory } from '../src/model.js';

export interface Misbehaviour {
  description: string;
  caughtBy: CheckCategory;
}

export const MISBEHAVIOURS = {
  '500-on-missing-member': { description: 'POST /customers without email crashes: 500 with a plain-text stack trace', caughtBy: 'server-error' },
  'html-error-page': { description: 'validation errors (400/422) come back as a text/html page instead of problem details', caughtBy: 'error-format' },
  'problem-status-mismatch': { description: 'the problem `status` member differs from the HTTP status', caughtBy: 'problem-details' },
  'problem-status-string': { description: 'the problem `status` member is a string ("400")', caughtBy: 'problem-details' },
  'error-as-json': { description: 'problems are labelled application/json instead of application/problem+json', caughtBy: 'content-type' },
  'google-envelope': { description: 'errors use the {error:{code,message,errors}} envelope where problem details are documented', caughtBy: 'error-format' },
  'google-code-mismatch': { description: 'errors use the {error:{code,message,errors}} envelope, and error.code differs from the HTTP status', caughtBy: 'error-format' },
  'accept-out-of-range': { description: 'out-of-range numbers (age, limit) are accepted with 2xx', caughtBy: 'negative-accepted' },
  'accept-bad-format': { description: 'bad email/date/uuid values and pattern mismatches (zip, sku, tags) are accepted', caughtBy: 'negative-accepted' },
  'accept-unknown-member': { description: 'additionalProperties: false is ignored: unknown body members are dropped and the request succeeds', caughtBy: 'negative-accepted' },
  'missing-required-response-member': { description: 'GET /customers/{customerId} omits the required member email', caughtBy: 'response-schema' },
  'wrong-response-type': { description: 'customer representations carry age as a string ("36")', caughtBy: 'response-schema' },
  'wrong-content-type': { description: '200 JSON bodies are labelled text/plain', caughtBy: 'content-type' },
  'undocumented-status': { description: 'GET /customers answers 206, a status its contract does not document', caughtBy: 'status' },
  'no-location': { description: '201 responses come without their documented Location header', caughtBy: 'headers' },
  'body-on-204': { description: 'DELETE /customers/{customerId} answers 204 with Content-Length and a JSON body', caughtBy: 'status' },
  'int32-overflow-500': { description: 'an integer above 2147483647 (age, limit) gives 500', caughtBy: 'server-error' },
  'reject-valid-unicode': { description: 'a customer name with non-ASCII characters gets 400', caughtBy: 'positive-rejected' },
  '403-for-missing-token': { description: 'a request without a token gets 403 instead of 401', caughtBy: 'auth' },
  'no-www-authenticate': { description: '401 responses come without WWW-Authenticate', caughtBy: 'auth' },
  '405-without-allow': { description: '405 responses come without Allow', caughtBy: 'method' },
  'html-404': { description: 'an unknown path gets an HTML 404 page', caughtBy: 'error-format' },
  'any-token-accepted': { description: 'any well-formed bearer token is accepted, with every scope', caughtBy: 'auth' },
  'scopes-ignored': { description: 'scopes are not checked: the read-only token can write', caughtBy: 'auth' },
  'public-requires-auth': { description: 'public operations (security: []) demand a token: 401 without one', caughtBy: 'auth' },
  'deleted-still-readable': { description: 'GET /customers/{customerId} still answers 200 after the customer was deleted', caughtBy: 'stateful' },
  'created-not-readable': { description: 'GET /customers/{customerId} of a just-created customer answers 404', caughtBy: 'stateful' },
  'patch-not-persisted': { description: 'PATCH /customers/{customerId} answers 200 with the change but does not save it', caughtBy: 'stateful' },
  'location-broken': { description: 'the Location of a 201 points to a path that does not exist (/customer/… instead of /customers/…)', caughtBy: 'stateful' },
  'wrong-json-500': { description: 'a malformed JSON body gives 500 instead of 400', caughtBy: 'server-error' },
  'ignore-content-type': { description: 'a body sent in an undocumented media type is parsed anyway (no 415)', caughtBy: 'negative-accepted' },
  // Bugs that show only on a request the server otherwise accepts (business rules satisfied).
  'coerce-unknown-enum': { description: 'an unknown tier (POST /customers, PATCH /customers/{customerId}) is silently stored as basic and answered 2xx', caughtBy: 'negative-accepted' },
  'ignore-pattern': { description: 'the pattern of zip (^[0-9]{5}$) is not checked: any zip string is stored (POST /customers, PATCH /customers/{customerId})', caughtBy: 'negative-accepted' },
  'accept-bad-date-time': { description: 'deliverAfter of an order (POST /orders, PATCH /orders/{orderId}) is stored as sent, without checking it is a date-time', caughtBy: 'negative-accepted' },
  'accept-empty-items': { description: 'POST /orders accepts an order whose items are empty (minItems: 1 ignored)', caughtBy: 'negative-accepted' },
  'refuse-maximum': { description: 'limit=100, the documented maximum, gets 400 (GET /products, /customers, /orders)', caughtBy: 'positive-rejected' },
  'refuse-null': { description: 'null for a nullable member is refused with 400 (PATCH /customers/{customerId}: age, tier, zip, birthday, tags; PATCH /orders/{orderId}: deliverAfter)', caughtBy: 'positive-rejected' },
} as const satisfies Record<string, Misbehaviour>;

export type MisbehaveName = keyof typeof MISBEHAVIOURS;

export const MISBEHAVE_NAMES = Object.keys(MISBEHAVIOURS) as MisbehaveName[];

export function isMisbehaveName(name: string): name is MisbehaveName {
  return Object.hasOwn(MISBEHAVIOURS, name);
}

/** Names from --misbehave (comma-separated, possibly repeated) or from startExampleServer's option. */
export function parseMisbehave(names: readonly string[]): ReadonlySet<MisbehaveName> {
  const chosen = new Set<MisbehaveName>();
  for (const name of names.flatMap((item) => item.split(',')).map((item) => item.trim()).filter((item) => item !== '')) {
    if (!isMisbehaveName(name)) {
      throw new InputError(`--misbehave: unknown switch "${name}" (known: ${MISBEHAVE_NAMES.join(', ')})`);
    }
    chosen.add(name);
  }
  return chosen;
}
