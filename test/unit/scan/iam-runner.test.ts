import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/inventory/resource.js';
import type { ScanError } from '../../../src/report/types.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { startLiveScan } from '../../../src/scan/live-scan.js';
import { runLiveScan, type ScanProgress } from '../../../src/scan/runner.js';
import { ALL_SOURCES, type SourceName } from '../../../src/scan/types.js';
import { fakeClient, sdkError, type FakeClient, type Handler } from './fake-client.js';

const ME = '111111111111';
const MEMBER = '222222222222';
const LOCKED = '333333333333';
const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const userArn = (a: string, n: string) => `arn:aws:iam::${a}:user/${n}`;
const roleArn = (a: string, n: string) => `arn:aws:iam::${a}:role/${n}`;
const lambdaArn = (a: string, r: string) => `arn:aws:lambda:${r}:${a}:function:f`;

/** One account's IAM: alice (tagged, with an e-mail), bob (never tagged), role app (never tagged). */
function iamClient(account: string, override: Record<string, Handler> = {}): FakeClient {
  return fakeClient({
    GetAccountAuthorizationDetails: () => sdkError('AccessDenied', 403, 'not authorized to perform: iam:GetAccountAuthorizationDetails'),
    ListUsers: () => ({ Users: [{ UserName: 'alice', Path: '/', Arn: userArn(account, 'alice') }, { UserName: 'bob', Path: '/', Arn: userArn(account, 'bob') }] }),
    ListRoles: () => ({ Roles: [{ RoleName: 'app', Path: '/', Arn: roleArn(account, 'app') }] }),
    ListUserTags: (input) => ({ Tags: input.UserName === 'alice' ? tagList({ Owner: 'alice@example.com' }) : [] }),
    ListRoleTags: () => ({ Tags: [] }),
    ...override,
  });
}

interface Setup {
  iam?: (account: string) => FakeClient;
  /** What GetResources returns in every slice besides the Lambda function. */
  tagged?: (account: string) => Array<{ arn: string; tags: Record<string, string> }>;
  /** The configured region (null: none). */
  configured?: string | null;
  /** The caller's partition (from its ARN). */
  partition?: string;
  /** account:ListRegions answers with this error. */
  listRegionsDenied?: boolean;
  /** Fails the test when a regional client is asked for. */
  noRegional?: boolean;
}

