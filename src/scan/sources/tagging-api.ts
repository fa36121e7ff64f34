import { GetResourcesCommand, type GetResourcesCommandOutput } from '@aws-sdk/client-resource-groups-tagging-api';
import { Cancelled } from '../concurrency.js';
import { FailedAlikeVerdict } from '../failed-alike.js';
import { errorCode, isAuthError, isNetworkError, isServerError, isThrottling, isWorthAnotherRound, NotRetriedBySdk, sleep, withRetryRounds } from '../retry.js';
import { tagRecord, type TaggedItem } from '../types.js';
import { filtersCover, splitFilters } from './tagging-filters.js';

/** Largest page GetResources serves; TagsPerPage at its maximum so pages are cut by resources, not tags. */
export const RESOURCES_PER_PAGE = 100;
export const TAGS_PER_PAGE = 500;

export interface TaggingApiClient {
  send(command: GetResourcesCommand): Promise<GetResourcesCommandOutput>;
}

export interface TaggingApiInput {
  readonly client: TaggingApiClient;
  /** Awaited before every page (the account × region rate limit). */
  readonly beforeCall: () => Promise<void>;
  /** Awaited: a slow consumer slows paging down. */
  readonly onItem: (item: TaggedItem) => void | Promise<void>;
  /** Pause before re-running a failed query (default 1 s; tests pass 0). */
  readonly retryPauseMs?: number;
}

/**
 * Errors a fresh run of the same query can cure: transient ones, and an expired page token (tokens live 15 minutes,
 * and moto's are single-use), which says nothing about the resource types queried, so splitting cannot help.
 */
function worthRerunning(err: unknown): boolean {
  return isWorthAnotherRound(err) || errorCode(err) === 'PaginationTokenExpiredException';
}

/** A query (`filters`, undefined = all types) that failed even after isolation. */
export interface TaggingFailure {
  readonly filters: readonly string[] | undefined;
  readonly error: unknown;
  /**
   * Set when the unfiltered query failed and the split was given up: this many service-by-service queries failed
   * the same way, and none answered (the region, not a resource type, is failing).
   */
  readonly splitFailedAlike?: number;
}

export interface TaggingOutcome {
  /** Whether GetResources returned every tagged resource of `resourceType` in this slice. */
  answers(resourceType: string): boolean;
  /** True when the unfiltered query succeeded: every service is covered. */
  readonly complete: boolean;
  /** Set when the unfiltered query failed and was split: services tagaudit does not list were not queried. */
  readonly unfilteredError?: unknown;
  readonly failures: readonly TaggingFailure[];
  readonly pages: number;
}

/** Extra rounds for a query still throttled after the SDK's retries, each after a longer pause (4, 16, 64 s). */
const THROTTLED_ROUNDS = 3;


/**
 * Pages GetResources for one account × region. When a query keeps failing it is cut by ResourceTypeFilters (into
 * services, then a listed service into its types) until the failing types are isolated; everything else is still
 * returned, and the failing filters come back in `failures`. When the first service-by-service queries all fail
 * like the unfiltered one and nothing answers, the split stops there and the whole query is one failure.
 */
