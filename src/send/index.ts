export { createSender, joinUrl, headersFromRaw, isJsonMediaType, parseJsonBody, undiciRefusal, retryPlan, DEFAULT_RETRY_AFTER_CAP_MS } from './sender.js';
export type { Sender, SenderOptions } from './sender.js';
export { renderCurl, curlSecretVariables, secretVariableName, shellQuote } from './curl.js';
export type { CurlOptions, CurlSecretVariable } from './curl.js';
export {
  DEFAULT_SECRET_POLICY,
  REDACTED,
  isSecretName,
  redactHeaders,
  redactUrl,
  scrubSecrets,
  secretValuesOf,
} from './secrets.js';
export type { SecretPolicy } from './secrets.js';
export { createStartGate } from './rate.js';
export { decodeBody, decodableEncoding } from './decode.js';
export { parseRetryAfter, retryAfterMs } from './retry-after.js';
export type { RetryAfter } from './retry-after.js';
