// The data model shared by every stage (design.md). Stages depend on this file, never on each other's internals.

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export type SpecVersion = '2.0' | '3.0' | '3.1';

/** A JSON Schema object after conversion to the 2020-12 dialect (see SchemaBundle). */
export type JsonSchema = { [key: string]: unknown } | boolean;

/**
 * Where something lives in the original documents: the file (absolute path or URL) and the JSON pointer
 * inside it, e.g. { file: '/x/openapi.yaml', pointer: '/paths/~1pets/get' }.
 */
export interface SourceLocation {
  file: string;
  pointer: string;
}

/**
 * Every schema reachable from the operations, converted to JSON Schema 2020-12 and gathered under one
 * document so that a single Ajv2020 instance validates all versions (2.0, 3.0, 3.1) and cycles stay $refs.
 *
 * - `root` is `{ $id: BUNDLE_ID, $defs: { [defKey]: schema } }`; every `$ref` inside has been rewritten to
 *   `#/$defs/<defKey>`, so a ref never leaves the bundle.
 * - `origin` maps every converted schema object (any depth) to its place in the original document, so that
 *   an Ajv error's `parentSchema` (verbose mode) leads back to the spec pointer of the broken keyword.
 */
export const BUNDLE_ID = 'urn:api-contract-check:bundle';

export interface SchemaBundle {
  root: { $id: string; $defs: Record<string, JsonSchema> };
  origin: WeakMap<object, SourceLocation>;
  /** Formats used by the document that ajv-formats does not know: accepted, and noted. */
  unknownFormats: string[];
}

/** A schema as the operation model holds it: the def key in the bundle, and the converted schema itself. */
export interface SchemaHandle {
  /** key into bundle.root.$defs */
  def: string;
  /** the converted schema (same object as bundle.root.$defs[def]) */
  schema: JsonSchema;
  location: SourceLocation;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';
export type ParameterStyle =
  | 'simple'
  | 'label'
  | 'matrix'
  | 'form'
  | 'spaceDelimited'
  | 'pipeDelimited'
  | 'deepObject';

export interface Example {
  value: unknown;
  /** where the example lives, for messages */
  location: SourceLocation;
}

export interface Parameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  style: ParameterStyle;
  explode: boolean;
  allowReserved: boolean;
  allowEmptyValue: boolean;
  deprecated: boolean;
  /** absent when the parameter uses `content` with a media type we cannot describe */
  schema?: SchemaHandle;
  /** set when the parameter is described by `content` (e.g. application/json inside a query value) */
  contentType?: string;
  examples: Example[];
  location: SourceLocation;
  /** the parameter's own description (rules stated in prose live here as often as in its schema) */
  description?: string;
}

export interface MediaType {
  /** e.g. 'application/json', 'multipart/form-data', '*\/*' */
  mediaType: string;
  schema?: SchemaHandle;
  examples: Example[];
  /** multipart/form-urlencoded per-property encoding (contentType, style, explode, headers) */
  encoding: Record<string, { contentType?: string; style?: ParameterStyle; explode?: boolean; allowReserved?: boolean }>;
  location: SourceLocation;
}

export interface RequestBody {
  required: boolean;
  content: MediaType[];
  location: SourceLocation;
}

export interface ResponseHeader {
  name: string;
  required: boolean;
  schema?: SchemaHandle;
  location: SourceLocation;
}

export interface Response {
  /** '200', '4XX', 'default' exactly as documented (ranges upper-cased) */
  status: string;
  description: string;
  content: MediaType[];
  headers: ResponseHeader[];
  /** OpenAPI 3 `links`, resolved objects as written (runtime expressions kept as strings) */
  links: Record<string, unknown>;
  location: SourceLocation;
}

/** One alternative of a security requirement: every scheme named must be satisfied together. */
export type SecurityRequirement = Array<{ scheme: string; scopes: string[] }>;

