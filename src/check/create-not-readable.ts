import type { Check, CheckContext, Exchange, FindingDraft, JsonSchema, Operation, SchemaBundle, SourceLocation } from '../model.js';
import { createExchangeOf, isStep, STEP } from '../plan/stateful-steps.js';
import { documentedResponse, headerText, matchingMediaType, parsedJson, showValue } from './responses.js';

// ------------------------------------------------------------------------------------------- comparison (shared)

/** Members a server fills in or rewrites on its own: never compared with what was sent. */
const SERVER_FILLED = /^(id|_id|uuid|etag|revision|self|href|_links|links|(created|updated|modified|last_?modified)(_?(at|on|date|time))?)$/i;

interface MemberRules {
  readOnly: boolean;
  writeOnly: boolean;
  required: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function defAt(ref: unknown, bundle: SchemaBundle): JsonSchema | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/')) return undefined;
  let token = ref.slice('#/$defs/'.length);
  try {
    token = decodeURIComponent(token);
  } catch {
    return undefined;
  }
  return bundle.root.$defs[token.replace(/~1/g, '/').replace(/~0/g, '~')];
}

/** Top-level properties a schema declares (through $ref and allOf), with their readOnly/writeOnly/required flags. */
export function declaredMembers(schema: JsonSchema | undefined, bundle: SchemaBundle): Map<string, MemberRules> {
  const members = new Map<string, MemberRules>();
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (!isRecord(node) || seen.has(node)) return;
    seen.add(node);
    visit(defAt(node['$ref'], bundle));
    for (const part of Array.isArray(node['allOf']) ? node['allOf'] : []) visit(part);
    const required = Array.isArray(node['required']) ? node['required'].filter((r): r is string => typeof r === 'string') : [];
    for (const name of required) members.set(name, { ...(members.get(name) ?? { readOnly: false, writeOnly: false }), required: true });
    const properties = node['properties'];
    if (!isRecord(properties)) return;
    for (const [name, sub] of Object.entries(properties)) {
      const rules = members.get(name) ?? { readOnly: false, writeOnly: false, required: false };
      const resolved = isRecord(sub) ? defAt(sub['$ref'], bundle) : undefined;
      for (const s of [sub, resolved]) {
        if (!isRecord(s)) continue;
        if (s['readOnly'] === true) rules.readOnly = true;
        if (s['writeOnly'] === true) rules.writeOnly = true;
      }
      members.set(name, rules);
    }
  };
  visit(schema);
  return members;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/** Equal as JSON, with the liberties a server may take: one instant written two ways, arrays of primitives reordered. */
export function sameValue(sent: unknown, read: unknown): boolean {
  if (typeof sent === 'string' && typeof read === 'string' && sent !== read && DATE_TIME.test(sent) && DATE_TIME.test(read)) {
    const a = Date.parse(sent);
    return !Number.isNaN(a) && a === Date.parse(read);
  }
  if (Array.isArray(sent) && Array.isArray(read)) {
    if (sent.length !== read.length) return false;
    const rest = [...read];
    return sent.every((item) => {
      const at = rest.findIndex((candidate) => sameValue(item, candidate));
      if (at < 0) return false;
      rest.splice(at, 1);
      return true;
    });
  }
  if (isRecord(sent) && isRecord(read)) {
    // Nested objects: members the server left out are not judged here (response-schema judges required ones).
    return Object.entries(sent).every(([key, value]) => !(key in read) || SERVER_FILLED.test(key) || sameValue(value, read[key]));
  }
  return sent === read;
}

export interface Disagreement {
  member: string;
  sent: unknown;
  /** undefined when the read body leaves the member out */
  read: unknown;
}

/**
 * Members of a sent body that a later read shows differently. Server-filled, readOnly and writeOnly members
 * are skipped; a member the read leaves out counts only when the read's schema declares it as optional (a
 * required one is response-schema's finding); null members (a merge-patch reset) are skipped.
 */
