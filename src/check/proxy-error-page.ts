import type { Check, Exchange, FindingDraft } from '../model.js';
import { isProxyPage } from './html-response.js';
import { bodyExcerpt, headerText } from './responses.js';

function proxyName(exchange: Exchange): string {
  const via = headerText(exchange, 'via');
  const server = headerText(exchange, 'server');
  if (via !== undefined) return `a proxy (Via: ${via})`;
  return server !== undefined ? `a proxy (Server: ${server})` : 'a proxy or gateway';
}

/**
 * A 502/504 page that is not JSON comes from whatever stands in front of the API, not from the API: it says the
 * request may not have reached the server, so it is reported as transport, not as a broken contract.
 */
export const proxyErrorPageCheck: Check = {
  id: 'proxy-error-page',
  category: 'transport',
  description: 'A 502/504 page from a proxy in front of the API: the request may not have reached the server (transport, not a contract finding).',
  defaultSeverity: 'warning',
  appliesTo: isProxyPage,
  run(exchange: Exchange): FindingDraft[] {
    const response = exchange.response;
    if (response === undefined || !isProxyPage(exchange)) return [];
    const contentType = headerText(exchange, 'content-type') ?? 'no Content-Type';
    const excerpt = bodyExcerpt(exchange, 120);
    return [
      {
        message: `${response.status} from ${proxyName(exchange)} in front of the API (${contentType}); the request may not have reached the server`,
        expected: 'an answer from the API itself',
        actual: excerpt === '' ? `${response.status} (${contentType})` : `${response.status} ${contentType}: ${excerpt}`,
        specPointer: exchange.case.operation.location,
      },
    ];
  },
};
