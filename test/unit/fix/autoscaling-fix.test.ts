import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { partitionBackend } from '../../../src/fix/aws-backend.js';
import { groupNameOf } from '../../../src/inventory/arn.js';
import type { TagBackend } from '../../../src/fix/backend.js';
import { policyResourceMasker } from '../../../src/fix/mask.js';
import { prepareUndo } from '../../../src/fix/undo-run.js';
import { verifyApplied } from '../../../src/fix/verify.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { FakeAutoScaling } from './fake-autoscaling.js';
import { fakeClient } from './fake-send-client.js';
import { applyJournaled, journalCalls } from './journaled-apply.js';
import { GONE_SINCE_READ } from '../../../src/fix/backend.js';
import { DEV, planFromAudit, resource } from './helpers.js';
import { tempDir } from './run.js';

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';
const OWNER = 'anycompany:finance:owner';
const NOW = new Date('2024-06-01T12:00:00Z');
const TYPE = 'autoscaling:autoScalingGroup';
const asg = (name: string, uuid = '0f1e2d3c-aaaa-bbbb-cccc-000000000000'): string =>
  `arn:aws:autoscaling:us-east-1:${DEV}:autoScalingGroup:${uuid}:autoScalingGroupName/${name}`;

/** A TagBackend over SDK-level fakes, as awsTagBackend builds it: a new partition backend per account and region. */
function backendOver(autoscaling: FakeAutoScaling) {
  const tagging = fakeClient(() => new Error('the Tagging API must not be called for Auto Scaling groups'));
  const sagemaker = fakeClient(() => new Error('no SageMaker here'));
  const backend: TagBackend = async () => partitionBackend({ tagging: async () => tagging, sagemaker: async () => sagemaker, autoscaling: async () => autoscaling, iam: async () => fakeClient(() => ({})) });
  return { backend, tagging };
}

const apply = applyJournaled;
const calls = journalCalls;

describe('Auto Scaling group ARNs', () => {
  it('name the group after autoScalingGroupName/', () => {
    expect(groupNameOf(asg('gpu-workers'))).toBe('gpu-workers');
    expect(groupNameOf(asg('a/b'))).toBe('a/b');
    expect(groupNameOf(`arn:aws:autoscaling:us-east-1:${DEV}:launchConfiguration:x:launchConfigurationName/lc`)).toBeUndefined();
    expect(groupNameOf(`arn:aws:lambda:us-east-1:${DEV}:function:autoScalingGroupName/x`)).toBeUndefined();
  });
});

describe('re-reading Auto Scaling groups', () => {
  it('asks DescribeAutoScalingGroups by name, 50 names a call, without instances, and matches the answer by ARN', async () => {
    const cloud = new FakeAutoScaling();
    const arns = Array.from({ length: 120 }, (_, i) => asg(`g${i}`));
    for (const [i, arn] of arns.entries()) cloud.add(arn, { n: String(i) });
    // g7 was deleted; g8 was deleted and recreated under the same name (another ARN); g9 is being deleted: none of
    // them is there to write.
    cloud.groups.delete(arns[7]!);
    cloud.deleting.add(arns[9]!);
    cloud.groups.delete(arns[8]!);
    cloud.add(asg('g8', '11111111-2222-3333-4444-555555555555'), { n: 'new' });
    const { backend, tagging } = backendOver(cloud);
    const read = await (await backend(DEV, 'us-east-1')).readTags(arns.map((arn) => ({ arn, resourceType: TYPE })));

    expect(cloud.sent.map((s) => [s.name, (s.input.AutoScalingGroupNames as string[]).length, s.input.IncludeInstances])).toEqual([
      ['DescribeAutoScalingGroupsCommand', 50, false],
      ['DescribeAutoScalingGroupsCommand', 50, false],
      ['DescribeAutoScalingGroupsCommand', 20, false],
    ]);
    expect((cloud.sent[0]!.input.AutoScalingGroupNames as string[]).slice(0, 2)).toEqual(['g0', 'g1']);
    expect(tagging.sent).toEqual([]);
    expect(read.tags.size).toBe(117);
    expect(read.tags.get(arns[10]!)).toEqual({ n: '10' });
    expect([...(read.missing ?? [])].sort()).toEqual([arns[7], arns[8], arns[9]].sort());
    expect(read.failed.size).toBe(0);
  });

  it('reports the groups of a failed call as unread, and the rest as read', async () => {
    const cloud = new FakeAutoScaling();
    const arns = Array.from({ length: 60 }, (_, i) => asg(`g${i}`));
    for (const arn of arns) cloud.add(arn, { k: 'v' });
    cloud.hook = (_s, n) => (n === 2 ? Object.assign(new Error('User is not authorized to perform: autoscaling:DescribeAutoScalingGroups'), { name: 'AccessDenied' }) : undefined);
    const { backend } = backendOver(cloud);
    const read = await (await backend(DEV, 'us-east-1')).readTags(arns.map((arn) => ({ arn, resourceType: TYPE })));
    expect(read.tags.size).toBe(50);
    expect(read.failed.size).toBe(10);
    expect(read.failed.get(arns[55]!)).toEqual({ code: 'AccessDenied', message: expect.stringContaining('not authorized') });
  });
});

