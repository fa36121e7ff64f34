import type { Resource } from '../inventory/resource.js';
import type { TagEdit } from './types.js';

// Terminal states of SageMaker jobs (training, processing, transform, hyper-parameter tuning, labeling,
// compilation …). Compilation jobs report them in upper case (COMPLETED), so compare case-insensitively.
const TERMINAL_STATES: ReadonlySet<string> = new Set(['completed', 'failed', 'stopped']);

/**
 * The state of a SageMaker job that has finished, or undefined. A finished job's cost is already incurred and
 * AWS never applies tags retroactively, so tagging it now attributes none of that cost.
 */
export function finishedJobState(resource: Resource): string | undefined {
  const state = resource.state;
  if (!state || resource.service !== 'sagemaker' || !resource.resourceType.endsWith('-job')) return undefined;
  return TERMINAL_STATES.has(state.toLowerCase()) ? state : undefined;
}

/**
 * Whether an edit writes a parent's value over a value the resource already has (an `inherit` set, or a rename
 * carrying one, over a value that is not blank). On a finished job the fixer leaves such a change of a cost-allocation
 * key out (listed as skipped, `finished-job`): it attributes none of the job's past cost, and the job's tags would
 * then disagree with the cost and usage lines it produced under its old value. Adding a missing key or filling a
 * blank one is planned.
 */
export function overwritesWithParentValue(edit: TagEdit): boolean {
  if (edit.op !== 'set' && edit.op !== 'rename') return false;
  const inherits = edit.op === 'set' ? edit.type === 'inherit' : edit.valueType === 'inherit';
  return inherits && edit.value !== edit.expected && edit.expected.trim() !== '';
}
