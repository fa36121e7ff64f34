import type { Sent } from './fake-send-client.js';

export interface FakeGroupTag {
  value: string;
  propagate: boolean;
}

/**
 * An in-memory Auto Scaling at the SDK level, answering DescribeAutoScalingGroups (by name, as AWS: a name it does not
 * know is simply not in the answer), CreateOrUpdateTags (overwrites a key's value and flag) and DeleteTags (by key).
 * `hook` may return an Error to throw instead of answering (throttling, access denied …).
 */
export class FakeAutoScaling {
  readonly sent: Sent[] = [];
  /** Group ARN → tags by key. */
  readonly groups = new Map<string, Map<string, FakeGroupTag>>();
  hook?: (s: Sent, n: number) => Error | undefined;
  /** Groups being deleted: answered with Status "Delete in progress". */
  readonly deleting = new Set<string>();

  add(arn: string, tags: Record<string, string>, propagate: Record<string, boolean> = {}): void {
    this.groups.set(arn, new Map(Object.entries(tags).map(([k, v]) => [k, { value: v, propagate: propagate[k] ?? false }])));
  }

  /** A group's tags, with each key's PropagateAtLaunch. */
  state(arn: string): Record<string, FakeGroupTag> | undefined {
    const g = this.groups.get(arn);
    return g ? Object.fromEntries([...g].map(([k, t]) => [k, { ...t }])) : undefined;
  }

  tags(arn: string): Record<string, string> | undefined {
    const g = this.groups.get(arn);
    return g ? Object.fromEntries([...g].map(([k, t]) => [k, t.value])) : undefined;
  }

  writes(): Sent[] {
    return this.sent.filter((s) => s.name !== 'DescribeAutoScalingGroupsCommand');
  }

  private byName(name: string): [string, Map<string, FakeGroupTag>] | undefined {
    for (const entry of this.groups) if (entry[0].endsWith(`:autoScalingGroupName/${name}`)) return entry;
    return undefined;
  }

  async send(command: unknown): Promise<unknown> {
    const c = command as { constructor: { name: string }; input: Record<string, unknown> };
    const s: Sent = { name: c.constructor.name, input: c.input };
    this.sent.push(s);
    const err = this.hook?.(s, this.sent.length);
    if (err) throw err;
    const list = (s.input.Tags ?? []) as { ResourceId: string; ResourceType: string; Key: string; Value?: string; PropagateAtLaunch?: boolean }[];
    // As AWS: at most 25 tags added or removed by one call, checked before anything changes.
    if (list.length > 25) throw Object.assign(new Error('too many tags in one call'), { name: 'ValidationError' });
    switch (s.name) {
      case 'DescribeAutoScalingGroupsCommand': {
        const names = s.input.AutoScalingGroupNames as string[];
        if (names.length > 50) throw Object.assign(new Error('too many names'), { name: 'ValidationError' });
        const found = names.map((n) => this.byName(n)).filter((e) => e !== undefined);
        return {
          AutoScalingGroups: found.map(([arn, tags]) => ({
            AutoScalingGroupARN: arn,
            AutoScalingGroupName: arn.split('autoScalingGroupName/')[1],
            ...(this.deleting.has(arn) ? { Status: 'Delete in progress' } : {}),
            Tags: [...tags].map(([Key, t]) => ({ Key, Value: t.value, PropagateAtLaunch: t.propagate, ResourceType: 'auto-scaling-group' })),
          })),
        };
      }
      case 'CreateOrUpdateTagsCommand':
        for (const t of list) {
          const g = this.byName(t.ResourceId);
          if (!g || t.ResourceType !== 'auto-scaling-group') throw Object.assign(new Error('group not found'), { name: 'ValidationError' });
          g[1].set(t.Key, { value: t.Value ?? '', propagate: t.PropagateAtLaunch ?? false });
        }
        return {};
      case 'DeleteTagsCommand':
        for (const t of list) {
          const g = this.byName(t.ResourceId);
          if (!g) throw Object.assign(new Error('group not found'), { name: 'ValidationError' });
          // As AWS: a Value given that does not match deletes nothing.
          if (t.Value === undefined || g[1].get(t.Key)?.value === t.Value) g[1].delete(t.Key);
        }
        return {};
      default:
        throw new Error(`unexpected ${s.name}`);
    }
  }
}
