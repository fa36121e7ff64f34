import { describe, expect, it } from 'vitest';
import { IAM_TAG_CONCURRENCY, iamListMessage, iamUnreadMessage, isIamPrincipalArn, scanIam, type IamItem } from '../../../src/scan/sources/iam.js';
import { fakeClient, sdkError, type Handler } from './fake-client.js';

const ACCOUNT = '111122223333';
const user = (name: string, path = '/') => ({ UserName: name, Path: path, Arn: `arn:aws:iam::${ACCOUNT}:user${path}${name}`, CreateDate: new Date('2024-02-01T00:00:00Z') });
const role = (name: string, path = '/') => ({ RoleName: name, Path: path, Arn: `arn:aws:iam::${ACCOUNT}:role${path}${name}` });
const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** IAM as AWS answers: lists without tags, paged by Marker / IsTruncated, `size` items a page. */
function iam(opts: {
  users: ReturnType<typeof user>[];
  roles: ReturnType<typeof role>[];
  tags?: Record<string, Record<string, string>>;
  size?: number;
  override?: Record<string, Handler>;
  /** Whether GetAccountAuthorizationDetails is allowed (default: denied, so the lists are read). */
  bulk?: boolean;
}) {
  const size = opts.size ?? 1000;
  const page = <T>(items: T[], input: Record<string, unknown>) => {
    const from = Number(input.Marker ?? 0);
    const next = from + size;
    return { items: items.slice(from, next), more: next < items.length, marker: String(next) };
  };
  const withTags = <T extends { UserName?: string; RoleName?: string }>(p: T) => ({ ...p, Tags: tagList(opts.tags?.[(p.UserName ?? p.RoleName)!] ?? {}) });
  return fakeClient({
    GetAccountAuthorizationDetails: (input) => {
      if (!opts.bulk) return sdkError('AccessDenied', 403, 'not authorized to perform: iam:GetAccountAuthorizationDetails');
      expect(input.Filter).toEqual(['User', 'Role']);
      const p = page<{ UserName?: string; RoleName?: string }>([...opts.users, ...opts.roles], input);
      return {
        UserDetailList: p.items.filter((x) => x.UserName).map(withTags),
        RoleDetailList: p.items.filter((x) => x.RoleName).map(withTags),
        IsTruncated: p.more,
        ...(p.more ? { Marker: p.marker } : {}),
      };
    },
    ListUsers: (input) => {
      const p = page(opts.users, input);
      return { Users: p.items, IsTruncated: p.more, ...(p.more ? { Marker: p.marker } : {}) };
    },
    ListRoles: (input) => {
      const p = page(opts.roles, input);
      return { Roles: p.items, IsTruncated: p.more, ...(p.more ? { Marker: p.marker } : {}) };
    },
    ListUserTags: (input) => {
      const name = input.UserName as string;
      if (!opts.users.some((u) => u.UserName === name)) return sdkError('NoSuchEntityException', 404);
      return { Tags: tagList(opts.tags?.[name] ?? {}), IsTruncated: false };
    },
    ListRoleTags: (input) => ({ Tags: tagList(opts.tags?.[input.RoleName as string] ?? {}), IsTruncated: false }),
    ...opts.override,
  });
}

async function run(client: ReturnType<typeof fakeClient>, concurrency?: number) {
  const items: IamItem[] = [];
  const outcome = await scanIam({ client, retryPauseMs: 0, onItem: async (i) => void items.push(i), ...(concurrency ? { concurrency } : {}) });
  return { items: items.sort((a, b) => a.arn.localeCompare(b.arn)), outcome };
}