export function disagreements(sent: unknown, read: unknown, declared: Map<string, MemberRules>, sentRules: Map<string, MemberRules>): Disagreement[] {
  if (!isRecord(sent) || !isRecord(read)) return [];
  const found: Disagreement[] = [];
  for (const [member, value] of Object.entries(sent)) {
    if (value === null || SERVER_FILLED.test(member)) continue;
    const rules = [declared.get(member), sentRules.get(member)];
    if (rules.some((r) => r?.readOnly === true || r?.writeOnly === true)) continue;
    if (!(member in read)) {
      if (declared.has(member) && declared.get(member)?.required !== true) found.push({ member, sent: value, read: undefined });
      continue;
    }
    if (!sameValue(value, read[member])) found.push({ member, sent: value, read: read[member] });
  }
  return found;
}

/** The schema documented for an answer's status and Content-Type. */
export function answerSchema(exchange: Exchange): JsonSchema | undefined {
  const status = exchange.response?.status;
  const contentType = headerText(exchange, 'content-type');
  if (status === undefined || contentType === undefined) return undefined;
  const documented = documentedResponse(exchange.case.operation, status);
  return documented ? matchingMediaType(documented.content, contentType)?.schema?.schema : undefined;
}

/** The schema of the body a case sent. */
export function sentSchema(exchange: Exchange): JsonSchema | undefined {
  const mediaType = exchange.case.values?.mediaType;
  const content = exchange.case.operation.requestBody?.content ?? [];
  const media = mediaType === undefined ? content[0] : content.find((m) => m.mediaType === mediaType) ?? content[0];
  return media?.schema?.schema;
}

export function describeDisagreements(list: Disagreement[]): { actual: string; expected: string } {
  return {
    expected: list.map((d) => `${d.member} = ${showValue(d.sent, 40)}`).join(', '),
    actual: list.map((d) => `${d.member} = ${d.read === undefined ? '(absent)' : showValue(d.read, 40)}`).join(', '),
  };
}

/** Where a successful read is documented, for the finding's rule. */
export function readRule(op: Operation): SourceLocation {
  return op.responses.find((r) => r.status.startsWith('2'))?.location ?? op.location;
}

// ------------------------------------------------------------------------------------------- the check

const GONE = new Set([404, 410]);

/** A resource the server just created (2xx) can be read back by the id it gave, and reads back as sent. */
export const createNotReadableCheck: Check = {
  id: 'create-not-readable',
  category: 'stateful',
  description: 'A resource just created can be read back by its id, and reads back with the members that were sent.',
  defaultSeverity: 'error',
  appliesTo: (exchange: Exchange) => isStep(exchange, STEP.readAfterCreate) && exchange.response !== undefined && createExchangeOf(exchange) !== undefined,
  run(exchange: Exchange, ctx: CheckContext): FindingDraft[] {
    const response = exchange.response;
    const created = createExchangeOf(exchange);
    if (response === undefined || created?.response === undefined) return [];
    const createOp = created.case.operation;
    const readOp = exchange.case.operation;
    const what = `the resource ${createOp.id} created (${created.response.status})`;
    const request = `${exchange.case.request.method} ${exchange.case.request.path}`;
    if (response.status >= 400 && response.status < 500) {
      return [
        {
          message: `${what} cannot be read back: ${request} answers ${response.status}`,
          severity: GONE.has(response.status) ? 'error' : 'warning',
          expected: `2xx from ${readOp.id} for the id the create returned`,
          actual: `${response.status}`,
          specPointer: readRule(readOp),
        },
      ];
    }
    if (response.status < 200 || response.status >= 300) return [];
    const json = parsedJson(exchange);
    if (json?.ok !== true) return [];
    const list = disagreements(
      created.case.values?.body,
      json.value,
      declaredMembers(answerSchema(exchange), ctx.spec.schemas),
      declaredMembers(sentSchema(created), ctx.spec.schemas),
    );
    if (list.length === 0) return [];
    const { expected, actual } = describeDisagreements(list);
    return [
      {
        message: `${what} reads back differently from what was sent (${list.map((d) => d.member).join(', ')}): ${request}`,
        severity: 'warning',
        expected: `as sent: ${expected}`,
        actual: `read: ${actual}`,
        specPointer: readRule(readOp),
        about: { members: list.map((d) => d.member) },
      },
    ];
  },
};
