import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { Operation } from '../src/model.js';
import { loadSpec } from '../src/spec/index.js';
import { createValidator } from '../src/schema/validator.js';
import { buildRequest, UnserializableValueError } from '../src/generate/serialize.js';
import { parseRequest } from '../src/generate/parse.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const specs = path.resolve(projectRoot, '../shared/specs');

// Documents with many parameter and body examples (query, path, header; JSON and form bodies).
const documents = [
  'corpus/apis-guru/azure.com__sql-blobAuditing.json',
  'corpus/npm/directus-specs-15.2.0.openapi.json',
  'corpus/apis-guru/mastercard.com__Locations.json',
  'corpus/apis-guru/adyen.com__BinLookupService.json',
  'corpus/twilio/twilio_verify_v2.json',
  'corpus/npm/blockfrost-openapi-0.1.93.yaml',
];

const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/**
 * Every documented example the validator accepts is sent through buildRequest and read back by
 * parseRequest: it must still be accepted, with no parse problem (a refusal is allowed, never a change).
 */
for (const document of documents) {
  test(`documented examples stay valid on the wire: ${document}`, async () => {
    const spec = await loadSpec(path.join(specs, document));
    const validator = createValidator(spec.schemas);
    const broken: string[] = [];
    let sent = 0;
    let unchanged = 0;
    const check = (op: Operation, where: string, values: Parameters<typeof buildRequest>[1], read: (parsed: ReturnType<typeof parseRequest>) => unknown, original: unknown, validate: (v: unknown) => number): void => {
      let request;
      try {
        request = buildRequest(op, values, { boundary: 'corpus-boundary', bundle: spec.schemas });
      } catch (error) {
        if (error instanceof UnserializableValueError) return;
        throw error;
      }
      sent++;
      const parsed = parseRequest(op, request, spec.schemas);
      const back = read(parsed);
      if (isDeepStrictEqual(back, original)) unchanged++;
      if (parsed.problems.length > 0 || validate(back) > 0) {
        broken.push(`${op.id} ${where}: ${JSON.stringify(original)} → ${request.path} → ${JSON.stringify(back)} ${JSON.stringify(parsed.problems)}`);
      }
    };
    for (const op of spec.operations) {
      for (const p of op.parameters) {
        const schema = p.schema;
        if (!schema || (p.in === 'header' && IGNORED_HEADERS.has(p.name.toLowerCase()))) continue;
        const alone: Operation = { ...op, path: p.in === 'path' ? `/t/{${p.name}}` : '/t', parameters: [p] };
        delete alone.requestBody;
        for (const example of p.examples) {
          if (validator.validate(schema, example.value, 'request').length > 0) continue;
          check(alone, `${p.in}.${p.name}`, { [p.in]: { [p.name]: example.value } }, (parsed) => parsed[p.in][p.name], example.value, (v) => validator.validate(schema, v, 'request').length);
        }
      }
      for (const media of op.requestBody?.content ?? []) {
        const schema = media.schema;
        if (!schema) continue;
        const bodyOnly: Operation = { ...op, path: '/t', parameters: [] };
        for (const example of media.examples) {
          if (validator.validate(schema, example.value, 'request').length > 0) continue;
          check(bodyOnly, `body ${media.mediaType}`, { body: example.value, mediaType: media.mediaType }, (parsed) => parsed.body?.value, example.value, (v) => validator.validate(schema, v, 'request').length);
        }
      }
    }
    assert.deepEqual(broken, []);
    assert.ok(sent > 0, 'no example was sent');
    // values the schema types exactly come back identical; only undeclared form fields and string-or-number schemas keep text
    assert.ok(unchanged / sent > 0.9, `${unchanged} of ${sent} came back identical`);
  });
}
