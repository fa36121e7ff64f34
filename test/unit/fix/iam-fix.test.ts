import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsTagBackend, partitionBackend } from '../../../src/fix/aws-backend.js';
import type { TagBackend } from '../../../src/fix/backend.js';
import { IAM_TAGS_PER_CALL } from '../../../src/fix/iam-tags.js';
import { iamPrincipalOf } from '../../../src/scan/iam-arn.js';
import { policyResourceMasker } from '../../../src/fix/mask.js';
import { prepareUndo } from '../../../src/fix/undo-run.js';
import { verifyApplied } from '../../../src/fix/verify.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { fakeClient } from './fake-send-client.js';
import { applyJournaled, journalCalls } from './journaled-apply.js';
import { DEV, planFromAudit, resource } from './helpers.js';
import { FakeIam, IAM_MAX_TAGS } from './iam-fake.js';
import { tempDir } from './run.js';

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';
const NOW = new Date('2024-06-01T12:00:00Z');
const USER = `arn:aws:iam::${DEV}:user/division/alice`;
const ROLE = `arn:aws:iam::${DEV}:role/service/ml-training`;

function backendOver(iam: FakeIam): { backend: TagBackend; tagging: ReturnType<typeof fakeClient> } {
  const tagging = fakeClient(() => new Error('the Tagging API must not be called for IAM users and roles'));
  const other = fakeClient(() => new Error('no such service here'));
  return {
    tagging,
    backend: async () => partitionBackend({ tagging: async () => tagging, sagemaker: async () => other, autoscaling: async () => other, iam: async () => iam.client }),
  };
}

const apply = applyJournaled;
const calls = journalCalls;

describe('IAM user and role ARNs', () => {
  it('name the principal by the last segment, whatever its path', () => {
    expect(iamPrincipalOf(USER)).toEqual({ kind: 'user', name: 'alice' });
    expect(iamPrincipalOf(ROLE)).toEqual({ kind: 'role', name: 'ml-training' });
    expect(iamPrincipalOf(`arn:aws:iam::${DEV}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`)).toEqual({
      kind: 'role',
      name: 'AWSServiceRoleForAutoScaling',
    });
    expect(iamPrincipalOf(`arn:aws:iam::${DEV}:policy/p`)).toBeUndefined();
    expect(iamPrincipalOf(`arn:aws:lambda:us-east-1:${DEV}:function:user/x`)).toBeUndefined();
  });
});

