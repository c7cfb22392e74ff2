import type { Check, Exchange, FindingDraft, Response } from '../model.js';
import {
  bodyExcerpt,
  documentedContentFor,
  documentedResponse,
  documentsJsonAnywhere,
  headerText,
  isHeadRequest,
  isJsonMediaType,
  isPageMediaType,
  isUnknownPathCase,
  matchingMediaType,
} from './responses.js';

/** 502/504 pages come from a proxy in front of the API: the proxy-error-page check reports them as transport. */
export function isProxyPage(exchange: Exchange): boolean {
  const response = exchange.response;
  if (response === undefined || (response.status !== 502 && response.status !== 504)) return false;
  return !isJsonMediaType(headerText(exchange, 'content-type') ?? '');
}

function pageAnswer(exchange: Exchange): { status: number; contentType: string } | undefined {
  const response = exchange.response;
  if (response === undefined || response.body.length === 0 || isHeadRequest(exchange)) return undefined;
  const contentType = headerText(exchange, 'content-type');
  if (contentType === undefined || !isPageMediaType(contentType)) return undefined;
  // The unknown-path check judges that answer against the API's error format as a whole.
  if (isUnknownPathCase(exchange.case) || isProxyPage(exchange)) return undefined;
  // JSON labelled text/plain is not a page: the content-type check reports the wrong label once.
  if (!contentType.toLowerCase().includes('html') && parsesAsJson(response.body)) return undefined;
  return { status: response.status, contentType };
}

function parsesAsJson(body: Uint8Array): boolean {
  try {
    JSON.parse(Buffer.from(body).toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/** The JSON the document promises instead: for this status, or anywhere in the operation when the status is silent. */
function promisedJson(exchange: Exchange, status: number, contentType: string): { documented?: Response; media: string } | undefined {
  const op = exchange.case.operation;
  const documented = documentedContentFor(op, status);
  if (documented !== undefined) {
    if (matchingMediaType(documented.content, contentType) !== undefined) return undefined;
    const json = documented.content.filter((m) => isJsonMediaType(m.mediaType)).map((m) => m.mediaType);
    return json.length === 0 ? undefined : { documented, media: json.join(', ') };
  }
  if (!documentsJsonAnywhere(op)) return undefined;
  const media = [...new Set(op.responses.flatMap((r) => r.content.map((m) => m.mediaType)).filter(isJsonMediaType))];
  return { media: media.join(', ') };
}

function pageTitle(exchange: Exchange): string {
  const text = bodyExcerpt(exchange, 400);
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  return title !== undefined && title !== '' ? `"${title}"` : bodyExcerpt(exchange, 80);
}

/** Never HTML (or a plain-text page) to a JSON client, error or not. */
export const htmlResponseCheck: Check = {
  id: 'html-response',
  category: 'content-type',
  description: 'No HTML or plain-text page where the operation documents JSON for the status (or JSON anywhere when the status is undocumented).',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) => pageAnswer(exchange) !== undefined,
  run(exchange: Exchange): FindingDraft[] {
    const page = pageAnswer(exchange);
    if (page === undefined) return [];
    const promised = promisedJson(exchange, page.status, page.contentType);
    if (promised === undefined) return [];
    const what = page.contentType.toLowerCase().includes('html') ? 'an HTML page' : 'a plain-text page';
    const silence = documentedResponse(exchange.case.operation, page.status) === undefined ? 'is undocumented' : 'documents no content';
    const where = promised.documented === undefined ? `the status ${silence} and ${exchange.case.operation.id} answers in ${promised.media}` : `${promised.media} is documented for it`;
    return [
      {
        message: `${page.status} answered with ${what} (${page.contentType}) ${pageTitle(exchange)}; ${where}`,
        expected: `Content-Type: ${promised.media}`,
        actual: `Content-Type: ${page.contentType}: ${bodyExcerpt(exchange, 120)}`,
        specPointer:
          promised.documented === undefined
            ? { file: exchange.case.operation.location.file, pointer: `${exchange.case.operation.location.pointer}/responses` }
            : { file: promised.documented.location.file, pointer: `${promised.documented.location.pointer}/content` },
        about: { headers: ['content-type'] },
      },
    ];
  },
};
