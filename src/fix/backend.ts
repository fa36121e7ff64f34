import { errorCode, httpStatusOf, timeoutText } from '../scan/retry.js';
import type { CallFailure, WriteApi } from './journal.js';

/** Per-ARN failures of a batched write (the Tagging API's FailedResourcesMap); ARNs not listed succeeded. */
export type FailedArns = Readonly<Record<string, CallFailure>>;

/** An owner tagger's conditional delete left a key someone changed since the read (see iam-tags.ts): drift, not failure. */
export const CHANGED_SINCE_READ = 'TagChangedSinceRead';
/** An owner tagger found the resource gone at write time (IAM's NoSuchEntity, a deleted Auto Scaling group): drift, not failure. */
export const GONE_SINCE_READ = 'ResourceGoneSinceRead';

/**
 * The owning service's own tag API for one resource: used where the Tagging API cannot write the type (a per-ARN
 * "not supported" answer), or for every write of the type when `direct`.
 */
export interface OwnerTagger {
  readonly addApi: WriteApi;
  readonly deleteApi: WriteApi;
  /** Every write of this type goes here, never through TagResources / UntagResources (Auto Scaling groups). */
  readonly direct?: boolean;
  /** Tags or keys one call takes at most (default: the Tagging API's 50). */
  readonly maxPerCall?: number;
  addTags(arn: string, tags: Readonly<Record<string, string>>, context?: WriteContext): Promise<void>;
  deleteTags(arn: string, keys: readonly string[], context?: WriteContext): Promise<void>;
}

/** What one resource's write knows beyond its tags (raw values, in memory only); see writeContextOf. */
export interface WriteContext {
  /** The values the keys to delete held when read: an API with conditional deletes deletes nothing that changed. */
  readonly expected: Readonly<Record<string, string>>;
  /** New key → the key it is copied from (a rename, or the undo of one). */
  readonly copiedFrom: Readonly<Record<string, string>>;
  /** New keys that hold personal data (undo restoring removed PII). */
  readonly personal: ReadonlySet<string>;
}

export interface ReadTagsResult {
  readonly tags: ReadonlyMap<string, Record<string, string>>;
  /** Resources whose tags could not be read: never written. */
  readonly failed: ReadonlyMap<string, CallFailure>;
  /**
   * Resources the owning service, asked by name, says do not exist (an Auto Scaling group DescribeAutoScalingGroups
   * does not return): never written.
   */
  readonly missing?: ReadonlySet<string>;
}

/** What the applier needs in one account and region, with that account's credentials. */
export interface PartitionBackend {
  /**
   * Live tags (user and aws:) of these resources. An ARN absent from the answer (and not `missing`) has no tags: the
   * Tagging API does not return never-tagged resources (a resource that no longer exists then fails at write time).
   */
  readTags(resources: readonly { arn: string; resourceType: string }[]): Promise<ReadTagsResult>;
  /** TagResources: ≤ 20 ARNs, ≤ 50 tags. Throws when the call itself fails. */
  tagResources(arns: readonly string[], tags: Readonly<Record<string, string>>): Promise<FailedArns>;
  /** UntagResources: ≤ 20 ARNs, ≤ 50 keys. Throws when the call itself fails. */
  untagResources(arns: readonly string[], keys: readonly string[]): Promise<FailedArns>;
  /** The owning service's tag API for this resource type, when the product has a client for it. */
  ownerTagger(resourceType: string): OwnerTagger | undefined;
}

export type TagBackend = (accountId: string, region: string) => Promise<PartitionBackend>;

const THROTTLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  // Auto Scaling: another update of the same group is pending. Not throttling, but the remedy is the same: retry later.
  'ResourceContention',
]);

/** Whether a per-ARN failure or an SDK error is throttling (worth retrying after a pause). */
export function isThrottle(failure: { code?: string; name?: string; statusCode?: number }): boolean {
  return THROTTLE_CODES.has(failure.code ?? '') || THROTTLE_CODES.has(failure.name ?? '') || failure.statusCode === 429;
}

/**
 * Whether a per-ARN failure says the Tagging API cannot write this resource type. AWS documents
 * InternalServiceException for this; moto answers "Service not yet supported". The same code also carries plain
 * internal errors ("Internal service error"), which must stay failures of their own, not become "unsupported type".
 */
export function isUnsupported(failure: CallFailure): boolean {
  if (/not (yet )?supported|unsupported|does not support/i.test(failure.message)) return true;
  return failure.code === 'InternalServiceException' && /resource type/i.test(failure.message);
}

/** A call-level error as a journal/report failure (first line of the message only). */
export function errorFailure(err: unknown): CallFailure {
  const e = err as { name?: unknown; message?: unknown };
  const code = errorCode(err);
  // A server that answers with an HTML error page (a proxy, an emulator): say what happened, not the parser's words.
  if (e?.name === 'SyntaxError' && httpStatusOf(err) !== undefined) return { code, message: 'the response was not valid JSON/XML' };
  // A timeout is said in words: the SDK's own message names a client option the user cannot set.
  const message = timeoutText(err) ?? (typeof e?.message === 'string' ? e.message.split('\n')[0]! : String(err));
  return { code, message };
}

export function errorIsThrottle(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return isThrottle({ name: e?.name, code: e?.code, statusCode: e?.$metadata?.httpStatusCode }) || e?.$retryable?.throttling === true;
}
