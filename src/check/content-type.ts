import type { Check, Exchange, FindingDraft, Response } from '../model.js';
import { documentedResponse, headerText, isHeadRequest, isJsonMediaType, matchingMediaType, parsedJson } from './responses.js';

/** 204, 304 and HEAD answers carry no content; the no-body check owns them. */
function mayHaveContent(exchange: Exchange, status: number): boolean {
  return status !== 204 && status !== 304 && !isHeadRequest(exchange);
}

function documentedContent(exchange: Exchange): Response | undefined {
  const response = exchange.response;
  if (response === undefined || !mayHaveContent(exchange, response.status)) return undefined;
  const documented = documentedResponse(exchange.case.operation, response.status);
  return documented !== undefined && documented.content.length > 0 ? documented : undefined;
}

function contentPointer(documented: Response): { file: string; pointer: string } {
  return { file: documented.location.file, pointer: `${documented.location.pointer}/content` };
}

/**
 * The Content-Type is one documented for the status, and a JSON type parses as JSON. Responses that
 * document no content are skipped: the document makes no promise about them.
 */
export const contentTypeCheck: Check = {
  id: 'content-type',
  category: 'content-type',
  description: 'The response media type is documented for its status, and a JSON media type parses as JSON.',
  defaultSeverity: 'error',
  // a body cut by a transport error is the transport check's finding, not a second one here
  appliesTo: (exchange: Exchange) => exchange.transportError === undefined && documentedContent(exchange) !== undefined,
  run(exchange: Exchange): FindingDraft[] {
    if (exchange.transportError !== undefined) return [];
    const response = exchange.response;
    const documented = documentedContent(exchange);
    if (response === undefined || documented === undefined) return [];
    const offered = documented.content.map((m) => m.mediaType).join(', ');
    const contentType = headerText(exchange, 'content-type');
    if (contentType === undefined || contentType.trim() === '') {
      return [
        {
          message:
            response.body.length === 0
              ? `${response.status} documents content (${offered}) but the answer has no body and no Content-Type`
              : `${response.status} has a body of ${response.body.length} bytes but no Content-Type; documented: ${offered}`,
          expected: `Content-Type: ${offered}`,
          actual: response.body.length === 0 ? 'no Content-Type, empty body' : 'no Content-Type',
          specPointer: contentPointer(documented),
          about: { headers: ['content-type'] },
        },
      ];
    }
    const media = matchingMediaType(documented.content, contentType);
    if (media === undefined) {
      return [
        {
          message: `${response.status} answered with Content-Type ${contentType}, which is not documented for it (${offered})`,
          expected: `Content-Type: ${offered}`,
          actual: `Content-Type: ${contentType}`,
          specPointer: contentPointer(documented),
          about: { headers: ['content-type'] },
        },
      ];
    }
    // A body cut at the size cap cannot parse; the transport check reports that.
    if (!isJsonMediaType(contentType) || response.truncated) return [];
    const json = parsedJson(exchange);
    if (json === undefined || json.ok) return [];
    return [
      {
        message: `${response.status} says ${contentType} but the body is not valid JSON: ${json.error}`,
        expected: `a JSON body (${media.mediaType})`,
        actual: response.body.length === 0 ? 'an empty body' : `unparsable JSON: ${json.error}`,
        specPointer: media.location,
        about: { headers: ['content-type'] },
      },
    ];
  },
};
