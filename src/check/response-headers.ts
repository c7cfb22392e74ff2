import type { Check, CheckContext, Exchange, FindingDraft, JsonSchema, ResponseHeader, SchemaBundle } from '../model.js';
import { documentedResponse, headerText } from './responses.js';
import { issueExpectation } from './rule-text.js';

type SchemaObject = { [key: string]: unknown };

const DEFS_PREFIX = '#/$defs/';

function resolved(schema: unknown, bundle: SchemaBundle, depth = 0): SchemaObject | undefined {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  const object = schema as SchemaObject;
  const ref = object['$ref'];
  if (typeof ref === 'string' && ref.startsWith(DEFS_PREFIX) && depth < 20) {
    const key = decodeURIComponent(ref.slice(DEFS_PREFIX.length)).replace(/~1/g, '/').replace(/~0/g, '~');
    return resolved(bundle.root.$defs[key], bundle, depth + 1);
  }
  return object;
}

/** The JSON types a schema allows, looking through $ref and anyOf/oneOf/allOf. */
function schemaTypes(schema: unknown, bundle: SchemaBundle, depth = 0): Set<string> {
  const types = new Set<string>();
  const object = resolved(schema, bundle);
  if (object === undefined || depth > 10) return types;
  const type = object['type'];
  if (typeof type === 'string') types.add(type);
  if (Array.isArray(type)) for (const t of type) if (typeof t === 'string') types.add(t);
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const branches = object[key];
    if (Array.isArray(branches)) for (const branch of branches) for (const t of schemaTypes(branch, bundle, depth + 1)) types.add(t);
  }
  return types;
}

const NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Header text read the way a server would read a simple-style parameter: "5" is 5 when the schema says integer. */
export function coerceHeaderText(text: string, schema: JsonSchema | undefined, bundle: SchemaBundle): unknown {
  const types = schemaTypes(schema, bundle);
  const trimmed = text.trim();
  if ((types.has('integer') || types.has('number')) && NUMBER_TEXT.test(trimmed)) return Number(trimmed);
  if (types.has('boolean') && (trimmed === 'true' || trimmed === 'false')) return trimmed === 'true';
  if (types.has('null') && trimmed === '') return null;
  if (types.has('array')) {
    const items = resolved(schema, bundle)?.['items'];
    return trimmed === '' ? [] : trimmed.split(',').map((item) => coerceHeaderText(item, items as JsonSchema | undefined, bundle));
  }
  if (types.has('object')) {
    const pairs = trimmed.split(',').map((part) => part.trim());
    const object: Record<string, string> = {};
    if (pairs.every((pair) => pair.includes('='))) {
      for (const pair of pairs) object[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
    } else {
      for (let i = 0; i + 1 < pairs.length; i += 2) object[pairs[i] ?? ''] = pairs[i + 1] ?? '';
    }
    return object;
  }
  return text;
}

function headerFindings(exchange: Exchange, header: ResponseHeader, ctx: CheckContext, status: number): FindingDraft[] {
  const text = headerText(exchange, header.name);
  if (text === undefined) {
    if (!header.required) return [];
    return [
      {
        message: `${status} is missing the required header ${header.name}`,
        expected: `a ${header.name} header`,
        actual: 'absent',
        specPointer: header.location,
        about: { headers: [header.name.toLowerCase()] },
      },
    ];
  }
  if (header.schema === undefined) return [];
  const value = coerceHeaderText(text, header.schema.schema, ctx.spec.schemas);
  const issues = ctx.validator.validate(header.schema, value, 'response');
  if (issues.length === 0) return [];
  const first = issues[0];
  return [
    {
      message: `${status} header ${header.name}: ${JSON.stringify(text)} ${issues.map((i) => i.message).join('; ')}`,
      expected: issues.map(issueExpectation).join('; '),
      actual: `${header.name}: ${text}`,
      specPointer: first?.rule ?? header.schema.location,
      about: { headers: [header.name.toLowerCase()] },
    },
  ];
}

/** Documented response headers: required ones present, every present one valid against its schema. */
export const responseHeadersCheck: Check = {
  id: 'response-headers',
  category: 'headers',
  description: 'Documented required response headers are present and their values match their schemas.',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) => {
    const response = exchange.response;
    if (response === undefined) return false;
    return (documentedResponse(exchange.case.operation, response.status)?.headers.length ?? 0) > 0;
  },
  run(exchange: Exchange, ctx: CheckContext): FindingDraft[] {
    const response = exchange.response;
    if (response === undefined) return [];
    const documented = documentedResponse(exchange.case.operation, response.status);
    // OpenAPI: a Content-Type header definition is ignored (content describes it).
    const headers = (documented?.headers ?? []).filter((h) => h.name.toLowerCase() !== 'content-type');
    return headers.flatMap((header) => headerFindings(exchange, header, ctx, response.status));
  },
};
