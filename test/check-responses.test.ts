import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { documentedResponse, isJsonMediaType, matchingMediaType, mediaTypeMatches } from '../src/check/responses.js';
import type { ApiSpec, Operation } from '../src/model.js';
import { loadSpec } from '../src/spec/index.js';

const spec = `
openapi: 3.0.3
info: { title: Pets, version: '1' }
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: the pets
          content:
            '*/*': {}
            application/*: {}
            application/json: {}
        '404': { description: exact }
        4XX: { description: range }
        default: { description: anything else }
    post:
      operationId: createPet
      responses:
        '201': { description: created }
`;

describe('documentedResponse and media types', () => {
  let directory = '';
  let loaded: ApiSpec;
  const op = (id: string): Operation => {
    const found = loaded.operations.find((o) => o.id === id);
    assert.ok(found, id);
    return found;
  };

  before(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'check-responses-'));
    const file = path.join(directory, 'openapi.yaml');
    await writeFile(file, spec);
    loaded = await loadSpec(file);
  });
  after(() => rm(directory, { recursive: true, force: true }));

  it('prefers the exact status, then the range, then default', () => {
    assert.equal(documentedResponse(op('listPets'), 404)?.status, '404');
    assert.equal(documentedResponse(op('listPets'), 409)?.status, '4XX');
    assert.equal(documentedResponse(op('listPets'), 500)?.status, 'default');
    assert.equal(documentedResponse(op('listPets'), 200)?.status, '200');
    assert.equal(documentedResponse(op('createPet'), 200), undefined);
  });

  it('matches media types without parameters, case, and through wildcards', () => {
    assert.equal(mediaTypeMatches('application/json', 'application/json; charset=utf-8'), true);
    assert.equal(mediaTypeMatches('application/json', 'Application/JSON'), true);
    assert.equal(mediaTypeMatches('application/json; charset=utf-8', 'application/json'), true);
    assert.equal(mediaTypeMatches('*/*', 'text/html'), true);
    assert.equal(mediaTypeMatches('application/*', 'application/xml'), true);
    assert.equal(mediaTypeMatches('application/*', 'text/xml'), false);
    assert.equal(mediaTypeMatches('application/json', 'application/problem+json'), false);
    assert.equal(mediaTypeMatches('application/json', 'text/json'), false);
    assert.equal(mediaTypeMatches('application/json', 'garbage'), false);
    assert.equal(mediaTypeMatches('*/*', ''), false);
  });

  it('picks the most specific documented media type', () => {
    const content = documentedResponse(op('listPets'), 200)?.content ?? [];
    assert.equal(matchingMediaType(content, 'application/json; charset=utf-8')?.mediaType, 'application/json');
    assert.equal(matchingMediaType(content, 'application/xml')?.mediaType, 'application/*');
    assert.equal(matchingMediaType(content, 'text/plain')?.mediaType, '*/*');
  });

  it('knows JSON media types, structured suffixes included', () => {
    assert.equal(isJsonMediaType('application/json'), true);
    assert.equal(isJsonMediaType('application/problem+json; charset=utf-8'), true);
    assert.equal(isJsonMediaType('application/jsonl'), false);
    assert.equal(isJsonMediaType('text/html'), false);
  });
});
