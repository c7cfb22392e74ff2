import type { Check, CheckContext, Exchange, FindingDraft, Operation, SourceLocation } from '../model.js';
import { allowedMethods, bodyExcerpt, documentedAnywhere, headerText, isUnknownPathCase } from './responses.js';
import { pointerText } from './rule-text.js';

function isMethodCase(exchange: Exchange): boolean {
  return exchange.case.kind === 'method' && exchange.case.why?.keyword === 'method' && !isUnknownPathCase(exchange.case);
}

function pathRule(exchange: Exchange): SourceLocation {
  const op = exchange.case.operation;
  return exchange.case.why?.rule ?? { file: op.location.file, pointer: op.location.pointer.replace(/\/[^/]+$/, '') };
}

function documentedMethods(operations: Operation[], path: string): string[] {
  return operations.filter((o) => o.path === path).map((o) => o.method.toUpperCase());
}

/** What Allow may list beyond the documented methods: HEAD where GET is documented, and OPTIONS. */
function tolerated(documented: string[]): Set<string> {
  return new Set(documented.includes('GET') ? ['HEAD', 'OPTIONS'] : ['OPTIONS']);
}

function allowFindings(exchange: Exchange, ctx: CheckContext, documented: string[], promised: boolean): FindingDraft[] {
  const allow = headerText(exchange, 'allow');
  const expected = `Allow: ${documented.join(', ')}${documented.includes('GET') ? ' (HEAD, OPTIONS may be added)' : ' (OPTIONS may be added)'}`;
  if (allow === undefined) {
    return [{ message: `405 for ${exchange.case.request.method} ${exchange.case.operation.path} carries no Allow header`, expected: `${expected}; a 405 must carry Allow (RFC 9110 §15.5.6)`, actual: '405 without Allow', specPointer: pathRule(exchange), about: { headers: ['allow'] } }];
  }
  const listed = allowedMethods(allow);
  const missing = documented.filter((m) => !listed.includes(m));
  const extra = listed.filter((m) => !documented.includes(m) && !tolerated(documented).has(m));
  if (missing.length === 0 && extra.length === 0) return [];
  const parts = [
    ...(missing.length > 0 ? [`leaves out ${missing.join(', ')}`] : []),
    ...(extra.length > 0 ? [`lists ${extra.join(', ')}, not documented for the path`] : []),
  ];
  return [
    {
      message: `405 Allow: ${allow} ${parts.join(' and ')} (${pointerText(pathRule(exchange), ctx.spec.source)})`,
      // The Allow list is only a promise of the document when the document speaks of 405 at all.
      ...(promised ? {} : { severity: 'warning' as const }),
      expected,
      actual: `Allow: ${allow}`,
      specPointer: pathRule(exchange),
    },
  ];
}

/**
 * A method the path does not document: never a 2xx. Where the document lists 405 (on any operation), the answer
 * is 405; otherwise 404, 405, 501 and other client errors pass. A 405 always carries Allow (RFC 9110), listing
 * the documented methods. Other 5xx are server-error's, HTML pages html-response's.
 */
export const methodNotAllowedCheck: Check = {
  id: 'method-not-allowed',
  category: 'method',
  description: 'An undocumented method is refused: never 2xx; 405 with an Allow header listing the documented methods where the document lists 405.',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) => exchange.response !== undefined && isMethodCase(exchange),
  run(exchange: Exchange, ctx: CheckContext): FindingDraft[] {
    const response = exchange.response;
    if (response === undefined || !isMethodCase(exchange)) return [];
    const op = exchange.case.operation;
    const method = exchange.case.request.method.toUpperCase();
    const documented = documentedMethods(ctx.spec.operations, op.path);
    const with405 = documentedAnywhere(ctx.spec.operations, '405');
    const status = response.status;
    if (status === 405) return allowFindings(exchange, ctx, documented, with405 !== undefined);
    if ((status >= 500 && status !== 501) || status === 429 || (status >= 300 && status < 400)) return [];
    const excerpt = bodyExcerpt(exchange, 120);
    const actual = excerpt === '' ? `${status}` : `${status} ${excerpt}`;
    if (status >= 200 && status < 300) {
      return [
        {
          message: `${method} ${op.path} is not documented (documented: ${documented.join(', ')}) but was answered ${status}`,
          expected: with405 === undefined ? 'a client error (404, 405 or 501)' : '405 with Allow',
          actual,
          specPointer: pathRule(exchange),
        },
      ];
    }
    if (with405 === undefined) return [];
    const authFirst = status === 401 || status === 403;
    return [
      {
        message: `${method} ${op.path} is not documented and was answered ${status}; the document lists 405 for such methods (${pointerText(with405.response.location, ctx.spec.source)})`,
        // Servers that authenticate before routing answer 401/403 first: worth a look, not proof.
        ...(authFirst ? { severity: 'warning' as const } : {}),
        expected: `405 with Allow: ${documented.join(', ')}`,
        actual,
        specPointer: with405.response.location,
      },
    ];
  },
};
