import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { Credentials, MotoTarget, Tags } from './seed.js';

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
