import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { clientConfig, credentialsFor, type Credentials, type GroupTags, type MotoTarget, type Tags } from './seed.js';

export interface LiveTagsScope {
  readonly region: string;
  readonly credentials: Credentials;
}

/**
 * The live tags of every resource of these types in each scope, read with the SDK (not with tagaudit), so a test
 * can compare AWS's state before and after tagaudit wrote to it.
 */
export async function readLiveTags(moto: MotoTarget, scopes: readonly LiveTagsScope[], resourceTypes: readonly string[]): Promise<Map<string, Tags>> {
  const out = new Map<string, Tags>();
  for (const { region, credentials } of scopes) {
    const client = new ResourceGroupsTaggingAPIClient({ endpoint: moto.endpoint, region, credentials });
    try {
      let token: string | undefined;
      do {
        const page = await client.send(new GetResourcesCommand({ ResourceTypeFilters: [...resourceTypes], PaginationToken: token }));
        for (const m of page.ResourceTagMappingList ?? []) out.set(m.ResourceARN!, Object.fromEntries((m.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])));
        token = page.PaginationToken || undefined;
      } while (token);
    } finally {
      client.destroy();
    }
  }
  return out;
}

/** readLiveTags in every account × region, each account's credentials as credentialsFor gives them. */
export async function readEstateTags(moto: MotoTarget, accounts: readonly string[], regions: readonly string[], resourceTypes: readonly string[]): Promise<Map<string, Tags>> {
  const scopes: LiveTagsScope[] = [];
  for (const account of accounts) {
    const credentials = await credentialsFor(moto, account);
    for (const region of regions) scopes.push({ region, credentials });
  }
  return readLiveTags(moto, scopes, resourceTypes);
}

/** The tags of the management account's Auto Scaling groups in `region` (all, or those named), by group name. */
export async function readGroupTags(moto: MotoTarget, region: string, names?: readonly string[]): Promise<Record<string, GroupTags>> {
  const client = new AutoScalingClient(clientConfig(moto, region));
  try {
    const out: Record<string, GroupTags> = {};
    const groups = (await client.send(new DescribeAutoScalingGroupsCommand(names ? { AutoScalingGroupNames: [...names] } : {}))).AutoScalingGroups ?? [];
    for (const g of groups) out[g.AutoScalingGroupName!] = Object.fromEntries((g.Tags ?? []).map((t) => [t.Key!, { value: t.Value ?? '', propagate: t.PropagateAtLaunch === true }]));
    return out;
  } finally {
    client.destroy();
  }
}
