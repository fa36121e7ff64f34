import { EXIT } from '../cli/exit-codes.js';
import type { RunStatus } from '../report/types.js';
import type { Severity } from '../rules/types.js';

export type FailOn = Severity | 'none';
export const FAIL_ON_CHOICES: readonly FailOn[] = ['error', 'warning', 'note', 'none'];

/**
 * 3 when the run is partial (whatever was found: a gate must not pass on half an estate), else 1 when a finding is
 * at or above `failOn`, else 0.
 */
export function exitCodeFor(status: RunStatus, atOrAbove: (severity: Severity) => number, failOn: FailOn): number {
  if (status === 'partial') return EXIT.INCOMPLETE;
  if (failOn !== 'none' && atOrAbove(failOn) > 0) return EXIT.FINDINGS;
  return EXIT.OK;
}
