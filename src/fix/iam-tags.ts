import {
  ListRoleTagsCommand,
  ListUserTagsCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagRoleCommand,
  UntagUserCommand,
  type ListRoleTagsCommandOutput,
  type ListUserTagsCommandOutput,
} from '@aws-sdk/client-iam';
import { tryParseArn } from '../inventory/arn.js';
import { setTag } from '../inventory/resource.js';
import { isNoSuchEntity } from '../scan/sources/iam.js';
import { mapLimit } from '../scan/concurrency.js';
import type { SendClient } from './aws-backend.js';
import { errorFailure, type OwnerTagger } from './backend.js';
import type { CallFailure } from './journal.js';

/*
 * IAM users and roles, read and written through IAM itself: GetResources never returns them and TagResources cannot
 * tag them. ListUserTags / ListRoleTags by name are exact (a never-tagged principal answers with no tags), and a
 * principal IAM says does not exist (NoSuchEntity) is gone.
 */

/** TagUser / TagRole take at most 50 tags, UntagUser / UntagRole at most 50 keys: the per-principal limit. */
export const IAM_TAGS_PER_CALL = 50;
/** Tag reads in flight: IAM's request rate is low and shared by everything in the account. */
const READ_CONCURRENCY = 4;

export type IamKind = 'user' | 'role';

/**
 * The user or role an ARN names: `arn:aws:iam::123456789012:user/division/alice` → user `alice` (IAM names are
 * unique per account whatever the path, and the calls take the name without it).
 */
export function iamPrincipalOf(arn: string): { kind: IamKind; name: string } | undefined {
  const parsed = tryParseArn(arn);
  if (!parsed || parsed.service !== 'iam') return undefined;
  const kind = parsed.resourceType === 'iam:user' ? 'user' : parsed.resourceType === 'iam:role' ? 'role' : undefined;
  const name = parsed.resourceId.slice(parsed.resourceId.lastIndexOf('/') + 1);
  return kind && name ? { kind, name } : undefined;
}

export function isIamPrincipalType(resourceType: string): boolean {
  return resourceType === 'iam:user' || resourceType === 'iam:role';
}

const notPrincipal = (): Error => Object.assign(new Error('not an IAM user or role ARN'), { name: 'InvalidArn' });

async function readOne(client: SendClient, kind: IamKind, name: string): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  let marker: string | undefined;
  do {
    const page = (await client.send(
      kind === 'user'
        ? new ListUserTagsCommand({ UserName: name, ...(marker ? { Marker: marker } : {}) })
        : new ListRoleTagsCommand({ RoleName: name, ...(marker ? { Marker: marker } : {}) }),
    )) as ListUserTagsCommandOutput | ListRoleTagsCommandOutput;
    for (const t of page.Tags ?? []) if (t.Key !== undefined) setTag(tags, t.Key, t.Value ?? '');
    marker = page.IsTruncated ? page.Marker || undefined : undefined;
  } while (marker);
  return tags;
}

export interface IamRead {
  readonly tags: Map<string, Record<string, string>>;
  readonly failed: Map<string, CallFailure>;
  /** Users and roles IAM says do not exist (NoSuchEntity). */
  readonly missing: Set<string>;
}

/** The live tags (aws: ones included) of these users and roles, one List*Tags by name each. */
export async function readIamTags(client: SendClient, arns: readonly string[]): Promise<IamRead> {
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
      tags.set(arn, await readOne(client, principal.kind, principal.name));
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
 * IAM compares the tag keys of users and roles without case ("you cannot have separate Department and department tag
 * keys"), so the applier's rename order — write the new key, then remove the old one — would, for a rename that only
 * changes the case (`costcenter` → `CostCenter`), remove the tag it has just written. Such a rename is done here as
 * remove-then-write inside the write of the new key, and the later removal of the old key is not sent. If the run is
 * interrupted between the two calls, the journal holds the old value: `undo` (or a re-run) puts it back.
 */
export function iamTagger(client: () => Promise<SendClient>, kind: IamKind): OwnerTagger {
  const nameOf = (arn: string): string => {
    const principal = iamPrincipalOf(arn);
    if (!principal || principal.kind !== kind) throw notPrincipal();
    return principal.name;
  };
  /** Per principal, the folded keys written in this run: removing a key that folds the same would remove them. */
  const written = new Map<string, Set<string>>();
  const untag = async (name: string, TagKeys: string[]): Promise<void> => {
    await (await client()).send(kind === 'user' ? new UntagUserCommand({ UserName: name, TagKeys }) : new UntagRoleCommand({ RoleName: name, TagKeys }));
  };
  return {
    addApi: kind === 'user' ? 'iam:TagUser' : 'iam:TagRole',
    deleteApi: kind === 'user' ? 'iam:UntagUser' : 'iam:UntagRole',
    direct: true,
    maxPerCall: IAM_TAGS_PER_CALL,
    async addTags(arn, tags, context) {
      const name = nameOf(arn);
      const keys = Object.keys(tags);
      const folded = new Set(keys.map(fold));
      // Keys this write replaces that differ only in case: the keys the plan removes (their read values are in
      // `expected`), and the keys the new ones are copied from.
      const sources = new Set([...Object.keys(context?.expected ?? {}), ...Object.values(context?.copiedFrom ?? {})]);
      const caseOnly = [...sources].filter((k) => folded.has(fold(k)) && !keys.includes(k));
      if (caseOnly.length > 0) await untag(name, caseOnly);
      const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
      await (await client()).send(kind === 'user' ? new TagUserCommand({ UserName: name, Tags }) : new TagRoleCommand({ RoleName: name, Tags }));
      const mine = written.get(arn) ?? new Set<string>();
      for (const k of folded) mine.add(k);
      written.set(arn, mine);
    },
    async deleteTags(arn, keys) {
      const name = nameOf(arn);
      const mine = written.get(arn);
      // A key folding like one written in this run is the old spelling of a case-only rename, already removed.
      const TagKeys = keys.filter((k) => !mine?.has(fold(k)));
      if (TagKeys.length > 0) await untag(name, TagKeys);
    },
  };
}

/** IAM's case-insensitive comparison of user and role tag keys. */
function fold(key: string): string {
  return key.toLowerCase();
}
