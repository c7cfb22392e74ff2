// Stateful chains: create a resource, then read, update, delete it with the id the server gave back, so the
// stateful checks can see whether the server keeps what it says it did (and single-call checks see real 200s).
import type { Case, Chain, ChainExec, Exchange, HttpRequest, Operation, Parameter } from '../model.js';
import { buildRequest, type RequestValues } from '../generate/serialize.js';
import { matchCredentials } from './credentials.js';
import { acceptFor, planPositive, type PlanContext } from './positive.js';
import { proveRequest } from './prove.js';
import { evaluateExpression } from './stateful-expressions.js';
import {
  STEP,
  getOperationFor,
  isSuccess,
  locationHeader,
  matchTemplate,
  resolveLocation,
  type StepName,
} from './stateful-steps.js';
import { chainTargets, type Target, type TargetParameter } from './stateful-targets.js';

export { STEP } from './stateful-steps.js';

export interface ChainOptions {
  /** delete what a chain created when it ends, where the API has a delete (--no-cleanup turns it off) */
  cleanup: boolean;
}

/** A chain with what it is made of, and why steps were left out (filled while it runs, too). */
export interface StatefulChain extends Chain {
  /** the steps it plans, in order */
  steps: StepName[];
  /** where the targets came from: the create's links, or its path */
  from: 'links' | 'paths';
  skipped: string[];
}

type Built = { ok: true; case: Case } | { ok: false; reason: string };

interface Planned {
  ctx: PlanContext;
  create: Case;
  chainId: string;
  skipped: string[];
  /** the inferred id that led to the created record, once a step found it */
  id?: IdCandidate;
}

// ------------------------------------------------------------------------------------------- values

/** Member names under which a created body may carry its id, best first. */
function idMembers(name: string): string[] {
  return [...new Set([name, 'id', '_id', 'uuid', 'name', 'key', name.toLowerCase()])];
}

/** A value the created resource may be addressed by, and where it came from. */
interface IdCandidate {
  value: unknown;
  /** 'member id', 'Location' */
  from: string;
  /** the server said so: its Location names this value under the target's path */
  proven: boolean;
}

function idFromLocation(created: Exchange, target: Operation, p: Parameter): unknown {
  const location = locationHeader(created);
  if (location === undefined) return undefined;
  const resolved = resolveLocation(created, location);
  if (resolved.kind !== 'same-base') return undefined;
  return matchTemplate(target.path, resolved.path)?.[p.name];
}

/**
 * Every value of the created answer that may be the id `p` wants, valid for its schema: the Location's first
 * (the server named it), then id-like members of the body in `idMembers` order.
 */
function idCandidates(created: Exchange, target: Operation, p: Parameter, ctx: PlanContext): IdCandidate[] {
  const valid = (value: unknown): boolean => p.schema !== undefined && ctx.validator.validate(p.schema, value, 'request').length === 0;
  const out: IdCandidate[] = [];
  const fromLocation = idFromLocation(created, target, p);
  if (fromLocation !== undefined && valid(fromLocation)) out.push({ value: fromLocation, from: 'Location', proven: true });
  const json = created.json;
  if (json?.ok === true && typeof json.value === 'object' && json.value !== null && !Array.isArray(json.value)) {
    const body = json.value as Record<string, unknown>;
    for (const member of idMembers(p.name)) {
      const value = body[member];
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      if (!valid(value) || out.some((c) => String(c.value) === String(value))) continue;
      out.push({ value, from: `member ${member}`, proven: false });
    }
  }
  return out;
}

function parameterValue(tp: TargetParameter, target: Target, created: Exchange, ctx: PlanContext, id: IdCandidate | undefined): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (tp.source.kind === 'expression') return evaluateExpression(tp.source.expression, created);
  if (id !== undefined) return { ok: true, value: id.value };
  const p = target.operation.parameters.find((q) => q.in === tp.in && q.name === tp.name)!;
  const first = idCandidates(created, target.operation, p, ctx)[0];
  if (first === undefined) return { ok: false, reason: `no id for ${tp.name}: neither an id-like member of the created body valid for its schema nor a Location under ${target.operation.path}` };
  return { ok: true, value: first.value };
}