export type SecurityScheme =
  | { type: 'http'; scheme: 'bearer' | 'basic' | string; bearerFormat?: string; location: SourceLocation }
  | { type: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string; location: SourceLocation }
  | { type: 'oauth2'; flows: Record<string, { authorizationUrl?: string; tokenUrl?: string; refreshUrl?: string; scopes: Record<string, string> }>; location: SourceLocation }
  | { type: 'openIdConnect'; openIdConnectUrl: string; location: SourceLocation }
  | { type: 'mutualTLS' | string; location: SourceLocation };

export interface Server {
  /** with variables substituted by their defaults */
  url: string;
  description?: string;
}

export interface Operation {
  /** operationId, or a generated `METHOD /path` when the document has none */
  id: string;
  /** true when the document gave operationId */
  hasOperationId: boolean;
  method: HttpMethod;
  /** the path template as documented, e.g. '/pets/{petId}' */
  path: string;
  summary?: string;
  tags: string[];
  deprecated: boolean;
  /** path-level and operation-level merged (operation wins on name+in) */
  parameters: Parameter[];
  requestBody?: RequestBody;
  responses: Response[];
  /**
   * Alternatives (OR) of requirements (AND). `[]` means no security (public);
   * `[[]]` also means public (an empty requirement object is satisfied by nothing).
   */
  security: SecurityRequirement[];
  servers: Server[];
  location: SourceLocation;
}

export interface SpecWarning {
  message: string;
  location?: SourceLocation;
}

export interface ApiSpec {
  version: SpecVersion;
  /** the exact version string, e.g. '3.0.3' */
  versionString: string;
  /** the file path or URL it was read from */
  source: string;
  title: string;
  apiVersion: string;
  servers: Server[];
  operations: Operation[];
  securitySchemes: Record<string, SecurityScheme>;
  /** global security requirement (already applied to operations without their own) */
  security: SecurityRequirement[];
  schemas: SchemaBundle;
  warnings: SpecWarning[];
  /** line/column (1-based) of a location in its file; computed lazily */
  locate(location: SourceLocation): { file: string; line: number; column: number } | undefined;
}

// ---------------------------------------------------------------- cases and exchanges

export type CaseKind = 'positive' | 'negative' | 'auth' | 'method' | 'stateful';

/** A request ready to send: method, path with parameters serialized, headers, body bytes. */
export interface HttpRequest {
  method: string; // upper-case
  /** path plus query string, already serialized and percent-encoded, relative to the base URL */
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

/** Why a negative case is invalid: exactly one broken constraint. */
export interface Why {
  /** 'query.limit', 'body/items/0/quantity', 'header.X-Request-Id', 'body' */
  where: string;
  /** the JSON Schema keyword or rule broken: 'maximum', 'required', 'type', 'content-type', 'syntax' … */
  keyword: string;
  /** spec pointer of the keyword */
  rule?: SourceLocation;
  /** the value sent, as the server sees it */
  value?: unknown;
  description: string;
}

export interface Expectation {
  /** statuses the contract allows for this request, as documented keys: '200', '2XX', 'default' … */
  documented: string[];
  /** what class of answer is expected */
  outcome: 'success' | 'client-error' | 'any';
}

export interface Case {
  id: string;
  operation: Operation;
  kind: CaseKind;
  request: HttpRequest;
  /** the values before serialization, for reports and for stateful chains */
  values?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown>; cookie?: Record<string, unknown>; body?: unknown; mediaType?: string };
  expect: Expectation;
  why?: Why;
  /** how the value was obtained: 'example', 'boundary', 'random' */
  source?: string;
  /** set on the steps of a stateful chain: which step, and what the chain saw before it */
  chain?: ChainStep;
  /** reference-like places (ids, names of records) whose value the tool made up: the pool had none */
  madeUp?: string[];
  /** how a positive case relates to a request the server accepted (the adaptive loop of core) */
  derivation?: Derivation;
}

