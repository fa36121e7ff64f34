/**
 * How scan code classifies AWS SDK errors. The SDK's own retry (adaptive mode) already retried throttling, 5xx and
 * network errors `maxAttempts` times before an error reaches this code; these helpers decide what happens next:
 * one more round later (transient), isolating the failing part (splittable), or recording a gap (final).
 */

import { maskedExcerpt } from '../pii/excerpt.js';

const THROTTLING_CODES = new Set([
  'ThrottledException',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
]);

const SERVER_CODES = new Set(['InternalServiceException', 'InternalFailure', 'InternalServerError', 'ServiceUnavailable', 'InternalError']);

/** Auth errors that say the credentials themselves are bad, expired or not valid in the region: no grant fixes them. */
const CREDENTIAL_CODES = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'SignatureDoesNotMatch',
  'AuthFailure',
  'CredentialsProviderError',
  'OptInRequired',
]);

const AUTH_CODES = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException', ...CREDENTIAL_CODES]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'TimeoutError', 'RequestTimeout']);

interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  $fault?: unknown;
}

/**
 * Wraps an error the SDK must not retry by itself (it carries no `$metadata` and no `cause`, which the SDK's retry
 * would inspect); every helper here looks through it to the original error.
 */
export class NotRetriedBySdk extends Error {
  override readonly name = 'NotRetriedBySdk';
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
  }
}

function unwrap(err: unknown): unknown {
  return err instanceof NotRetriedBySdk ? err.original : err;
}

function asSdkError(err: unknown): SdkErrorLike {
  const e = unwrap(err);
  return typeof e === 'object' && e !== null ? (e as SdkErrorLike) : {};
}

