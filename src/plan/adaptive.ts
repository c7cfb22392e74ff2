// The adaptive loop (design.md: plan ⇄ send through observations). Per operation: find a request the server
// accepts (the baseline), then derive everything else from it: variations that change one thing, negative
// cases that break one constraint, auth and method cases, chains. Plan never imports send: each unit gets the
// sending function from core and hands observations to the pool.
import type { Case, ChainExec, Exchange, HttpRequest, Operation } from '../model.js';
import { buildRequest } from '../generate/serialize.js';
import { planPositive, finishPositive, type OperationPlan, type PlanContext } from './positive.js';
import { planNegative } from './negative.js';
import { planAuth } from './auth.js';
import { methodsByPath, planMethods, planUnknownPath } from './methods.js';
import { planChains } from './stateful.js';
import { proveRequest } from './prove.js';
import { operationLevels } from './order.js';
import { ValuePool, type CreatedRecord } from './pool.js';
import { STEP } from './stateful-steps.js';
import { deriveVariations, proseRulesOf } from './variations.js';
import type { PlanKinds } from './index.js';

/** Tries to find an accepted request: the examples first, then the other proven-valid candidates. */
export const BASELINE_TRIES = 6;

export interface SendOptions {
  /** run the checks and count the case (false for setup and cleanup requests) */
  checks: boolean;
  /** let the answer's values feed the pool (baselines only) */
  feed: boolean;
}

export interface Send {
  (c: Case, options: SendOptions): Promise<Exchange>;
  /** runs the checks on an answer that was sent with `checks: false` (a chain's probe that turned out to count) */
  judge?: (exchange: Exchange) => void;
}

export interface UnitOutcome {
  operation: Operation;
  notCovered: string[];
  dropped: number;
  /** the accepted request everything else was derived from */
  baseline?: Case;
  /** chains' own skipped steps, already phrased */
  skipped: string[];
}