/** A positive case's place in the adaptive loop: found a baseline, or changed one thing of it. */
export interface Derivation {
  /** 'baseline-try': a candidate sent to find a request the server accepts; 'variation': the accepted one, one change */
  phase: 'baseline-try' | 'variation';
  /** for a baseline try: the places whose description states a rule the schema does not carry */
  prose?: Array<{ where: string; text: string }>;
  /** for a variation: the accepted request it differs from */
  baseline?: Case;
  /** for a variation: the one place changed ('body/phone', 'query.limit'); `removed` when it was left out */
  change?: {
    where: string;
    value?: unknown;
    removed?: boolean;
    /** where the schema that allows the change lives */
    rule?: SourceLocation;
    /** 'nullable', 'not required': why the change is valid, when one keyword says it */
    allowedBy?: string;
    /** the place's description, when it states a rule in prose ('must be before endsAt') */
    prose?: string;
    /** the new value names a record (an id, a key) and the tool made it up: a refusal proves nothing */
    madeUpReference?: boolean;
  };
}

export interface ChainStep {
  /** the chain's id, e.g. 'createCustomer→getCustomer' */
  chain: string;
  /** what this step is for, e.g. 'create', 'read-after-create', 'read-after-update', 'read-after-delete' */
  step: string;
  /** the chain's earlier exchanges, oldest first */
  previous: Exchange[];
}

/**
 * A sequence of requests whose later steps depend on earlier answers (ids, Location). The runner sends each
 * step through `exec`, which also runs every check on it; the chain decides the next step from the answer.
 */
export interface Chain {
  id: string;
  /** the operation the chain starts with (its coverage entry) */
  operation: Operation;
  description: string;
  run(exec: ChainExec, signal?: AbortSignal): Promise<void>;
}

/**
 * How a chain sends: `exec(c)` sends and checks; `exec(c, { probe: true })` only sends (a try of an inferred id
 * that may not lead to the record), and `judge` checks such an answer afterwards once it turned out to count.
 */
export interface ChainExec {
  (c: Case, how?: { probe?: boolean }): Promise<Exchange>;
  judge?: (exchange: Exchange) => void;
}

export type TransportErrorKind = 'timeout' | 'reset' | 'refused' | 'invalid-http' | 'body-too-large' | 'other';

export interface HttpResponse {
  status: number;
  /** header names lower-cased; repeated headers joined with ', ' except set-cookie (kept as array) */
  headers: Record<string, string | string[]>;
  /** raw body bytes, capped at the configured size */
  body: Uint8Array;
  /** true when the body was cut at the cap */
  truncated: boolean;
  /** set when the body was decoded from this Content-Encoding (gzip, deflate, br), with any decoding error */
  contentEncoding?: string;
}

export interface Exchange {
  case: Case;
  /** the full URL sent */
  url: string;
  /** the request exactly as sent: case.request plus the --header extras (set by send/) */
  request?: HttpRequest;
  response?: HttpResponse;
  /** parsed JSON body when the body is JSON; undefined otherwise */
  json?: { ok: true; value: unknown } | { ok: false; error: string };
  transportError?: { kind: TransportErrorKind; message: string };
  timings: { start: number; durationMs: number };
  /** set when this is the one retry after a 429 with Retry-After: the header, the wait, whether it was cut to the cap */
  retriedAfter?: { retryAfter: string; waitedMs: number; capped: boolean };
}

// ---------------------------------------------------------------- findings

export type Severity = 'error' | 'warning' | 'advisory';

/** 0 is the worst: errors first. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, advisory: 2 };

export function worseSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b;
}

export type CheckCategory =
  | 'server-error'
  | 'status'
  | 'negative-accepted'
  | 'positive-rejected'
  | 'content-type'
  | 'response-schema'
  | 'headers'
  | 'problem-details'
  | 'error-format'
  | 'auth'
  | 'method'
  | 'stateful'
  | 'transport';

export interface Finding {
  check: string;
  category: CheckCategory;
  severity: Severity;
  operation: string;
  message: string;
  expected?: string;
  actual?: string;
  /** where the broken rule lives in the spec */
  specPointer?: SourceLocation;
  /** what of the answer the finding is about (reports show those headers; folding compares members) */
  about?: FindingSubject;
  /** findings of other checks on the same exchange that have the same cause (check/fold.ts) */
  folded?: FoldedFinding[];
  /** filled by the report stage from the ApiSpec when possible */
  specLine?: number;
  exchange: Exchange;
  /** filled by the report stage */
  curl?: string;
}

