import { SEVERITIES, SEVERITY_RANK, type Finding, type Severity } from '../rules/types.js';
import type { Summary } from './types.js';

/** Counts what a report's summary needs while findings stream past, without holding the findings. */
export interface SummaryCounter {
  /** Counts one scanned resource (or `n` of them), whether or not it has findings. */
  countResource(n?: number): void;
  add(finding: Finding): void;
  /** add() for a finding known only by its rule and severity (audited in a worker thread). */
  addCount(ruleId: string, severity: Severity): void;
  /**
   * Counts a finding a dictionary suppression covers (left out of the findings and of atOrAbove), against
   * `suppression`, the index in policy.suppressions of the one that took it (what the auditor's onSuppressed hears).
   */
  countSuppressed(suppression?: number): void;
  /** Findings each suppression took, by index in policy.suppressions: `count` entries, 0 for one that took none. */
  suppressedBy(count: number): number[];
  /** A fresh snapshot; `byRule` keys are sorted so the output does not depend on scan order. */
  result(): Summary;
  /** How many findings are at or above `severity` (what `--fail-on` compares against). */
  atOrAbove(severity: Severity): number;
}

export function createSummaryCounter(): SummaryCounter {
  // Plain locals and one Map lookup per finding: this runs for every finding of a 1 M-resource scan.
  let resources = 0;
  let findings = 0;
  let errors = 0;
  let warnings = 0;
  let notes = 0;
  let suppressed = 0;
  // Grown on the first finding of an index only, so it stays a packed array of small integers.
  const bySuppression: number[] = [];
  const byRule = new Map<string, { n: number }>();
  const bySeverity = (): Record<Severity, number> => ({ error: errors, warning: warnings, note: notes });
  function addCount(ruleId: string, severity: Severity): void {
    findings += 1;
    switch (severity) {
      case 'error':
        errors += 1;
        break;
      case 'warning':
        warnings += 1;
        break;
      case 'note':
        notes += 1;
        break;
    }
    const cell = byRule.get(ruleId);
    if (cell) cell.n += 1;
    else byRule.set(ruleId, { n: 1 });
  }

  return {
    countResource(n = 1) {
      resources += n;
    },
    add(finding) {
      addCount(finding.ruleId, finding.severity);
    },
    addCount,
    countSuppressed(suppression) {
      suppressed += 1;
      if (suppression === undefined) return;
      while (bySuppression.length <= suppression) bySuppression.push(0);
      bySuppression[suppression] = bySuppression[suppression]! + 1;
    },
    suppressedBy(count) {
      const out = new Array<number>(count).fill(0);
      for (let i = 0; i < count && i < bySuppression.length; i++) out[i] = bySuppression[i]!;
      return out;
    },
    result() {
      const rules: Record<string, number> = {};
      for (const id of [...byRule.keys()].sort()) rules[id] = byRule.get(id)?.n ?? 0;
      return { resources, findings, bySeverity: bySeverity(), byRule: rules, suppressed };
    },
    atOrAbove(severity) {
      const counts = bySeverity();
      const floor = SEVERITY_RANK[severity];
      let n = 0;
      for (const sev of SEVERITIES) if (SEVERITY_RANK[sev] >= floor) n += counts[sev];
      return n;
    },
  };
}
