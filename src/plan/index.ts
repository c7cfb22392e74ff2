import type { Operation } from '../model.js';
import { planPositive, type OperationPlan, type PlanContext } from './positive.js';

export type { OperationPlan, PlanContext } from './positive.js';
export type { Credentials } from './credentials.js';

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
export function* planOperations(operations: Operation[], ctx: PlanContext): Generator<OperationPlan> {
  for (const op of operations) yield planPositive(op, ctx);
}
