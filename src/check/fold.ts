// One exchange, one cause: when several checks fire on one answer for the same reason, the most specific
// finding stays and the others are kept inside it (Finding.folded). The precedence lives in registry.ts.
import { worseSeverity, type Exchange, type Finding, type FoldedFinding } from '../model.js';

/** `keep` absorbs findings of the `absorb` checks on the same exchange, when `when` (if given) agrees. */
export interface FoldRule {
  keep: string;
  absorb: readonly string[];
  /** why the absorbed findings have the keeper's cause; said in `list-checks --folds` and the docs */
  why: string;
  when?: (kept: Finding, other: Finding, exchange: Exchange) => boolean;
}

function asFolded(f: Finding): FoldedFinding {
  const out: FoldedFinding = { check: f.check, category: f.category, severity: f.severity, message: f.message };
  if (f.expected !== undefined) out.expected = f.expected;
  if (f.actual !== undefined) out.actual = f.actual;
  if (f.specPointer !== undefined) out.specPointer = f.specPointer;
  return out;
}

/**
 * Folds the findings of one exchange by `rules`, in rule order. A folded finding's own folded ones move
 * along with it; the keeper takes the worse severity, so folding never lets a run pass that failed.
 */
export function foldFindings(findings: Finding[], rules: readonly FoldRule[]): Finding[] {
  if (findings.length < 2) return findings;
  const live = new Set(findings);
  for (const rule of rules) {
    const keepers = findings.filter((f) => live.has(f) && f.check === rule.keep);
    if (keepers.length === 0) continue;
    for (const other of findings) {
      if (!live.has(other) || !rule.absorb.includes(other.check)) continue;
      const keeper = keepers.find((k) => rule.when === undefined || rule.when(k, other, k.exchange));
      if (keeper === undefined) continue;
      live.delete(other);
      keeper.folded = [...(keeper.folded ?? []), asFolded(other), ...(other.folded ?? [])];
      keeper.severity = worseSeverity(keeper.severity, other.severity);
    }
  }
  return findings.filter((f) => live.has(f));
}

/** Every body member `other` is about is one `kept` is about too (both must name some). */
export function sameMembers(kept: Finding, other: Finding): boolean {
  const mine = new Set(kept.about?.members ?? []);
  const theirs = other.about?.members ?? [];
  return mine.size > 0 && theirs.length > 0 && theirs.every((m) => mine.has(m));
}

/** Every header `other` is about is one `kept` is about too. */
export function sameHeaders(kept: Finding, other: Finding): boolean {
  const mine = new Set((kept.about?.headers ?? []).map((h) => h.toLowerCase()));
  const theirs = (other.about?.headers ?? []).map((h) => h.toLowerCase());
  return mine.size > 0 && theirs.length > 0 && theirs.every((h) => mine.has(h));
}

/** The top-level body members a negative case broke on purpose ('body/age' → 'age'). */
export function brokenMembers(exchange: Exchange): string[] {
  const where = exchange.case.why?.where ?? '';
  const member = /^body\/([^/]+)/.exec(where)?.[1];
  return member === undefined ? [] : [member];
}
