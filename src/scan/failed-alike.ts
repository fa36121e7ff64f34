import { errorCode, isNetworkError, isServerError, isThrottling } from './retry.js';

/** How a failure reads when failures are compared: 5xx and network errors by their class, anything else by its code. */
export function failureKind(err: unknown): string {
  if (isServerError(err)) return 'server';
  if (isNetworkError(err)) return 'network';
  return errorCode(err);
}

/** 5xx or network errors: what a failing region (or endpoint) answers, and what the SDK and retry rounds repeat. */
export function isServerOrNetworkError(err: unknown): boolean {
  return !isThrottling(err) && (isServerError(err) || isNetworkError(err));
}

export interface FailedAlikeOptions {
  /** The failure the sample must match (the Tagging API's unfiltered query); default: whatever the sample's first one is. */
  readonly like?: unknown;
  /** Which failures may count as alike at all (default: any but throttling, which never does). */
  readonly counts?: (err: unknown) => boolean;
}

/**
 * Whether to go on after a sample of `sampleSize` calls, when they may all fail because the region (or the whole API)
 * is failing rather than the things they read: then more calls would only fail too, each after its retries, and each
 * be reported as a gap. Go on as soon as any call of the sample answers (a page is enough) or fails differently (one
 * kind of resource fails, the others do not); give up only once every call of the sample failed alike with nothing
 * answered. So the verdict is a function of the sample's outcomes, never of which arrives first; "go on" merely comes
 * as early as it can, so the calls waiting for it are not held up. Throttling never counts as alike: it says to slow
 * down, not that the region is failing. Answers arriving after the verdict change nothing.
 */
export class FailedAlikeVerdict {
  private alikeCount = 0;
  private kind: string | undefined;
  private decided: boolean | undefined;
  private readonly waiting: Array<(goOn: boolean) => void> = [];
  private readonly counts: (err: unknown) => boolean;

  constructor(
    private readonly sampleSize: number,
    options: FailedAlikeOptions = {},
  ) {
    if (!Number.isInteger(sampleSize) || sampleSize < 1) throw new RangeError('sampleSize must be a positive integer');
    if (options.like !== undefined) this.kind = failureKind(options.like);
    this.counts = options.counts ?? (() => true);
  }

  /** How many calls of the sample failed alike (all of them once given up). */
  get alike(): number {
    return this.alikeCount;
  }

  get gaveUp(): boolean {
    return this.decided === false;
  }

  /** A call of the sample answered (a page, or a call that needs none). */
  answered(): void {
    this.decide(true);
  }

  /** A call of the sample failed: report each call once, with its final error. */
  failed(err: unknown): void {
    if (this.decided !== undefined) return;
    if (isThrottling(err) || !this.counts(err)) return this.decide(true);
    const kind = failureKind(err);
    this.kind ??= kind;
    if (kind !== this.kind) return this.decide(true);
    if (++this.alikeCount >= this.sampleSize) this.decide(false);
  }

  /** Nothing will decide any more (the scan was cancelled): let the waiting calls go on, to meet the cancellation. */
  release(): void {
    this.decide(true);
  }

  /** Resolves once decided: true to go on, false when the sample failed alike. */
  goOn(): Promise<boolean> {
    if (this.decided !== undefined) return Promise.resolve(this.decided);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private decide(goOn: boolean): void {
    if (this.decided !== undefined) return;
    this.decided = goOn;
    for (const resolve of this.waiting.splice(0)) resolve(goOn);
  }
}
