// One request of a login or token flow. Connection closed after each (flows are rare), no redirects followed,
// body bounded. Failures are FlowFailure with a message that holds no request or response content.
import { request } from 'undici';
import type { FlowAnswer } from './expressions.js';

export interface FlowRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Why a flow did not give a token; `message` is safe to print (no body, no secret). */
export class FlowFailure extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

const MAX_FLOW_BODY_BYTES = 1024 * 1024;

/** scheme://host/path of a URL, without userinfo, query or fragment: safe in messages. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function parseJson(text: string, contentType: string | undefined): unknown {
  if (contentType !== undefined && !/[/+]json\b/i.test(contentType)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'error';
}

/** `label` names the flow in messages ('login POST http://…/auth/login'). */
export async function sendFlowRequest(flow: FlowRequest, timeoutMs: number, label = `${flow.method} ${describeUrl(flow.url)}`): Promise<FlowAnswer> {
  const target = label;
  try {
    const response = await request(flow.url, {
      method: flow.method as 'POST',
      headers: flow.headers,
      body: flow.body,
      reset: true,
      maxRedirections: 0,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > MAX_FLOW_BODY_BYTES) {
        response.body.destroy();
        throw new FlowFailure(`${target} answered a body over ${MAX_FLOW_BODY_BYTES} bytes`, response.statusCode);
      }
      chunks.push(buffer);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    return { status: response.statusCode, headers, text, json: parseJson(text, headers['content-type']) };
  } catch (error) {
    if (error instanceof FlowFailure) throw error;
    const timedOut = errorCode(error) === 'TimeoutError' || /Timeout/i.test(errorCode(error));
    throw new FlowFailure(timedOut ? `${target}: no answer within ${timeoutMs} ms` : `${target}: cannot connect (${errorCode(error)})`);
  }
}
