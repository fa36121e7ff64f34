import { UsageError } from '../errors.js';
import { sdkPartitionLookup, type PartitionLookup } from './partition-info.js';

/**
 * Refuses `--regions` names no AWS partition has (a typo such as us-east-99), before any AWS call: otherwise each
 * would surface as a network error per account and make the run incomplete (exit 3) instead of a usage error (2).
 */
export async function checkRegionsKnown(regions: readonly string[] | 'all' | undefined, lookup?: PartitionLookup): Promise<void> {
  if (regions === undefined || regions === 'all') return;
  const partition = lookup ?? (await sdkPartitionLookup());
  if (!partition) return;
  for (const region of regions) {
    if (partition(region)?.description === undefined) {
      throw new UsageError(`--regions: unknown AWS region ${JSON.stringify(region)} (not in the AWS SDK's region list; e.g. us-east-1, eu-west-1)`);
    }
  }
}