// ---------------------------------------------------------------- validation (implemented in schema/)

/** One reason a value breaks a schema, as the validator reports it. */
export interface ValidationIssue {
  /** JSON pointer into the value, '' for the root: '/items/0/quantity' */
  instancePath: string;
  /** the JSON Schema keyword that failed: 'maximum', 'required', 'type', 'format' … */
  keyword: string;
  message: string;
  params: Record<string, unknown>;
  /** where the keyword lives in the original document */
  rule?: SourceLocation;
}

/**
 * 'request': readOnly members are not expected (and not required); 'response': writeOnly likewise.
 */
export type Direction = 'request' | 'response';

export interface Validator {
  validate(schema: SchemaHandle, value: unknown, direction: Direction): ValidationIssue[];
}

// ---------------------------------------------------------------- checks (implemented in check/)

/** What a check returns: structured fields, rendered later by report/. */
export interface FindingDraft {
  message: string;
  severity?: Severity;
  expected?: string;
  actual?: string;
  specPointer?: SourceLocation;
  about?: FindingSubject;
}

/** The parts of an answer a finding is about: header names (lower-case), top-level body members. */
export interface FindingSubject {
  headers?: string[];
  members?: string[];
}

/** A finding kept inside the one that names its cause ("also: status not documented"). */
export interface FoldedFinding {
  check: string;
  category: CheckCategory;
  severity: Severity;
  message: string;
  expected?: string;
  actual?: string;
  specPointer?: SourceLocation;
}

export interface CheckContext {
  spec: ApiSpec;
  validator: Validator;
  /** error-contract options (--error-format, --error-status-pointer); absent: 'documented', status member detected */
  options?: { errorFormat?: 'problem' | 'documented' | 'none'; errorStatusPointer?: string };
}

export interface Check {
  id: string;
  category: CheckCategory;
  description: string;
  defaultSeverity: Severity;
  appliesTo(exchange: Exchange): boolean;
  run(exchange: Exchange, ctx: CheckContext): FindingDraft[];
}

// ---------------------------------------------------------------- report (built by core, rendered by report/)

export interface OperationCoverage {
  operation: string;
  method: HttpMethod;
  path: string;
  /** cases sent, by kind */
  cases: Partial<Record<CaseKind, number>>;
  findings: number;
  /** why some or all of the operation was not exercised (no valid value could be proven, …) */
  notCovered: string[];
}

export interface CheckCoverage {
  id: string;
  category: CheckCategory;
  /** exchanges the check applied to */
  ran: number;
  /** findings it raised */
  failed: number;
}

export interface Report {
  tool: { name: string; version: string };
  spec: { source: string; title: string; version: string };
  baseUrl: string;
  seed: number;
  shard?: { index: number; count: number };
  startedAt: string;
  durationMs: number;
  /** true when the run was interrupted and the report holds only what finished */
  incomplete: boolean;
  summary: {
    operations: number;
    cases: number;
    findings: number;
    bySeverity: Partial<Record<Severity, number>>;
    byCheck: Record<string, number>;
    /** candidate values and mutations dropped because they could not be proven (valid, or invalid) */
    dropped: number;
  };
  operations: OperationCoverage[];
  checks: CheckCoverage[];
  findings: Finding[];
  warnings: string[];
  /** set when --baseline was applied: known findings removed from `findings`, and entries that no longer occur */
  baseline?: { suppressed: number; stale: Array<{ check: string; operation: string; rule: string }> };
}
