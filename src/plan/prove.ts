import type { HttpRequest, Operation, ValidationIssue, Validator, ApiSpec } from '../model.js';
import { parseRequest } from '../generate/parse.js';
import { isIgnoredHeaderParameter } from '../spec/ignored-headers.js';

export type Proof = { ok: true } | { ok: false; reason: string; issues: Array<{ where: string; issue?: ValidationIssue }> };

/**
 * Reads the request back the way the server will (text → typed values per the schema) and validates
 * every part against the contract. A request is only sent as "valid" when this says ok.
 */
export function proveRequest(op: Operation, request: HttpRequest, ctx: { spec: ApiSpec; validator: Validator }): Proof {
  const parsed = parseRequest(op, request, ctx.spec.schemas);
  const failures: Array<{ where: string; issue?: ValidationIssue; message?: string }> = [];
  for (const problem of parsed.problems) failures.push({ where: problem.where, message: problem.message });
  for (const p of op.parameters) {
    // parseRequest keys every parameter by its documented name, headers included
    const bucket = parsed[p.in] as Record<string, unknown>;
    if (!(p.name in bucket)) {
      if (p.required && !isIgnoredHeaderParameter(p)) {
        failures.push({ where: `${p.in}.${p.name}`, message: 'required parameter missing' });
      }
      continue;
    }
    if (!p.schema) continue;
    for (const issue of ctx.validator.validate(p.schema, bucket[p.name], 'request')) {
      failures.push({ where: `${p.in}.${p.name}${issue.instancePath}`, issue });
    }
  }
  const body = op.requestBody;
  if (body) {
    if (!parsed.body) {
      if (body.required) failures.push({ where: 'body', message: 'required body missing' });
    } else {
      const media = body.content.find((m) => m.mediaType.toLowerCase() === parsed.body!.mediaType.toLowerCase());
      if (media?.schema) {
        for (const issue of ctx.validator.validate(media.schema, parsed.body.value, 'request')) {
          failures.push({ where: `body${issue.instancePath}`, issue });
        }
      }
    }
  }
  if (failures.length === 0) return { ok: true };
  const first = failures[0]!;
  const reason = `${first.where}: ${first.issue ? `${first.issue.keyword} ${first.issue.message}` : first.message}`;
  return { ok: false, reason, issues: failures };
}