export interface OperationUnit {
  operation: Operation;
  level: number;
  /** a producer outside this shard whose baseline the shard's consumers need: sent, not checked, not counted */
  setup: boolean;
  run(send: Send, signal?: AbortSignal): Promise<UnitOutcome>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function accepted(exchange: Exchange): boolean {
  const status = exchange.response?.status;
  return status !== undefined && status >= 200 && status < 300;
}

function lastAnswer(exchange: Exchange | undefined): string {
  if (!exchange) return 'nothing sent';
  if (exchange.transportError) return `${exchange.transportError.kind}: ${exchange.transportError.message}`;
  const r = exchange.response!;
  const text = Buffer.from(r.body.subarray(0, 160)).toString('utf8').replace(/\s+/g, ' ').trim();
  return `${r.status}${text ? ` ${text}` : ''}`;
}

async function sendAll(cases: Case[], send: Send, signal?: AbortSignal): Promise<Exchange[]> {
  const out: Exchange[] = [];
  await Promise.all(cases.map(async (c) => {
    if (signal?.aborted) return;
    out.push(await send(c, { checks: true, feed: false }));
  }));
  return out;
}

export interface AdaptivePlan {
  /** levels in run order; the units of one level run concurrently */
  levels: OperationUnit[][];
  pool: ValuePool;
}

/**
 * Units for `operations` (this shard) plus setup units for the producers of `scope` outside it that run
 * before some operation of the shard, so that a shard fills references exactly as the whole run does.
 */
export function planAdaptive(operations: Operation[], ctx: PlanContext, kinds: PlanKinds = {}, scope: Operation[] = ctx.spec.operations): AdaptivePlan {
  const pool = new ValuePool();
  const levelOf = operationLevels(scope, ctx.spec.schemas);
  for (const op of operations) if (!levelOf.has(op)) levelOf.set(op, 0);
  const byPath = methodsByPath(ctx.spec.operations);
  const firstOfPath = new Map<string, Operation>();
  for (const op of scope) if (!firstOfPath.has(op.path)) firstOfPath.set(op.path, op);
  const order = new Map(scope.map((op, i) => [op, i]));
  const mine = new Set(operations);
  const highest = Math.max(-1, ...operations.map((op) => levelOf.get(op)!));
  const units: OperationUnit[] = [];
  for (const op of scope) {
    const level = levelOf.get(op)!;
    if (mine.has(op)) continue;
    if (level < highest && op.method !== 'delete' && (!kinds.readOnly || op.method === 'get')) units.push(setupUnit(op, level));
  }
  for (const op of operations) units.push(operationUnit(op, levelOf.get(op)!));

  function contextFor(level: number): PlanContext {
    // a fresh context per unit: stateful's per-context cache then holds values of this level's pool
    return { ...ctx, pool, poolLevel: level };
  }

  function baselineTries(op: Operation, plan: OperationPlan): Case[] {
    // requests holding an empty string go last: an empty name or path is the likeliest to break a rule the
    // document states only in prose, and is tried as a variation later anyway. Otherwise the plan's order
    // stands (its first case carries every optional parameter, which the negative cases then break)
    const rank = (c: Case): number => (c.source?.includes('example') ? 0 : holdsEmptyString(c.values) ? 2 : 1);
    const tries = plan.cases.filter((c) => c.source !== 'unicode');
    return tries.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map((x) => x.c).slice(0, BASELINE_TRIES);
  }

  async function findBaseline(op: Operation, plan: OperationPlan, level: number, send: Send, checks: boolean, signal?: AbortSignal): Promise<{ baseline?: Case; last?: Exchange; tried: number }> {
    let last: Exchange | undefined;
    let tried = 0;
    for (const candidate of baselineTries(op, plan)) {
      if (signal?.aborted) break;
      tried++;
      const prose = proseRulesOf(op, candidate.values, ctx);
      last = await send({ ...candidate, derivation: { phase: 'baseline-try', ...(prose.length > 0 ? { prose } : {}) } }, { checks, feed: true });
      if (accepted(last)) return { baseline: candidate, last, tried };
      // a dead connection will not accept the next try either
      if (last.transportError && last.transportError.kind !== 'timeout') break;
    }
    return { last, tried };
  }

  function setupUnit(op: Operation, level: number): OperationUnit {
    return {
      operation: op,
      level,
      setup: true,
      async run(send, signal) {
        const plan = planPositive(op, contextFor(level));
        await findBaseline(op, plan, level, send, false, signal);
        return { operation: op, notCovered: [], dropped: 0, skipped: [] };
      },
    };
  }

  function operationUnit(op: Operation, level: number): OperationUnit {
    return {
      operation: op,
      level,
      setup: false,
      async run(send, signal) {
        const octx = contextFor(level);
        const plan = planPositive(op, octx);
        const outcome: UnitOutcome = { operation: op, notCovered: [...plan.notCovered], dropped: plan.dropped, skipped: [] };
        if (kinds.readOnly && !SAFE_METHODS.has(op.method.toUpperCase())) {
          outcome.notCovered.push(`--read-only: ${op.method.toUpperCase()} not sent`);
          return outcome;
        }
        if (plan.cases.length === 0) {
          if ((kinds.negative || kinds.auth || kinds.methods) && outcome.notCovered.length === 0) {
            outcome.notCovered.push('no proven-valid request to start negative, auth and method cases from');
          }
          return outcome;
        }
        const found = await findBaseline(op, plan, level, send, true, signal);
        const first = plan.cases[0]!;
        const derived: Case[] = [];
        const readOnlyFilter = (cases: Case[]): Case[] => {
          if (!kinds.readOnly) return cases;
          const kept = cases.filter((c) => SAFE_METHODS.has(c.request.method));
          if (kept.length < cases.length) {
            const methods = [...new Set(cases.filter((c) => !kept.includes(c)).map((c) => c.request.method))].join(', ');
            outcome.notCovered.push(`--read-only: ${cases.length - kept.length} ${methods} case(s) not sent`);
          }
          return kept;
        };
        // method and unknown-path cases test the route, not the data: they need no accepted request
        const routeBase = found.baseline ?? first;
        if (kinds.methods && firstOfPath.get(op.path) === op) {
          derived.push(...planMethods(op, routeBase, byPath.get(op.path)!));
          if (op === scope[0]) derived.push(planUnknownPath(op, routeBase, ctx.seed));
        }
        if (kinds.auth) derived.push(...planAuth(op, routeBase, ctx.spec.securitySchemes, ctx.credentials, kinds.auth.limited));

        if (!found.baseline) {
          const madeUp = [...new Set(plan.cases.flatMap((c) => c.madeUp ?? []))];
          outcome.notCovered.push(
            `no request was accepted in ${found.tried} ${found.tried === 1 ? 'try' : 'tries'} (last answer: ${lastAnswer(found.last)})` +
              (madeUp.length > 0 ? `; made-up references: ${madeUp.join(', ')}` : '') +
              '; variations, negative cases and chains need an accepted request',
          );
          await sendAll(readOnlyFilter(derived), send, signal);
          return outcome;
        }
        const baseline = found.baseline;
        outcome.baseline = baseline;
        const variations = deriveVariationsOf(op, baseline, plan, octx);
        outcome.dropped += variations.dropped;
        const answers = await sendAll(readOnlyFilter(variations.cases), send, signal);
        const acceptedOnes = [baseline, ...answers.filter(accepted).map((e) => variations.cases.find((c) => c.id === e.case.id)!).filter(Boolean)];
        if (kinds.negative) {
          const neg = planNegative(op, acceptedOnes, octx, kinds.negative);
          derived.push(...neg.cases);
          outcome.dropped += neg.dropped;
        }
        await sendAll(readOnlyFilter(derived), send, signal);
        if (kinds.stateful !== false && !kinds.readOnly && !signal?.aborted) {
          const chainCtx = scope.length === ctx.spec.operations.length ? octx : { ...octx, spec: { ...octx.spec, operations: scope } };
          const chains = planChains(op, [baseline], chainCtx, kinds.stateful ?? { cleanup: true });
          await Promise.all(chains.map(async (chain) => {
            const exec: ChainExec = (c, how) => send(c, { checks: how?.probe !== true, feed: false });
            if (send.judge) exec.judge = send.judge;
            await chain.run(exec, signal);
            const skipped = (chain as { skipped?: string[] }).skipped ?? [];
            for (const reason of skipped) outcome.skipped.push(`${chain.id}: ${reason}`);
          }));
        }
        return outcome;
      },
    };
  }

  units.sort((a, b) => a.level - b.level || (order.get(a.operation) ?? 0) - (order.get(b.operation) ?? 0));
  const levels: OperationUnit[][] = [];
  for (const unit of units) {
    const lastLevel = levels[levels.length - 1];
    if (lastLevel && lastLevel[0]!.level === unit.level) lastLevel.push(unit);
    else levels.push([unit]);
  }
  return { levels, pool };
}

function deriveVariationsOf(op: Operation, baseline: Case, plan: OperationPlan, ctx: PlanContext): { cases: Case[]; dropped: number } {
  return deriveVariations(op, baseline, plan.cases, ctx, Math.max(2, ctx.maxPositive * 2));
}

// ------------------------------------------------------------------------------------------- cleanup

/** DELETE of a created record: the operation on the create's item path, or on the PUT's own path. */
function deleteFor(record: CreatedRecord, operations: Operation[]): { op: Operation; param?: string } | undefined {
  const create = record.operation;
  if (create.method === 'put') {
    const op = operations.find((o) => o.method === 'delete' && o.path === create.path);
    return op ? { op } : undefined;
  }
  for (const op of operations) {
    if (op.method !== 'delete' || !op.path.startsWith(`${create.path.replace(/\/$/, '')}/{`)) continue;
    const rest = op.path.slice(create.path.replace(/\/$/, '').length + 1);
    const m = /^\{([^}]+)\}$/.exec(rest);
    if (m) return { op, param: m[1]! };
  }
  return undefined;
}

