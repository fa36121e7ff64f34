import type { Resource } from '../inventory/resource.js';

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