describe('fixing Auto Scaling groups through Auto Scaling', () => {
  it('writes straight through CreateOrUpdateTags / DeleteTags, keeping PropagateAtLaunch of existing keys, a renamed key taking its source key\'s', async () => {
    const renameArn = asg('gpu-training');
    const normalizeArn = asg('gpu-inference');
    const cloud = new FakeAutoScaling();
    const renameTags = tagsWith({ [ENV]: undefined, env: 'prod' });
    const normalizeTags = tagsWith({ [ENV]: 'Prod' });
    cloud.add(renameArn, renameTags, { env: false, [OWNER]: true });
    cloud.add(normalizeArn, normalizeTags, { [ENV]: false });
    const plan = planFromAudit(policy, [resource(renameArn, renameTags), resource(normalizeArn, normalizeTags)]);
    expect(plan.resources).toHaveLength(2);
    const { backend, tagging } = backendOver(cloud);
    const path = join(tempDir(), 'j.jsonl');

    const result = await apply(plan, backend, path);

    expect(result.outcomes.map((o) => [o.arn, o.status])).toEqual(
      expect.arrayContaining([
        [renameArn, 'fixed'],
        [normalizeArn, 'fixed'],
      ]),
    );
    expect(tagging.sent).toEqual([]);
    expect(result.stats.calls).toEqual({ 'autoscaling:CreateOrUpdateTags': 2, 'autoscaling:DeleteTags': 1 });
    const writes = cloud.writes();
    expect(writes).toContainEqual({
      name: 'CreateOrUpdateTagsCommand',
      input: { Tags: [{ ResourceId: 'gpu-training', ResourceType: 'auto-scaling-group', Key: ENV, Value: 'production', PropagateAtLaunch: false }] },
    });
    expect(writes).toContainEqual({
      name: 'CreateOrUpdateTagsCommand',
      input: { Tags: [{ ResourceId: 'gpu-inference', ResourceType: 'auto-scaling-group', Key: ENV, Value: 'production', PropagateAtLaunch: false }] },
    });
    // With the value read before writing: AWS deletes nothing if someone changed it since.
    expect(writes).toContainEqual({ name: 'DeleteTagsCommand', input: { Tags: [{ ResourceId: 'gpu-training', ResourceType: 'auto-scaling-group', Key: 'env', Value: 'prod' }] } });
    // The removal comes after the write of the new key.
    expect(writes.at(-1)!.name).toBe('DeleteTagsCommand');

    expect(cloud.tags(renameArn)).toEqual(tagsWith({ [ENV]: 'production' }));
    expect(cloud.state(renameArn)![ENV]!.propagate).toBe(false);
    expect(cloud.state(renameArn)![OWNER]!.propagate).toBe(true);
    expect(cloud.state(normalizeArn)![ENV]).toEqual({ value: 'production', propagate: false });

    // The journal names the Auto Scaling APIs, and reads back (its records are checked on reading).
    const journalled = calls(path);
    expect(journalled.map((c) => c.api).sort()).toEqual(['autoscaling:CreateOrUpdateTags', 'autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags']);
    expect(journalled.find((c) => c.api === 'autoscaling:DeleteTags')).toMatchObject({ arns: [renameArn], keys: ['env'], attempt: 1 });

    // Verification reads the groups the same way.
    const verified = await verifyApplied({ plan, outcomes: result.outcomes, backend, secrets: new Map() });
    expect(verified.map((v) => v.state)).toEqual(['at-plan', 'at-plan']);
    expect(tagging.sent).toEqual([]);
  });

  it.each([
    ['Throttling', 'Rate exceeded', 400],
    ['ResourceContention', 'You already have a pending update to an Auto Scaling resource', 500],
  ])('retries a write answered %s with backoff, journalling each attempt', async (code, message, status) => {
    const arn = asg('batch');
    const tags = tagsWith({ [ENV]: undefined, env: 'prod' });
    const cloud = new FakeAutoScaling();
    cloud.add(arn, tags);
    let throttled = 0;
    cloud.hook = (s) => {
      if (s.name === 'CreateOrUpdateTagsCommand' && throttled < 2) {
        throttled++;
        return Object.assign(new Error(message), { name: code, $metadata: { httpStatusCode: status } });
      }
      return undefined;
    };
    const path = join(tempDir(), 'j.jsonl');
    const result = await apply(planFromAudit(policy, [resource(arn, tags)]), backendOver(cloud).backend, path);
    expect(result.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(result.stats.retries).toBe(2);
    expect(calls(path).map((c) => [c.api, c.attempt])).toEqual([
      ['autoscaling:CreateOrUpdateTags', 1],
      ['autoscaling:CreateOrUpdateTags', 2],
      ['autoscaling:CreateOrUpdateTags', 3],
      ['autoscaling:DeleteTags', 1],
    ]);
    expect(cloud.tags(arn)).toEqual(tagsWith({ [ENV]: 'production' }));
  });

  it('keeps the old key when the new one could not be written', async () => {
    const arn = asg('denied');
    const tags = tagsWith({ [ENV]: undefined, env: 'prod' });
    const cloud = new FakeAutoScaling();
    cloud.add(arn, tags);
    cloud.hook = (s) => (s.name === 'CreateOrUpdateTagsCommand' ? Object.assign(new Error('not authorized'), { name: 'AccessDenied' }) : undefined);
    const result = await apply(planFromAudit(policy, [resource(arn, tags)]), backendOver(cloud).backend, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes).toEqual([expect.objectContaining({ status: 'failed', detail: 'AccessDenied: not authorized' })]);
    expect(cloud.writes().map((s) => s.name)).toEqual(['CreateOrUpdateTagsCommand']);
    expect(cloud.tags(arn)).toEqual(tags);
  });

  it('does not write a group that no longer exists (reported as drifted)', async () => {
    const arn = asg('deleted');
    const tags = tagsWith({ [ENV]: undefined });
    const cloud = new FakeAutoScaling();
    const plan = planFromAudit(policy, [resource(arn, tags)], { fixTypes: new Set(['add-default']) });
    expect(plan.resources).toHaveLength(1);
    const result = await apply(plan, backendOver(cloud).backend, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes).toEqual([expect.objectContaining({ status: 'drifted', detail: expect.stringContaining('no longer exists') })]);
    expect(cloud.writes()).toEqual([]);
  });

  it('a group deleted between the read and the write is drift (the applier reports it so), not a failure', async () => {
    const tagger = (await backendOver(new FakeAutoScaling()).backend(DEV, 'us-east-1')).ownerTagger('autoscaling:autoScalingGroup')!;
    await expect(tagger.addTags(asg('gone'), { team: 'a' })).rejects.toMatchObject({ name: GONE_SINCE_READ });
  });

  it('undo restores the groups through the same API', async () => {
    const arn = asg('gpu-training');
    const tags = tagsWith({ [ENV]: undefined, env: 'prod' });
    const cloud = new FakeAutoScaling();
    cloud.add(arn, tags, Object.fromEntries(Object.keys(tags).map((k) => [k, true])));
    const dir = tempDir();
    const { backend, tagging } = backendOver(cloud);
    await apply(planFromAudit(policy, [resource(arn, tags)]), backend, join(dir, 'fix.jsonl'));
    expect(cloud.tags(arn)).toEqual(tagsWith({ [ENV]: 'production' }));

    const prepared = await prepareUndo({
      journalPath: join(dir, 'fix.jsonl'),
      backend,
      maskResource: policyResourceMasker(policy),
      createdAt: NOW.toISOString(),
      toolVersion: 'test',
    });
    expect(prepared.plan.resources).toHaveLength(1);
    const undone = await apply(prepared.plan, backend, join(dir, 'undo.jsonl'), 'undo', prepared.secrets);
    expect(undone.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(cloud.tags(arn)).toEqual(tags);
    // Re-added keys are new to the group again: PropagateAtLaunch true, as they had here.
    expect(Object.values(cloud.state(arn)!).every((t) => t.propagate)).toBe(true);
    expect(calls(join(dir, 'undo.jsonl')).map((c) => c.api)).toEqual(['autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags']);
    expect(tagging.sent).toEqual([]);
  });

  it('undo of several renames gives each restored key the PropagateAtLaunch of the key it was renamed to', async () => {
    const arn = asg('gpu-workers');
    const COST = 'anycompany:finance:cost-center';
    const tags = tagsWith({ [ENV]: undefined, [COST]: undefined, env: 'prod', CostCenter: 'Sales-4444' });
    const cloud = new FakeAutoScaling();
    cloud.add(arn, tags, { ...Object.fromEntries(Object.keys(tags).map((k) => [k, true])), env: false, CostCenter: true });
    const dir = tempDir();
    const { backend } = backendOver(cloud);
    const plan = planFromAudit(policy, [resource(arn, tags)]);
    expect(plan.resources[0]!.edits.filter((e) => e.op === 'rename')).toHaveLength(2);
    await apply(plan, backend, join(dir, 'fix.jsonl'));
    expect(cloud.state(arn)).toMatchObject({ [ENV]: { value: 'production', propagate: false }, [COST]: { value: 'Sales-4444', propagate: true } });

    const prepared = await prepareUndo({
      journalPath: join(dir, 'fix.jsonl'),
      backend,
      maskResource: policyResourceMasker(policy),
      createdAt: NOW.toISOString(),
      toolVersion: 'test',
    });
    const undone = await apply(prepared.plan, backend, join(dir, 'undo.jsonl'), 'undo', prepared.secrets);
    expect(undone.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(cloud.tags(arn)).toEqual(tags);
    expect(cloud.state(arn)).toMatchObject({ env: { value: 'prod', propagate: false }, CostCenter: { value: 'Sales-4444', propagate: true } });

    // An undo of that undo moves them forward again, each keeping its setting.
    const again = await prepareUndo({
      journalPath: join(dir, 'undo.jsonl'),
      backend,
      maskResource: policyResourceMasker(policy),
      createdAt: NOW.toISOString(),
      toolVersion: 'test',
    });
    await apply(again.plan, backend, join(dir, 'redo.jsonl'), 'undo', again.secrets);
    expect(cloud.state(arn)).toMatchObject({ [ENV]: { value: 'production', propagate: false }, [COST]: { value: 'Sales-4444', propagate: true } });
  });

  it('leaves a deleted group out of the undo, saying why', async () => {
    const arn = asg('short-lived');
    const tags = tagsWith({ [ENV]: undefined, env: 'prod' });
    const cloud = new FakeAutoScaling();
    cloud.add(arn, tags);
    const dir = tempDir();
    const { backend } = backendOver(cloud);
    await apply(planFromAudit(policy, [resource(arn, tags)]), backend, join(dir, 'fix.jsonl'));
    cloud.groups.delete(arn);
    const prepared = await prepareUndo({
      journalPath: join(dir, 'fix.jsonl'),
      backend,
      maskResource: policyResourceMasker(policy),
      createdAt: NOW.toISOString(),
      toolVersion: 'test',
    });
    expect(prepared.plan.resources).toEqual([]);
    expect(prepared.unread).toEqual([]);
    expect(prepared.leftAlone).toEqual([]);
    expect(prepared.gone).toEqual([{ arn, key: '*', reason: expect.stringContaining('gone: nothing to restore') }]);
  });
});

describe('Auto Scaling writes after review', () => {
  it('sends at most 25 tags a call (Auto Scaling refuses more)', async () => {
    const arn = asg('wide');
    const before = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${String(i).padStart(2, '0')}`, 'a']));
    const cloud = new FakeAutoScaling();
    cloud.add(arn, before);
    const base = planFromAudit(policy, [resource(arn, tagsWith({ [ENV]: 'Prod' }))]).resources[0]!;
    const planned = {
      ...base,
      expectedTags: Object.entries(before).map(([key, value]) => ({ key, value })),
      edits: Object.keys(before).map((key) => ({ op: 'set' as const, type: 'normalize-value' as const, key, expected: 'a', value: 'b' })),
    };
    const plan = { ...planFromAudit(policy, []), resources: [planned] };
    const result = await apply(plan, backendOver(cloud).backend, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(cloud.writes().map((s) => (s.input.Tags as unknown[]).length)).toEqual([25, 5]);
    expect(Object.values(cloud.tags(arn)!).every((v) => v === 'b')).toBe(true);
  });

  it('deletes an old key only if it still holds the value read before writing: a value changed meanwhile is kept', async () => {
    const arn = asg('raced');
    const tags = tagsWith({ [ENV]: undefined, env: 'prod' });
    const cloud = new FakeAutoScaling();
    cloud.add(arn, tags);
    const plan = planFromAudit(policy, [resource(arn, tags)]);
    cloud.hook = (s) => {
      // Someone sets env while the fix runs, between its write of the new key and its removal of the old one.
      if (s.name === 'CreateOrUpdateTagsCommand') cloud.groups.get(arn)!.set('env', { value: 'staging', propagate: false });
      return undefined;
    };
    await apply(plan, backendOver(cloud).backend, join(tempDir(), 'j.jsonl'));
    expect(cloud.tags(arn)).toMatchObject({ env: 'staging', [ENV]: 'production' });
  });

  it('gives a key new to the group PropagateAtLaunch true, except personal data restored by undo (false)', async () => {
    const arn = asg('restored');
    const cloud = new FakeAutoScaling();
    cloud.add(arn, { team: 'ml' }, { team: true });
    const tagger = (await backendOver(cloud).backend(DEV, 'us-east-1')).ownerTagger(TYPE)!;
    await tagger.addTags(arn, { 'cost-center': 'cc-1', contact: 'jane.doe@example.com' }, { expected: {}, copiedFrom: {}, personal: new Set(['contact']) });
    expect(cloud.state(arn)).toMatchObject({ 'cost-center': { propagate: true }, contact: { propagate: false }, team: { propagate: true } });
  });
});
