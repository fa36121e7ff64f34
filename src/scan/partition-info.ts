/** What the installed AWS SDK knows of a region's partition (aws, aws-cn, aws-us-gov, …). */
export interface PartitionInfo {
  readonly name?: string;
  /** Set only for regions the SDK knows by name (a region that merely matches a partition's pattern has none). */
  readonly description?: string;
  /** Where the partition's global services (IAM, Route 53, CloudFront) answer: us-east-1, cn-northwest-1, us-gov-west-1. */
  readonly implicitGlobalRegion?: string;
}

export type PartitionLookup = (region: string) => PartitionInfo | undefined;

/**
 * The installed AWS SDK's partition table, or undefined when that internal module cannot be loaded (then callers fall
 * back to the commercial partition's behaviour).
 */
export async function sdkPartitionLookup(): Promise<PartitionLookup | undefined> {
  try {
    const mod = (await import('@aws-sdk/core/client')) as { awsEndpointFunctions?: { partition?: unknown } };
    const fn = mod.awsEndpointFunctions?.partition;
    return typeof fn === 'function' ? (fn as PartitionLookup) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The region that serves global resources (ARNs with no region) in the partition `region` belongs to. Commercial AWS
 * answers for them in us-east-1, China in cn-northwest-1, GovCloud in us-gov-west-1.
 */
export async function globalRegionFor(region: string, lookup?: PartitionLookup): Promise<string> {
  const partition = lookup ?? (await sdkPartitionLookup());
  return partition?.(region)?.implicitGlobalRegion ?? 'us-east-1';
}

/**
 * The global region of a partition named by id (`aws-us-gov`, from a caller identity or an ARN), through the SDK's
 * `<partition>-global` pseudo-region; a partition the table does not know is judged by `fallbackRegion` instead.
 */
export async function globalRegionOfPartition(partition: string, fallbackRegion = 'us-east-1', lookup?: PartitionLookup): Promise<string> {
  const table = lookup ?? (await sdkPartitionLookup());
  const info = table?.(`${partition}-global`);
  if (info?.name === partition && info.implicitGlobalRegion) return info.implicitGlobalRegion;
  return globalRegionFor(fallbackRegion, table ?? (() => undefined));
}