describe('re-reading IAM users and roles', () => {
  it('asks ListUserTags / ListRoleTags by name, follows the marker, and never asks the Tagging API', async () => {
    const iam = new FakeIam();
    iam.add('user', 'alice', { team: 'a' });
    iam.add('role', 'ml-training', {});
    const pages = fakeClient((s) =>
      s.name === 'ListUserTagsCommand'
        ? s.input.Marker
          ? { Tags: [{ Key: 'b', Value: '2' }], IsTruncated: false }
          : { Tags: [{ Key: 'a', Value: '1' }], IsTruncated: true, Marker: 'm' }
        : { Tags: [], IsTruncated: false },
    );
    const tagging = fakeClient(() => new Error('no'));
    const backend = partitionBackend({ tagging: async () => tagging, sagemaker: async () => tagging, autoscaling: async () => tagging, iam: async () => pages });
    const read = await backend.readTags([
      { arn: USER, resourceType: 'iam:user' },
      { arn: ROLE, resourceType: 'iam:role' },
    ]);
    expect(read.tags.get(USER)).toEqual({ a: '1', b: '2' });
    // A never-tagged role reads as {} (exact), not as "not returned".
    expect(read.tags.get(ROLE)).toEqual({});
    expect(pages.sent).toEqual([
      { name: 'ListUserTagsCommand', input: { UserName: 'alice', MaxItems: 1000 } },
      { name: 'ListRoleTagsCommand', input: { RoleName: 'ml-training', MaxItems: 1000 } },
      { name: 'ListUserTagsCommand', input: { UserName: 'alice', MaxItems: 1000, Marker: 'm' } },
    ]);
    expect(tagging.sent).toEqual([]);
  });

  it('reports a deleted user as missing and a denied read as failed, each on its own', async () => {
    const iam = new FakeIam();
    iam.add('role', 'ml-training', { team: 'ml' });
    iam.add('user', 'bob', {});
    iam.fail = (s) => (s.input.UserName === 'bob' ? Object.assign(new Error('not authorized to perform: iam:ListUserTags'), { name: 'AccessDenied' }) : undefined);
    const bob = `arn:aws:iam::${DEV}:user/bob`;
    const read = await (await backendOver(iam).backend(DEV, 'global')).readTags([
      { arn: USER, resourceType: 'iam:user' },
      { arn: bob, resourceType: 'iam:user' },
      { arn: ROLE, resourceType: 'iam:role' },
    ]);
    expect([...(read.missing ?? [])]).toEqual([USER]);
    expect(read.failed.get(bob)).toEqual({ code: 'AccessDenied', message: 'not authorized to perform: iam:ListUserTags' });
    expect(read.tags.get(ROLE)).toEqual({ team: 'ml' });
    expect(read.tags.has(USER)).toBe(false);
  });

  it('gives a throttled ListRoleTags one more round, as the scan does, for the read before writing and the one before untagging', async () => {
    const iam = new FakeIam();
    iam.add('role', 'ml-training', { team: 'ml', old: 'x' });
    let lists = 0;
    const throttled = (): Error => Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
    iam.fail = (s) => (s.name === 'ListRoleTagsCommand' && ++lists % 2 === 1 ? throttled() : undefined);
    const other = fakeClient(() => new Error('only IAM here'));
    const backend = partitionBackend({ tagging: async () => other, sagemaker: async () => other, autoscaling: async () => other, iam: async () => iam.client }, { retryPauseMs: 0 });

    const read = await backend.readTags([{ arn: ROLE, resourceType: 'iam:role' }]);
    expect(read.failed.size).toBe(0);
    expect(read.tags.get(ROLE)).toEqual({ team: 'ml', old: 'x' });
    await backend.ownerTagger('iam:role')!.deleteTags(ROLE, ['old'], { expected: { old: 'x' }, copiedFrom: {}, personal: new Set() });
    expect(iam.tags('role', 'ml-training')).toEqual({ team: 'ml' });
    expect(iam.client.sent.map((s) => s.name)).toEqual(['ListRoleTagsCommand', 'ListRoleTagsCommand', 'ListRoleTagsCommand', 'ListRoleTagsCommand', 'UntagRoleCommand']);

    // Still throttled on the extra round: that principal is unread (never written), not read as untagged.
    iam.fail = (s) => (s.name === 'ListRoleTagsCommand' ? throttled() : undefined);
    const again = await backend.readTags([{ arn: ROLE, resourceType: 'iam:role' }]);
    expect(again.failed.get(ROLE)?.code).toBe('Throttling');
    expect(again.tags.has(ROLE)).toBe(false);
  });

  it('offers IAM’s own tag API for users and roles only', async () => {
    const backend = await backendOver(new FakeIam()).backend(DEV, 'global');
    expect(backend.ownerTagger('iam:user')).toMatchObject({ addApi: 'iam:TagUser', deleteApi: 'iam:UntagUser', direct: true, maxPerCall: 50 });
    expect(backend.ownerTagger('iam:role')).toMatchObject({ addApi: 'iam:TagRole', deleteApi: 'iam:UntagRole', direct: true, maxPerCall: 50 });
    expect(backend.ownerTagger('iam:policy')).toBeUndefined();
  });
});

