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
    if (partition(region)?.description === undefined) throw new UsageError(`--regions: ${unknownRegion(region)}`);
  }
}

/**
 * Refuses, before any AWS call, the environment settings every client reads that cannot work: a region no partition
 * has (`AWS_REGION=mars-1`: a DNS failure per call otherwise) and an endpoint URL that is not one (`AWS_ENDPOINT_URL`
 * or a service's `AWS_ENDPOINT_URL_<SERVICE>`). Named, as --regions is, so they read as the usage errors they are.
 */
export async function checkAwsEnvironment(env: Readonly<Record<string, string | undefined>>, lookup?: PartitionLookup): Promise<void> {
  const endpointsUsed = (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() !== 'true';
  for (const [name, value] of Object.entries(env)) {
    if (!value || !endpointsUsed || !(name === 'AWS_ENDPOINT_URL' || name.startsWith('AWS_ENDPOINT_URL_'))) continue;
    if (!isHttpUrl(value)) throw new UsageError(`${name}: ${JSON.stringify(value)} is not an http(s) URL (e.g. http://127.0.0.1:5000)`);
  }
  const named = ['AWS_REGION', 'AWS_DEFAULT_REGION'].filter((n) => env[n]);
  if (named.length === 0) return;
  const partition = lookup ?? (await sdkPartitionLookup());
  if (!partition) return;
  for (const name of named) {
    const region = env[name] as string;
    if (partition(region)?.description === undefined) throw new UsageError(`${name}: ${unknownRegion(region)}`);
  }
}

function unknownRegion(region: string): string {
  return `unknown AWS region ${JSON.stringify(region)} (not in the AWS SDK's region list; e.g. us-east-1, eu-west-1)`;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
