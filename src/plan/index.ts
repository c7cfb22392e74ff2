import type { Operation } from '../model.js';
import { planPositive, type OperationPlan, type PlanContext } from './positive.js';
import { planNegative, type NegativeOptions } from './negative.js';
import { planAuth, type LimitedIdentity } from './auth.js';
import { methodsByPath, planMethods, planUnknownPath } from './methods.js';
import { planChains, type ChainOptions } from './stateful.js';
import { filterOperations, type OperationFilter } from './filter.js';

export type { OperationPlan, PlanContext } from './positive.js';
export type { Credentials } from './credentials.js';
export type { NegativeOptions } from './negative.js';
export type { LimitedIdentity } from './auth.js';
export { UNKNOWN_PATH_OPERATION_ID } from './methods.js';
export { filterOperations, isEmptyFilter, pathGlobToRegExp, type OperationFilter } from './filter.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface PlanSelection {
  /** --operation, --tag, --path, --method, --exclude-operation: applied before sharding */
  filter?: OperationFilter;
  /** --shard i/n: a deterministic slice by operation (1-based index) of the filtered operations */
  shard?: { index: number; count: number };
}

/** The operations a run covers, in document order: filtered, then sharded. */
export function selectOperations(operations: Operation[], selection: PlanSelection = {}): Operation[] {
  const filtered = filterOperations(operations, selection.filter);
  const shard = selection.shard;
  if (!shard) return filtered;
  return filtered.filter((_, i) => i % shard.count === shard.index - 1);
}

export interface PlanKinds {
  /** negative cases; none when absent */
  negative?: NegativeOptions;
  /** auth cases (no / bad / limited credentials) for secured operations */
  auth?: { limited?: LimitedIdentity };
  /** undocumented methods per path, and one unknown path */
  methods?: boolean;
  /** stateful chains from creates (plan/stateful.ts); on with cleanup unless false */
  stateful?: ChainOptions | false;
  /** only GET, HEAD and OPTIONS requests (shared environments); what is skipped is reported */
  readOnly?: boolean;
}

/** The context with the document's operations narrowed to `scope`: chains then never step outside the filter. */
function narrowed(ctx: PlanContext, scope: Operation[]): PlanContext {
  if (scope.length === ctx.spec.operations.length) return ctx;
  return { ...ctx, spec: { ...ctx.spec, operations: scope } };
}

/**
 * Plans operation by operation, lazily: the first request can go out before the last operation is planned,
 * and a 1000-operation document never holds every case in memory at once.
 *
 * `operations` is this run's slice (after filter and shard); `scope` is what every shard of the run covers
 * together (after the filter, before sharding; the whole document by default). Path-wide cases (undocumented
 * methods, the unknown path) go to the first operation of the path within `scope`, so that the n shards
 * plan each of them exactly once; chains are planned by their create and only step on operations of `scope`.
 */
export function* planOperations(
  operations: Operation[],
  ctx: PlanContext,
  kinds: PlanKinds = {},
  scope: Operation[] = ctx.spec.operations,
): Generator<OperationPlan> {
  // the documented methods of a path come from the whole document, whatever the filter
  const byPath = methodsByPath(ctx.spec.operations);
  const firstOfPath = new Map<string, Operation>();
  for (const op of scope) if (!firstOfPath.has(op.path)) firstOfPath.set(op.path, op);
  const chainCtx = narrowed(ctx, scope);

  for (const op of operations) {
    const plan = planPositive(op, ctx);
    const base = plan.cases[0];
    if (base) {
      if (kinds.negative) {
        const neg = planNegative(op, plan.cases.filter((c) => c.kind === 'positive'), ctx, kinds.negative);
        plan.cases.push(...neg.cases);
        plan.dropped += neg.dropped;
      }
      if (kinds.auth) {
        plan.cases.push(...planAuth(op, base, ctx.spec.securitySchemes, ctx.credentials, kinds.auth.limited));
      }
      if (kinds.methods && firstOfPath.get(op.path) === op) {
        plan.cases.push(...planMethods(op, base, byPath.get(op.path)!));
        if (op === scope[0]) plan.cases.push(planUnknownPath(op, base, ctx.seed));
      }
      if (kinds.stateful !== false && !kinds.readOnly) {
        plan.chains.push(...planChains(op, plan.cases.filter((c) => c.kind === 'positive'), chainCtx, kinds.stateful ?? { cleanup: true }));
      }
    } else if ((kinds.negative || kinds.auth || kinds.methods) && plan.notCovered.length === 0) {
      plan.notCovered.push('no proven-valid request to start negative, auth and method cases from');
    }
    if (kinds.readOnly) {
      const unsafe = plan.cases.filter((c) => !SAFE_METHODS.has(c.request.method));
      if (unsafe.length > 0) {
        plan.cases = plan.cases.filter((c) => SAFE_METHODS.has(c.request.method));
        const methods = [...new Set(unsafe.map((c) => c.request.method))].join(', ');
        plan.notCovered.push(`--read-only: ${unsafe.length} ${methods} case(s) not sent`);
      }
    }
    yield plan;
  }
}
