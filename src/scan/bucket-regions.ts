import type { ClientFactory } from './clients.js';
import { Semaphore } from './concurrency.js';
import { describeError, withRetryRounds } from './retry.js';

/** The S3 calls this module makes: `send`, so tests can fake the client at the SDK level. */
export interface S3Sender {
  send(command: unknown): Promise<unknown>;
}

export type BucketRegionAnswer = { readonly region: string } | { readonly error: string };

export interface BucketRegions {
  /**
   * The region `bucket` of `accountId` lives in. `askFrom` is a region of the account's partition the calls can be
   * sent to (the slice that found the bucket).
   */
  regionOf(accountId: string, bucket: string, askFrom: string): Promise<BucketRegionAnswer>;
}

/** GetBucketLocation calls in flight at once, over the whole scan (S3 answers them quickly; the rest queue). */
const LOCATE_CONCURRENCY = 8;

/** ListBuckets page size. Sending it is also what makes S3 include BucketRegion in the answer. */
const MAX_BUCKETS = 10_000;

/** GetBucketLocation's LocationConstraint → region: empty means us-east-1, and `EU` is the legacy name of eu-west-1. */
export function regionFromLocation(constraint: string | null | undefined): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

/**
 * Bucket → region, looked up once per account and only when a scan found a bucket there: one paginated ListBuckets
 * per account (which carries BucketRegion), then GetBucketLocation for each found bucket ListBuckets gave no region
 * for (emulators such as moto 5 leave BucketRegion out; so does an account where ListBuckets is denied).
 */
export function createBucketRegions(s3: (accountId: string, region: string) => Promise<S3Sender>, signal?: AbortSignal): BucketRegions {
  const listed = new Map<string, Promise<ReadonlyMap<string, string>>>();
  const located = new Map<string, Promise<BucketRegionAnswer>>();
  const locating = new Semaphore(LOCATE_CONCURRENCY);

  async function listBuckets(client: S3Sender): Promise<ReadonlyMap<string, string>> {
    const { ListBucketsCommand } = await import('@aws-sdk/client-s3');
    const out = new Map<string, string>();
    let token: string | undefined;
    do {
      const command = new ListBucketsCommand({ MaxBuckets: MAX_BUCKETS, ...(token ? { ContinuationToken: token } : {}) });
      const page = (await withRetryRounds(() => client.send(command))) as {
        Buckets?: Array<{ Name?: string; BucketRegion?: string }>;
        ContinuationToken?: string;
      };
      for (const b of page.Buckets ?? []) if (b.Name && b.BucketRegion) out.set(b.Name, b.BucketRegion);
      token = page.ContinuationToken || undefined;
    } while (token);
    return out;
  }

  async function locate(client: S3Sender, bucket: string, listError: string | undefined): Promise<BucketRegionAnswer> {
    const { GetBucketLocationCommand } = await import('@aws-sdk/client-s3');
    try {
      // A round more after the SDK's own retries, as for the other listings: a throttled estate must not leave a
      // bucket in region 'global'.
      const out = (await withRetryRounds(() => client.send(new GetBucketLocationCommand({ Bucket: bucket })))) as { LocationConstraint?: string | null };
      return { region: regionFromLocation(out.LocationConstraint) };
    } catch (err) {
      const why = `GetBucketLocation failed: ${describeError(err)}`;
      return { error: listError ? `ListBuckets failed: ${listError}; ${why}` : why };
    }
  }

  return {
    async regionOf(accountId, bucket, askFrom) {
      const key = `${accountId}/${bucket}`;
      let answer = located.get(key);
      if (!answer) {
        answer = (async (): Promise<BucketRegionAnswer> => {
          let client: S3Sender;
          try {
            client = await s3(accountId, askFrom);
          } catch (err) {
            return { error: `no S3 client: ${describeError(err)}` };
          }
          let list = listed.get(accountId);
          if (!list) {
            list = listBuckets(client);
            listed.set(accountId, list);
          }
          let listError: string | undefined;
          try {
            const region = (await list).get(bucket);
            if (region) return { region };
          } catch (err) {
            listError = describeError(err);
          }
          // A lookup still queued when the scan is cancelled makes no call.
          return locating.run(async () => (signal?.aborted ? { error: 'the scan was cancelled' } : locate(client, bucket, listError)));
        })();
        located.set(key, answer);
      }
      return answer;
    },
  };
}

/** Bucket regions through the live scan's client factory. */
export function bucketRegionsFrom(factory: ClientFactory, signal?: AbortSignal): BucketRegions {
  return createBucketRegions((accountId, region) => factory.s3(accountId, region) as Promise<S3Sender>, signal);
}
