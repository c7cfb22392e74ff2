// One entry per (operation, check, rule): the same break found by many generated cases is one problem.
import { SEVERITY_RANK, worseSeverity, type CheckCategory, type Severity } from '../model.js';

export { worseSeverity };

/** What grouping needs of a finding; both Finding and JsonFinding have it. */
export interface GroupableFinding {
  check: string;
  category: CheckCategory;
  severity: Severity;
  operation: string;
  specPointer?: { file: string; pointer: string };
}

export interface FindingGroup {
  /** `operation␟check␟file#pointer`, stable across runs and shards */
  key: string;
  operation: string;
  check: string;
  category: CheckCategory;
  /** the worst severity among the members */
  severity: Severity;
  /** where the broken rule lives, when the findings cite one */
  rule?: { file: string; pointer: string; line?: number };
  count: number;
  /** index (into the findings given) of the smallest example of the worst severity */
  example: number;
  /** indexes of every member, in the order given */
  members: number[];
}

export function groupKey(f: GroupableFinding): string {
  const rule = f.specPointer ? `${f.specPointer.file}#${f.specPointer.pointer}` : '';
  return `${f.operation}\u241f${f.check}\u241f${rule}`;
}

/**
 * Groups findings by (operation, check, rule), in order of first appearance. `sizeOf` measures an example
 * (e.g. the length of its curl): the smallest one of the worst severity represents the group.
 */
export function groupFindings<F extends GroupableFinding>(
  findings: readonly F[],
  sizeOf: (finding: F) => number,
  lineOf: (finding: F) => number | undefined = () => undefined,
): FindingGroup[] {
  const byKey = new Map<string, FindingGroup>();
  const sizes = new Map<number, number>();
  const size = (i: number): number => {
    let s = sizes.get(i);
    if (s === undefined) sizes.set(i, (s = sizeOf(findings[i]!)));
    return s;
  };
  findings.forEach((f, i) => {
    const key = groupKey(f);
    const group = byKey.get(key);
    if (!group) {
      const created: FindingGroup = { key, operation: f.operation, check: f.check, category: f.category, severity: f.severity, count: 1, example: i, members: [i] };
      if (f.specPointer) {
        created.rule = { file: f.specPointer.file, pointer: f.specPointer.pointer };
        const line = lineOf(f);
        if (line !== undefined) created.rule.line = line;
      }
      byKey.set(key, created);
      return;
    }
    group.count++;
    group.members.push(i);
    const current = findings[group.example]!;
    const rank = SEVERITY_RANK[f.severity] - SEVERITY_RANK[current.severity];
    if (rank < 0 || (rank === 0 && size(i) < size(group.example))) group.example = i;
    group.severity = worseSeverity(group.severity, f.severity);
  });
  return [...byKey.values()];
}
