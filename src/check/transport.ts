import type { Check, Exchange, FindingDraft } from '../model.js';
import { documentedResponse, headerText, isJsonMediaType } from './responses.js';

/** JSON was expected when the answer says so or the documented response only offers JSON. */
function jsonExpected(exchange: Exchange, status: number): boolean {
  const contentType = headerText(exchange, 'content-type');
  if (contentType !== undefined) return isJsonMediaType(contentType);
  const content = documentedResponse(exchange.case.operation, status)?.content ?? [];
  return content.length > 0 && content.every((media) => isJsonMediaType(media.mediaType));
}

/** The exchange did not complete as HTTP: no answer, or a JSON body cut at the size cap. */
export const transportCheck: Check = {
  id: 'transport',
  category: 'transport',
  description: 'The request failed below HTTP (timeout, reset, refused, invalid HTTP) or a JSON body was cut at the size limit.',
  defaultSeverity: 'error',
  // Every exchange either completed as HTTP or did not, so coverage counts all of them.
  appliesTo: () => true,
  run(exchange: Exchange): FindingDraft[] {
    const op = exchange.case.operation;
    const failure = exchange.transportError;
    if (failure !== undefined) {
      return [
        {
          message: `${failure.kind}: ${failure.message} (${exchange.case.request.method} ${exchange.url})`,
          expected: 'a complete HTTP response',
          actual: `${failure.kind}: ${failure.message}`,
          specPointer: op.location,
        },
      ];
    }
    const response = exchange.response;
    if (response === undefined || !response.truncated || !jsonExpected(exchange, response.status)) return [];
    return [
      {
        message: `the JSON body was cut at ${response.body.length} bytes, so it cannot be parsed or checked`,
        // A body larger than our cap is not the server's fault, hence only a warning.
        severity: 'warning',
        expected: 'a JSON body within the size limit',
        actual: `more than ${response.body.length} bytes (${headerText(exchange, 'content-type') ?? ''})`,
        specPointer: op.location,
      },
    ];
  },
};
