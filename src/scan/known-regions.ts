import { UsageError } from '../errors.js';
import { partitionOfRegion } from '../inventory/aws-regions.js';

/**
 * Refuses `--regions` names no AWS partition has (a typo such as us-eest-1), before any AWS call: otherwise each
 * would surface as a network error per account and make the run incomplete (exit 3) instead of a usage error (2).
 * Judged as inventory ARNs are (partitionOfRegion): a region newer than the bundled SDK, of the usual form, passes.
 */
export async function checkRegionsKnown(regions: readonly string[] | 'all' | undefined): Promise<void> {
  if (regions === undefined || regions === 'all') return;
  for (const region of regions) {
    if (partitionOfRegion(region) === undefined) throw new UsageError(`--regions: ${unknownRegion(region)}`);
  }
}

/**
 * Refuses, before any AWS call, the environment settings every client reads that cannot work: a region no partition
 * has (`AWS_REGION=mars-1`: a DNS failure per call otherwise) and an endpoint URL that is not one (`AWS_ENDPOINT_URL`
 * or a service's `AWS_ENDPOINT_URL_<SERVICE>`). Named, as --regions is, so they read as the usage errors they are.
 * Only the region variable the clients read is judged: AWS_REGION, or AWS_DEFAULT_REGION when it is unset.
 */
export async function checkAwsEnvironment(env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const endpointsUsed = (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() !== 'true';
  for (const [name, value] of Object.entries(env)) {
    if (!value || !endpointsUsed || !(name === 'AWS_ENDPOINT_URL' || name.startsWith('AWS_ENDPOINT_URL_'))) continue;
    if (!isHttpUrl(value)) throw new UsageError(`${name}: ${JSON.stringify(value)} is not an http(s) URL (e.g. http://127.0.0.1:5000)`);
  }
  const name = env.AWS_REGION ? 'AWS_REGION' : env.AWS_DEFAULT_REGION ? 'AWS_DEFAULT_REGION' : undefined;
  if (name === undefined) return;
  const region = env[name] as string;
  if (partitionOfRegion(region) === undefined) throw new UsageError(`${name}: ${unknownRegion(region)}`);
}

function unknownRegion(region: string): string {
  return `unknown AWS region ${JSON.stringify(region)} (no AWS partition has a region of that name; e.g. us-east-1, eu-west-1)`;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
