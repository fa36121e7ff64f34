import { DescribeAutoScalingGroupsCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { AUTO_SCALING_GROUP_TYPE } from '../../inventory/arn.js';
import { describeError } from '../retry.js';
import { tagRecord, type ListedItem, type Tags } from '../types.js';
import { paged } from './paged.js';

/**
 * Auto Scaling groups, read through Auto Scaling itself: GetResources returns them without their tags (and never
 * returns a group that was never tagged), so its answer for them is useless; DescribeAutoScalingGroups returns every
 * group of the region with its tags.
 */

export type AutoScalingSend = Pick<AutoScalingClient, 'send'>;

/** The largest page DescribeAutoScalingGroups serves. */
export const AUTO_SCALING_PAGE = 100;


/** A group as DescribeAutoScalingGroups returns it: its tags are always known. */
export interface AutoScalingGroupItem extends ListedItem {
  readonly tags: Tags;
}

export interface AutoScalingInput {
  readonly client: AutoScalingSend;
  /** Pause before a failed page's extra round (default 1 s; tests pass 0). */
  readonly retryPauseMs?: number;
}

/** Every Auto Scaling group of one account × region, with its tags; throws when any page cannot be read. */
export async function listAutoScalingGroups(input: AutoScalingInput): Promise<AutoScalingGroupItem[]> {
  const out: AutoScalingGroupItem[] = [];
  const groups = paged({ retryPauseMs: input.retryPauseMs ?? 1000 }, async (token) => {
    const o = await input.client.send(
      new DescribeAutoScalingGroupsCommand({ MaxRecords: AUTO_SCALING_PAGE, IncludeInstances: false, ...(token ? { NextToken: token } : {}) }),
    );
    return { items: o.AutoScalingGroups, next: o.NextToken };
  });
  for await (const g of groups) {
    // AWS always returns the ARN; without one the group could not be reported or fixed anyway.
    if (!g.AutoScalingGroupARN) continue;
    out.push({
      arn: g.AutoScalingGroupARN,
      resourceType: AUTO_SCALING_GROUP_TYPE,
      tags: tagRecord(g.Tags),
      // Status is set only while the group is being deleted ("Delete in progress").
      ...(g.Status ? { state: g.Status } : {}),
      ...(g.CreatedTime ? { createdAt: g.CreatedTime.toISOString() } : {}),
    });
  }
  return out;
}

/**
 * The gap recorded when the groups of a slice could not be listed. The groups GetResources returned are left out
 * rather than audited: GetResources returns them without tags, so every one would be reported as untagged.
 */
export function autoScalingGapMessage(error: unknown, returnedByGetResources: number): string {
  const leftOut =
    returnedByGetResources > 0
      ? `the ${returnedByGetResources} Auto Scaling group(s) GetResources returned are left out because their tags cannot be read (GetResources returns them without tags), and never-tagged groups are not found`
      : 'Auto Scaling groups are not scanned in this region (GetResources never returns their tags)';
  return `DescribeAutoScalingGroups: ${describeError(error)}; ${leftOut}`;
}
