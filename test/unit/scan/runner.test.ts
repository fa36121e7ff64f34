import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/inventory/resource.js';
import type { ScanError } from '../../../src/report/types.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { runLiveScan, type ScanProgress } from '../../../src/scan/runner.js';
import type { SourceName } from '../../../src/scan/types.js';
import { fakeClient, sdkError, type FakeClient, type Handler } from './fake-client.js';

const ME = '111111111111';
const MEMBER = '222222222222';
const LOCKED = '333333333333';

const sm = (account: string, region: string) => `arn:aws:sagemaker:${region}:${account}:`;

/** One account × region of a fake estate. */
interface Estate {
  tagged: Array<{ arn: string; tags: Record<string, string> }>;
  models: string[];
  endpointConfigs: string[];
  /** Types GetResources fails for (as moto does for SageMaker when an endpoint config exists). */
  broken: string[];
  configBuckets: string[];
  tagsByArn: Record<string, Record<string, string>>;
  /** Every SageMaker list fails with this (an SCP-denied or not-enabled region). */
  sagemakerDown?: (operation: string) => Error;
  /** Config's recorder status: an Error when it cannot be read, or the response to return instead of "recording". */
  configDown?: Error | { ConfigurationRecordersStatus: Array<{ recording: boolean }> };
  /** Every GetResources call fails with this. */
  taggingDown?: Error;
  /** DescribeAutoScalingGroups fails with this. */
  autoscalingDown?: Error;
}

function sagemakerClient(e: Estate): FakeClient {
  const empty = (key: string): Handler => () => ({ [key]: [] });
  const down = e.sagemakerDown;
  if (down) {
    const ops = ['ListModels', 'ListEndpointConfigs', 'Search', 'ListTrainingJobs', 'ListProcessingJobs', 'ListTransformJobs', 'ListHyperParameterTuningJobs'];
    const more = ['ListNotebookInstances', 'ListDomains', 'ListPipelines', 'ListModelPackageGroups', 'ListModelPackages', 'ListTags'];
    return fakeClient(Object.fromEntries([...ops, ...more].map((op) => [op, () => down(op)])));
  }
  return fakeClient({
    ListModels: () => ({ Models: e.models.map((arn) => ({ ModelArn: arn, ModelName: arn.split('/').pop() })) }),
    ListEndpointConfigs: () => ({ EndpointConfigs: e.endpointConfigs.map((arn) => ({ EndpointConfigArn: arn, EndpointConfigName: arn.split('/').pop() })) }),
    Search: () => ({ Results: [] }),
    ListTrainingJobs: empty('TrainingJobSummaries'),
    ListProcessingJobs: empty('ProcessingJobSummaries'),
    ListTransformJobs: empty('TransformJobSummaries'),
    ListHyperParameterTuningJobs: empty('HyperParameterTuningJobSummaries'),
    ListNotebookInstances: empty('NotebookInstances'),
    ListDomains: empty('Domains'),
    ListPipelines: empty('PipelineSummaries'),
    ListModelPackageGroups: empty('ModelPackageGroupSummaryList'),
    ListModelPackages: empty('ModelPackageSummaryList'),
    ListTags: (input) => ({ Tags: Object.entries(e.tagsByArn[input.ResourceArn as string] ?? {}).map(([Key, Value]) => ({ Key, Value })) }),
  });
}

function taggingClient(e: Estate): FakeClient {
  return fakeClient({
    GetResources: (input) => {
      if (e.taggingDown) return e.taggingDown;
      const filters = input.ResourceTypeFilters as string[] | undefined;
      const covers = (type: string) => !filters || filters.includes(type) || filters.includes(type.split(':')[0]!);
      if (e.broken.some(covers)) return sdkError('InternalServiceException', 500);
      const typeOf = (arn: string) => (arn.startsWith('arn:aws:s3') ? 's3:bucket' : `${arn.split(':')[2]}:${arn.split(':')[5]!.split('/')[0]}`);
      return {
        ResourceTagMappingList: e.tagged
          .filter((t) => covers(typeOf(t.arn)))
          .map((t) => ({ ResourceARN: t.arn, Tags: Object.entries(t.tags).map(([Key, Value]) => ({ Key, Value })) })),
      };
    },
  });
}

