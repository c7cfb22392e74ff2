import type { Operation } from '../model.js';
import { planPositive, type OperationPlan, type PlanContext } from './positive.js';
import { planNegative, type NegativeOptions } from './negative.js';

export type { OperationPlan, PlanContext } from './positive.js';
export type { Credentials } from './credentials.js';
export type { NegativeOptions } from './negative.js';

export interface PlanSelection {
  /** --shard i/n: a deterministic slice by operation (1-based index) */
  shard?: { index: number; count: number };
}

/** The operations a run covers, in document order, after sharding. */
export function selectOperations(operations: Operation[], selection: PlanSelection = {}): Operation[] {
  const shard = selection.shard;
  if (!shard) return operations;
  return operations.filter((_, i) => i % shard.count === shard.index - 1);
}

/**
 * Plans operation by operation, lazily: the first request can go out before the last operation is planned,
 * and a 1000-operation document never holds every case in memory at once.
 */
export function* planOperations(
  operations: Operation[],
  ctx: PlanContext,
  negative?: NegativeOptions,
): Generator<OperationPlan> {
  for (const op of operations) {
    const plan = planPositive(op, ctx);
    const base = plan.cases[0];
    if (negative && base) {
      const neg = planNegative(op, base, ctx, negative);
      plan.cases.push(...neg.cases);
      plan.dropped += neg.dropped;
    } else if (negative && plan.cases.length === 0 && plan.notCovered.length === 0) {
      plan.notCovered.push('negative cases need a proven-valid request to start from');
    }
    yield plan;
  }
}
