// What `explain` says about one request: the operation it is for, and each reason it breaks the contract.
import type { HttpMethod } from '../model.js';

/** One reason the request breaks the contract (error) or probably does not do what was meant (warning). */
export interface Problem {
  /** where in the request: 'body.address.zip', 'query.ids[1]', 'header.Content-Type', 'path', 'security' */
  where: string;
  /** 'error' breaks the contract; 'warning' is allowed by it but likely a mistake (a misspelt optional parameter) */
  severity: 'error' | 'warning';
  /** the part of the request the problem is in, for grouping and for comparing with the server's reasons */
  part: 'operation' | 'path' | 'query' | 'header' | 'cookie' | 'security' | 'content-type' | 'body';
  /** the value sent, as the server sees it (absent when nothing was sent) */
  value?: unknown;
  /** the rule, in the spec's words: 'pattern ^[0-9]{5}$', 'type integer', 'required name' */
  rule: string;
  /** JSON pointer of the rule in the spec ('#/components/schemas/Address/properties/zip/pattern') */
  rulePointer?: string;
  /** the file the rule lives in, when it is not the spec's own file */
  ruleFile?: string;
  /** 1-based line of the rule in its file */
  line?: number;
  message: string;
  /** the likely cause, for the common mistakes */
  hint?: string;
  /** a concrete correction: the value, header or body to send instead */
  fix?: string;
}

export interface NearMiss {
  method: HttpMethod;
  path: string;
  /** why it nearly matched */
  reason: 'method' | 'trailing-slash' | 'case' | 'base-path' | 'similar';
  /** what to change, in words */
  suggestion: string;
}

export interface MatchedOperation {
  id: string;
  method: HttpMethod;
  path: string;
  /** '#/paths/~1customers/post' */
  pointer: string;
  line?: number;
  /** the base path stripped from the URL before matching ('' when none) */
  basePath: string;
}

/** A reason the server gave in its error body, decoded from one of the known error shapes. */
export interface ServerReason {
  /** where the server says the problem is ('address.zip', '/address/zip', 'query.limit'), when it says */
  location?: string;
  message: string;
}

export type ServerVerdict =
  /** both sides accept, or both reject and the server names the same part of the request */
  | 'agrees'
  /** both reject, but the server names other parts (or none we could decode) */
  | 'rejects-for-another-reason'
  /** the spec accepts the request; the server rejects it: a server-side finding */
  | 'server-rejects-valid'
  /** the spec rejects the request; the server accepts it: a server-side finding */
  | 'server-accepts-invalid'
  /** 5xx: the server failed, whatever the request */
  | 'server-error'
  | 'no-answer';

export interface ServerAnswer {
  /** 'sent' with --send, 'har' when taken from the HAR file's recording */
  source: 'sent' | 'har';
  url: string;
  status?: number;
  contentType?: string;
  /** the error shape recognised: 'problem-details', 'google', 'onap', 'message-errors', 'spring', 'text' */
  format?: string;
  reasons: ServerReason[];
  /** the body as text, cut at 2000 characters */
  bodyExcerpt?: string;
  verdict: ServerVerdict;
  /** one sentence on the verdict */
  summary: string;
  /** transport error when nothing came back */
  error?: string;
}

export interface Diagnosis {
  request: { method: string; url: string; origin: string };
  /** absent when no operation matched: see nearMisses */
  operation?: MatchedOperation;
  nearMisses: NearMiss[];
  problems: Problem[];
  /** assumptions and observations that are not problems ("$TOKEN was not expanded") */
  notes: string[];
  /** the statuses the contract leads one to expect for these problems ('401', '422' …); [] when it conforms */
  expected: string[];
  /** true when the request matches an operation and has no error-severity problem */
  conforms: boolean;
  server?: ServerAnswer;
}
