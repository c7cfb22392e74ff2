// The run's value pool: what the server itself produced (members of 2xx bodies, Location headers, the ids of
// what the run created), so that references (ids, names, keys) are filled with values that name real records.
// It is the feedback path of design.md: send/check hand observations here, plan reads them.
import type { Exchange, Operation } from '../model.js';

export interface PoolEntry {
  /** the member name the value was found under ('id', 'customerId', 'name') */
  member: string;
  value: string | number;
  /** the collection the record belongs to: the last static path segment of the producing operation ('customers') */
  collection: string;
  /** true when the record was created by this run (a 2xx to a POST/PUT): only these are deleted or changed */
  created: boolean;
  /** set once a DELETE of the record succeeded: not offered again */
  deleted?: boolean;
  /** the producing operation's id */
  operation: string;
}

/** Members deeper than this in a body are not harvested: ids of nested records are rarely addressable. */
const MAX_DEPTH = 3;
/** Array items harvested per array: enough to find references, bounded for large lists. */
const MAX_ITEMS = 20;
/** Entries kept per member name and collection. */
const MAX_PER_KEY = 20;

/** The last static segment of a path template: '/customers/{id}/notes' → 'notes'. */
export function collectionOf(path: string): string {
  const segments = path.split('/').filter((s) => s !== '' && !s.includes('{'));
  return (segments[segments.length - 1] ?? '').toLowerCase();
}

/** 'customers' → 'customer', 'categories' → 'category', 'boxes' → 'box'. */
export function singular(word: string): string {
  const w = word.toLowerCase();
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/(?:ss|x|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && w.length > 1) return w.slice(0, -1);
  return w;
}

/** A record the run created (a 2xx to a POST, or a 201 to a PUT): deleted when the run ends. */
export interface CreatedRecord {
  operation: Operation;
  /** the path values of the create (parents' ids) */
  pathValues: Record<string, unknown>;
  /** the created body's top-level scalar members (where its id lives) */
  members: Record<string, string | number>;
  location?: string;
  /** the create's status: a 201 says a record was made even where the document has no item path for it */
  status: number;
  deleted: boolean;
}

export interface Observation {
  /** feed the pool with what this answer holds (baselines only, so that every shard sees the same pool) */
  feed: boolean;
  /** the level of the operation in the run's order: its values are offered from the next level on */
  level: number;
  /** document order of the producing operation, for a stable order of candidates */
  order: number;
}

export class ValuePool {
  private readonly entries: Array<PoolEntry & { level: number; order: number; index: number }> = [];
  private readonly byKey = new Map<string, PoolEntry & { level: number; order: number; index: number }>();
  private readonly records: CreatedRecord[] = [];