function configClient(e: Estate): FakeClient {
  return fakeClient({
    DescribeConfigurationRecorderStatus: () => e.configDown ?? { ConfigurationRecordersStatus: [{ recording: true }] },
    DescribeConfigurationRecorders: () => ({ ConfigurationRecorders: [{ recordingGroup: { allSupported: true } }] }),
    GetDiscoveredResourceCounts: () => ({ resourceCounts: [{ resourceType: 'AWS::S3::Bucket', count: e.configBuckets.length }] }),
    ListDiscoveredResources: () => ({ resourceIdentifiers: e.configBuckets.map((b) => ({ resourceId: b, resourceName: b })) }),
  });
}

/**
 * S3 as AWS answers: ListBuckets carries BucketRegion for `tagged-*` buckets but (as moto does) not for `bare-*`
 * ones, whose region only GetBucketLocation knows (`EU` being eu-west-1's legacy name).
 */
function s3Client(): FakeClient {
  return fakeClient({
    ListBuckets: () => ({
      Buckets: [ME, MEMBER].flatMap((a) => [{ Name: `tagged-${a}`, BucketRegion: 'us-west-2' }, { Name: `bare-${a}` }]),
    }),
    GetBucketLocation: (input) => ((input.Bucket as string).startsWith('bare-') ? { LocationConstraint: 'EU' } : sdkError('NoSuchBucket', 404)),
  });
}

function factory(estates: Record<string, Estate>, s3: () => FakeClient = s3Client): ClientFactory & { clients: Map<string, FakeClient> } {
  const clients = new Map<string, FakeClient>();
  const get = (kind: string, make: (e: Estate) => FakeClient, account: string, region: string) => {
    const key = `${kind}/${account}/${region}`;
    if (!clients.has(key)) clients.set(key, make(estates[`${account}/${region}`]!));
    return Promise.resolve(clients.get(key) as never);
  };
  return {
    clients,
    callerIdentity: async () => ({ accountId: ME, arn: `arn:aws:iam::${ME}:user/me`, partition: 'aws' }),
    configuredRegion: async () => 'eu-west-1',
    credentialsFor: async (account) => {
      if (account === LOCKED) throw sdkError('AccessDenied', 403, 'not authorized to perform sts:AssumeRole');
      return async () => ({ accessKeyId: 'a', secretAccessKey: 'b' });
    },
    tagging: (a, r) => get('tagging', taggingClient, a, r),
    autoscaling: (a, r) => get('autoscaling', (e) => fakeClient({ DescribeAutoScalingGroups: () => e.autoscalingDown ?? { AutoScalingGroups: [] } }), a, r),
    sagemaker: (a, r) => get('sagemaker', sagemakerClient, a, r),
    config: (a, r) => get('config', configClient, a, r),
    s3: (a, r) => get('s3', s3, a, r),
    iam: (a, r) => get('iam', () => fakeClient({ ListUsers: () => ({ Users: [] }), ListRoles: () => ({ Roles: [] }) }), a, r),
    lambda: (a, r) => get('lambda', () => fakeClient({}), a, r),
    organizations: async () => fakeClient({ ListAccounts: () => ({ Accounts: [{ Id: ME, State: 'ACTIVE' }, { Id: MEMBER, Status: 'ACTIVE' }, { Id: LOCKED, State: 'ACTIVE' }, { Id: '444444444444', State: 'SUSPENDED' }] }) }) as never,
    account: async () => fakeClient({}) as never,
    apiCalls: () => ({}),
    destroy: () => undefined,
  };
}

function estate(account: string, region: string, extra: Partial<Estate> = {}): Estate {
  const p = sm(account, region);
  return {
    tagged: [
      { arn: `arn:aws:lambda:${region}:${account}:function:f`, tags: { team: 'a' } },
      { arn: `${p}model/tagged`, tags: { team: 'ml' } },
      // GetResources returns an account's buckets in every region (as moto does).
      { arn: `arn:aws:s3:::tagged-${account}`, tags: { team: 's3' } },
    ],
    models: [`${p}model/tagged`, `${p}model/bare`],
    endpointConfigs: [],
    broken: [],
    configBuckets: region === 'eu-west-1' ? [`bare-${account}`, `tagged-${account}`] : [],
    tagsByArn: {},
    ...extra,
  };
}

