import {
  GetAccountAuthorizationDetailsCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  type IAMClient,
  type ListRolesCommandOutput,
  type ListRoleTagsCommandOutput,
  type ListUsersCommandOutput,
  type ListUserTagsCommandOutput,
} from '@aws-sdk/client-iam';
import { setTag } from '../../inventory/resource.js';
import { mapLimit } from '../concurrency.js';
import { describeError, errorCode, RETRY_PAUSE_MS, withRetryRounds } from '../retry.js';
import { iamAccessHint } from '../gap-hints.js';
import { tagRecord, type SourceFailure, type SourceName, type Tags } from '../types.js';
import { paged } from './paged.js';
import { IAM_ROLE_TYPE, IAM_USER_TYPE, isAwsManagedRolePath, isNoSuchEntity, type IamKind, type IamPrincipalType } from '../iam-arn.js';

export { IAM_ROLE_TYPE, IAM_USER_TYPE, isAwsManagedRolePath, isIamPrincipalArn, isNoSuchEntity, type IamPrincipalType } from '../iam-arn.js';

/*
 * IAM users and roles, read through IAM itself: GetResources never returns them. IAM is global: one pass per account.
 * First choice: GetAccountAuthorizationDetails (Filter User, Role), which returns users and roles with their tags
 * inline, up to 1000 a page — tens of calls for an account where the lists below take one call per principal. Where
 * it is not allowed (or fails), ListUsers / ListRoles, which return no tags, then one ListUserTags / ListRoleTags each.
 */

export type IamSend = Pick<IAMClient, 'send'>;

/** The largest page ListUsers, ListRoles and List*Tags serve (MaxItems 1–1000). */
export const IAM_PAGE = 1000;
/**
 * Tag reads in flight per account. IAM's request rate is an account-wide token bucket that AWS does not raise, shared
 * with every other IAM caller in the account (consoles, pipelines): stay well below it.
 */
export const IAM_TAG_CONCURRENCY = 4;

/** A user or role with its tags, as read. */
export interface IamItem {
  readonly arn: string;
  readonly resourceType: IamPrincipalType;
  readonly tags: Tags;
  /** ISO-8601. */
  readonly createdAt?: string;
}

/** Users or roles whose tags could not be read, grouped by type and error code. */
export interface IamUnread {
  readonly resourceType: IamPrincipalType;
  readonly count: number;
  /** The first few names, so the gap says which (gap messages are masked like every output). */
  readonly names: readonly string[];
  readonly error: unknown;
}

/** How many names of unread principals a gap lists. */
const NAMED_UNREAD = 3;

export interface IamOutcome {
  /** Lists that failed (ListUsers, ListRoles): their users or roles are not scanned at all. */
  readonly failures: readonly SourceFailure[];
  /** Principals listed whose tags could not be read: left out, never audited as untagged. */
  readonly unread: readonly IamUnread[];
  /** Users and roles emitted. */
  readonly emitted: number;
  /** Never-tagged AWS-managed roles (service-linked, Identity Center) left out by design. */
  readonly awsManagedUntagged: number;
  /** Deleted between the list and the tag read (NoSuchEntity): gone, so neither emitted nor a gap. */
  readonly vanished: number;
  /** HTTP requests made (retries by the SDK not included). */
  readonly calls: number;
  /** How users and roles were read: GetAccountAuthorizationDetails, or the lists and one tag read each. */
  readonly path: 'authorization-details' | 'lists';
}

export interface IamInput {
  readonly client: IamSend;
  /** Called for each user and role whose tags were read; awaited for back-pressure. */
  readonly onItem: (item: IamItem) => Promise<void>;
  /** Pause before a failed call's extra round (default 1 s; tests pass 0). */
  readonly retryPauseMs?: number;
  readonly concurrency?: number;
}

interface Principal {
  readonly arn: string;
  readonly name: string;
  readonly resourceType: IamPrincipalType;
  readonly awsManaged: boolean;
  readonly createdAt?: string;
}

/**
 * Every user and role of one account with its tags, handed to `onItem` as read. A list that fails is a failure of
 * its own (the other list goes on); a principal whose tags cannot be read is counted in `unread` and never emitted.
 */
