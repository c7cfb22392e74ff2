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

export class ValuePool {
  private readonly entries: PoolEntry[] = [];
  private readonly seen = new Set<string>();

  /** Harvests an exchange: a 2xx JSON body's scalar members and its Location. Other answers teach nothing. */
  observe(exchange: Exchange): void {
    const status = exchange.response?.status;
    if (status === undefined || status < 200 || status >= 300) return;
    const op = exchange.case.operation;
    const method = exchange.request?.method ?? exchange.case.request.method;
    if (method === 'DELETE') {
      this.markDeleted(exchange.case.values?.path ?? {});
      return;
    }
    const created = method === 'POST' || (method === 'PUT' && status === 201);
    const collection = collectionOf(op.path);
    if (exchange.json?.ok) this.harvest(exchange.json.value, collection, created, op, 0);
    const location = exchange.response?.headers['location'];
    if (typeof location === 'string' && location !== '') {
      const last = location.split(/[?#]/)[0]!.split('/').filter(Boolean).pop();
      if (last !== undefined) this.add({ member: 'id', value: decodeSafe(last), collection, created, operation: op.id });
    }
  }

  private harvest(value: unknown, collection: string, created: boolean, op: Operation, depth: number): void {
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, MAX_ITEMS)) this.harvest(item, collection, false, op, depth + 1);
      return;
    }
    for (const [member, v] of Object.entries(value as Record<string, unknown>)) {
      if ((typeof v === 'string' && v !== '' && v.length <= 200) || (typeof v === 'number' && Number.isFinite(v))) {
        // only the record's own members are "created"; values nested in it were merely mentioned
        this.add({ member, value: v, collection, created: created && depth === 0, operation: op.id });
      } else if (typeof v === 'object' && v !== null) {
        // a list wrapped in an envelope ({ items: [...] }) belongs to the same collection
        this.harvest(v, collection, false, op, depth + 1);
      }
    }
  }

  private add(entry: PoolEntry): void {
    const key = `${entry.collection}\n${entry.member}\n${String(entry.value)}`;
    if (this.seen.has(key)) {
      // a record first seen in a list and then created by the run is still the run's
      if (entry.created) for (const e of this.entries) if (`${e.collection}\n${e.member}\n${String(e.value)}` === key) e.created = true;
      return;
    }
    if (this.entries.filter((e) => e.collection === entry.collection && e.member === entry.member).length >= MAX_PER_KEY) return;
    this.seen.add(key);
    this.entries.push(entry);
  }

  private markDeleted(pathValues: Record<string, unknown>): void {
    const values = new Set(Object.values(pathValues).map(String));
    for (const e of this.entries) if (e.created && values.has(String(e.value))) e.deleted = true;
  }

  /**
   * Values for a reference named `name`, best first: the same member name anywhere, then the `id`-like
   * members of the collection the name points at ('customerId' → id of 'customers'), then, for a path
   * parameter, the members of the collection right before it in the path.
   */
  candidates(name: string, opts: { pathCollection?: string; createdOnly?: boolean } = {}): PoolEntry[] {
    const live = this.entries.filter((e) => !e.deleted && (!opts.createdOnly || e.created));
    const out: PoolEntry[] = [];
    const push = (list: PoolEntry[]): void => {
      // newest first: the record the run made last is the one most likely to still exist
      for (const e of [...list].reverse()) if (!out.includes(e)) out.push(e);
    };
    const base = referenceBase(name);
    const idMembers = ID_MEMBERS;
    if (opts.pathCollection) {
      const collection = opts.pathCollection;
      push(live.filter((e) => e.collection === collection && e.member === name));
      push(live.filter((e) => e.collection === collection && idMembers.includes(e.member.toLowerCase())));
      if (base) push(live.filter((e) => e.collection === collection && e.member.toLowerCase() === base.kind));
    }
    if (base) {
      const matches = (c: string): boolean => c === base.entity || singular(c) === base.entity;
      push(live.filter((e) => matches(e.collection) && e.member.toLowerCase() === base.kind));
      if (base.kind === 'id') push(live.filter((e) => matches(e.collection) && idMembers.includes(e.member.toLowerCase())));
    }
    push(live.filter((e) => e.member === name));
    return out;
  }

  /** The records this run created and has not deleted, newest first. */
  createdRecords(): PoolEntry[] {
    return this.entries.filter((e) => e.created && !e.deleted).reverse();
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
const REFERENCE_WORDS = /\b(?:id|identifier|uuid|key|name|code) of (?:an? |the )?(?:existing|[a-z]+)\b|\bmust (?:exist|name an existing|refer)|\breferences? (?:an? |the )?[a-z]+/i;

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
