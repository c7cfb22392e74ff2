// The request a person wrote (curl, options or a HAR entry), before anything is checked.

/** One request to explain, exactly as it would go on the wire. */
export interface ExplainInput {
  /** upper-case */
  method: string;
  /** an absolute URL, or a path with its query string ('/customers?limit=5') */
  url: string;
  /** in the order given; names as written */
  headers: Array<[string, string]>;
  /** the body bytes; absent when there is none */
  body?: Uint8Array;
  /** where the request came from, for messages: 'curl', 'options', 'HAR entry 2' */
  origin: string;
  /** things noticed while reading the input (an unexpanded $TOKEN, a dropped `| jq`) */
  notes?: string[];
}

export function headerValue(input: Pick<ExplainInput, 'headers'>, name: string): string | undefined {
  const lower = name.toLowerCase();
  const found = input.headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  if (found.length === 0) return undefined;
  // RFC 9110 5.3: repeated fields combine with a comma; Cookie uses '; ' (RFC 6265 5.4)
  return found.join(lower === 'cookie' ? '; ' : ', ');
}

export function hasHeader(input: Pick<ExplainInput, 'headers'>, name: string): boolean {
  return headerValue(input, name) !== undefined;
}

export function bodyText(body: Uint8Array | undefined): string {
  return body === undefined ? '' : new TextDecoder('utf-8', { fatal: false }).decode(body);
}