function copyValues(values: Case['values']): RequestValues {
  const v = values ?? {};
  return {
    path: { ...(v.path ?? {}) },
    query: { ...(v.query ?? {}) },
    header: { ...(v.header ?? {}) },
    cookie: { ...(v.cookie ?? {}) },
    ...(v.body === undefined ? {} : { body: structuredClone(v.body) }),
    ...(v.mediaType === undefined ? {} : { mediaType: v.mediaType }),
  };
}

function withAuthAndAccept(op: Operation, request: HttpRequest, ctx: PlanContext): HttpRequest | string {
  const accept = acceptFor(op);
  if (accept) request.headers['Accept'] = accept;
  const auth = matchCredentials(op, ctx.spec.securitySchemes, ctx.credentials);
  if (auth.kind === 'unsatisfied') return `no credentials for ${op.id}: ${auth.needs.join(' or ')}`;
  return auth.kind === 'satisfied' ? auth.apply(request) : request;
}

function expectationFor(op: Operation, step: StepName): Case['expect'] {
  const outcome = step === STEP.readAfterDelete ? 'client-error' : step === STEP.deleteAgain ? 'any' : 'success';
  return { documented: op.responses.map((r) => r.status), outcome };
}

function stepCase(planned: Planned, op: Operation, step: StepName, request: HttpRequest, values: RequestValues | undefined, previous: Exchange[]): Case {
  return {
    id: `${planned.chainId}#${step}`,
    operation: op,
    kind: 'stateful',
    request,
    ...(values === undefined ? {} : { values }),
    expect: expectationFor(op, step),
    source: 'chain',
    chain: { chain: planned.chainId, step, previous: [...previous] },
  };
}

/** The request of a later step: the target's proven base values with the created id put in, proven again. */
function buildStep(planned: Planned, target: Target, base: Case['values'], step: StepName, previous: Exchange[], id = planned.id): Built {
  const created = previous[0]!;
  const values = copyValues(base);
  for (const tp of target.parameters) {
    const result = parameterValue(tp, target, created, planned.ctx, id);
    if (!result.ok) return { ok: false, reason: `${step} (${target.operation.id}): ${result.reason}` };
    (values[tp.in] as Record<string, unknown>)[tp.name] = result.value;
  }
  if (target.requestBody !== undefined) {
    const body = evaluateExpression(target.requestBody, created);
    if (!body.ok) return { ok: false, reason: `${step} (${target.operation.id}): requestBody ${body.reason}` };
    values.body = body.value;
  }
  let request: HttpRequest;
  try {
    request = buildRequest(target.operation, values, { bundle: planned.ctx.spec.schemas });
  } catch (error) {
    return { ok: false, reason: `${step} (${target.operation.id}): ${(error as Error).message}` };
  }
  const ready = withAuthAndAccept(target.operation, request, planned.ctx);
  if (typeof ready === 'string') return { ok: false, reason: `${step}: ${ready}` };
  const proof = proveRequest(target.operation, ready, planned.ctx);
  if (!proof.ok) return { ok: false, reason: `${step} (${target.operation.id}): the request with the created id is not valid: ${proof.reason}` };
  return { ok: true, case: stepCase(planned, target.operation, step, ready, values, previous) };
}

