// Runs one check over one real HTTP answer with CheckContext.options set, which the table tester does not pass.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runChecks } from '../src/check/registry.js';
import type { Check, CheckContext, Finding } from '../src/model.js';
import { createValidator } from '../src/schema/validator.js';
import { loadSpec } from '../src/spec/index.js';
import { caseFor, exchangeFor, startAnswerServer, type Row } from './support-check-tester.js';

export async function findingsWithOptions(check: Check, specText: string, options: CheckContext['options'], row: Row): Promise<Finding[]> {
  const directory = await mkdtemp(path.join(os.tmpdir(), `check-${check.id}-options-`));
  try {
    const file = path.join(directory, 'openapi.yaml');
    await writeFile(file, specText);
    const spec = await loadSpec(file);
    const ctx: CheckContext = { spec, validator: createValidator(spec.schemas), options };
    const server = await startAnswerServer(row.answer);
    try {
      const exchange = await exchangeFor(caseFor(spec, row), server.url);
      return runChecks(exchange, ctx, [check]).findings;
    } finally {
      await server.close();
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