describe('scanIam', () => {
  it('pages through users and roles, reads each one’s tags, and emits the never-tagged ones with {}', async () => {
    const users = ['alice', 'bob', 'carol'].map((n) => user(n));
    const roles = [role('app', '/svc/'), role('bare')];
    const client = iam({ users, roles, size: 2, tags: { alice: { owner: 'alice@example.com' }, app: { team: 'ml' } } });
    const { items, outcome } = await run(client);
    expect(items).toEqual([
      { arn: `arn:aws:iam::${ACCOUNT}:role/bare`, resourceType: 'iam:role', tags: {} },
      { arn: `arn:aws:iam::${ACCOUNT}:role/svc/app`, resourceType: 'iam:role', tags: { team: 'ml' } },
      { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, resourceType: 'iam:user', tags: { owner: 'alice@example.com' }, createdAt: '2024-02-01T00:00:00.000Z' },
      { arn: `arn:aws:iam::${ACCOUNT}:user/bob`, resourceType: 'iam:user', tags: {}, createdAt: '2024-02-01T00:00:00.000Z' },
      { arn: `arn:aws:iam::${ACCOUNT}:user/carol`, resourceType: 'iam:user', tags: {}, createdAt: '2024-02-01T00:00:00.000Z' },
    ]);
    expect(client.calls.filter((c) => c.command === 'ListUsers').map((c) => c.input)).toEqual([{ MaxItems: 1000 }, { MaxItems: 1000, Marker: '2' }]);
    expect(client.count('ListRoles')).toBe(1);
    // Tags are read by name (the last segment of the ARN, never the path).
    expect(client.calls.filter((c) => c.command === 'ListRoleTags').map((c) => c.input.RoleName).sort()).toEqual(['app', 'bare']);
    expect(outcome).toMatchObject({ failures: [], unread: [], emitted: 5, awsManagedUntagged: 0, vanished: 0, calls: 1 + 3 + 5, path: 'lists' });
  });

  it('follows a truncated tag list to its end', async () => {
    const client = iam({
      users: [user('alice')],
      roles: [],
      override: {
        ListUserTags: (input) =>
          input.Marker === 'm2' ? { Tags: tagList({ b: '2' }), IsTruncated: false } : { Tags: tagList({ a: '1' }), IsTruncated: true, Marker: 'm2' },
      },
    });
    const { items } = await run(client);
    expect(items.map((i) => i.tags)).toEqual([{ a: '1', b: '2' }]);
    expect(client.count('ListUserTags')).toBe(2);
  });

  it('leaves a user whose tags cannot be read out and counts it, never emitting it as untagged', async () => {
    const client = iam({
      users: [user('alice'), user('bob'), user('carol')],
      roles: [role('app')],
      tags: { bob: { team: 'x' } },
      override: {
        ListUserTags: (input) => (input.UserName === 'bob' ? { Tags: tagList({ team: 'x' }) } : sdkError('AccessDenied', 403, 'not authorized to perform iam:ListUserTags')),
      },
    });
    const { items, outcome } = await run(client);
    expect(items.map((i) => i.arn)).toEqual([`arn:aws:iam::${ACCOUNT}:role/app`, `arn:aws:iam::${ACCOUNT}:user/bob`]);
    expect(outcome.unread).toEqual([{ resourceType: 'iam:user', count: 2, names: expect.arrayContaining(['alice', 'carol']), error: expect.objectContaining({ name: 'AccessDenied' }) }]);
    expect(iamUnreadMessage(outcome.unread[0]!)).toBe(
      'tags of 2 IAM user(s) (alice, carol) could not be read (ListUserTags), so they are left out rather than audited as untagged: AccessDenied (HTTP 403): not authorized to perform iam:ListUserTags' +
        ' (the first of 2 errors)' +
        ' [grant the scan role iam:GetAccountAuthorizationDetails (or iam:ListUsers, iam:ListRoles, iam:ListUserTags, iam:ListRoleTags), or leave IAM out with --sources tagging-api,sagemaker,config]',
    );
    // Access denied is final: no extra round.
    expect(client.count('ListUserTags')).toBe(3);
  });

  it('gives a throttled tag read one more round before giving up on it', async () => {
    let calls = 0;
    const client = iam({
      users: [user('alice')],
      roles: [],
      override: { ListUserTags: () => (++calls === 1 ? sdkError('Throttling', 400, 'Rate exceeded') : { Tags: tagList({ team: 'a' }) }) },
    });
    const { items, outcome } = await run(client);
    expect(items.map((i) => i.tags)).toEqual([{ team: 'a' }]);
    expect(outcome.unread).toEqual([]);
    expect(calls).toBe(2);
  });

  it('drops a user deleted between the list and the tag read: neither emitted nor a gap', async () => {
    const client = iam({
      users: [user('alice'), user('gone')],
      roles: [],
      // ListUsers still names "gone"; ListUserTags says it no longer exists.
      override: { ListUserTags: (input) => (input.UserName === 'gone' ? sdkError('NoSuchEntityException', 404, 'The user with name gone cannot be found.') : { Tags: [] }) },
    });
    const { items, outcome } = await run(client);
    expect(items.map((i) => i.arn)).toEqual([`arn:aws:iam::${ACCOUNT}:user/alice`]);
    expect(outcome).toMatchObject({ unread: [], vanished: 1, emitted: 1 });
  });

  it('keeps reading roles when ListUsers is denied, and reports the denied list', async () => {
    const client = iam({ users: [user('alice')], roles: [role('app')], override: { ListUsers: () => sdkError('AccessDenied', 403, 'not authorized to perform iam:ListUsers') } });
    const { items, outcome } = await run(client);
    expect(items.map((i) => i.arn)).toEqual([`arn:aws:iam::${ACCOUNT}:role/app`]);
    expect(outcome.failures).toEqual([{ source: 'iam', what: 'ListUsers', error: expect.objectContaining({ name: 'AccessDenied' }) }]);
    expect(client.count('ListUserTags')).toBe(0);
    expect(iamListMessage(['ListUsers', 'ListRoles'], outcome.failures[0]!.error)).toBe(
      "ListUsers, ListRoles: AccessDenied (HTTP 403): not authorized to perform iam:ListUsers; the account's IAM users and roles are not scanned" +
        ' [grant the scan role iam:GetAccountAuthorizationDetails (or iam:ListUsers, iam:ListRoles, iam:ListUserTags, iam:ListRoleTags), or leave IAM out with --sources tagging-api,sagemaker,config]',
    );
  });

  it('emits a user list that failed half-way not at all (its gap covers every user)', async () => {
    let page = 0;
    const client = iam({
      users: [user('alice'), user('bob')],
      roles: [],
      override: { ListUsers: () => (++page === 1 ? { Users: [user('alice')], IsTruncated: true, Marker: 'm' } : sdkError('InternalFailure', 500)) },
    });
    const { items, outcome } = await run(client);
    expect(items).toEqual([]);
    expect(outcome.failures.map((f) => f.what)).toEqual(['ListUsers']);
  });

  it('audits AWS-managed roles (service-linked, Identity Center) only once someone tagged them', async () => {
    const slr = role('AWSServiceRoleForAutoScaling', '/aws-service-role/autoscaling.amazonaws.com/');
    const taggedSlr = role('AWSServiceRoleForSupport', '/aws-service-role/support.amazonaws.com/');
    const sso = role('AWSReservedSSO_Admin_0123', '/aws-reserved/sso.amazonaws.com/');
    const client = iam({ users: [], roles: [slr, taggedSlr, sso, role('app')], tags: { AWSServiceRoleForSupport: { contact: 'ops@example.com' } } });
    const { items, outcome } = await run(client);
    expect(items.map((i) => [i.arn, i.tags])).toEqual([
      [`arn:aws:iam::${ACCOUNT}:role/app`, {}],
      [taggedSlr.Arn, { contact: 'ops@example.com' }],
    ]);
    expect(outcome.awsManagedUntagged).toBe(2);
    // Their tags are read all the same: personal data on a service-linked role is still found.
    expect(client.count('ListRoleTags')).toBe(4);
  });

  it('never has more than its concurrency of tag reads in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const users = Array.from({ length: 20 }, (_, i) => user(`u${i}`));
    const client = iam({
      users,
      roles: [],
      override: {
        ListUserTags: (async () => {
          most = Math.max(most, ++inFlight);
          await new Promise((r) => setTimeout(r, 2));
          inFlight--;
          return { Tags: [] };
        }) as unknown as Handler,
      },
    });
    const { items } = await run(client);
    expect(items).toHaveLength(20);
    expect(most).toBe(IAM_TAG_CONCURRENCY);
  });

  it('stops reading once the consumer fails (a cancelled scan)', async () => {
    const client = iam({ users: Array.from({ length: 20 }, (_, i) => user(`u${i}`)), roles: [] });
    const cancelled = new Error('cancelled');
    await expect(scanIam({ client, retryPauseMs: 0, concurrency: 1, onItem: async () => Promise.reject(cancelled) })).rejects.toBe(cancelled);
    expect(client.count('ListUserTags')).toBe(1);
  });
});

