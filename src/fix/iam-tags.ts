import type * as IamSdk from '@aws-sdk/client-iam';
import { tryParseArn } from '../inventory/arn.js';
import { iamPrincipalOf, isNoSuchEntity, type IamKind } from '../scan/iam-arn.js';
import { mapLimit } from '../scan/concurrency.js';
import type { SendClient } from './aws-backend.js';
import { CHANGED_SINCE_READ, GONE_SINCE_READ, errorFailure, type OwnerTagger, type WriteContext } from './backend.js';
import { foldCase } from './case-folding.js';
import type { CallFailure } from './journal.js';

/** @aws-sdk/client-iam, loaded on first use: a fix or undo without IAM principals never pays for it. */
const iamSdk = (): Promise<typeof IamSdk> => import('@aws-sdk/client-iam');

/*
 * IAM users and roles, read and written through IAM itself: GetResources never returns them and TagResources cannot
 * tag them. ListUserTags / ListRoleTags by name are exact (a never-tagged principal answers with no tags), and a
 * principal IAM says does not exist (NoSuchEntity) is gone.
 */

/** TagUser / TagRole take at most 50 tags, UntagUser / UntagRole at most 50 keys: the per-principal limit. */
export const IAM_TAGS_PER_CALL = 50;
/** Tag reads in flight: IAM's request rate is low and shared by everything in the account. */
const READ_CONCURRENCY = 4;

/** The partition an ARN names (`aws`, `aws-cn`, `aws-us-gov` …); IAM calls go to that partition's global region. */
export function partitionOf(arn: string): string {
  return tryParseArn(arn)?.partition || 'aws';
}

/** ARNs grouped by partition. */
export function byPartition(arns: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const arn of arns) {
    const p = partitionOf(arn);
    out.set(p, [...(out.get(p) ?? []), arn]);
  }
  return out;
}

const notPrincipal = (): Error => Object.assign(new Error('not an IAM user or role ARN'), { name: 'InvalidArn' });

/** The scan's paginated reader (with its retry round), loaded with the SDK on first use. */
async function readOne(client: SendClient, kind: IamKind, name: string, retryPauseMs?: number): Promise<Record<string, string>> {
  const { readPrincipalTags } = await import('../scan/sources/iam.js');
  return readPrincipalTags((command) => client.send(command), kind, name, retryPauseMs);
}

export interface IamRead {
  readonly tags: Map<string, Record<string, string>>;
  readonly failed: Map<string, CallFailure>;
  /** Users and roles IAM says do not exist (NoSuchEntity). */
  readonly missing: Set<string>;
}

/**
 * The live tags (aws: ones included) of these users and roles, one List*Tags by name each; a read still throttled
 * after the SDK's retries gets one more round after `retryPauseMs` (default 1 s).
 */
export async function readIamTags(client: SendClient, arns: readonly string[], retryPauseMs?: number): Promise<IamRead> {
  const tags = new Map<string, Record<string, string>>();
  const failed = new Map<string, CallFailure>();
  const missing = new Set<string>();
  await mapLimit(arns, READ_CONCURRENCY, async (arn) => {
    const principal = iamPrincipalOf(arn);
    if (!principal) {
      failed.set(arn, errorFailure(notPrincipal()));
      return;
    }
    try {
      tags.set(arn, await readOne(client, principal.kind, principal.name, retryPauseMs));
    } catch (err) {
      if (isNoSuchEntity(err)) missing.add(arn);
      else failed.set(arn, errorFailure(err));
    }
  });
  return { tags, failed, missing };
}

/**
 * IAM's TagUser / UntagUser (or TagRole / UntagRole) for every write of the type (`direct`): the Tagging API cannot
 * write IAM. TagRole accepts service-linked roles too; roles AWS protects (IAM Identity Center's `/aws-reserved/`)
 * answer UnmodifiableEntity, which is reported as that resource's failure.
 *
 * Keys ignore case: the applier removes the old spelling of a case-only rename before writing the new one, and never
 * again afterwards (see case-folding.ts).
 *
 * UntagUser / UntagRole cannot be conditional, and the removals run after every write of the account, possibly
 * minutes after the read: right before untagging, the principal's tags are read again, and the call is all or
 * nothing. If any key no longer holds the value the plan was made against, or IAM now holds it under another spelling
 * (one someone else, or this run, wrote: removing the key would remove that tag), nothing is removed and
 * CHANGED_SINCE_READ is thrown. The old spellings of case-only renames are removed before their values are copied, so
 * a partial removal there would lose a tag; elsewhere it leaves a principal someone else is changing alone.
 */
export function iamTagger(clientFor: (partition: string) => Promise<SendClient>, kind: IamKind, retryPauseMs?: number): OwnerTagger {
  const nameOf = (arn: string): string => {
    const principal = iamPrincipalOf(arn);
    if (!principal || principal.kind !== kind) throw notPrincipal();
    return principal.name;
  };
  const client = (arn: string): Promise<SendClient> => clientFor(partitionOf(arn));
  /** A principal deleted since it was read is drift (no longer exists), not a failure of the fix. */
  const goneAsDrift = async (write: () => Promise<void>): Promise<void> => {
    try {
      await write();
    } catch (err) {
      if (!isNoSuchEntity(err)) throw err;
      throw Object.assign(new Error(`no longer exists: IAM says the ${kind} was deleted since its tags were read`), { name: GONE_SINCE_READ });
    }
  };
  return {
    addApi: kind === 'user' ? 'iam:TagUser' : 'iam:TagRole',
    deleteApi: kind === 'user' ? 'iam:UntagUser' : 'iam:UntagRole',
    direct: true,
    maxPerCall: IAM_TAGS_PER_CALL,
    addTags: (arn, tags) => goneAsDrift(() => addTags(arn, tags)),
    deleteTags: (arn, keys, context) => goneAsDrift(() => deleteTags(arn, keys, context)),
  };

  async function addTags(arn: string, tags: Readonly<Record<string, string>>): Promise<void> {
    const name = nameOf(arn);
    const { TagRoleCommand, TagUserCommand } = await iamSdk();
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    await (await client(arn)).send(kind === 'user' ? new TagUserCommand({ UserName: name, Tags }) : new TagRoleCommand({ RoleName: name, Tags }));
  }

  async function deleteTags(arn: string, keys: readonly string[], context?: WriteContext): Promise<void> {
    const name = nameOf(arn);
    const c = await client(arn);
    const live = new Map(Object.entries(await readOne(c, kind, name, retryPauseMs)).map(([key, value]) => [foldCase(key), { key, value }]));
    const TagKeys: string[] = [];
    const changed: string[] = [];
    for (const k of keys) {
      const now = live.get(foldCase(k));
      if (now === undefined) continue; // already gone
      const expected = context?.expected[k];
      if (now.key !== k || (expected !== undefined && now.value !== expected)) changed.push(k);
      else TagKeys.push(k);
    }
    if (changed.length > 0) {
      const what = changed.length === 1 ? `tag ${changed[0]!} was` : `tags ${changed.join(', ')} were`;
      throw Object.assign(new Error(`${what} changed by someone else since it was read, so no tag was removed from this ${kind}`), {
        name: CHANGED_SINCE_READ,
      });
    }
    if (TagKeys.length === 0) return;
    const { UntagRoleCommand, UntagUserCommand } = await iamSdk();
    await c.send(kind === 'user' ? new UntagUserCommand({ UserName: name, TagKeys }) : new UntagRoleCommand({ RoleName: name, TagKeys }));
  }
}
