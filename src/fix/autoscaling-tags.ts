import {
  CreateOrUpdateTagsCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  type DescribeAutoScalingGroupsCommandOutput,
} from '@aws-sdk/client-auto-scaling';
import { groupNameOf } from '../inventory/arn.js';
import { setTag } from '../inventory/resource.js';
import type { SendClient } from './aws-backend.js';
import { GONE_SINCE_READ, errorFailure, type OwnerTagger } from './backend.js';
import type { CallFailure } from './journal.js';
import { chunk } from './batch.js';

/*
 * Auto Scaling groups, read and written through Auto Scaling itself. GetResources returns groups without their tags,
 * so "not returned" would be read as "no tags"; DescribeAutoScalingGroups by name is exact, and a group it does not
 * return (or returns under another ARN: deleted and recreated under the same name) no longer exists.
 */

/** DescribeAutoScalingGroups takes at most 50 names a call (unless MaxRecords is raised). */
export const GROUP_NAMES_PER_READ = 50;

/** A group's live tags, and each key's PropagateAtLaunch. */
export interface GroupTags {
  readonly tags: Record<string, string>;
  readonly propagate: Map<string, boolean>;
}

export interface AutoScalingRead {
  readonly groups: Map<string, GroupTags>;
  /** Groups whose read failed (or whose ARN names no group). */
  readonly failed: Map<string, CallFailure>;
  /** Groups Auto Scaling does not return: they no longer exist. */
  readonly missing: Set<string>;
}

/** Reads groups by name, ≤ 50 names a call, and matches the answer back to the ARNs asked for. */
export async function readGroups(client: SendClient, arns: readonly string[]): Promise<AutoScalingRead> {
  const groups = new Map<string, GroupTags>();
  const failed = new Map<string, CallFailure>();
  const missing = new Set<string>();
  const byName = new Map<string, string[]>();
  for (const arn of arns) {
    const name = groupNameOf(arn);
    if (name === undefined) failed.set(arn, { code: 'InvalidArn', message: 'not an Auto Scaling group ARN (no autoScalingGroupName/)' });
    else byName.set(name, [...(byName.get(name) ?? []), arn]);
  }
  for (const names of chunk([...byName.keys()], GROUP_NAMES_PER_READ)) {
    const asked = names.flatMap((n) => byName.get(n)!);
    try {
      const found = new Map<string, GroupTags>();
      let token: string | undefined;
      do {
        const out = (await client.send(
          new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names, IncludeInstances: false, ...(token ? { NextToken: token } : {}) }),
        )) as DescribeAutoScalingGroupsCommandOutput;
        for (const g of out.AutoScalingGroups ?? []) {
          // Status is set only while the group is being deleted: it is as good as gone, and a write would fail.
          if (!g.AutoScalingGroupARN || g.Status) continue;
          const tags: Record<string, string> = {};
          const propagate = new Map<string, boolean>();
          for (const t of g.Tags ?? []) {
            if (t.Key === undefined) continue;
            setTag(tags, t.Key, t.Value ?? '');
            propagate.set(t.Key, t.PropagateAtLaunch === true);
          }
          found.set(g.AutoScalingGroupARN, { tags, propagate });
        }
        token = out.NextToken || undefined;
      } while (token);
      for (const arn of asked) {
        const g = found.get(arn);
        if (g) groups.set(arn, g);
        else missing.add(arn);
      }
    } catch (err) {
      const f = errorFailure(err);
      for (const arn of asked) failed.set(arn, f);
    }
  }
  return { groups, failed, missing };
}

const RESOURCE_TYPE = 'auto-scaling-group';

/**
 * Auto Scaling's CreateOrUpdateTags / DeleteTags for groups, used for every write of a group (`direct`): the Tagging
 * API neither reads a group's tags nor keeps their PropagateAtLaunch. A key the group already has keeps its
 * PropagateAtLaunch; a new key gets `true`, so instances launched later carry the cost-allocation tags. The settings
 * come from `known` (filled by the read before writing), else from a read of the group.
 */
export function autoScalingTagger(client: () => Promise<SendClient>, known: Map<string, Map<string, boolean>>): OwnerTagger {
  const nameOf = (arn: string): string => {
    const name = groupNameOf(arn);
    if (name === undefined) throw Object.assign(new Error('not an Auto Scaling group ARN (no autoScalingGroupName/)'), { name: 'InvalidArn' });
    return name;
  };
  const settings = async (arn: string): Promise<Map<string, boolean>> => {
    const cached = known.get(arn);
    if (cached) return cached;
    const read = await readGroups(await client(), [arn]);
    const failure = read.failed.get(arn);
    if (failure) throw Object.assign(new Error(failure.message), { name: failure.code });
    const group = read.groups.get(arn);
    if (!group) throw Object.assign(new Error('the Auto Scaling group no longer exists'), { name: GONE_SINCE_READ });
    known.set(arn, group.propagate);
    return group.propagate;
  };
  return {
    addApi: 'autoscaling:CreateOrUpdateTags',
    deleteApi: 'autoscaling:DeleteTags',
    direct: true,
    // "The maximum number of tags that you can add or remove using a single call is 25" (Auto Scaling user guide).
    maxPerCall: 25,
    async addTags(arn, tags, context) {
      const name = nameOf(arn);
      const current = await settings(arn);
      const propagate = (key: string): boolean => {
        const own = current.get(key);
        if (own !== undefined) return own;
        const source = context?.copiedFrom[key];
        const copied = source === undefined ? undefined : current.get(source);
        if (copied !== undefined) return copied;
        return !context?.personal.has(key);
      };
      const list = Object.entries(tags).map(([Key, Value]) => ({
        ResourceId: name,
        ResourceType: RESOURCE_TYPE,
        Key,
        Value,
        PropagateAtLaunch: propagate(Key),
      }));
      await (await client()).send(new CreateOrUpdateTagsCommand({ Tags: list }));
      for (const t of list) current.set(t.Key, t.PropagateAtLaunch);
    },
    async deleteTags(arn, keys, context) {
      const name = nameOf(arn);
      // With the value read before writing: AWS then deletes nothing if someone changed the tag since (the verify
      // step reports it), where an unconditional delete would drop their value.
      const tags = keys.map((Key) => {
        const Value = context?.expected[Key];
        return { ResourceId: name, ResourceType: RESOURCE_TYPE, Key, ...(Value !== undefined ? { Value } : {}) };
      });
      await (await client()).send(new DeleteTagsCommand({ Tags: tags }));
      const current = known.get(arn);
      for (const k of keys) current?.delete(k);
    },
  };
}