export async function scanIam(input: IamInput): Promise<IamOutcome> {
  const pauseMs = input.retryPauseMs ?? RETRY_PAUSE_MS;
  let calls = 0;
  const send = async <T>(command: unknown): Promise<T> => {
    calls++;
    return (await input.client.send(command as never)) as T;
  };

  const bulk = await readAuthorizationDetails(send, pauseMs);
  if (bulk) {
    let emitted = 0;
    let awsManagedUntagged = 0;
    for (const p of bulk) {
      if (p.awsManaged && Object.keys(p.tags).length === 0) {
        awsManagedUntagged++;
        continue;
      }
      await input.onItem({ arn: p.arn, resourceType: p.resourceType, tags: p.tags, ...(p.createdAt ? { createdAt: p.createdAt } : {}) });
      emitted++;
    }
    return { failures: [], unread: [], emitted, awsManagedUntagged, vanished: 0, calls, path: 'authorization-details' };
  }

  const failures: SourceFailure[] = [];
  const principals: Principal[] = [];
  const listUsers = async (): Promise<void> => {
    const users = paged({ retryPauseMs: pauseMs }, async (token) => {
      const o = await send<ListUsersCommandOutput>(new ListUsersCommand({ MaxItems: IAM_PAGE, ...(token ? { Marker: token } : {}) }));
      return { items: o.Users, next: o.IsTruncated ? o.Marker : undefined };
    });
    const found: Principal[] = [];
    for await (const u of users)
      if (u.Arn && u.UserName)
        found.push({ arn: u.Arn, name: u.UserName, resourceType: IAM_USER_TYPE, awsManaged: false, ...(u.CreateDate ? { createdAt: u.CreateDate.toISOString() } : {}) });
    principals.push(...found);
  };
  const listRoles = async (): Promise<void> => {
    const roles = paged({ retryPauseMs: pauseMs }, async (token) => {
      const o = await send<ListRolesCommandOutput>(new ListRolesCommand({ MaxItems: IAM_PAGE, ...(token ? { Marker: token } : {}) }));
      return { items: o.Roles, next: o.IsTruncated ? o.Marker : undefined };
    });
    const found: Principal[] = [];
    for await (const r of roles)
      if (r.Arn && r.RoleName)
        found.push({
          arn: r.Arn,
          name: r.RoleName,
          resourceType: IAM_ROLE_TYPE,
          awsManaged: isAwsManagedRolePath(r.Path),
          ...(r.CreateDate ? { createdAt: r.CreateDate.toISOString() } : {}),
        });
    principals.push(...found);
  };
  // One list after the other: IAM's rate limit is per account, and the tag reads that follow dwarf both.
  for (const [what, list] of [
    ['ListUsers', listUsers],
    ['ListRoles', listRoles],
  ] as const) {
    try {
      await list();
    } catch (error) {
      failures.push({ source: 'iam', what, error });
    }
  }

  const unread = new Map<string, { resourceType: IamPrincipalType; count: number; names: string[]; error: unknown }>();
  let emitted = 0;
  let awsManagedUntagged = 0;
  let vanished = 0;
  // The consumer failing (a cancelled scan) stops the reads: no worker starts another call after that.
  let stopped: { error: unknown } | undefined;
  await mapLimit(principals, input.concurrency ?? IAM_TAG_CONCURRENCY, async (p) => {
    if (stopped) return;
    let tags: Record<string, string>;
    try {
      tags = await readPrincipalTags(send, p.resourceType === IAM_USER_TYPE ? 'user' : 'role', p.name, pauseMs);
    } catch (error) {
      if (isNoSuchEntity(error)) {
        vanished++;
        return;
      }
      const key = `${p.resourceType}\n${errorCode(error)}`;
      const group = unread.get(key) ?? { resourceType: p.resourceType, count: 0, names: [], error };
      group.count++;
      if (group.names.length < NAMED_UNREAD) group.names.push(p.name);
      unread.set(key, group);
      return;
    }
    if (p.awsManaged && Object.keys(tags).length === 0) {
      awsManagedUntagged++;
      return;
    }
    try {
      await input.onItem({ arn: p.arn, resourceType: p.resourceType, tags, ...(p.createdAt ? { createdAt: p.createdAt } : {}) });
      emitted++;
    } catch (error) {
      stopped ??= { error };
    }
  });
  if (stopped) throw stopped.error;

  return { failures, unread: [...unread.values()], emitted, awsManagedUntagged, vanished, calls, path: 'lists' };
}