describe('fixing IAM users and roles through IAM', () => {
  it('renames a deprecated key on a user and normalises a value on a role, writing before removing', async () => {
    const iam = new FakeIam();
    const userTags = tagsWith({ [ENV]: undefined, env: 'prod' });
    const roleTags = tagsWith({ [ENV]: 'Prod' });
    iam.add('user', 'alice', userTags);
    iam.add('role', 'ml-training', roleTags);
    const plan = planFromAudit(policy, [resource(USER, userTags), resource(ROLE, roleTags)]);
    expect(plan.resources.map((r) => r.arn).sort()).toEqual([ROLE, USER]);
    const { backend, tagging } = backendOver(iam);
    const path = join(tempDir(), 'j.jsonl');

    const result = await apply(plan, backend, path);

    expect(result.outcomes.map((o) => [o.arn, o.status]).sort()).toEqual([
      [ROLE, 'fixed'],
      [USER, 'fixed'],
    ]);
    expect(tagging.sent).toEqual([]);
    expect(iam.tags('user', 'alice')).toEqual(tagsWith({ [ENV]: 'production' }));
    expect(iam.tags('role', 'ml-training')).toEqual(tagsWith({ [ENV]: 'production' }));
    expect(iam.writes()).toEqual(
      expect.arrayContaining([
        { name: 'TagUserCommand', input: { UserName: 'alice', Tags: [{ Key: ENV, Value: 'production' }] } },
        { name: 'UntagUserCommand', input: { UserName: 'alice', TagKeys: ['env'] } },
        { name: 'TagRoleCommand', input: { RoleName: 'ml-training', Tags: [{ Key: ENV, Value: 'production' }] } },
      ]),
    );
    const userWrites = iam.writes().filter((s) => s.input.UserName === 'alice').map((s) => s.name);
    expect(userWrites).toEqual(['TagUserCommand', 'UntagUserCommand']);
    expect(result.stats.calls).toEqual({ 'iam:TagUser': 1, 'iam:UntagUser': 1, 'iam:TagRole': 1 });
    // The journal names IAM's APIs and reads back (its records are checked on reading).
    expect(calls(path).map((c) => c.api).sort()).toEqual(['iam:TagRole', 'iam:TagUser', 'iam:UntagUser']);

    const verified = await verifyApplied({ plan, outcomes: result.outcomes, backend, secrets: new Map() });
    expect(verified.map((v) => v.state)).toEqual(['at-plan', 'at-plan']);
  });

  it.each<'stored' | 'new'>(['stored', 'new'])(
    'renames a key that differs only in case without losing it (IAM keys ignore case; a TagUser keeps the %s spelling)',
    async (spelling) => {
      const iam = new FakeIam(spelling);
      const tags = tagsWith({ [ENV]: undefined, 'Anycompany:Workload:Environment': 'production' });
      iam.add('user', 'alice', tags);
      const plan = planFromAudit(policy, [resource(USER, tags)]);
      expect(plan.resources[0]?.edits).toEqual([expect.objectContaining({ op: 'rename', from: 'Anycompany:Workload:Environment', to: ENV })]);
      const dir = tempDir();
      const { backend } = backendOver(iam);
      const result = await apply(plan, backend, join(dir, 'fix.jsonl'));
      expect(result.outcomes.map((o) => o.status)).toEqual(['fixed']);
      expect(iam.tags('user', 'alice')).toEqual(tagsWith({ [ENV]: 'production' }));
      // The old spelling goes first: removing it after the write would remove the tag just written.
      expect(iam.writes()).toEqual([
        { name: 'UntagUserCommand', input: { UserName: 'alice', TagKeys: ['Anycompany:Workload:Environment'] } },
        { name: 'TagUserCommand', input: { UserName: 'alice', Tags: [{ Key: ENV, Value: 'production' }] } },
      ]);

      // Undo renames back the same way.
      const prepared = await prepareUndo({ journalPath: join(dir, 'fix.jsonl'), backend, maskResource: policyResourceMasker(policy), createdAt: NOW.toISOString(), toolVersion: 'test' });
      const undone = await apply(prepared.plan, backend, join(dir, 'undo.jsonl'), 'undo', prepared.secrets);
      expect(undone.outcomes.map((o) => o.status)).toEqual(['fixed']);
      expect(iam.tags('user', 'alice')).toEqual(tags);
    },
  );

  it('does not write a user that no longer exists (drifted), and writes the rest', async () => {
    const iam = new FakeIam();
    const tags = tagsWith({ [ENV]: 'Prod' });
    iam.add('role', 'ml-training', tags);
    const plan = planFromAudit(policy, [resource(USER, tags), resource(ROLE, tags)]);
    const result = await apply(plan, backendOver(iam).backend, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes.find((o) => o.arn === USER)).toMatchObject({ status: 'drifted', detail: expect.stringContaining('no longer exists') });
    expect(result.outcomes.find((o) => o.arn === ROLE)).toMatchObject({ status: 'fixed' });
    expect(iam.writes().every((s) => s.input.UserName === undefined)).toBe(true);
  });

  it('keeps the old key when the new one could not be written', async () => {
    const iam = new FakeIam();
    const tags = tagsWith({ [ENV]: undefined, env: 'prod' });
    iam.add('user', 'alice', tags);
    iam.fail = (s) => (s.name === 'TagUserCommand' ? Object.assign(new Error('not authorized'), { name: 'AccessDenied' }) : undefined);
    const result = await apply(planFromAudit(policy, [resource(USER, tags)]), backendOver(iam).backend, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes).toEqual([expect.objectContaining({ status: 'failed', detail: 'AccessDenied: not authorized' })]);
    expect(iam.writes().map((s) => s.name)).toEqual(['TagUserCommand']);
    expect(iam.tags('user', 'alice')).toEqual(tags);
  });

  it('retries a throttled write, journalling each attempt', async () => {
    const iam = new FakeIam();
    const tags = tagsWith({ [ENV]: 'Prod' });
    iam.add('role', 'ml-training', tags);
    let throttled = 0;
    iam.fail = (s) => (s.name === 'TagRoleCommand' && throttled++ < 2 ? Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }) : undefined);
    const path = join(tempDir(), 'j.jsonl');
    const result = await apply(planFromAudit(policy, [resource(ROLE, tags)]), backendOver(iam).backend, path);
    expect(result.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(calls(path).map((c) => [c.api, c.attempt])).toEqual([
      ['iam:TagRole', 1],
      ['iam:TagRole', 2],
      ['iam:TagRole', 3],
    ]);
  });

  it(`changes all ${IAM_MAX_TAGS} tags a principal can hold in calls of at most ${IAM_TAGS_PER_CALL}`, async () => {
    const iam = new FakeIam();
    const before = Object.fromEntries(Array.from({ length: IAM_MAX_TAGS }, (_, i) => [`k${String(i).padStart(2, '0')}`, 'a']));
    iam.add('user', 'alice', before);
    const base = planFromAudit(policy, [resource(USER, tagsWith({ [ENV]: 'Prod' }))]).resources[0]!;
    const after = Object.fromEntries(Object.keys(before).map((k) => [k, 'b']));
    const planned = {
      ...base,
      expectedTags: Object.entries(before).map(([key, value]) => ({ key, value })),
      edits: Object.keys(before).map((key) => ({ op: 'set' as const, type: 'normalize-value' as const, key, expected: 'a', value: 'b' })),
    };
    const plan = { ...planFromAudit(policy, []), resources: [planned] };
    const result = await apply(plan, backendOver(iam).backend, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes.map((o) => o.status)).toEqual(['fixed']);
    for (const s of iam.writes()) expect((s.input.Tags as unknown[]).length).toBeLessThanOrEqual(IAM_TAGS_PER_CALL);
    expect(iam.tags('user', 'alice')).toEqual(after);
  });
});

describe('awsTagBackend and IAM', () => {
  it('builds the IAM client in the partition’s global region, whatever region the resource names', async () => {
    const built: string[] = [];
    const factory = {
      callerIdentity: async () => ({ accountId: DEV, arn: `arn:aws-cn:iam::${DEV}:user/x`, partition: 'aws-cn' }),
      configuredRegion: async () => 'cn-north-1',
      credentialsFor: async () => async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }),
      iam: async (account: string, region: string) => {
        built.push(`${account}/${region}`);
        return fakeClient(() => ({ Tags: [], IsTruncated: false }));
      },
    } as unknown as ClientFactory;
    const role = { arn: `arn:aws-cn:iam::${DEV}:role/app`, resourceType: 'iam:role' };
    await (await awsTagBackend(factory)(DEV, 'global')).readTags([role]);
    await (await awsTagBackend(factory)(DEV, 'cn-north-1')).readTags([role]);
    expect(built).toEqual([`${DEV}/cn-northwest-1`, `${DEV}/cn-northwest-1`]);
  });
});