/** GET of the Location a create answered, when it lies under the base URL and some GET can stand for it. */
function buildFollowLocation(planned: Planned, read: Target | undefined, previous: Exchange[]): Built | undefined {
  const created = previous[0]!;
  const location = locationHeader(created);
  if (location === undefined) return undefined;
  const resolved = resolveLocation(created, location);
  if (resolved.kind !== 'same-base') return { ok: false, reason: `${STEP.followLocation}: Location ${location} not fetched (${resolved.kind})` };
  // A Location that matches no documented path is still fetched, as the read it should have been.
  const op = getOperationFor(planned.ctx.spec.operations, resolved.path) ?? read?.operation;
  if (!op) return { ok: false, reason: `${STEP.followLocation}: no GET operation for ${resolved.path}` };
  const ready = withAuthAndAccept(op, { method: 'GET', path: resolved.path, headers: {} }, planned.ctx);
  if (typeof ready === 'string') return { ok: false, reason: `${STEP.followLocation}: ${ready}` };
  return { ok: true, case: stepCase(planned, op, STEP.followLocation, ready, undefined, previous) };
}

// ------------------------------------------------------------------------------------------- base cases

const positivesCache = new WeakMap<PlanContext, Map<Operation, Case[]>>();

function positivesOf(op: Operation, ctx: PlanContext): Case[] {
  let byOp = positivesCache.get(ctx);
  if (!byOp) positivesCache.set(ctx, (byOp = new Map()));
  let cases = byOp.get(op);
  if (!cases) byOp.set(op, (cases = planPositive(op, ctx).cases.filter((c) => c.kind === 'positive')));
  return cases;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** How many members of an update body would change what the create sent (nulls reset, so they count too). */
function changes(update: Case, createBody: unknown): number {
  const body = update.values?.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 0;
  const before = typeof createBody === 'object' && createBody !== null ? (createBody as Record<string, unknown>) : {};
  return Object.entries(body).filter(([k, v]) => v !== null && !sameJson(v, before[k])).length;
}

/** The base values of a later step: for an update, the proven body that changes most of what was created. */
function baseValues(target: Target, create: Case, ctx: PlanContext): Case['values'] | string {
  const cases = positivesOf(target.operation, ctx);
  if (cases.length === 0) {
    const empty = copyValues(undefined);
    const needsBody = target.operation.requestBody?.required === true && target.requestBody === undefined;
    return needsBody ? `${target.operation.id}: no proven-valid request to start from` : empty;
  }
  if (target.role !== 'update') return cases[0]!.values;
  return [...cases].sort((a, b) => changes(b, create.values?.body) - changes(a, create.values?.body))[0]!.values;
}

// ------------------------------------------------------------------------------------------- chains

interface Steps {
  read?: { target: Target; base: Case['values'] };
  update?: { target: Target; base: Case['values'] };
  remove?: { target: Target; base: Case['values'] };
}


/** Runs steps in order, keeping what each answered, and stops on abort. */
class Runner {
  readonly previous: Exchange[] = [];
  constructor(
    private readonly exec: ChainExec,
    private readonly signal: AbortSignal | undefined,
    private readonly skipped: string[],
  ) {}

  get aborted(): boolean {
    return this.signal?.aborted === true;
  }

  async send(c: Case): Promise<Exchange> {
    const exchange = await this.exec(c);
    this.previous.push(exchange);
    return exchange;
  }

  /** Sends without checks; the answer joins the chain only through `keep`. */
  probe(c: Case): Promise<Exchange> {
    return this.exec(c, { probe: true });
  }

  /** A probe's answer that counts: checked now and kept as the step's exchange. */
  keep(exchange: Exchange): Exchange {
    this.exec.judge?.(exchange);
    this.previous.push(exchange);
    return exchange;
  }

  get canProbe(): boolean {
    return this.exec.judge !== undefined;
  }

  /** Sends a built step; a step that could not be built is noted and not sent. */
  async step(built: Built | undefined): Promise<Exchange | undefined> {
    if (built === undefined || this.aborted) return undefined;
    if (!built.ok) {
      this.skipped.push(built.reason);
      return undefined;
    }
    return this.send(built.case);
  }
}

function describe(c: IdCandidate): string {
  return `${c.from}=${JSON.stringify(c.value)}`;
}

/**
 * The first step that addresses the created record by an inferred id: each candidate (the Location's, then
 * the body's id-like members) is tried until one is answered 2xx; that answer is the step and fixes the id for
 * the rest of the chain. When none works, the step is reported only if the Location proved the id; otherwise
 * the chain stops as not covered, because the tool, not the server, may have picked the wrong member.
 */
async function addressedStep(runner: Runner, planned: Planned, target: Target, base: Case['values'], step: StepName): Promise<Exchange | undefined> {
  const inferred = target.parameters.find((tp) => tp.source.kind === 'created-id');
  if (runner.aborted) return undefined;
  if (inferred === undefined || planned.id !== undefined || !runner.canProbe) return runner.step(buildStep(planned, target, base, step, runner.previous));
  const p = target.operation.parameters.find((q) => q.in === inferred.in && q.name === inferred.name)!;
  const candidates = idCandidates(runner.previous[0]!, target.operation, p, planned.ctx);
  if (candidates.length === 0) return runner.step(buildStep(planned, target, base, step, runner.previous));
  const tried: string[] = [];
  const answers: Array<{ candidate: IdCandidate; exchange: Exchange }> = [];
  for (const candidate of candidates) {
    if (runner.aborted) return undefined;
    const built = buildStep(planned, target, base, step, runner.previous, candidate);
    if (!built.ok) {
      tried.push(`${describe(candidate)} (${built.reason})`);
      continue;
    }
    const exchange = await runner.probe(built.case);
    const status = exchange.response?.status;
    // a crash or a broken answer is the server's, whichever id was sent
    if (isSuccess(exchange) || status === undefined || status >= 500) {
      if (isSuccess(exchange)) planned.id = candidate;
      return runner.keep(exchange);
    }
    answers.push({ candidate, exchange });
    tried.push(`${describe(candidate)} → ${status}`);
  }
  const proven = answers.find((a) => a.candidate.proven);
  if (proven) {
    planned.id = proven.candidate;
    return runner.keep(proven.exchange);
  }
  planned.skipped.push(`${step} (${target.operation.id}): no candidate id led to the record (tried ${tried.join(', ')}); the chain's later steps were not sent`);
  return undefined;
}

function createCase(planned: Planned, step: StepName): Case {
  return {
    ...planned.create,
    id: `${planned.chainId}#${step}`,
    kind: 'stateful',
    expect: expectationFor(planned.create.operation, step),
    chain: { chain: planned.chainId, step, previous: [] },
  };
}

/** Sends the create; the chain goes on only when it succeeded (a failed create speaks through its own checks). */
async function startChain(runner: Runner, planned: Planned, step: StepName): Promise<boolean> {
  if (runner.aborted) return false;
  const created = await runner.send(createCase(planned, step));
  return isSuccess(created) && !runner.aborted;
}

async function cleanUp(runner: Runner, planned: Planned, steps: Steps, options: ChainOptions): Promise<void> {
  if (!options.cleanup || !steps.remove) return;
  // an id no step could confirm is left to the run's own cleanup, which tries every candidate unchecked
  if (planned.id === undefined && steps.remove.target.parameters.some((tp) => tp.source.kind === 'created-id')) return;
  await runner.step(buildStep(planned, steps.remove.target, steps.remove.base, STEP.cleanup, runner.previous));
}

function makeChain(
  planned: Planned,
  from: 'links' | 'paths',
  description: string,
  steps: StepName[],
  body: (runner: Runner) => Promise<void>,
): StatefulChain {
  return {
    id: planned.chainId,
    operation: planned.create.operation,
    description,
    steps,
    from,
    skipped: planned.skipped,
    async run(exec, signal) {
      await body(new Runner(exec, signal, planned.skipped));
    },
  };
}

function documentsLocation(op: Operation): boolean {
  return op.responses.some((r) => r.status.startsWith('2') && r.headers.some((h) => h.name.toLowerCase() === 'location'));
}

/**
 * The chains that start with `op`, a create (POST): create → read (→ its Location), create → update → read,
 * create → delete → read → delete again. Each chain makes its own resource and, with `cleanup`, deletes it at
 * the end. `positives` are the proven-valid cases of `op`; the first one is the create.
 */
export function planChains(op: Operation, positives: Case[], ctx: PlanContext, opts: ChainOptions): Chain[] {
  if (op.method !== 'post') return [];
  const create = positives.find((c) => c.kind === 'positive');
  if (!create) return [];
  // Links to operations that are not a read, update or delete are not chain steps: not a coverage gap.
  const { targets, from } = chainTargets(op, ctx.spec.operations);
  const steps: Steps = {};
  const skipped: string[] = [];
  for (const target of targets) {
    const base = baseValues(target, create, ctx);
    if (typeof base === 'string') {
      skipped.push(base);
      continue;
    }
    const entry = { target, base };
    if (target.role === 'read') steps.read = entry;
    else if (target.role === 'update') steps.update = entry;
    else steps.remove = entry;
  }
  const planned = (name: string): Planned => ({ ctx, create, chainId: name, skipped: [...skipped] });
  const chains: StatefulChain[] = [];
  const { read, update, remove } = steps;
  const cleanupNote = opts.cleanup && remove ? `, then ${remove.target.operation.id} cleans up` : '';

  if (read || documentsLocation(op)) {
    const p = planned([op.id, read?.target.operation.id ?? 'Location'].join('→'));
    const names: StepName[] = [STEP.create, ...(read ? [STEP.readAfterCreate] : []), STEP.followLocation, ...(cleanupNote ? [STEP.cleanup] : [])];
    chains.push(
      makeChain(p, from, `${op.id} creates; ${read ? `${read.target.operation.id} reads it back; ` : ''}its Location is fetched${cleanupNote}`, names, async (runner) => {
        if (!(await startChain(runner, p, STEP.create))) return;
        const readBack = read ? await addressedStep(runner, p, read.target, read.base, STEP.readAfterCreate) : undefined;
        // A resource that cannot be read by id says nothing about its Location.
        if (!read || isSuccess(readBack)) await runner.step(buildFollowLocation(p, read?.target, runner.previous));
        await cleanUp(runner, p, steps, opts);
      }),
    );
  }

  if (update && read) {
    const p = planned([op.id, update.target.operation.id, read.target.operation.id].join('→'));
    const names: StepName[] = [STEP.createForUpdate, STEP.update, STEP.readAfterUpdate, ...(cleanupNote ? [STEP.cleanup] : [])];
    chains.push(
      makeChain(p, from, `${op.id} creates; ${update.target.operation.id} changes it; ${read.target.operation.id} shows the change${cleanupNote}`, names, async (runner) => {
        if (!(await startChain(runner, p, STEP.createForUpdate))) return;
        const updated = await addressedStep(runner, p, update.target, update.base, STEP.update);
        if (isSuccess(updated)) await runner.step(buildStep(p, read.target, read.base, STEP.readAfterUpdate, runner.previous));
        await cleanUp(runner, p, steps, opts);
      }),
    );
  }

  if (remove) {
    const p = planned([op.id, remove.target.operation.id, ...(read ? [read.target.operation.id] : []), remove.target.operation.id].join('→'));
    const names: StepName[] = [STEP.createForDelete, STEP.delete, ...(read ? [STEP.readAfterDelete] : []), STEP.deleteAgain];
    chains.push(
      makeChain(p, from, `${op.id} creates; ${remove.target.operation.id} deletes it; ${read ? `${read.target.operation.id} must not find it; ` : ''}a second delete must not succeed`, names, async (runner) => {
        if (!(await startChain(runner, p, STEP.createForDelete))) return;
        const deleted = await addressedStep(runner, p, remove.target, remove.base, STEP.delete);
        if (!isSuccess(deleted)) return;
        if (read) await runner.step(buildStep(p, read.target, read.base, STEP.readAfterDelete, runner.previous));
        await runner.step(buildStep(p, remove.target, remove.base, STEP.deleteAgain, runner.previous));
      }),
    );
  }
  return chains;
}
