import { describe, expect, it } from 'vitest';
import { partitionBackend, type SendClient } from '../../../src/fix/aws-backend.js';
import { fakeClient, type Sent } from './fake-send-client.js';

const ACCOUNT = '111122223333';
const LAMBDA = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:f1`;
const ASG = `arn:aws:autoscaling:us-east-1:${ACCOUNT}:autoScalingGroup:0f1e2d3c-aaaa-bbbb-cccc-000000000000:autoScalingGroupName/web`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/app`;
const PROFILE = `arn:aws:iam::${ACCOUNT}:instance-profile/app`;
const LOG_GROUP = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app/api`;
const STACK = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/app/0f1e2d3c-aaaa-bbbb-cccc-000000000000`;
const silent = async (): Promise<SendClient> => fakeClient(() => ({}));

describe('AWS backend re-reads: types GetResources cannot answer', () => {
  it('reports IAM types it cannot read as unreadable instead of "no tags", and reads roles through IAM, Auto Scaling groups through Auto Scaling', async () => {
    const tagging = fakeClient(() => ({ ResourceTagMappingList: [] }));
    const autoscaling = fakeClient(() => ({ AutoScalingGroups: [{ AutoScalingGroupARN: ASG, Tags: [{ Key: 'team', Value: 'web', PropagateAtLaunch: true }] }] }));
    const iam = fakeClient(() => ({ Tags: [{ Key: 'team', Value: 'ml' }], IsTruncated: false }));
    const backend = partitionBackend({ tagging: async () => tagging, sagemaker: silent, autoscaling: async () => autoscaling, iam: async () => iam });
    const read = await backend.readTags([
      { arn: ASG, resourceType: 'autoscaling:autoScalingGroup' },
      { arn: ROLE, resourceType: 'iam:role' },
      { arn: PROFILE, resourceType: 'iam:instance-profile' },
      { arn: LAMBDA, resourceType: 'lambda:function' },
    ]);
    // An instance profile whose real tags GetResources hides must never look untagged: a write planned as "add" would overwrite.
    expect(read.tags.has(PROFILE)).toBe(false);
    expect(read.failed.get(PROFILE)?.code).toBe('TagsNotReadable');
    expect(read.failed.get(PROFILE)?.message).toMatch(/iam/);
    expect(read.tags.get(ROLE)).toEqual({ team: 'ml' });
    expect(read.tags.get(ASG)).toEqual({ team: 'web' });
    expect(read.failed.has(ASG)).toBe(false);
    expect(read.failed.has(LAMBDA)).toBe(false);
    // GetResources is asked only for what it can answer.
    expect(tagging.sent).toEqual([{ name: 'GetResourcesCommand', input: { ResourceARNList: [LAMBDA] } }]);
    expect(autoscaling.sent).toEqual([{ name: 'DescribeAutoScalingGroupsCommand', input: { AutoScalingGroupNames: ['web'], IncludeInstances: false } }]);
    expect(iam.sent).toEqual([{ name: 'ListRoleTagsCommand', input: { RoleName: 'app', MaxItems: 1000 } }]);
  });
});

/**
 * moto's GetResources: ignores ResourceARNList, and matches ResourceTypeFilters per service by its own names — the
 * bare service for some ('logs', 'sns', 'acm'), only a typed name for others ('cloudformation:stack'), and for logs a
 * type name ('logs:loggroup') that is not the ARN's ('log-group').
 */
function motoLike(resources: ReadonlyArray<{ arn: string; accepts: readonly string[]; tags: Record<string, string> }>): SendClient & { sent: Sent[] } {
  return fakeClient((s) => {
    const filters = s.input.ResourceTypeFilters as string[] | undefined;
    const list = resources
      .filter((r) => !filters || r.accepts.some((a) => filters.includes(a)))
      .map((r) => ({ ResourceARN: r.arn, Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })) }));
    return { ResourceTagMappingList: list, PaginationToken: '' };
  });
}

describe('AWS backend re-reads: the by-type fallback for an emulator that ignores ResourceARNList', () => {
  it('finds resources whether the emulator filters by service or by its own type names', async () => {
    const tagging = motoLike([
      { arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:other`, accepts: ['lambda', 'lambda:function'], tags: { x: '1' } },
      { arn: LOG_GROUP, accepts: ['logs', 'logs:loggroup'], tags: { Owner: 'team-a' } },
      { arn: STACK, accepts: ['cloudformation:stack'], tags: { Env: 'prod' } },
    ]);
    const backend = partitionBackend({ tagging: async () => tagging, sagemaker: silent, autoscaling: silent, iam: silent });
    const read = await backend.readTags([
      { arn: LOG_GROUP, resourceType: 'logs:log-group' },
      { arn: STACK, resourceType: 'cloudformation:stack' },
    ]);
    expect(read.tags.get(LOG_GROUP)).toEqual({ Owner: 'team-a' });
    expect(read.tags.get(STACK)).toEqual({ Env: 'prod' });
    expect(read.failed.size).toBe(0);
    const byType = tagging.sent.filter((s) => s.input.ResourceTypeFilters);
    for (const s of byType) expect((s.input.ResourceTypeFilters as string[]).length).toBeLessThanOrEqual(100);
  });
});

/** What the SDK throws when a server answers 500 with an HTML page: a parser error carrying the HTTP status. */
function htmlServerError(): Error {
  return Object.assign(new SyntaxError(`Unexpected token '<', "<!doctype "... is not valid JSON`), { $metadata: { httpStatusCode: 500 } });
}

describe('AWS backend re-reads: a failing batch', () => {
  const RDS = `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders`;
  const failsWithRds = () =>
    fakeClient((s) => {
      const arns = (s.input.ResourceARNList as string[] | undefined) ?? [];
      if (arns.includes(RDS)) return htmlServerError();
      return { ResourceTagMappingList: arns.map((arn) => ({ ResourceARN: arn, Tags: [{ Key: 'team', Value: 'a' }] })) };
    });

  it('is read again service by service, so one failing service leaves the others readable', async () => {
    const tagging = failsWithRds();
    const backend = partitionBackend({ tagging: async () => tagging, sagemaker: silent, autoscaling: silent, iam: silent });
    const read = await backend.readTags([
      { arn: LAMBDA, resourceType: 'lambda:function' },
      { arn: RDS, resourceType: 'rds:db' },
    ]);
    expect(read.tags.get(LAMBDA)).toEqual({ team: 'a' });
    expect(read.tags.has(RDS)).toBe(false);
    // Said as the scan says it, not in the JSON parser's words.
    expect(read.failed.get(RDS)).toEqual({ code: 'HTTP 500', message: 'the response was not valid JSON/XML' });
    expect(read.failed.has(LAMBDA)).toBe(false);
  });

  it('of one service fails once, without a second identical call', async () => {
    const tagging = failsWithRds();
    const backend = partitionBackend({ tagging: async () => tagging, sagemaker: silent, autoscaling: silent, iam: silent });
    const read = await backend.readTags([{ arn: RDS, resourceType: 'rds:db' }]);
    expect(read.failed.get(RDS)?.code).toBe('HTTP 500');
    expect(tagging.sent).toHaveLength(1);
  });
});
