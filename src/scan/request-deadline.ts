/**
 * Deadlines for every AWS call. Without them the SDK waits for an endpoint that accepts a connection and never
 * answers (a firewall, a blackholed region) for ever: its HTTP handler only logs a warning at `requestTimeout` unless
 * `throwOnRequestTimeout` is set. With them such a call fails with a TimeoutError, which the SDK retries as a
 * transient error (but only TIMED_OUT_ATTEMPTS times in all), and which the scan then records as a gap.
 */
import { isTimeout } from './retry.js';

/** Per attempt: time to the response headers, and the longest silence while the body arrives (`--request-timeout`). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Time to open the TCP (and TLS) connection; never more than the request timeout. */
export const CONNECT_TIMEOUT_MS = 5_000;
/**
 * Attempts of a call whose attempts time out: each has waited its whole deadline already, so a silent endpoint costs
 * 2 deadlines per call instead of maxAttempts. Other transient errors keep the SDK's usual attempts.
 */
export const TIMED_OUT_ATTEMPTS = 2;

const SILENT = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** NodeHttpHandler options (the `requestHandler` of a client's config). */
export function requestHandlerOptions(requestTimeoutMs: number = DEFAULT_REQUEST_TIMEOUT_MS): Record<string, unknown> {
  return {
    connectionTimeout: Math.min(CONNECT_TIMEOUT_MS, requestTimeoutMs),
    requestTimeout: requestTimeoutMs,
    socketTimeout: requestTimeoutMs,
    throwOnRequestTimeout: true,
    // Its warnings (a socket pool at capacity …) name client options the user cannot set; the errors are reported.
    logger: SILENT,
  };
}

interface RetryToken {
  getRetryCount(): number;
}

interface RetryErrorInfo {
  readonly error?: unknown;
  readonly errorType: string;
}

/** The SDK's RetryStrategyV2, structurally (@smithy/types is not a dependency of its own). */
export interface RetryStrategy {
  readonly mode?: string;
  acquireInitialRetryToken(scope: string): Promise<RetryToken>;
  refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken>;
  recordSuccess(token: RetryToken): void;
}

/**
 * The SDK's adaptive retry strategy (client-side rate limiting on throttling, backoff on transient errors, up to
 * `maxAttempts`), except that a call stops once TIMED_OUT_ATTEMPTS of its attempts timed out.
 */
export function limitTimedOutAttempts(inner: RetryStrategy, timedOutAttempts: number = TIMED_OUT_ATTEMPTS): RetryStrategy {
  const timeouts = new WeakMap<RetryToken, number>();
  return {
    ...(inner.mode ? { mode: inner.mode } : {}),
    acquireInitialRetryToken: (scope) => inner.acquireInitialRetryToken(scope),
    async refreshRetryTokenForRetry(token, info) {
      const timedOut = isTimeout(info.error);
      const count = (timeouts.get(token) ?? 0) + (timedOut ? 1 : 0);
      // The SDK's retry middleware then throws the call's last error, as when the attempts run out.
      if (timedOut && count >= timedOutAttempts) throw new Error(`no retry after ${count} timed-out attempts`);
      const next = await inner.refreshRetryTokenForRetry(token, info);
      timeouts.set(next, count);
      return next;
    },
    recordSuccess: (token) => inner.recordSuccess(token),
  };
}

/** A fresh adaptive strategy for one client, with the timed-out attempts limited. */
export async function clientRetryStrategy(maxAttempts: number): Promise<RetryStrategy> {
  const { AdaptiveRetryStrategy } = await import('@smithy/core/retry');
  return limitTimedOutAttempts(new AdaptiveRetryStrategy(maxAttempts) as unknown as RetryStrategy);
}
