import type { TextOut } from '../cli/deps.js';
import type { Policy } from '../dictionary/policy.js';
import { hasExpired, utcDay, type Suppression } from '../dictionary/suppression.js';
import { displayPath } from '../report/display-path.js';
import type { SummaryCounter } from '../report/summary.js';
import type { Report, ScanScope } from '../report/types.js';
import type { LevelSettings } from '../rules/configured-severity.js';
import { everyNamedRuleOff } from '../rules/rule-levels.js';

/** How many findings one of the dictionary's suppressions took in a run. */
export interface SuppressionUse {
  /** Index in policy.suppressions. */
  readonly index: number;
  readonly suppression: Suppression;
  readonly matched: number;
}

/** What a finished run tells about its suppressions (an AuditRunResult is one). */
export interface SuppressedRun {
  readonly report: Pick<Report, 'run'>;
  readonly summary: Pick<SummaryCounter, 'suppressedBy'>;
}

/** What the notes read of the dictionary: where it is, its suppressions, and the settings that turn rules off. */
export type NotedPolicy = Pick<Policy, 'path' | 'suppressions'> & LevelSettings;

/** Every suppression of the policy, in dictionary order, with the findings it took in the run. */
export function suppressionUses(policy: Pick<Policy, 'suppressions'>, run: SuppressedRun): SuppressionUse[] {
  const matched = run.summary.suppressedBy(policy.suppressions.length);
  return policy.suppressions.map((suppression, index) => ({ index, suppression, matched: matched[index]! }));
}

/**
 * The stderr notes (without the trailing newline) about suppressions that took no finding in the run, so that stale
 * ones do not pile up and hide what comes later. A finding counts for the first suppression covering it, so one
 * that only covers what an earlier one takes is named too: it changes nothing.
 * - Only after a complete run: a partial one may not have read what a suppression is for, so then a single line
 *   says why none is named.
 * - Not an expired suppression: it no longer applies, and the dictionary's loading already said so.
 * - Not one the scan's scope cannot reach: a live scan of other accounts or regions than all those it names.
 */
export function unusedSuppressionNotes(policy: NotedPolicy, run: SuppressedRun, today: string): string[] {
  const { scope, status } = run.report.run;
  const unused = suppressionUses(policy, run).filter((u) => u.matched === 0 && !hasExpired(u.suppression, today) && withinScope(u.suppression, scope));
  if (unused.length === 0) return [];
  if (status !== 'complete') {
    const n = unused.length;
    return [
      `tagaudit: ${n === 1 ? '1 suppression' : `${n} suppressions`} matched no finding, but the scan is incomplete: ${n === 1 ? 'it' : 'they'} may cover what could not be read, so ${n === 1 ? 'it is' : 'they are'} not reported as unused`,
    ];
  }
  return unused.map(({ index, suppression: s }) => {
    const path = displayPath(policy.path);
    const where = s.line !== undefined ? `${path}:${s.line}` : `${path} (suppression ${index + 1})`;
    const rules = [...s.rules];
    const off = everyNamedRuleOff(s, policy) ? ': every rule it names is off' : '';
    return `tagaudit: ${where}: suppression (${rules.join(', ')}) matched no finding in this scan${off}; remove it if it is no longer needed`;
  });
}

/** Writes unusedSuppressionNotes to `notes` (stderr, or nothing under -q): what scan and fix do after their audit. */
export function noteUnusedSuppressions(policy: NotedPolicy, run: SuppressedRun, notes: TextOut, now: Date): void {
  for (const line of unusedSuppressionNotes(policy, run, utcDay(now))) notes.write(`${line}\n`);
}

/**
 * Whether the scan's scope can hold something the suppression covers. Only a live scan knows its accounts and regions
 * (an inventory's are whatever its lines hold); a suppression is out of reach when none of its `accounts` was
 * scanned, or when each of its `resources` patterns names (without `*`) an account or region that was not.
 */
function withinScope(s: Suppression, scope: ScanScope): boolean {
  const accounts = scope.accounts ? new Set(scope.accounts) : undefined;
  const regions = scope.regions ? new Set(scope.regions) : undefined;
  if (accounts && s.accounts && ![...s.accounts].some((a) => accounts.has(a))) return false;
  if (s.resources && (accounts || regions)) {
    return s.resources.some((parts) => {
      // arn:partition:service:region:account:resource, read field by field as AWS writes them; a field holding `*`
      // may match anything. (Only silence depends on this reading: whether a suppression matched is the matcher's.)
      const fields = parts.join('*').split(':');
      const fixed = (field: string | undefined): field is string => field !== undefined && field !== '' && !field.includes('*');
      const region = fields[3];
      const account = fields[4];
      if (regions && fixed(region) && !regions.has(region)) return false;
      if (accounts && fixed(account) && !accounts.has(account)) return false;
      return true;
    });
  }
  return true;
}
