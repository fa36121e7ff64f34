import {
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  GetDiscoveredResourceCountsCommand,
  ListDiscoveredResourcesCommand,
  type ConfigServiceClient,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import { mapLimit } from '../concurrency.js';
import { withRetryRounds } from '../retry.js';
import type { SourceFailure } from '../types.js';
import { CONFIG_TYPES, type ArnParts, type ConfigType } from './config-types.js';

export type ConfigSend = Pick<ConfigServiceClient, 'send'>;

export interface ConfigInput {
  readonly client: ConfigSend;
  readonly at: ArnParts;
  readonly types?: readonly ConfigType[];
  readonly retryPauseMs?: number;
}

export interface DiscoveredItem {
  readonly arn: string;
  readonly resourceType: string;
}

export interface ConfigOutcome {
  /**
   * False when no configuration recorder records in this region: nothing was listed. Undefined when the recorder
   * status could not be read (the failure says why): whether Config records there is unknown.
   */
  readonly recording: boolean | undefined;
  readonly items: readonly DiscoveredItem[];
  readonly failures: readonly SourceFailure[];
}

/** Resources AWS Config has recorded in one account × region, for the types whose ARN can be built. */
export async function discoverWithConfig(input: ConfigInput): Promise<ConfigOutcome> {
  const pauseMs = input.retryPauseMs ?? 1000;
  const retry = <T>(call: () => Promise<T>) => withRetryRounds(call, { rounds: 1, pauseMs });
  const failures: SourceFailure[] = [];

  let statuses;
  try {
    statuses = await retry(() => input.client.send(new DescribeConfigurationRecorderStatusCommand({})));
  } catch (err) {
    return { recording: undefined, items: [], failures: [{ source: 'config', what: 'recorder status (DescribeConfigurationRecorderStatus)', error: err }] };
  }
  if (!(statuses.ConfigurationRecordersStatus ?? []).some((s) => s.recording)) return { recording: false, items: [], failures };

  const types = await typesWithResources(input, await recordedTypes(input, retry));
  const items: DiscoveredItem[] = [];
  await mapLimit(types, 2, async (type) => {
    try {
      let token: string | undefined;
      do {
        const out = await retry(() =>
          input.client.send(
            new ListDiscoveredResourcesCommand({ resourceType: type.configType as ResourceType, limit: 100, ...(token ? { nextToken: token } : {}) }),
          ),
        );
        for (const id of out.resourceIdentifiers ?? []) {
          if (!id.resourceId || id.resourceDeletionTime) continue;
          const arn = type.arn({ resourceId: id.resourceId, ...(id.resourceName ? { resourceName: id.resourceName } : {}) }, input.at);
          if (arn) items.push({ arn, resourceType: type.resourceType });
        }
        token = out.nextToken || undefined;
      } while (token);
    } catch (err) {
      failures.push({ source: 'config', what: `${type.configType} (ListDiscoveredResources)`, error: err });
    }
  });
  return { recording: true, items, failures };
}

/**
 * Of `types`, those Config counts at least one resource of (GetDiscoveredResourceCounts, one call), so empty types
 * cost no ListDiscoveredResources call. Where the counts cannot be read, every type is listed: slower, same result.
 */
async function typesWithResources(input: ConfigInput, types: readonly ConfigType[]): Promise<readonly ConfigType[]> {
  const counted = new Set<string>();
  try {
    let token: string | undefined;
    do {
      const out = await input.client.send(
        new GetDiscoveredResourceCountsCommand({ resourceTypes: types.map((t) => t.configType), limit: 100, ...(token ? { nextToken: token } : {}) }),
      );
      for (const c of out.resourceCounts ?? []) if (c.resourceType && (c.count ?? 0) > 0) counted.add(c.resourceType);
      token = out.nextToken || undefined;
    } while (token);
  } catch {
    return types;
  }
  return types.filter((t) => counted.has(t.configType));
}

/** The mapped types the recorder records (all of them when the recording group cannot be read or records all). */
async function recordedTypes(input: ConfigInput, retry: <T>(call: () => Promise<T>) => Promise<T>): Promise<readonly ConfigType[]> {
  const all = input.types ?? CONFIG_TYPES;
  try {
    const out = await retry(() => input.client.send(new DescribeConfigurationRecordersCommand({})));
    const groups = (out.ConfigurationRecorders ?? []).map((r) => r.recordingGroup).filter((g) => g !== undefined);
    if (groups.length === 0) return all;
    const keep = new Set<string>();
    for (const g of groups) {
      const listed = (g.resourceTypes ?? []) as readonly string[];
      const excluded = new Set((g.exclusionByResourceTypes?.resourceTypes ?? []) as readonly string[]);
      // A recording group names its types, or records everything (allSupported) except an exclusion list.
      for (const t of all) if (listed.length ? listed.includes(t.configType) : !excluded.has(t.configType)) keep.add(t.configType);
    }
    return all.filter((t) => keep.has(t.configType));
  } catch {
    return all;
  }
}