async function scan(
  estates: Record<string, Estate>,
  opts: { org?: boolean; sources?: SourceName[]; regions?: string[]; s3?: () => FakeClient; roleName?: string; externalId?: string } = {},
) {
  const f = factory(estates, opts.s3);
  const resources: Resource[] = [];
  const errors: ScanError[] = [];
  const notes: string[] = [];
  const progress: ScanProgress[] = [];
  const result = await runLiveScan({
    factory: f,
    ...(opts.org ? { org: true } : {}),
    regions: opts.regions ?? ['eu-west-1', 'us-east-1'],
    roleName: opts.roleName ?? 'TagAuditReadOnly',
    ...(opts.externalId ? { externalId: opts.externalId } : {}),
    sources: new Set(opts.sources ?? ['tagging-api', 'sagemaker', 'config']),
    since: new Date('2024-01-01T00:00:00Z'),
    concurrency: 3,
    emit: async (r) => void resources.push(r),
    record: (e) => errors.push(e),
    note: (n) => notes.push(n),
    progress: (p) => progress.push(p),
    retryPauseMs: 0,
  });
  return { f, resources, errors, notes, progress, result };
}

describe('runLiveScan', () => {
  const regions = ['eu-west-1', 'us-east-1'];
  const estates = Object.fromEntries([ME, MEMBER, LOCKED].flatMap((a) => regions.map((r) => [`${a}/${r}`, estate(a, r)])));

  it('scans the caller account by default: every resource once, never-tagged ones with {}', async () => {
    const { resources, errors, result } = await scan(estates);
    expect(errors).toEqual([]);
    expect(result).toEqual({ accounts: [ME], regions });
    const got = resources.map((r) => [r.arn, r.region, r.tags, r.source]).sort();
    expect(got).toEqual(
      [
        [`arn:aws:lambda:eu-west-1:${ME}:function:f`, 'eu-west-1', { team: 'a' }, 'tagging-api'],
        [`arn:aws:lambda:us-east-1:${ME}:function:f`, 'us-east-1', { team: 'a' }, 'tagging-api'],
        [`${sm(ME, 'eu-west-1')}model/tagged`, 'eu-west-1', { team: 'ml' }, 'tagging-api'],
        [`${sm(ME, 'eu-west-1')}model/bare`, 'eu-west-1', {}, 'sagemaker'],
        [`${sm(ME, 'us-east-1')}model/tagged`, 'us-east-1', { team: 'ml' }, 'tagging-api'],
        [`${sm(ME, 'us-east-1')}model/bare`, 'us-east-1', {}, 'sagemaker'],
        [`arn:aws:s3:::tagged-${ME}`, 'us-west-2', { team: 's3' }, 'tagging-api'],
        [`arn:aws:s3:::bare-${ME}`, 'eu-west-1', {}, 'config'],
      ].sort(),
    );
  });

  it('notes --role-name and --external-id when no role is assumed (no --org, only the caller’s account)', async () => {
    const idle = await scan(estates, { externalId: 'ext-1' });
    expect(idle.notes).toContain(
      `--role-name and --external-id have no effect: only the caller's account ${ME} is scanned, so no role is assumed (add --org or --accounts)`,
    );
    const defaultRole = await scan(estates, { roleName: 'OrganizationAccountAccessRole' });
    expect(defaultRole.notes.filter((n) => n.includes('no role is assumed'))).toEqual([]);
    const org = await scan(estates, { org: true, externalId: 'ext-1' });
    expect(org.notes.filter((n) => n.includes('no role is assumed'))).toEqual([]);
  });

  it('reports which account-regions and IAM passes are running, and whether IAM passes are counted', async () => {
    const { progress } = await scan(estates, { sources: ['tagging-api', 'iam'], regions: ['eu-west-1'] });
    expect(progress.every((p) => p.iamPasses === true)).toBe(true);
    const seen = new Set(progress.flatMap((p) => p.running ?? []));
    expect(seen).toEqual(new Set([`${ME}/eu-west-1`, `${ME}/iam`]));
    expect(progress.at(-1)!.running).toEqual([]);
    const noIam = await scan(estates, { sources: ['tagging-api'] });
    expect(noIam.progress.every((p) => p.iamPasses === false)).toBe(true);
  });

  it('gives each bucket its own region: one ListBuckets per account, GetBucketLocation only where it had no region', async () => {
    const { f, resources, notes } = await scan(estates, { org: true });
    expect(notes).toEqual([]);
    const buckets = resources.filter((r) => r.resourceType === 's3:bucket').map((r) => [r.arn, r.accountId, r.region]);
    expect(buckets.sort()).toEqual(
      [
        [`arn:aws:s3:::bare-${ME}`, ME, 'eu-west-1'],
        [`arn:aws:s3:::bare-${MEMBER}`, MEMBER, 'eu-west-1'],
        [`arn:aws:s3:::tagged-${ME}`, ME, 'us-west-2'],
        [`arn:aws:s3:::tagged-${MEMBER}`, MEMBER, 'us-west-2'],
      ].sort(),
    );
    for (const account of [ME, MEMBER]) {
      const s3 = [...f.clients.entries()].filter(([k]) => k.startsWith(`s3/${account}/`)).map(([, c]) => c);
      expect(s3.reduce((n, c) => n + c.count('ListBuckets'), 0)).toBe(1);
      const located = s3.flatMap((c) => c.calls.filter((x) => x.command === 'GetBucketLocation').map((x) => x.input.Bucket));
      expect(located).toEqual([`bare-${account}`]);
    }
  });

  it('looks a bucket up beside the GetResources paging, not in its way', async () => {
    const events: string[] = [];
    let release: () => void = () => undefined;
    const located = new Promise<void>((resolve) => {
      release = resolve;
      setTimeout(resolve, 300); // the paging would otherwise wait for this lookup forever
    });
    const paged = { ...estate(ME, 'us-east-1') };
    const f = factory({ [`${ME}/us-east-1`]: paged }, () =>
      fakeClient({
        ListBuckets: () => ({ Buckets: [{ Name: `bare-${ME}` }] }),
        GetBucketLocation: async () => {
          events.push('GetBucketLocation');
          await located;
          events.push('located');
          return { LocationConstraint: 'EU' };
        },
      }),
    );
    f.clients.set(
      `tagging/${ME}/us-east-1`,
      fakeClient({
        GetResources: (input) => {
          if (!input.PaginationToken) {
            events.push('page 1');
            return { ResourceTagMappingList: [{ ResourceARN: `arn:aws:s3:::bare-${ME}`, Tags: [{ Key: 'team', Value: 's3' }] }], PaginationToken: 'next' };
          }
          events.push('page 2');
          release();
          return { ResourceTagMappingList: [{ ResourceARN: `arn:aws:lambda:us-east-1:${ME}:function:f`, Tags: [] }] };
        },
      }),
    );
    const resources: Resource[] = [];
    await runLiveScan({
      factory: f,
      regions: ['us-east-1'],
      sources: new Set(['tagging-api']),
      since: new Date('2024-01-01T00:00:00Z'),
      concurrency: 1,
      emit: async (r) => void resources.push(r),
      record: () => undefined,
      note: () => undefined,
      progress: () => undefined,
      retryPauseMs: 0,
    });
    // Page 2 was asked for while the bucket's lookup was still open (before: only after it, once the timer gave up).
    expect(events.filter((e) => e !== 'GetBucketLocation')).toEqual(['page 1', 'page 2', 'located']);
    expect(events).toContain('GetBucketLocation');
    expect(resources.map((r) => [r.arn, r.region]).sort()).toEqual([
      [`arn:aws:lambda:us-east-1:${ME}:function:f`, 'us-east-1'],
      [`arn:aws:s3:::bare-${ME}`, 'eu-west-1'],
    ]);
  });

  it('makes no S3 call when the scan found no bucket', async () => {
    const noBuckets = Object.fromEntries(
      Object.entries(estates).map(([k, e]) => [k, { ...e, configBuckets: [], tagged: e.tagged.filter((t) => !t.arn.startsWith('arn:aws:s3')) }]),
    );
    const { f } = await scan(noBuckets);
    expect([...f.clients.keys()].filter((k) => k.startsWith('s3/'))).toEqual([]);
  });

  it('keeps a bucket whose region S3 will not tell global, with one note per account and no gap', async () => {
    const denied = () => fakeClient({ ListBuckets: () => sdkError('AccessDenied', 403), GetBucketLocation: () => sdkError('AccessDenied', 403) });
    const { resources, errors, notes } = await scan(estates, { s3: denied });
    expect(errors).toEqual([]);
    expect(resources.filter((r) => r.resourceType === 's3:bucket').map((r) => r.region)).toEqual(['global', 'global']);
    const s3Notes = notes.filter((n) => n.includes('S3 buckets'));
    expect(s3Notes).toHaveLength(1);
    expect(s3Notes[0]).toContain(`S3 buckets in account ${ME} is unknown`);
    expect(s3Notes[0]).toContain('ListBuckets failed');
    expect(s3Notes[0]).toContain('GetBucketLocation failed');
  });

  it('scans active organisation accounts, reports the one whose role cannot be assumed, and finishes the rest', async () => {
    const { resources, errors, progress, result } = await scan(estates, { org: true });
    expect(result.accounts).toEqual([ME, MEMBER, LOCKED]);
    expect(errors).toEqual([
      {
        accountId: LOCKED,
        source: 'sts',
        code: 'AccessDenied',
        message:
          'the account was not scanned: no credentials for it (AssumeRole failed): AccessDenied (HTTP 403): not authorized to perform sts:AssumeRole' +
          ` [deploy role TagAuditReadOnly in ${LOCKED} with a trust policy for arn:aws:iam::${ME}:user/me (and grant the caller sts:AssumeRole on it), or leave the account out with --exclude-accounts ${LOCKED}]`,
      },
    ]);
    expect(new Set(resources.map((r) => r.accountId))).toEqual(new Set([ME, MEMBER]));
    expect(progress.at(-1)).toEqual({ slicesDone: 6, slicesTotal: 6, resources: resources.length, errors: 1, iamPasses: false, running: [] });
  });

  it('counts Config not recording against the account-regions whose recorder was read, not those never scanned', async () => {
    const off = { ConfigurationRecordersStatus: [{ recording: false }] };
    const key = `${MEMBER}/${regions[0]}`;
    const withOff = { ...estates, [key]: { ...estates[key]!, configDown: off } };
    const { notes } = await scan(withOff, { org: true });
    // 3 accounts × 2 regions, but the locked account's 2 were never reached: 1 of 4, not 1 of 6.
    expect(notes.filter((n) => n.includes('not recording'))).toEqual([expect.stringContaining(`not recording in 1 of 4 account-regions (${key})`)]);
  });

  it('isolates a type GetResources fails for, recovers it with ListTags only for that type, and reports the gap', async () => {
    const p = sm(ME, 'eu-west-1');
    const broken = {
      ...estates,
      [`${ME}/eu-west-1`]: estate(ME, 'eu-west-1', {
        endpointConfigs: [`${p}endpoint-config/c`],
        broken: ['sagemaker:endpoint-config'],
        tagsByArn: { [`${p}endpoint-config/c`]: { team: 'serving' } },
      }),
    };
    const { f, resources, errors } = await scan(broken, { regions: ['eu-west-1'] });
    expect(resources.find((r) => r.arn === `${p}endpoint-config/c`)).toMatchObject({ tags: { team: 'serving' }, source: 'sagemaker' });
    expect(resources.find((r) => r.arn === `${p}model/bare`)?.tags).toEqual({});
    expect(resources.find((r) => r.arn === `${p}model/tagged`)?.tags).toEqual({ team: 'ml' });
    expect(f.clients.get(`sagemaker/${ME}/eu-west-1`)!.count('ListTags')).toBe(1);
    // ListEndpointConfigs listed every config (not windowed by --since): nothing of that type is missing, so the only
    // gap is the unfiltered call's (services tagaudit does not list may be missing).
    expect(errors.map((e) => [e.source, e.accountId, e.region])).toEqual([['tagging-api', ME, 'eu-west-1']]);
    expect(errors[0]!.message).toMatch(/^GetResources failed without filters/);
  });

  it('keeps the gap for a type GetResources fails for when its SageMaker list is windowed by --since', async () => {
    const broken = { ...estates, [`${ME}/eu-west-1`]: estate(ME, 'eu-west-1', { broken: ['sagemaker:training-job'] }) };
    const { errors } = await scan(broken, { regions: ['eu-west-1'] });
    expect(errors.map((e) => e.message)).toContainEqual(expect.stringMatching(/^GetResources failed for sagemaker:training-job: /));
  });

  it('does not declare a Config-found resource untagged where GetResources could not answer for its type', async () => {
    const failing = Object.fromEntries(Object.entries(estates).map(([k, e]) => [k, { ...e, broken: ['s3'] }]));
    const { resources } = await scan(failing, { regions: ['eu-west-1'] });
    expect(resources.some((r) => r.arn === `arn:aws:s3:::bare-${ME}`)).toBe(false);
  });

  it('without the tagging-api source, reads SageMaker tags one by one and never emits Config guesses', async () => {
    const { f, resources } = await scan(estates, { sources: ['sagemaker'], regions: ['eu-west-1'] });
    expect(resources.map((r) => r.resourceType)).toEqual(['sagemaker:model', 'sagemaker:model']);
    expect(f.clients.get(`sagemaker/${ME}/eu-west-1`)!.count('ListTags')).toBe(2);
  });

  it('does not say AWS Config is not recording where its recorder status could not be read: that is a gap, not a note', async () => {
    const denied = { ...estates, [`${ME}/eu-west-1`]: estate(ME, 'eu-west-1', { configDown: sdkError('AccessDeniedException', 400, 'not authorized') }) };
    const { errors, notes } = await scan(denied, { regions: ['eu-west-1'] });
    expect(errors).toEqual([
      expect.objectContaining({ accountId: ME, region: 'eu-west-1', source: 'config', message: expect.stringContaining('DescribeConfigurationRecorderStatus') }),
    ]);
    expect(errors[0]!.message).toMatch(
      / \[grant the scan role config:Describe\*, config:GetDiscoveredResourceCounts and config:ListDiscoveredResources, or leave AWS Config out with --sources tagging-api,sagemaker\]$/,
    );
    expect(notes.filter((n) => n.includes('not recording'))).toEqual([]);
  });

  it('reports SageMaker lists that fail alike in one account-region as one gap naming each list', async () => {
    const disabled = sdkError('UnrecognizedClientException', 400, 'The security token included in the request is invalid');
    const down = { ...estates, [`${ME}/eu-west-1`]: estate(ME, 'eu-west-1', { sagemakerDown: () => disabled }) };
    const { errors } = await scan(down, { regions: ['eu-west-1'], sources: ['tagging-api', 'sagemaker'] });
    const sagemaker = errors.filter((e) => e.source === 'sagemaker');
    expect(sagemaker).toHaveLength(1);
    expect(sagemaker[0]).toMatchObject({ accountId: ME, region: 'eu-west-1', code: 'UnrecognizedClientException' });
    for (const what of ['sagemaker:model (ListModels)', 'sagemaker:endpoint (Search(Endpoint))', 'sagemaker:training-job (ListTrainingJobs)', 'sagemaker:pipeline (ListPipelines)'])
      expect(sagemaker[0]!.message).toContain(what);
    expect(sagemaker[0]!.message).toContain('The security token included in the request is invalid');
    expect(sagemaker[0]!.message).not.toContain('the first of');
  });

  it('stops the SageMaker lists of a region answering 5xx to every call after the first wave: one gap saying so', async () => {
    const down = { ...estates, [`${ME}/eu-west-1`]: estate(ME, 'eu-west-1', { sagemakerDown: () => sdkError('InternalFailure', 500, 'injected') }) };
    const { f, errors, resources } = await scan(down, { regions: ['eu-west-1', 'us-east-1'], sources: ['tagging-api', 'sagemaker'] });
    expect(errors).toEqual([
      {
        accountId: ME,
        region: 'eu-west-1',
        source: 'sagemaker',
        code: 'InternalFailure',
        message:
          'all SageMaker lists (ListModels, ListEndpointConfigs, Search(Endpoint), ListTrainingJobs failed alike; the remaining 12 lists were not tried): InternalFailure (HTTP 500): injected',
      },
    ]);
    // The first wave of 4 lists, each with its extra round; not one call more (before: 13 lists × 2 = 26).
    expect(f.clients.get(`sagemaker/${ME}/eu-west-1`)!.calls.length).toBe(8);
    // What GetResources returned for SageMaker is still reported.
    expect(resources.some((r) => r.arn === `${sm(ME, 'eu-west-1')}model/tagged` && r.tags.team === 'ml')).toBe(true);
    expect(resources.some((r) => r.arn === `${sm(ME, 'us-east-1')}model/bare`)).toBe(true);
  });

  it('groups AccessDenied lists whose messages name different actions, and says the message shown is the first', async () => {
    const denied = (op: string) => sdkError('AccessDeniedException', 400, `not authorized to perform: sagemaker:${op}`);
    const down = { ...estates, [`${ME}/eu-west-1`]: estate(ME, 'eu-west-1', { sagemakerDown: denied }) };
    const { errors } = await scan(down, { regions: ['eu-west-1'], sources: ['tagging-api', 'sagemaker'] });
    const sagemaker = errors.filter((e) => e.source === 'sagemaker');
    expect(sagemaker).toHaveLength(1);
    expect(sagemaker[0]!.message).toMatch(/the first of 16 AccessDeniedException errors/);
    expect(sagemaker[0]!.message).toMatch(
      /\(the first of 16 AccessDeniedException errors\) \[grant the scan role sagemaker:List\*, sagemaker:Search, sagemaker:DescribeEndpointConfig and sagemaker:ListTags, or leave SageMaker out with --sources tagging-api\]$/,
    );
  });

  it('gives no permission hint for a region where the credentials are not valid (not opted in)', async () => {
    const disabled = sdkError('UnrecognizedClientException', 400, 'The security token included in the request is invalid');
    const down = { ...estates, [`${ME}/eu-west-1`]: estate(ME, 'eu-west-1', { sagemakerDown: () => disabled }) };
    const { errors } = await scan(down, { regions: ['eu-west-1'], sources: ['tagging-api', 'sagemaker'] });
    expect(errors.map((e) => e.message).join('\n')).not.toContain('[');
  });

  it('reports a region answering 5xx to every GetResources as one gap per account-region, not one per resource type', async () => {
    const down = { ...estates, [`${ME}/eu-west-1`]: estate(ME, 'eu-west-1', { taggingDown: sdkError('InternalFailure', 500, 'injected') }) };
    const { f, errors, resources } = await scan(down, { regions: ['eu-west-1', 'us-east-1'], sources: ['tagging-api'] });
    expect(errors).toEqual([
      {
        accountId: ME,
        region: 'eu-west-1',
        source: 'tagging-api',
        code: 'InternalFailure',
        message: 'GetResources failed for all resource types (retried by service group: all 8 failed the same way): InternalFailure (HTTP 500): injected',
      },
    ]);
    // The unfiltered query with its extra round, then the first level of the split (8 groups of services).
    expect(f.clients.get(`tagging/${ME}/eu-west-1`)!.count('GetResources')).toBe(10);
    expect(resources.some((r) => r.region === 'us-east-1')).toBe(true);
  });

  it('says what GetResources denied outright leaves, and what to grant', async () => {
    const denied = sdkError('AccessDeniedException', 400, `User: arn:aws:sts::${ME}:assumed-role/TagAuditReadOnly/tagaudit is not authorized to perform: tag:GetResources`);
    const down = { [`${ME}/eu-west-1`]: estate(ME, 'eu-west-1', { taggingDown: denied }) };
    const { errors, resources } = await scan(down, { regions: ['eu-west-1'] });
    expect(errors).toEqual([
      {
        accountId: ME,
        region: 'eu-west-1',
        source: 'tagging-api',
        code: 'AccessDeniedException',
        message:
          `GetResources failed for all resource types: AccessDeniedException (HTTP 400): User: arn:aws:sts::${ME}:assumed-role/TagAuditReadOnly/tagaudit is not authorized to perform: tag:GetResources` +
          '; SageMaker resources were still read through the SageMaker lists (2, tags via ListTags)' +
          ' [grant the scan role tag:GetResources, or leave the Tagging API out with --sources sagemaker]',
      },
    ]);
    expect(resources.map((r) => r.resourceType).sort()).toEqual(['sagemaker:model', 'sagemaker:model']);
  });

  describe('a region a service control policy denies', () => {
    const scp = (action: string) =>
      sdkError('AccessDeniedException', 400, `User: arn:aws:sts::${ME}:assumed-role/TagAuditReadOnly/tagaudit is not authorized to perform: ${action} with an explicit deny in a service control policy`);

    it('is one gap for the account-region naming the sources, with the way out for listed regions', async () => {
      const denied = estate(ME, 'eu-west-1', {
        taggingDown: scp('tag:GetResources'),
        autoscalingDown: scp('autoscaling:DescribeAutoScalingGroups'),
        sagemakerDown: (op) => scp(`sagemaker:${op}`),
        configDown: scp('config:DescribeConfigurationRecorderStatus'),
      });
      const { errors, resources } = await scan({ ...estates, [`${ME}/eu-west-1`]: denied });
      expect(errors).toEqual([
        {
          accountId: ME,
          region: 'eu-west-1',
          source: 'region',
          code: 'AccessDeniedException',
          message:
            'the region was not scanned (tagging-api, autoscaling, sagemaker, config: all denied): AccessDeniedException (HTTP 400): ' +
            `User: arn:aws:sts::${ME}:assumed-role/TagAuditReadOnly/tagaudit is not authorized to perform: tag:GetResources with an explicit deny in a service control policy` +
            ` [region eu-west-1 is denied by a service control policy in account ${ME}: remove it from --regions]`,
        },
      ]);
      expect(resources.some((r) => r.region === 'us-east-1')).toBe(true);
      expect(resources.some((r) => r.arn.includes(':eu-west-1:'))).toBe(false);
    });

    it('names the allowed regions instead when the region was the configured one', async () => {
      const denied = estate(ME, 'eu-west-1', {
        taggingDown: scp('tag:GetResources'),
        autoscalingDown: scp('autoscaling:DescribeAutoScalingGroups'),
        sagemakerDown: (op) => scp(`sagemaker:${op}`),
        configDown: scp('config:DescribeConfigurationRecorderStatus'),
      });
      const f = factory({ [`${ME}/eu-west-1`]: denied });
      const errors: ScanError[] = [];
      await runLiveScan({
        factory: f,
        sources: new Set(['tagging-api', 'sagemaker', 'config']),
        since: new Date('2024-01-01T00:00:00Z'),
        concurrency: 1,
        emit: async () => undefined,
        record: (e) => errors.push(e),
        note: () => undefined,
        progress: () => undefined,
        retryPauseMs: 0,
      });
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toMatch(/ \[region eu-west-1 is denied by a service control policy in account 111111111111: name the allowed regions with --regions\]$/);
    });

    it('that denies one service only is that source’s gap, with its own way out', async () => {
      const denied = estate(ME, 'eu-west-1', { sagemakerDown: (op) => scp(`sagemaker:${op}`) });
      const { errors } = await scan({ ...estates, [`${ME}/eu-west-1`]: denied }, { regions: ['eu-west-1'] });
      expect(errors.map((e) => e.source)).toEqual(['sagemaker']);
      expect(errors[0]!.message).toMatch(
        / \[denied by a service control policy in account 111111111111, which no grant to the scan role overrides: leave SageMaker out with --sources tagging-api,config, or region eu-west-1 out of --regions\]$/,
      );
    });
  });
});

