import { AWS_PARTITIONS } from './aws-regions.generated.js';

/**
 * What the AWS SDK's partition table says of partitions and regions, from a copy generated at build time
 * (scripts/gen-aws-regions.mjs): loading the SDK would add ~150 ms to an offline scan, which loads none otherwise.
 */

const PATTERNS = new Map(AWS_PARTITIONS.map((p) => [p.id, new RegExp(p.regionRegex)]));
const NAMED = new Map(AWS_PARTITIONS.flatMap((p) => p.regions.map((r) => [r, p.id] as const)));

export const PARTITION_IDS: readonly string[] = AWS_PARTITIONS.map((p) => p.id);

export function isKnownPartition(partition: string): boolean {
  return PATTERNS.has(partition);
}

/**
 * The last word of every region name (us-gov-west-1, ap-southeast-5). A region the SDK does not name yet (one newer
 * than the installed SDK) is taken when its name has a partition's pattern and ends in one of these, so that a valid
 * ARN is not refused; us-eest-1 or mars-1 are not.
 */
const DIRECTION = /-(?:east|west|north|south|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

// An inventory holds a handful of distinct regions: each is judged once. Bounded: junk lines could bring many.
const owners = new Map<string, string | undefined>();
const MAX_REMEMBERED = 1000;

/** The partition `region` is a region of (see DIRECTION for regions newer than the SDK), or undefined. */
export function partitionOfRegion(region: string): string | undefined {
  const named = NAMED.get(region);
  if (named !== undefined) return named;
  if (owners.has(region)) return owners.get(region);
  let owner: string | undefined;
  if (DIRECTION.test(region)) for (const [id, pattern] of PATTERNS) if (pattern.test(region)) owner ??= id;
  if (owners.size < MAX_REMEMBERED) owners.set(region, owner);
  return owner;
}

/** Why `region` is not a region of the known `partition`, or undefined when it is one. Names no value. */
export function regionProblem(partition: string, region: string): string | undefined {
  const owner = partitionOfRegion(region);
  if (owner === partition) return undefined;
  return owner === undefined ? 'not an AWS region' : `a region of partition ${owner}, not of ${partition}`;
}