describe('isIamPrincipalArn', () => {
  it('knows users and roles, not other IAM types or other services', () => {
    expect(isIamPrincipalArn(`arn:aws:iam::${ACCOUNT}:user/path/alice`)).toBe(true);
    expect(isIamPrincipalArn(`arn:aws-cn:iam::${ACCOUNT}:role/app`)).toBe(true);
    expect(isIamPrincipalArn(`arn:aws:iam::${ACCOUNT}:policy/p`)).toBe(false);
    expect(isIamPrincipalArn(`arn:aws:iam::${ACCOUNT}:instance-profile/p`)).toBe(false);
    expect(isIamPrincipalArn(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:user`)).toBe(false);
  });
});

describe('scanIam through GetAccountAuthorizationDetails', () => {
  it('reads users and roles with their tags inline, a page at a time, with no per-principal call', async () => {
    const users = ['alice', 'bob', 'carol'].map((n) => user(n));
    const roles = [role('app', '/svc/'), role('AWSServiceRoleForX', '/aws-service-role/x.amazonaws.com/')];
    const client = iam({ users, roles, size: 2, bulk: true, tags: { alice: { owner: 'alice@example.com' }, app: { team: 'ml' } } });
    const { items, outcome } = await run(client);
    expect(items).toEqual([
      { arn: `arn:aws:iam::${ACCOUNT}:role/svc/app`, resourceType: 'iam:role', tags: { team: 'ml' } },
      { arn: `arn:aws:iam::${ACCOUNT}:user/alice`, resourceType: 'iam:user', tags: { owner: 'alice@example.com' }, createdAt: '2024-02-01T00:00:00.000Z' },
      { arn: `arn:aws:iam::${ACCOUNT}:user/bob`, resourceType: 'iam:user', tags: {}, createdAt: '2024-02-01T00:00:00.000Z' },
      { arn: `arn:aws:iam::${ACCOUNT}:user/carol`, resourceType: 'iam:user', tags: {}, createdAt: '2024-02-01T00:00:00.000Z' },
    ]);
    expect(client.calls.map((c) => [c.command, c.input.Marker])).toEqual([
      ['GetAccountAuthorizationDetails', undefined],
      ['GetAccountAuthorizationDetails', '2'],
      ['GetAccountAuthorizationDetails', '4'],
    ]);
    expect(outcome).toMatchObject({ failures: [], unread: [], emitted: 4, awsManagedUntagged: 1, calls: 3, path: 'authorization-details' });
  });

  it('falls back to the lists when it is denied, recording no gap for that', async () => {
    const client = iam({ users: [user('alice')], roles: [role('app')], tags: { alice: { team: 'a' } } });
    const { items, outcome } = await run(client);
    expect(items.map((i) => [i.arn, i.tags])).toEqual([
      [`arn:aws:iam::${ACCOUNT}:role/app`, {}],
      [`arn:aws:iam::${ACCOUNT}:user/alice`, { team: 'a' }],
    ]);
    expect(outcome).toMatchObject({ failures: [], unread: [], path: 'lists' });
    expect(client.calls.map((c) => c.command)).toEqual(['GetAccountAuthorizationDetails', 'ListUsers', 'ListRoles', 'ListUserTags', 'ListRoleTags']);
  });

  it('emits nothing from a bulk read that failed half-way, and reads everything through the lists instead', async () => {
    let pages = 0;
    const client = iam({
      users: [user('alice'), user('bob')],
      roles: [],
      size: 1,
      bulk: true,
      override: {
        GetAccountAuthorizationDetails: (input) =>
          ++pages === 1
            ? { UserDetailList: [{ ...user('alice'), Tags: [] }], IsTruncated: true, Marker: '1' }
            : input.Marker === '1'
              ? sdkError('InternalFailure', 500)
              : sdkError('AccessDenied', 403),
      },
    });
    const { items, outcome } = await run(client);
    // Each user once, as the lists read it.
    expect(items.map((i) => i.arn)).toEqual([`arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:user/bob`]);
    expect(outcome).toMatchObject({ failures: [], unread: [], path: 'lists' });
  });
});
