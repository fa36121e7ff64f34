import { UsageError } from '../errors.js';

type PartitionLookup = (region: string) => { description?: string } | undefined;

/**
 * The installed AWS SDK's partition table (the regions it knows, with a description each), or undefined when that
 * internal module cannot be loaded: then only the region-name pattern is checked.
 */
async function partitionLookup(): Promise<PartitionLookup | undefined> {
  try {
    const mod = (await import('@aws-sdk/core/client')) as { awsEndpointFunctions?: { partition?: unknown } };
    const fn = mod.awsEndpointFunctions?.partition;
    return typeof fn === 'function' ? (fn as PartitionLookup) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses `--regions` names no AWS partition has (a typo such as us-east-99), before any AWS call: otherwise each
 * would surface as a network error per account and make the run incomplete (exit 3) instead of a usage error (2).
 */
export async function checkRegionsKnown(regions: readonly string[] | 'all' | undefined, lookup?: PartitionLookup): Promise<void> {
  if (regions === undefined || regions === 'all') return;
  const partition = lookup ?? (await partitionLookup());
  if (!partition) return;
  for (const region of regions) {
    if (partition(region)?.description === undefined) {
      throw new UsageError(`--regions: unknown AWS region ${JSON.stringify(region)} (not in the AWS SDK's region list; e.g. us-east-1, eu-west-1)`);
    }
  }
}
