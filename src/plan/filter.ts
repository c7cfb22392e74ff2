// Which operations a run covers: --operation, --exclude-operation, --tag, --path, --method (all repeatable).
// Values of one kind are alternatives (OR); kinds combine (AND); exclusions are removed last.
import type { HttpMethod, Operation } from '../model.js';
import { HTTP_METHODS } from '../model.js';
import { InputError } from '../errors.js';

export interface OperationFilter {
  /** --operation: operation ids (the `operations` command lists them) */
  operations?: string[];
  /** --exclude-operation: operation ids never sent, not even by a stateful chain */
  excludeOperations?: string[];
  /** --tag: tags as written in the document (case-sensitive) */
  tags?: string[];
  /** --path: path-template globs; `*` one segment, `**` any number of segments (`/a/**` matches `/a` too) */
  paths?: string[];
  /** --method: HTTP methods, any case */
  methods?: string[];
}

export function isEmptyFilter(filter: OperationFilter | undefined): boolean {
  if (!filter) return true;
  return [filter.operations, filter.excludeOperations, filter.tags, filter.paths, filter.methods].every((v) => !v || v.length === 0);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

function segmentSource(segment: string): string {
  return [...segment].map((ch) => (ch === '*' ? '[^/]*' : ch === '?' ? '[^/]' : escapeRegExp(ch))).join('').replace(/(\[\^\/\]\*)+/g, '[^/]*');
}

/** A path-template glob as a regular expression over the whole template. */
export function pathGlobToRegExp(glob: string): RegExp {
  const [first = '', ...rest] = glob.split('/');
  // a '**' segment stands for nothing or any number of whole segments
  const source = rest.reduce((acc, segment) => acc + (segment === '**' ? '(?:/.*)?' : `/${segmentSource(segment)}`), segmentSource(first));
  return new RegExp(`^${source}$`);
}

function parseMethod(value: string): HttpMethod {
  const method = value.trim().toLowerCase() as HttpMethod;
  if (!HTTP_METHODS.includes(method)) {
    throw new InputError(`--method '${value}' is not an HTTP method (${HTTP_METHODS.map((m) => m.toUpperCase()).join(', ')})`);
  }
  return method;
}

interface Criterion {
  option: string;
  value: string;
  matches(op: Operation): boolean;
}

function criteria(filter: OperationFilter): { include: Criterion[][]; exclude: Criterion[] } {
  const byId = (option: string) => (value: string): Criterion => ({ option, value, matches: (op) => op.id === value });
  const include = [
    (filter.operations ?? []).map(byId('--operation')),
    (filter.tags ?? []).map((value): Criterion => ({ option: '--tag', value, matches: (op) => op.tags.includes(value) })),
    (filter.paths ?? []).map((value): Criterion => {
      const pattern = pathGlobToRegExp(value);
      return { option: '--path', value, matches: (op) => pattern.test(op.path) };
    }),
    (filter.methods ?? []).map((value): Criterion => {
      const method = parseMethod(value);
      return { option: '--method', value, matches: (op) => op.method === method };
    }),
  ].filter((group) => group.length > 0);
  return { include, exclude: (filter.excludeOperations ?? []).map(byId('--exclude-operation')) };
}

/** Ids that differ from `value` only in case, or contain it: a hint for a mistyped --operation. */
function similarIds(value: string, operations: Operation[]): string[] {
  const lower = value.toLowerCase();
  return operations.map((op) => op.id).filter((id) => id.toLowerCase() === lower || id.toLowerCase().includes(lower)).slice(0, 3);
}

function noMatch(criterion: Criterion, operations: Operation[]): InputError {
  const hint =
    criterion.option === '--operation' || criterion.option === '--exclude-operation'
      ? similarIds(criterion.value, operations)
      : [];
  const suffix = hint.length ? ` (did you mean ${hint.map((h) => `'${h}'`).join(', ')}?)` : ' (see the operations command)';
  return new InputError(`${criterion.option} '${criterion.value}' matches no operation of the document${suffix}`);
}

function describe(criteria: Criterion[]): string {
  return criteria.map((c) => `${c.option} '${c.value}'`).join(' ');
}

/**
 * The operations the filter selects, in document order. Throws InputError naming the filter when one of
 * its values matches no operation, or when the values together select nothing.
 */
export function filterOperations(operations: Operation[], filter: OperationFilter | undefined): Operation[] {
  if (isEmptyFilter(filter)) return operations;
  const { include, exclude } = criteria(filter!);
  for (const c of [...include.flat(), ...exclude]) {
    if (!operations.some((op) => c.matches(op))) throw noMatch(c, operations);
  }
  const included = operations.filter((op) => include.every((group) => group.some((c) => c.matches(op))));
  if (included.length === 0) {
    throw new InputError(`the filters ${describe(include.flat())} together select no operation (each alone selects some)`);
  }
  const selected = included.filter((op) => !exclude.some((c) => c.matches(op)));
  if (selected.length === 0) {
    const what = include.length ? `the operations selected by ${describe(include.flat())}` : 'every operation';
    throw new InputError(`${describe(exclude)} excludes ${what}: nothing is left to run`);
  }
  return selected;
}
