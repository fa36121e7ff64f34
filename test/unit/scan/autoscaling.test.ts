import { describe, expect, it } from 'vitest';
import type { ScanError } from '../../../src/report/types.js';
import { toResource, type Candidate } from '../../../src/scan/merge.js';
import { scanSlice } from '../../../src/scan/slice-scan.js';
import { isAutoScalingGroupArn } from '../../../src/inventory/arn.js';
import { listAutoScalingGroups, type AutoScalingSend } from '../../../src/scan/sources/autoscaling.js';
import type { SourceName } from '../../../src/scan/types.js';
import { fakeClient, sdkError, type FakeClient, type Handler } from './fake-client.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const SLICE = { accountId: ACCOUNT, region: REGION };
const asg = (name: string, id = '0f1e2d3c-aaaa-bbbb-cccc-000000000000') =>
  `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:${id}:autoScalingGroupName/${name}`;
const LAMBDA = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f`;
const CREATED = new Date('2024-05-01T10:00:00Z');

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** A group as DescribeAutoScalingGroups returns it (tags with ResourceId/ResourceType/PropagateAtLaunch). */
const group = (name: string, tags: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  AutoScalingGroupName: name,
  AutoScalingGroupARN: asg(name),
  CreatedTime: CREATED,
  Tags: Object.entries(tags).map(([Key, Value]) => ({ ResourceId: name, ResourceType: 'auto-scaling-group', Key, Value, PropagateAtLaunch: true })),
  ...extra,
});

/** GetResources as AWS answers: Auto Scaling groups come back with no tags. */
function tagging(items: Array<{ arn: string; tags: Record<string, string> }>): FakeClient {
  return fakeClient({ GetResources: () => ({ ResourceTagMappingList: items.map((i) => ({ ResourceARN: i.arn, Tags: tagList(i.tags) })) }) });
}

const autoscaling = (handler: Handler): FakeClient => fakeClient({ DescribeAutoScalingGroups: handler });

async function slice(clients: { tagging: FakeClient; autoscaling: FakeClient }, sources: SourceName[] = ['tagging-api']) {
  const emitted: Candidate[] = [];
  const errors: ScanError[] = [];
  await scanSlice({
    slice: SLICE,
    partition: 'aws',
    sources: new Set(sources),
    since: new Date(0),
    clients: {
      tagging: async () => clients.tagging as never,
      autoscaling: async () => clients.autoscaling as never,
      // No handlers: every SageMaker call fails (only the test scanning with the sagemaker source calls it).
      sagemaker: async () => fakeClient({}) as never,
      config: async () => fakeClient({}) as never,
    },
    beforeGetResources: async () => undefined,
    emit: async (c) => void emitted.push(c),
    seen: () => false,
    deferGlobal: () => undefined,
    record: (e) => errors.push(e),
    retryPauseMs: 0,
  });
  const resources = emitted.map((c) => toResource(c, SLICE)!);
  return { resources, errors, byArn: (arn: string) => resources.filter((r) => r.arn === arn) };
}

describe('listAutoScalingGroups', () => {
  it('pages 100 groups a call without instances, and returns each with its tags, creation time and state', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `g${String(i).padStart(3, '0')}`);
    const client = autoscaling((input) => {
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const page = names.slice(start, start + 100);
      return {
        AutoScalingGroups: page.map((n) => group(n, { team: n }, n === 'g149' ? { Status: 'Delete in progress' } : {})),
        ...(start + 100 < names.length ? { NextToken: String(start + 100) } : {}),
      };
    });
    const groups = await listAutoScalingGroups({ client: client as unknown as AutoScalingSend, retryPauseMs: 0 });
    expect(client.calls.map((c) => c.input)).toEqual([
      { MaxRecords: 100, IncludeInstances: false },
      { MaxRecords: 100, IncludeInstances: false, NextToken: '100' },
    ]);
    expect(groups).toHaveLength(150);
    expect(groups[0]).toEqual({ arn: asg('g000'), resourceType: 'autoscaling:autoScalingGroup', tags: { team: 'g000' }, createdAt: CREATED.toISOString() });
    expect(groups[149]).toMatchObject({ arn: asg('g149'), tags: { team: 'g149' }, state: 'Delete in progress' });
  });

  it('gives a throttled page one more round, then throws', async () => {
    let calls = 0;
    const flaky = autoscaling(() => (++calls === 1 ? sdkError('Throttling', 400) : { AutoScalingGroups: [group('a', {})] }));
    expect(await listAutoScalingGroups({ client: flaky as unknown as AutoScalingSend, retryPauseMs: 0 })).toHaveLength(1);

    const throttled = autoscaling(() => sdkError('Throttling', 400));
    await expect(listAutoScalingGroups({ client: throttled as unknown as AutoScalingSend, retryPauseMs: 0 })).rejects.toMatchObject({ name: 'Throttling' });
    expect(throttled.count('DescribeAutoScalingGroups')).toBe(2);

    const denied = autoscaling(() => sdkError('AccessDenied', 403));
    await expect(listAutoScalingGroups({ client: denied as unknown as AutoScalingSend, retryPauseMs: 0 })).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(denied.count('DescribeAutoScalingGroups')).toBe(1);
  });

  it('recognises Auto Scaling group ARNs only', () => {
    expect(isAutoScalingGroupArn(asg('web'))).toBe(true);
    expect(isAutoScalingGroupArn(`arn:aws:autoscaling:${REGION}:${ACCOUNT}:launchConfiguration:0f1e:launchConfigurationName/lc`)).toBe(false);
    expect(isAutoScalingGroupArn(LAMBDA)).toBe(false);
  });
});

describe('scanSlice: Auto Scaling groups come from Auto Scaling, not from GetResources', () => {
  const fromGetResources: Array<{ arn: string; tags: Record<string, string> }> = [
    { arn: LAMBDA, tags: { team: 'a' } },
    // A tagged group, as GetResources returns it: without its tags.
    { arn: asg('web'), tags: {} },
  ];

  it('replaces the tagless GetResources answer with the listed tags, and finds never-tagged groups', async () => {
    const list = autoscaling(() => ({ AutoScalingGroups: [group('web', { team: 'web', 'aws:cloudformation:stack-name': 's' }), group('bare', {})] }));
    const { resources, errors, byArn } = await slice({ tagging: tagging(fromGetResources), autoscaling: list });
    expect(errors).toEqual([]);
    expect(byArn(asg('web'))).toEqual([
      {
        arn: asg('web'),
        accountId: ACCOUNT,
        region: REGION,
        service: 'autoscaling',
        resourceType: 'autoscaling:autoScalingGroup',
        tags: { team: 'web', 'aws:cloudformation:stack-name': 's' },
        source: 'autoscaling',
        createdAt: CREATED.toISOString(),
      },
    ]);
    expect(byArn(asg('bare'))).toEqual([expect.objectContaining({ tags: {}, source: 'autoscaling' })]);
    // Everything else is untouched.
    expect(byArn(LAMBDA)).toEqual([expect.objectContaining({ tags: { team: 'a' }, source: 'tagging-api' })]);
    expect(resources).toHaveLength(3);
  });

  it('drops a group GetResources returned that the list lacks (created or deleted in between)', async () => {
    const { resources, errors } = await slice({ tagging: tagging(fromGetResources), autoscaling: autoscaling(() => ({ AutoScalingGroups: [] })) });
    expect(errors).toEqual([]);
    expect(resources.map((r) => r.arn)).toEqual([LAMBDA]);
  });

  it.each([
    ['denied', sdkError('AccessDenied', 403, 'User is not authorized to perform: autoscaling:DescribeAutoScalingGroups'), 'AccessDenied'],
    ['throttled past retries', sdkError('Throttling', 400, 'Rate exceeded'), 'Throttling'],
    ['failing with 5xx', sdkError('InternalFailure', 500), 'InternalFailure'],
  ])('when the list is %s: one gap with the count of groups left out, and no group audited as untagged', async (_, error, code) => {
    const withDuplicate = [...fromGetResources, { arn: asg('api', '11111111-2222-3333-4444-555555555555'), tags: {} }, { arn: asg('web'), tags: {} }];
    const { resources, errors } = await slice({ tagging: tagging(withDuplicate), autoscaling: autoscaling(() => error) });
    expect(resources.map((r) => [r.arn, r.source])).toEqual([[LAMBDA, 'tagging-api']]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ accountId: ACCOUNT, region: REGION, source: 'autoscaling', code });
    expect(errors[0]!.message).toMatch(/^DescribeAutoScalingGroups: /);
    expect(errors[0]!.message).toContain(code);
    expect(errors[0]!.message).toContain('the 2 Auto Scaling group(s) GetResources returned are left out');
  });

  it('still reports the gap when GetResources returned no group at all', async () => {
    const { resources, errors } = await slice({ tagging: tagging([{ arn: LAMBDA, tags: {} }]), autoscaling: autoscaling(() => sdkError('AccessDenied', 403)) });
    expect(resources.map((r) => r.arn)).toEqual([LAMBDA]);
    expect(errors).toEqual([expect.objectContaining({ source: 'autoscaling', code: 'AccessDenied' })]);
    expect(errors[0]!.message).toContain('Auto Scaling groups are not scanned');
  });

  it('lists the groups even when GetResources fails', async () => {
    const broken = fakeClient({ GetResources: () => sdkError('AccessDeniedException', 400) });
    const { resources, errors } = await slice({ tagging: broken, autoscaling: autoscaling(() => ({ AutoScalingGroups: [group('web', { team: 'web' })] })) });
    expect(resources.map((r) => [r.arn, r.tags])).toEqual([[asg('web'), { team: 'web' }]]);
    expect(errors.map((e) => e.source)).toEqual(['tagging-api']);
  });

  it('is part of the tagging-api source: not called without it', async () => {
    const list = autoscaling(() => ({ AutoScalingGroups: [group('web', {})] }));
    const { resources } = await slice({ tagging: tagging(fromGetResources), autoscaling: list }, ['sagemaker']);
    expect(list.count('DescribeAutoScalingGroups')).toBe(0);
    expect(resources).toEqual([]);
  });
});