function factory(setup: Setup = {}) {
  const iamClients = new Map<string, FakeClient>();
  const iamRegions: string[] = [];
  const f = {
    callerIdentity: async () => ({ accountId: ME, arn: `arn:${setup.partition ?? 'aws'}:iam::${ME}:user/me`, partition: setup.partition ?? 'aws' }),
    configuredRegion: async () => (setup.configured === null ? undefined : (setup.configured ?? 'eu-west-1')),
    credentialsFor: async (account: string) => {
      if (account === LOCKED) throw sdkError('AccessDenied', 403, 'not authorized to perform sts:AssumeRole');
      return async () => ({ accessKeyId: 'a', secretAccessKey: 'b' });
    },
    tagging: async (account: string, region: string) => {
      if (setup.noRegional) throw new Error(`no regional client wanted (${region})`);
      return fakeClient({
        GetResources: () => ({
          ResourceTagMappingList: [{ arn: lambdaArn(account, region), tags: { team: 'a' } }, ...(setup.tagged?.(account) ?? [])].map((t) => ({
            ResourceARN: t.arn,
            Tags: tagList(t.tags),
          })),
        }),
      });
    },
    autoscaling: async () => fakeClient({ DescribeAutoScalingGroups: () => ({ AutoScalingGroups: [] }) }),
    iam: async (account: string, region: string) => {
      iamRegions.push(`${account}/${region}`);
      const client = iamClients.get(account) ?? (setup.iam ?? iamClient)(account);
      iamClients.set(account, client);
      return client;
    },
    organizations: async () => fakeClient({ ListAccounts: () => ({ Accounts: [ME, MEMBER, LOCKED].map((Id) => ({ Id, State: 'ACTIVE' })) }) }),
    account: async () =>
      fakeClient({
        ListRegions: () =>
          setup.listRegionsDenied
            ? sdkError('AccessDeniedException', 403, 'not authorized to perform: account:ListRegions')
            : { Regions: [{ RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' }] },
      }),
    apiCalls: () => ({}),
    destroy: () => undefined,
  };
  return { factory: f as unknown as ClientFactory, iamClients, iamRegions };
}

async function scan(setup: Setup = {}, opts: { org?: boolean; regions?: string[] | 'all' | null; sources?: SourceName[]; concurrency?: number } = {}) {
  const f = factory(setup);
  const resources: Resource[] = [];
  const errors: ScanError[] = [];
  const progress: ScanProgress[] = [];
  const notes: string[] = [];
  const result = await runLiveScan({
    factory: f.factory,
    ...(opts.org ? { org: true } : {}),
    ...(opts.regions === null ? {} : { regions: opts.regions ?? ['eu-west-1', 'us-west-2'] }),
    sources: new Set(opts.sources ?? ['tagging-api', 'iam']),
    since: new Date('2024-01-01T00:00:00Z'),
    concurrency: opts.concurrency ?? 3,
    emit: async (r) => void resources.push(r),
    record: (e) => errors.push(e),
    note: (n) => void notes.push(n),
    progress: (p) => progress.push(p),
    retryPauseMs: 0,
  });
  return { ...f, resources, errors, progress, notes, result };
}

describe('live scan: the iam source', () => {
  it('reads each account’s users and roles once (not per region), in the global region, as region `global`', async () => {
    const { resources, errors, iamRegions, iamClients, result } = await scan({}, { org: true });
    expect(errors).toEqual([expect.objectContaining({ accountId: LOCKED, source: 'sts' })]);
    // Two regions scanned, yet one IAM client and one ListUsers per reachable account, built for us-east-1.
    expect(iamRegions.sort()).toEqual([`${ME}/us-east-1`, `${MEMBER}/us-east-1`]);
    for (const c of iamClients.values()) expect([c.count('ListUsers'), c.count('ListRoles'), c.count('ListUserTags'), c.count('ListRoleTags')]).toEqual([1, 1, 2, 1]);
    const iam = resources.filter((r) => r.service === 'iam').map((r) => [r.arn, r.accountId, r.region, r.resourceType, r.tags, r.source]);
    expect(iam.sort()).toEqual(
      [ME, MEMBER]
        .flatMap((a) => [
          [userArn(a, 'alice'), a, 'global', 'iam:user', { Owner: 'alice@example.com' }, 'iam'],
          [userArn(a, 'bob'), a, 'global', 'iam:user', {}, 'iam'],
          [roleArn(a, 'app'), a, 'global', 'iam:role', {}, 'iam'],
        ])
        .sort(),
    );
    // The scope lists the regions scanned; `global` is where IAM resources live, not a region that was scanned.
    expect(result.regions).toEqual(['eu-west-1', 'us-west-2']);
  });

  it('counts the IAM pass as one more unit per account, also for an account that could not be reached', async () => {
    const { progress } = await scan({}, { org: true });
    // 3 accounts × (2 regions + IAM).
    expect(progress.at(-1)).toMatchObject({ slicesDone: 9, slicesTotal: 9 });
    expect(progress.every((p) => p.slicesDone <= p.slicesTotal)).toBe(true);
  });

  it('does not run without the iam source', async () => {
    const { resources, iamRegions, progress } = await scan({}, { sources: ['tagging-api'] });
    expect(iamRegions).toEqual([]);
    expect(resources.filter((r) => r.service === 'iam')).toEqual([]);
    expect(progress.at(-1)).toMatchObject({ slicesDone: 2, slicesTotal: 2 });
  });

  it('uses the global region of the caller’s partition (China: cn-northwest-1)', async () => {
    const { iamRegions } = await scan({ configured: 'cn-north-1', partition: 'aws-cn' }, { regions: ['cn-north-1'] });
    expect(iamRegions).toEqual([`${ME}/cn-northwest-1`]);
  });

  it('takes IAM’s region from the caller’s partition, not from the configured region (none, or another partition’s)', async () => {
    expect((await scan({ configured: null, partition: 'aws-cn' }, { regions: ['cn-north-1'] })).iamRegions).toEqual([`${ME}/cn-northwest-1`]);
    expect((await scan({ configured: 'eu-west-1', partition: 'aws-us-gov' }, { regions: ['us-gov-east-1'] })).iamRegions).toEqual([`${ME}/us-gov-west-1`]);
  });

  it('reads IAM even when the account’s regions cannot be listed (--regions all)', async () => {
    const { resources, errors, progress, result } = await scan({ listRegionsDenied: true }, { regions: 'all' });
    expect(resources.filter((r) => r.service === 'iam')).toHaveLength(3);
    expect(errors).toEqual([
      expect.objectContaining({ accountId: ME, source: 'account', message: expect.stringContaining("the account's regions were not scanned (its IAM users and roles are scanned)") }),
    ]);
    expect(result.regions).toEqual([]);
    expect(progress.at(-1)).toMatchObject({ slicesDone: 1, slicesTotal: 1 });
  });

  it('with --sources iam alone: no region slices, no regions in the scope, and no region needed', async () => {
    const { resources, errors, progress, result } = await scan({ configured: null, noRegional: true }, { regions: null, sources: ['iam'], org: true });
    expect(errors).toEqual([expect.objectContaining({ accountId: LOCKED, source: 'sts' })]);
    expect(resources.filter((r) => r.service === 'iam')).toHaveLength(6);
    expect(resources.every((r) => r.service === 'iam')).toBe(true);
    expect(result.regions).toEqual([]);
    // One IAM pass per account, and nothing else counted.
    expect(progress.at(-1)).toMatchObject({ slicesDone: 3, slicesTotal: 3 });
    const withRegions = await scan({ noRegional: true }, { regions: ['eu-west-1', 'us-west-2'], sources: ['iam'] });
    expect(withRegions.result.regions).toEqual([]);
    expect(withRegions.progress.at(-1)).toMatchObject({ slicesDone: 1, slicesTotal: 1 });
  });

  it('keeps IAM’s own read of a role GetResources also returns: one resource, IAM’s tags', async () => {
    const { resources } = await scan({ tagged: (a) => [{ arn: roleArn(a, 'app'), tags: { stale: 'copy' } }] });
    const roles = resources.filter((r) => r.arn === roleArn(ME, 'app'));
    expect(roles).toEqual([expect.objectContaining({ tags: {}, source: 'iam' })]);
  });

  it('without the iam source, still reports a role GetResources returns (as before)', async () => {
    const { resources } = await scan({ tagged: (a) => [{ arn: roleArn(a, 'app'), tags: { team: 'x' } }] }, { sources: ['tagging-api'] });
    expect(resources.filter((r) => r.arn === roleArn(ME, 'app'))).toEqual([expect.objectContaining({ tags: { team: 'x' }, source: 'tagging-api' })]);
  });

  it('records one gap in region global when IAM is denied, and scans everything else', async () => {
    const denied = (action: string): Handler => () => sdkError('AccessDenied', 403, `User is not authorized to perform: iam:${action}`);
    const { resources, errors, progress } = await scan({ iam: (a) => iamClient(a, { ListUsers: denied('ListUsers'), ListRoles: denied('ListRoles') }) });
    expect(errors).toEqual([
      {
        accountId: ME,
        region: 'global',
        source: 'iam',
        code: 'AccessDenied',
        message:
          "ListUsers, ListRoles: AccessDenied (HTTP 403): User is not authorized to perform: iam:ListUsers; the account's IAM users and roles are not scanned" +
          // The way out names the sources this run uses (tagging-api and iam), never one it did not.
          ' [grant the scan role iam:GetAccountAuthorizationDetails (or iam:ListUsers, iam:ListRoles, iam:ListUserTags, iam:ListRoleTags), or leave IAM out with --sources tagging-api]',
      },
    ]);
    expect(resources.map((r) => r.arn).sort()).toEqual([lambdaArn(ME, 'eu-west-1'), lambdaArn(ME, 'us-west-2')]);
    expect(progress.at(-1)).toMatchObject({ slicesDone: 3, slicesTotal: 3, errors: 1 });
  });

  it('makes a user whose tags cannot be read a gap, never an untagged user', async () => {
    const { resources, errors } = await scan({
      iam: (a) => iamClient(a, { ListUserTags: (input) => (input.UserName === 'alice' ? sdkError('InternalFailure', 500) : { Tags: [] }) }),
    });
    expect(resources.some((r) => r.arn === userArn(ME, 'alice'))).toBe(false);
    expect(resources.filter((r) => r.service === 'iam').map((r) => r.arn).sort()).toEqual([roleArn(ME, 'app'), userArn(ME, 'bob')]);
    expect(errors).toEqual([
      expect.objectContaining({ accountId: ME, region: 'global', source: 'iam', code: 'InternalFailure', message: expect.stringContaining('tags of 1 IAM user(s) (alice) could not be read (ListUserTags)') }),
    ]);
  });

  it('makes an IAM client that cannot be built a gap of its own', async () => {
    const { errors, resources } = await scan({
      iam: () => {
        throw sdkError('InvalidClientTokenId', 403, 'The security token included in the request is invalid');
      },
    });
    expect(errors).toEqual([expect.objectContaining({ accountId: ME, region: 'global', source: 'iam', code: 'InvalidClientTokenId' })]);
    expect(resources).toHaveLength(2);
  });

  it('leaves the scan partial (and the PII in the gap masked) through startLiveScan', async () => {
    const { factory: f } = factory({
      iam: (a) => iamClient(a, { ListRoles: () => sdkError('ValidationError', 400, "Value 'alice@example.com' at 'roleName' failed to satisfy constraint") }),
    });
    const live = startLiveScan({ regions: ['eu-west-1'], roleName: 'r', since: new Date(0), concurrency: 2, sources: ['tagging-api', 'iam'], env: {}, clients: f, retryPauseMs: 0 });
    const seen: Resource[] = [];
    for await (const r of live.resources()) seen.push(r);
    expect(live.status()).toBe('partial');
    expect(live.errors).toEqual([expect.objectContaining({ source: 'iam', region: 'global' })]);
    expect(JSON.stringify(live.errors)).not.toContain('alice@example.com');
    // Users were still read.
    expect(seen.filter((r) => r.resourceType === 'iam:user')).toHaveLength(2);
  });

  it('says how many never-tagged AWS-managed roles were left out and how many principals vanished mid-scan', async () => {
    const { notes, resources } = await scan({
      iam: (a) =>
        iamClient(a, {
          ListRoles: () => ({
            Roles: [
              { RoleName: 'app', Path: '/', Arn: roleArn(a, 'app') },
              { RoleName: 'AWSServiceRoleForX', Path: '/aws-service-role/x.amazonaws.com/', Arn: `arn:aws:iam::${a}:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX` },
            ],
          }),
          ListUserTags: (input) => (input.UserName === 'bob' ? sdkError('NoSuchEntity', 404) : { Tags: [] }),
        }),
    });
    expect(resources.filter((r) => r.service === 'iam').map((r) => r.arn).sort()).toEqual([roleArn(ME, 'app'), userArn(ME, 'alice')]);
    expect(notes).toEqual([
      expect.stringMatching(/^1 never-tagged AWS-managed IAM role\(s\) \(service-linked, IAM Identity Center\) were left out/),
      '1 IAM user(s) or role(s) were deleted while the scan read them, and are not reported',
    ]);
  });

  it('is one of the default sources', () => {
    expect(ALL_SOURCES).toContain('iam');
  });
});