/**
 * Every tag of one user or role: ListUserTags / ListRoleTags by name, page by page, each page given one more round
 * after a pause when it still fails transiently (throttling, 5xx) after the SDK's retries. The scan's reader, and the
 * fix's (which loads this module on first use).
 */
export async function readPrincipalTags(
  send: (command: ListUserTagsCommand | ListRoleTagsCommand) => Promise<unknown>,
  kind: IamKind,
  name: string,
  pauseMs: number = RETRY_PAUSE_MS,
): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  const pages = paged({ retryPauseMs: pauseMs }, async (marker) => {
    const page = (await send(
      kind === 'user'
        ? new ListUserTagsCommand({ UserName: name, MaxItems: IAM_PAGE, ...(marker ? { Marker: marker } : {}) })
        : new ListRoleTagsCommand({ RoleName: name, MaxItems: IAM_PAGE, ...(marker ? { Marker: marker } : {}) }),
    )) as ListUserTagsCommandOutput | ListRoleTagsCommandOutput;
    return { items: page.Tags, next: page.IsTruncated ? page.Marker : undefined };
  });
  for await (const t of pages) if (t.Key !== undefined) setTag(tags, t.Key, t.Value ?? '');
  return tags;
}

/**
 * Every user and role with its tags through GetAccountAuthorizationDetails, or undefined when that call fails (not
 * allowed, most often: the caller then reads through the lists, and only their failures are gaps). All pages are read
 * before anything is emitted, so a failure half-way emits nothing twice.
 */
async function readAuthorizationDetails(
  send: <T>(command: unknown) => Promise<T>,
  pauseMs: number,
): Promise<(Principal & { tags: Record<string, string> })[] | undefined> {
  const out: (Principal & { tags: Record<string, string> })[] = [];
  let marker: string | undefined;
  try {
    do {
      const page = await withRetryRounds(
        () =>
          send<GetAccountAuthorizationDetailsCommandOutput>(
            new GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'Role'], MaxItems: IAM_PAGE, ...(marker ? { Marker: marker } : {}) }),
          ),
        { rounds: 1, pauseMs },
      );
      for (const u of page.UserDetailList ?? [])
        if (u.Arn && u.UserName)
          out.push({
            arn: u.Arn,
            name: u.UserName,
            resourceType: IAM_USER_TYPE,
            awsManaged: false,
            tags: tagRecord(u.Tags),
            ...(u.CreateDate ? { createdAt: u.CreateDate.toISOString() } : {}),
          });
      for (const r of page.RoleDetailList ?? [])
        if (r.Arn && r.RoleName)
          out.push({
            arn: r.Arn,
            name: r.RoleName,
            resourceType: IAM_ROLE_TYPE,
            awsManaged: isAwsManagedRolePath(r.Path),
            tags: tagRecord(r.Tags),
            ...(r.CreateDate ? { createdAt: r.CreateDate.toISOString() } : {}),
          });
      marker = page.IsTruncated ? page.Marker || undefined : undefined;
    } while (marker);
  } catch {
    return undefined;
  }
  return out;
}

/** The one-line gap for principals whose tags could not be read (`sources`: those the scan runs, for the hint). */
export function iamUnreadMessage(u: IamUnread, sources?: Iterable<SourceName>): string {
  const what = u.resourceType === IAM_USER_TYPE ? 'IAM user(s)' : 'IAM role(s)';
  const call = u.resourceType === IAM_USER_TYPE ? 'ListUserTags' : 'ListRoleTags';
  const first = u.count > 1 ? ` (the first of ${u.count} errors)` : '';
  const names = [...u.names].sort().join(', ') + (u.count > u.names.length ? ', …' : '');
  return `tags of ${u.count} ${what} (${names}) could not be read (${call}), so they are left out rather than audited as untagged: ${describeError(u.error)}${first}${iamAccessHint(u.error, sources)}`;
}

/** The one-line gap for lists that failed with one cause (`what`: ListUsers, ListRoles). */
export function iamListMessage(what: readonly string[], error: unknown, sources?: Iterable<SourceName>): string {
  const hidden = what.map((w) => (w === 'ListUsers' ? 'users' : 'roles')).join(' and ');
  return `${what.join(', ')}: ${describeError(error)}; the account's IAM ${hidden} are not scanned${iamAccessHint(error, sources)}`;
}