function idCandidates(record: CreatedRecord, param: string): unknown[] {
  const out: unknown[] = [];
  for (const name of [param, 'id', '_id', 'uuid', 'name', 'key']) if (record.members[name] !== undefined) out.push(record.members[name]);
  const last = record.location?.split(/[?#]/)[0]!.split('/').filter(Boolean).pop();
  if (last !== undefined) out.push(decodeURIComponent(last));
  return [...new Set(out)];
}

/**
 * Deletes what the run created and no chain deleted, newest first (children before parents). Returns one
 * line per record it could not delete; with `cleanup` off, one line saying how many were kept.
 */
export async function cleanUpCreated(pool: ValuePool, ctx: PlanContext, send: Send, cleanup: boolean, signal?: AbortSignal): Promise<string[]> {
  const records = pool.createdRecords();
  if (records.length === 0) return [];
  if (!cleanup) return [`--no-cleanup: ${records.length} record(s) the run created were kept`];
  const left: string[] = [];
  const kept: CreatedRecord[] = [];
  for (const record of records) {
    if (record.deleted) continue; // a child deleted with its parent a moment ago
    if (signal?.aborted) {
      left.push(`not deleted (interrupted): created by ${record.operation.id} ${JSON.stringify(record.members).slice(0, 120)}`);
      continue;
    }
    const target = deleteFor(record, ctx.spec.operations);
    if (!target) {
      // a 200 to a POST without an item path is an action (a login, a search), not a record
      const itemPath = ctx.spec.operations.some((o) => o.path.startsWith(`${record.operation.path.replace(/\/$/, '')}/{`));
      if (record.status === 201 || itemPath) kept.push(record);
      continue;
    }
    let done = false;
    let answer = 'no id of the record fits the DELETE';
    for (const id of target.param ? idCandidates(record, target.param) : [undefined]) {
      const path = { ...record.pathValues, ...(target.param ? { [target.param]: id } : {}) };
      let request: HttpRequest;
      try {
        request = finishPositive(target.op, buildRequest(target.op, { path, query: {}, header: {}, cookie: {} }, { bundle: ctx.spec.schemas }), ctx);
      } catch {
        continue;
      }
      if (!proveRequest(target.op, request, ctx).ok) continue;
      const c: Case = {
        id: `${target.op.id}#cleanup`,
        operation: target.op,
        kind: 'stateful',
        request,
        values: { path },
        expect: { documented: target.op.responses.map((r) => r.status), outcome: 'any' },
        source: 'cleanup',
        chain: { chain: 'cleanup', step: STEP.cleanup, previous: [] },
      };
      const exchange = await send(c, { checks: false, feed: false });
      const status = exchange.response?.status;
      answer = lastAnswer(exchange);
      // a 404 says only that this id is not the record's: a record gone with its parent was marked already
      if (status !== undefined && status >= 200 && status < 300) {
        done = true;
        break;
      }
    }
    if (!done) left.push(`not deleted: ${record.operation.id} created ${JSON.stringify(record.members).slice(0, 120)}; ${target.op.id} answered ${answer}`);
  }
  // no count: a line a run and its shards say alike, so that merged shards equal the whole run
  // said after every delete: a child whose parent went since is gone too
  for (const id of new Set(kept.filter((r) => !r.deleted).map((r) => r.operation.id))) left.push(`not deleted: the records created by ${id}; the document has no DELETE for them`);
  return left;
}

function holdsEmptyString(node: unknown, depth = 0): boolean {
  if (node === '') return true;
  if (depth > 6 || node === null || typeof node !== 'object') return false;
  return Object.values(node as Record<string, unknown>).some((v) => holdsEmptyString(v, depth + 1));
}
