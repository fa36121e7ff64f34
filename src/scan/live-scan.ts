import type { Resource } from '../inventory/resource.js';
import { redactText } from '../pii/redact.js';
import type { RunStatus, ScanError, ScanScope } from '../report/types.js';
import { createClientFactory, type ClientFactory } from './clients.js';
import { Cancelled, Channel } from './concurrency.js';
import { runLiveScan, type ScanProgress } from './runner.js';
import { ALL_SOURCES, type SourceName } from './types.js';

export type { ScanProgress } from './runner.js';
export type { SourceName } from './types.js';

export interface LiveScanOptions {
  /** `--profile`; AWS_PROFILE (in `env`) otherwise. */
  readonly profile?: string;
  /** Regions to scan; `all` = every region enabled in each account; undefined = the configured region. */
  readonly regions?: readonly string[] | 'all';
  /** Accounts to scan (default: the caller's, unless `org`). */
  readonly accounts?: readonly string[];
  /** Add every ACTIVE account of the organisation (Organizations ListAccounts). */
  readonly org?: boolean;
  /** Role assumed in every account but the caller's. */
  readonly roleName: string;
  readonly externalId?: string;
  readonly excludeAccounts?: readonly string[];
  /** SageMaker jobs created before this are out of scope. */
  readonly since: Date;
  /** Account × region slices scanned at once. */
  readonly concurrency: number;
  /** Default: all four. `config` needs `tagging-api` (Config returns no tags); `iam` runs once per account. */
  readonly sources?: readonly SourceName[];
  /** The environment the AWS settings come from (credentials, AWS_REGION, AWS_ENDPOINT_URL …). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Called as slices finish and resources arrive (at most ~10 times a second). */
  readonly progress?: (p: ScanProgress) => void;
  /** Clients to use instead of a factory of the scan's own (which is destroyed when the scan ends). */
  readonly clients?: ClientFactory;
  /** Pause before a failed call's extra round (default 1 s). */
  readonly retryPauseMs?: number;
  /** Deadline of each attempt of each AWS call (`--request-timeout`; default 30 s). */
  readonly requestTimeoutMs?: number;
}

export interface LiveScan {
  /**
   * The resources, streamed as the scan finds them, each once (deduplicated by ARN). The scan starts on the first
   * call; iterate once. It throws only when nothing can be scanned at all (no credentials, no region).
   */
  resources(): AsyncIterable<Resource>;
  /** Every gap: filled while resources() runs, complete once it ends. */
  readonly errors: readonly ScanError[];
  /** Things the user should know that are not gaps (e.g. AWS Config not recording in some regions). */
  readonly notes: readonly string[];
  /** Accounts and regions scanned (final once resources() ends). */
  scope(): ScanScope;
  /** HTTP requests sent, by operation, retries included. */
  apiCalls(): Record<string, number>;
  /** `partial` as soon as any gap is recorded: a partial scan must never look complete. */
  status(): RunStatus;
}

/** Starts a live scan of AWS accounts × regions; see LiveScan. */
export function startLiveScan(opts: LiveScanOptions): LiveScan {
  const errors: ScanError[] = [];
  const notes: string[] = [];
  const sources = new Set<SourceName>(opts.sources ?? ALL_SOURCES);
  const factory =
    opts.clients ??
    createClientFactory({
      env: opts.env,
      roleName: opts.roleName,
      ...(opts.profile ? { profile: opts.profile } : {}),
      ...(opts.externalId ? { externalId: opts.externalId } : {}),
      ...(opts.requestTimeoutMs !== undefined ? { requestTimeoutMs: opts.requestTimeoutMs } : {}),
    });
  let scope: ScanScope = {
    mode: 'live',
    ...(opts.accounts ? { accounts: opts.accounts } : {}),
    ...(Array.isArray(opts.regions) ? { regions: opts.regions } : {}),
  };
  let started = false;

  return {
    errors,
    notes,
    scope: () => scope,
    apiCalls: () => factory.apiCalls(),
    status: () => (errors.length ? 'partial' : 'complete'),
    resources() {
      if (started) throw new Error('a live scan can be iterated once');
      started = true;
      const channel = new Channel<Resource>();
      const abort = new AbortController();
      const run = runLiveScan({
        factory,
        ...(opts.accounts ? { accounts: opts.accounts } : {}),
        ...(opts.org ? { org: true } : {}),
        ...(opts.excludeAccounts ? { excludeAccounts: opts.excludeAccounts } : {}),
        ...(opts.regions ? { regions: opts.regions } : {}),
        roleName: opts.roleName,
        ...(opts.externalId ? { externalId: opts.externalId } : {}),
        sources,
        since: opts.since,
        concurrency: opts.concurrency,
        ...(opts.retryPauseMs !== undefined ? { retryPauseMs: opts.retryPauseMs } : {}),
        signal: abort.signal,
        emit: (r) => channel.push(r),
        // AWS error messages can quote tag values: every gap is masked here, before any report or inventory sees it.
        record: (e) => errors.push({ ...e, message: redactText(e.message) }),
        note: (n) => {
          if (!notes.includes(n)) notes.push(n);
        },
        progress: (p) => opts.progress?.(p),
      }).then(
        (result) => {
          scope = { mode: 'live', accounts: result.accounts, regions: result.regions };
          channel.close();
        },
        (err: unknown) => channel.close(err instanceof Cancelled ? undefined : err),
      );

      return (async function* () {
        try {
          yield* channel;
        } finally {
          abort.abort();
          channel.abandon();
          await run;
          if (!opts.clients) factory.destroy();
        }
      })();
    },
  };
}