export async function scanTaggingApi(input: TaggingApiInput): Promise<TaggingOutcome> {
  const answered: Array<readonly string[] | undefined> = [];
  const failures: TaggingFailure[] = [];
  let unfilteredError: unknown;
  let pages = 0;
  const pause = input.retryPauseMs ?? 1000;
  // Whether to cut a failed query further, decided on the first level of the split (the service groups): when every
  // group fails like the unfiltered query and none answers, the region (or the whole API) is failing, and cutting
  // further would only send ~190 more failing queries and report each as a gap. Waiting for every group costs no
  // call (they are all in flight at once). A failed group waits for the verdict before splitting itself. (Pages the
  // unfiltered query answered before it failed do not count: a region can fail half-way through a scan.)
  let verdict: FailedAlikeVerdict | undefined;

  const pageAll = async (filters: readonly string[] | undefined): Promise<void> => {
    let token: string | undefined;
    do {
      await input.beforeCall();
      const command = new GetResourcesCommand({
        ResourcesPerPage: RESOURCES_PER_PAGE,
        TagsPerPage: TAGS_PER_PAGE,
        ...(filters ? { ResourceTypeFilters: [...filters] } : {}),
        ...(token ? { PaginationToken: token } : {}),
      });
      if (token) refuseReplayAfterServerError(command);
      const out = await input.client.send(command);
      pages++;
      verdict?.answered();
      for (const m of out.ResourceTagMappingList ?? []) {
        if (m.ResourceARN) await input.onItem({ arn: m.ResourceARN, tags: tagRecord(m.Tags) });
      }
      token = out.PaginationToken || undefined;
    } while (token);
  };

  // Throttling says nothing about resource types: splitting would only multiply the calls. Wait longer instead, and
  // run the query again from its first page (with its own rounds) each time.
  const throttledRounds = { rounds: THROTTLED_ROUNDS, retryIf: isThrottling, backoffMs: (round: number) => pause * 4 ** (round + 1) };

  const query = async (filters: readonly string[] | undefined, retryRounds: number): Promise<void> => {
    if (verdict?.gaveUp) return;
    try {
      await withRetryRounds(() => withRetryRounds(() => pageAll(filters), { rounds: retryRounds, pauseMs: pause, retryIf: worthRerunning }), throttledRounds);
      answered.push(filters);
      return;
    } catch (err) {
      if (err instanceof Cancelled) {
        verdict?.release();
        throw err;
      }
      if (filters !== undefined) verdict?.failed(err);
      if (isThrottling(err)) {
        failures.push({ filters, error: err });
        return;
      }
      const parts = isAuthError(err) ? undefined : splitFilters(filters);
      if (parts) {
        if (filters === undefined) {
          unfilteredError = err;
          verdict = new FailedAlikeVerdict(parts.length, { like: err });
        } else if (verdict && !(await verdict.goOn())) return;
        // Each part is itself a fresh attempt, so parts get no extra round of their own…
        await Promise.all(parts.map((part) => query(part, 0)));
        return;
      }
      if (retryRounds > 0 || !worthRerunning(err) || verdict?.gaveUp) {
        failures.push({ filters, error: err });
        return;
      }
    }
    // …except an isolated type, which gets one more round before it is reported: the split may come from a blip.
    try {
      await sleep(pause);
      await pageAll(filters);
      answered.push(filters);
    } catch (err) {
      if (err instanceof Cancelled) throw err;
      failures.push({ filters, error: err });
    }
  };

  await query(undefined, 1);
  const complete = answered.some((f) => f === undefined);
  // Given up: one failure for the whole query. (A split query still in flight that answered late is kept: its
  // resources were emitted, and `answers` says so.)
  const gaveUp = verdict?.gaveUp ? verdict : undefined;
  return {
    answers: (resourceType) => answered.some((f) => filtersCover(f, resourceType)),
    complete,
    ...(unfilteredError !== undefined && !gaveUp ? { unfilteredError } : {}),
    failures: gaveUp ? [{ filters: undefined, error: unfilteredError, splitFailedAlike: gaveUp.alike }] : failures,
    get pages() {
      return pages;
    },
  };
}

/**
 * A continuation page that failed with a 5xx or a network error may have consumed its token on the server (moto's
 * tokens are single-use): the SDK replaying the same token could then get an empty last page and end the listing
 * early, silently. Such errors therefore skip the SDK's retry and reach scanTaggingApi, which re-runs the query from
 * its first page. Throttling is still retried by the SDK: a throttled request was never processed.
 */
function refuseReplayAfterServerError(command: GetResourcesCommand): void {
  command.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        if (isServerError(err) || isNetworkError(err)) throw new NotRetriedBySdk(err);
        throw err;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'tagauditNoTokenReplay' },
  );
}