export function httpStatusOf(err: unknown): number | undefined {
  const status = asSdkError(err).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The AWS error code (`ThrottlingException`, `AccessDenied` …), or a stand-in such as `HTTP 500`. */
export function errorCode(err: unknown): string {
  const e = asSdkError(err);
  for (const candidate of [e.Code, e.code, e.name]) {
    if (typeof candidate === 'string' && candidate && candidate !== 'Error' && candidate !== 'SyntaxError') return candidate;
  }
  const status = httpStatusOf(err);
  return status !== undefined ? `HTTP ${status}` : 'Error';
}

export function isThrottling(err: unknown): boolean {
  return THROTTLING_CODES.has(errorCode(err)) || httpStatusOf(err) === 429;
}

export function isServerError(err: unknown): boolean {
  const status = httpStatusOf(err);
  return (status !== undefined && status >= 500) || SERVER_CODES.has(errorCode(err)) || asSdkError(err).$fault === 'server';
}

export function isNetworkError(err: unknown): boolean {
  return NETWORK_CODES.has(errorCode(err));
}

/** No answer in time: the connection, the request or the socket hit its deadline (see request-deadline.ts). */
export function isTimeout(err: unknown): boolean {
  const e = asSdkError(err);
  return e.name === 'TimeoutError' || e.code === 'ETIMEDOUT';
}

const HANDLER_TIMEOUTS: ReadonlyArray<[RegExp, (ms: string) => string]> = [
  [/exceeded the configured (\d+) ms requestTimeout/, (ms) => `no answer within ${seconds(ms)} (request timeout, --request-timeout)`],
  [/did not establish a connection with the server within the configured timeout of (\d+) ms/, (ms) => `could not connect within ${seconds(ms)}`],
  [/socket timed out after (\d+) ms of inactivity/, (ms) => `the connection went silent for ${seconds(ms)} (--request-timeout)`],
];

function seconds(ms: string): string {
  const s = Number(ms) / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/**
 * What a timeout of the SDK's HTTP handler means, in words: its own message names a client option the user cannot
 * set. undefined for any other error.
 */
export function timeoutText(err: unknown): string | undefined {
  const message = asSdkError(err).message;
  if (!isTimeout(err) || typeof message !== 'string') return undefined;
  for (const [pattern, text] of HANDLER_TIMEOUTS) {
    const m = pattern.exec(message);
    if (m) return text(m[1]!);
  }
  return undefined;
}

/** Throttling, 5xx or a network failure: worth another round later. */
export function isTransient(err: unknown): boolean {
  return isThrottling(err) || isServerError(err) || isNetworkError(err);
}

/**
 * Transient, but not a timeout: the default test for an extra round. A call that timed out has waited its full
 * deadline on every attempt already; another round would double the time a silent endpoint holds the scan.
 */
export function isWorthAnotherRound(err: unknown): boolean {
  return isTransient(err) && !isTimeout(err);
}

/** Missing permission or bad credentials: retrying or splitting the request cannot help. */
export function isAuthError(err: unknown): boolean {
  const status = httpStatusOf(err);
  const code = errorCode(err);
  return AUTH_CODES.has(code) || code.startsWith('AccessDenied') || status === 401 || status === 403;
}



/** A permission the caller lacks (AccessDenied and the like): something a grant, or an SCP change, would fix. */
export function isPermissionDenied(err: unknown): boolean {
  return isAuthError(err) && !CREDENTIAL_CODES.has(errorCode(err));
}

const SCP_DENY = /explicit deny in a service control policy/i;
const SCP_TAIL = ' with an explicit deny in a service control policy';

/** An AccessDenied that AWS says an organisation's service control policy caused: no grant to the role can fix it. */
export function isScpDeny(err: unknown): boolean {
  const message = asSdkError(err).message;
  return isAuthError(err) && typeof message === 'string' && SCP_DENY.test(message);
}

/**
 * One line, at most 300 characters, personal data masked, for errors[] and messages. An SCP deny keeps its last
 * words: AWS puts "…with an explicit deny in a service control policy" at the end of a long message, and it is the
 * part that says what to do (see gap-hints.ts).
 */
export function describeError(err: unknown): string {
  const e = asSdkError(err);
  const code = errorCode(err);
  const status = httpStatusOf(err);
  let message = typeof e.message === 'string' ? e.message : String(unwrap(err));
  // moto (and proxies) answer 5xx with an HTML page the SDK cannot parse: say what happened, not the parser's words.
  if (asSdkError(err).name === 'SyntaxError' && status !== undefined) message = 'the response was not valid JSON/XML';
  message = timeoutText(err) ?? message.split('\n')[0]!.trim();
  const prefix = status !== undefined && !code.startsWith('HTTP ') ? `${code} (HTTP ${status})` : code;
  const line = message && message !== code ? `${prefix}: ${message}` : prefix;
  const excerpt = maskedExcerpt(line, 300);
  if (SCP_DENY.test(message) && !SCP_DENY.test(excerpt)) return `${maskedExcerpt(line, 300 - SCP_TAIL.length)}${SCP_TAIL}`;
  return excerpt;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The base pause before an extra round of a failed read (tests pass 0). */
export const RETRY_PAUSE_MS = 1000;

export interface RetryRoundOptions {
  /** Extra rounds after the first (each round is a full set of SDK attempts). */
  readonly rounds?: number;
  /** Base pause before a round; jittered, doubled each round. */
  readonly pauseMs?: number;
  /** The pause before extra round `round` (0, 1, …), instead of the jittered doubling of `pauseMs`. */
  readonly backoffMs?: (round: number) => number;
  /** Which errors earn another round (default: transient ones but timeouts). */
  readonly retryIf?: (err: unknown) => boolean;
}

/**
 * Runs `call`; when it fails with a transient error after the SDK's own retries, waits and runs it again, up to
 * `rounds` more times. Other errors (or those `retryIf` rejects) are thrown at once.
 */
export async function withRetryRounds<T>(call: () => Promise<T>, options: RetryRoundOptions = {}): Promise<T> {
  const rounds = options.rounds ?? 1;
  const pause = options.pauseMs ?? RETRY_PAUSE_MS;
  const backoff = options.backoffMs ?? ((round: number) => pause * 2 ** round * (0.5 + Math.random() / 2));
  const retryIf = options.retryIf ?? isWorthAnotherRound;
  for (let round = 0; ; round++) {
    try {
      return await call();
    } catch (err) {
      if (round >= rounds || !retryIf(err)) throw err;
      await sleep(backoff(round));
    }
  }
}
