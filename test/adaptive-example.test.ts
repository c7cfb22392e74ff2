// The adaptive loop against the example API (issue 14): bugs that show only on a request the server
// otherwise accepts are caught by the right check, and the finding names the one change and its rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXAMPLE_CONTRACTS } from '../examples/contracts.js';
import { startExampleServer } from '../examples/server.js';
import { runContract } from '../src/core.js';
import type { Finding } from '../src/model.js';

async function findingsWith(misbehave: string[], extra: { maxNegative?: number } = {}): Promise<Finding[]> {
  const server = await startExampleServer({ misbehave });
  try {
    const { report } = await runContract({ spec: EXAMPLE_CONTRACTS['3.1'], baseUrl: server.url, credentials: { bearer: 'full-token' }, ...extra });
    return report.findings;
  } finally {
    await server.close();
  }
}

const show = (fs: Finding[]): string => fs.map((f) => `${f.check} ${f.operation}: ${f.message}`).join('\n');

interface Row {
  misbehave: string;
  check: 'negative-accepted' | 'positive-rejected';
  operation: string;
  /** where the one change is */
  where: string;
  /** the keyword broken (negative) or the reason the change is allowed (positive) */
  rule: RegExp;
  /** the pointer of the rule in the contract */
  pointer: RegExp;
}

const ROWS: Row[] = [
  { misbehave: 'coerce-unknown-enum', check: 'negative-accepted', operation: 'createCustomer', where: 'body/tier', rule: /^enum$/, pointer: /\/Tier\/enum$/ },
  { misbehave: 'ignore-pattern', check: 'negative-accepted', operation: 'createCustomer', where: 'body/zip', rule: /^pattern$/, pointer: /\/zip\/pattern$/ },
  { misbehave: 'accept-bad-date-time', check: 'negative-accepted', operation: 'createOrder', where: 'body/deliverAfter', rule: /^format$/, pointer: /\/deliverAfter\/format$/ },
  { misbehave: 'accept-empty-items', check: 'negative-accepted', operation: 'createOrder', where: 'body/items', rule: /^minItems$/, pointer: /\/items\/minItems$/ },
  { misbehave: 'refuse-null', check: 'positive-rejected', operation: 'updateCustomer', where: 'body/tier', rule: /nullable/, pointer: /\/CustomerPatch\/properties\/tier$/ },
  { misbehave: 'refuse-maximum', check: 'positive-rejected', operation: 'listCustomers', where: 'query.limit', rule: /allowed by its schema/, pointer: /\/parameters\/Limit\/schema$/ },
];

describe('bugs that show only on an accepted request', () => {
  for (const row of ROWS) {
    it(`${row.misbehave} is caught by ${row.check} on ${row.operation}, naming ${row.where} and its rule`, async () => {
      const findings = await findingsWith([row.misbehave]);
      const mine = findings.filter((f) => f.check === row.check && f.operation === row.operation);
      assert.ok(mine.length > 0, show(findings));
      assert.ok(mine.every((f) => f.severity === 'error'), show(mine));
      const named = mine.find((f) => (f.exchange.case.why?.where ?? f.exchange.case.derivation?.change?.where) === row.where);
      assert.ok(named, show(mine));
      assert.match(named.specPointer?.pointer ?? '', row.pointer);
      assert.ok(named.message.includes(row.where), named.message);
      if (row.check === 'negative-accepted') {
        assert.match(named.exchange.case.why!.keyword, row.rule);
      } else {
        // a refused variation names the accepted request it differs from, and why the change is allowed
        const derivation = named.exchange.case.derivation!;
        assert.equal(derivation.phase, 'variation');
        assert.ok(derivation.baseline, 'the accepted baseline is named');
        assert.match(named.message, new RegExp(`${derivation.baseline.id} was accepted`));
        assert.match(named.message, row.rule);
      }
    });
  }

  it('the clean server gives none of these findings on the same run', async () => {
    const findings = await findingsWith([]);
    assert.deepEqual(show(findings), '');
  });
});

describe('request-level negative cases are sent before the value mutations fill the budget', () => {
  it('with --max-negative 2, a handler that crashes on malformed JSON is still found', async () => {
    const findings = await findingsWith(['wrong-json-500'], { maxNegative: 2 });
    const crashes = findings.filter((f) => f.check === 'server-error' && f.exchange.case.why?.keyword === 'syntax');
    assert.ok(crashes.length > 0, show(findings));
    assert.ok(crashes.some((f) => f.operation === 'createCustomer'), show(crashes));
  });
});