  /**
   * Learns from an exchange: a 2xx to a create is a record to delete at the end; a fed 2xx JSON body gives
   * its scalar members, and a Location its id. Other answers teach nothing.
   */
  observe(exchange: Exchange, how: Observation): void {
    const status = exchange.response?.status;
    if (status === undefined || status < 200 || status >= 300) return;
    const op = exchange.case.operation;
    const method = exchange.request?.method ?? exchange.case.request.method;
    if (method === 'DELETE') {
      // the record is the one the last path parameter names ('/customers/{c}/notes/{n}' deletes note n, not c)
      const last = /\{([^}]+)\}[^{]*$/.exec(op.path)?.[1];
      const value = last === undefined ? undefined : exchange.case.values?.path?.[last];
      if (value !== undefined && value !== null) this.markDeleted(String(value));
      return;
    }
    const created = method === 'POST' || (method === 'PUT' && status === 201);
    const json = exchange.json?.ok ? exchange.json.value : undefined;
    const location = exchange.response?.headers['location'];
    if (created) {
      const members: Record<string, string | number> = {};
      if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
        for (const [k, v] of Object.entries(json as Record<string, unknown>)) if (typeof v === 'string' || typeof v === 'number') members[k] = v;
      }
      this.records.push({ operation: op, pathValues: { ...(exchange.case.values?.path ?? {}) }, members, ...(typeof location === 'string' ? { location } : {}), status, deleted: false });
    }
    if (!how.feed) return;
    const collection = collectionOf(op.path);
    if (json !== undefined) this.harvest(json, collection, created, op, 0, how);
    if (typeof location === 'string' && location !== '') {
      const last = location.split(/[?#]/)[0]!.split('/').filter(Boolean).pop();
      if (last !== undefined) this.add({ member: 'id', value: decodeSafe(last), collection, created, operation: op.id }, how);
    }
  }

  private harvest(value: unknown, collection: string, created: boolean, op: Operation, depth: number, how: Observation): void {
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, MAX_ITEMS)) this.harvest(item, collection, false, op, depth + 1, how);
      return;
    }
    for (const [member, v] of Object.entries(value as Record<string, unknown>)) {
      if ((typeof v === 'string' && v !== '' && v.length <= 200) || (typeof v === 'number' && Number.isFinite(v))) {
        // only the record's own members are "created"; values nested in it were merely mentioned
        this.add({ member, value: v, collection, created: created && depth === 0, operation: op.id }, how);
      } else if (typeof v === 'object' && v !== null) {
        // a list wrapped in an envelope ({ items: [...] }) belongs to the same collection
        this.harvest(v, collection, false, op, depth + 1, how);
      }
    }
  }

  private add(entry: PoolEntry, how: Observation): void {
    const key = `${entry.collection}\n${entry.member}\n${String(entry.value)}`;
    const known = this.byKey.get(key);
    if (known) {
      // a record first seen in a list and then created by the run is still the run's; the earliest level wins
      if (entry.created) known.created = true;
      if (how.level < known.level) known.level = how.level;
      return;
    }
    if (this.entries.filter((e) => e.collection === entry.collection && e.member === entry.member).length >= MAX_PER_KEY) return;
    const stored = { ...entry, level: how.level, order: how.order, index: this.entries.length };
    this.byKey.set(key, stored);
    this.entries.push(stored);
  }

  /** Forgets the record `value` names, and the records created under it ('/customers/{value}/notes'). */
  private markDeleted(value: string): void {
    for (const e of this.entries) if (e.created && String(e.value) === value) e.deleted = true;
    for (const r of this.records) {
      const own = ID_MEMBERS.some((m) => r.members[m] !== undefined && String(r.members[m]) === value) || (r.location?.endsWith(`/${value}`) ?? false);
      const child = Object.values(r.pathValues).some((v) => String(v) === value);
      if (own || child) r.deleted = true;
    }
  }

  /**
   * Values for a reference named `name`, best first: the same member name of the collection before `{name}`
   * in the path, that collection's id-like members, the collection the name points at ('customerId' → id of
   * 'customers'), then the same member name anywhere. Only values of levels before `beforeLevel` are offered,
   * in a stable order (records the run created first), so that a run and its shards fill alike.
   */
  candidates(name: string, opts: { pathCollection?: string; createdOnly?: boolean; beforeLevel?: number } = {}): PoolEntry[] {
    const limit = opts.beforeLevel ?? Infinity;
    const live = this.entries
      .filter((e) => !e.deleted && e.level < limit && (!opts.createdOnly || e.created))
      .sort((a, b) => Number(b.created) - Number(a.created) || a.order - b.order || String(a.value).localeCompare(String(b.value)));
    const out: PoolEntry[] = [];
    const push = (list: PoolEntry[]): void => {
      for (const e of list) if (!out.includes(e)) out.push(e);
    };
    const base = referenceBase(name);
    if (opts.pathCollection) {
      const collection = opts.pathCollection;
      push(live.filter((e) => e.collection === collection && e.member === name));
      push(live.filter((e) => e.collection === collection && ID_MEMBERS.includes(e.member.toLowerCase())));
    }
    if (base) {
      const matches = (c: string): boolean => c === base.entity || singular(c) === base.entity;
      push(live.filter((e) => matches(e.collection) && e.member.toLowerCase() === base.kind));
      if (base.kind === 'id') push(live.filter((e) => matches(e.collection) && ID_MEMBERS.includes(e.member.toLowerCase())));
    }
    push(live.filter((e) => e.member === name));
    return out;
  }

  /** The records this run created and no DELETE has removed, newest first (children before their parents). */
  createdRecords(): CreatedRecord[] {
    return this.records.filter((r) => !r.deleted).reverse();
  }

  /** Whether the server produced `value` somewhere in this run (any member, any collection). */
  knows(value: unknown): boolean {
    return (typeof value === 'string' || typeof value === 'number') && this.entries.some((e) => e.value === value);
  }

  get size(): number {
    return this.entries.length;
  }
}

const ID_MEMBERS = ['id', '_id', 'uuid', 'uid', 'key', 'name'];

/** 'customerId' → { entity: 'customer', kind: 'id' }; 'owner_name' → { entity: 'owner', kind: 'name' }. */
export function referenceBase(name: string): { entity: string; kind: string } | undefined {
  const m = /^(.+?)[_-]?(id|ids|uuid|key|name|code|ref)$/i.exec(name);
  if (!m || m[1]!.length < 2) return undefined;
  // camelCase needs the capital ('customerId', not 'paid'); snake/kebab the separator
  const boundary = name.length - m[2]!.length;
  const sep = name[boundary - 1] === '_' || name[boundary - 1] === '-';
  if (!sep && name[boundary] !== name[boundary]!.toUpperCase()) return undefined;
  const kind = m[2]!.toLowerCase() === 'ids' ? 'id' : m[2]!.toLowerCase();
  return { entity: singular(m[1]!.replace(/[_-]$/, '')), kind };
}

const REFERENCE_NAME = /^(?:id|_id|uuid|uid|key|name|code)$|(?:[a-z0-9](?:Id|ID|Ids|Uuid|Key|Name|Code|Ref)|[_-](?:id|ids|uuid|key|name|code|ref))$/;
const REFERENCE_WORDS = /\b(?:id|identifier|uuid|key|name|code|sku|slug) of (?:an? |the )?(?:existing|[a-z]+)\b|\bmust (?:exist|name an existing|refer)|\breferences? (?:an? |the )?[a-z]+/i;

/** A parameter or member whose value names a record: the server refuses a made-up one, rightly. */
export function isReferenceLike(name: string, description?: string): boolean {
  return REFERENCE_NAME.test(name) || (description !== undefined && REFERENCE_WORDS.test(description));
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
