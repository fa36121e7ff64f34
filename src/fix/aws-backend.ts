import { tryParseArn } from '../inventory/arn.js';
import { setTag } from '../inventory/resource.js';
import {
  GetResourcesCommand,
  TagResourcesCommand,
  UntagResourcesCommand,
  type GetResourcesCommandOutput,
  type TagResourcesCommandOutput,
  type UntagResourcesCommandOutput,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { AddTagsCommand, DeleteTagsCommand, ListTagsCommand, type ListTagsCommandOutput } from '@aws-sdk/client-sagemaker';
import type { ClientFactory } from '../scan/clients.js';
import { globalRegionFor, globalRegionOfPartition } from '../scan/partition-info.js';
import { tagRecord } from '../scan/types.js';
import { mapLimit } from './apply.js';
import { autoScalingTagger, readGroups } from './autoscaling-tags.js';
import { byPartition, iamTagger, readIamTags } from './iam-tags.js';
import { isIamPrincipalType } from '../scan/iam-arn.js';
import { GONE_SINCE_READ, errorFailure, type FailedArns, type OwnerTagger, type PartitionBackend, type TagBackend } from './backend.js';
import type { CallFailure } from './journal.js';
import { isSageMakerGone, sageMakerSaysGone } from './sagemaker-gone.js';
import { LAMBDA_FUNCTION_TYPE, lambdaFunctionArn, lambdaSaysGone, readLambdaFunctions } from './lambda-gone.js';
import { serviceOf, tagsNotReadable } from './unreadable-tags.js';
import { chunk } from './batch.js';

/** The SDK surface the backend uses: `send`, so tests can fake clients at the SDK level. */
export interface SendClient {
  send(command: unknown): Promise<unknown>;
}

export interface AwsClients {
  tagging(): Promise<SendClient>;
  sagemaker(): Promise<SendClient>;
  autoscaling(): Promise<SendClient>;
  /** IAM, in the global region of `partition` (the partition of the ARN being read or written: aws, aws-cn, …). */
  iam(partition: string): Promise<SendClient>;
  /**
   * Lambda (ListTags), asked only about functions GetResources did not return (see lambda-gone.ts). Without it such a
   * function is read as having no tags, with no proof whether it still exists.
   */
  lambda?(): Promise<SendClient>;
}

const ARNS_PER_READ = 100;
const TYPES_PER_READ = 100;

/**
 * The Tagging API's per-ARN failures. It passes on the owning service's own error code, so a resource deleted since it
 * was read can come back in its service's not-found words: SageMaker's (see sagemaker-gone.ts), or Lambda's
 * ResourceNotFoundException for a function named by its unqualified ARN (see lambda-gone.ts). That is drift, as from
 * SageMaker's AddTags.
 */
function failedMap(out: { FailedResourcesMap?: Record<string, { StatusCode?: number; ErrorCode?: string; ErrorMessage?: string }> }): FailedArns {
  const failed: Record<string, CallFailure> = {};
  for (const [arn, f] of Object.entries(out.FailedResourcesMap ?? {})) {
    const code = f.ErrorCode || (f.StatusCode === 429 ? 'ThrottlingException' : `HTTP ${f.StatusCode ?? '?'}`);
    const failure = { code, message: f.ErrorMessage ?? '' };
    const service = tryParseArn(arn)?.service;
    if (service === 'sagemaker' && sageMakerSaysGone(failure)) failed[arn] = goneSinceRead('SageMaker', failure);
    else if (service === 'lambda' && lambdaFunctionArn(arn) === arn && lambdaSaysGone(failure)) failed[arn] = goneSinceRead('Lambda', failure);
    else failed[arn] = failure;
  }
  return failed;
}

/** A resource found gone when written (its service's answer quoted): drift, like IAM's NoSuchEntity at write time. */
function goneSinceRead(service: string, failure: CallFailure): CallFailure {
  return { code: GONE_SINCE_READ, message: `no longer exists: ${service} answered ${failure.code}: ${failure.message} (deleted since its tags were read)` };
}

/** Runs a SageMaker tag write; a failure in SageMaker's not-found words (see sagemaker-gone.ts) is thrown as drift. */
async function goneAsDrift(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    const f = errorFailure(err);
    if (!sageMakerSaysGone(f)) throw err;
    const gone = goneSinceRead('SageMaker', f);
    throw Object.assign(new Error(gone.message), { name: gone.code });
  }
}

function isSageMaker(resourceType: string): boolean {
  return resourceType.startsWith('sagemaker:');
}

/** Auto Scaling groups are the only taggable Auto Scaling resources. */
function isAutoScaling(resourceType: string): boolean {
  return serviceOf(resourceType) === 'autoscaling';
}

/**
 * ResourceTypeFilters for listing these types: each type and its service. AWS takes either; emulators match some
 * services only by name (moto: 'logs', 'sns', 'acm'), others only by type ('cloudformation:stack').
 */
function typeFilters(types: readonly string[]): string[] {
  return [...new Set(types.flatMap((t) => [serviceOf(t), t]))].sort();
}

/**
 * Reads and writes tags in one account and region.
 *
 * Re-reading: SageMaker resources through SageMaker ListTags (exact, and it sees never-tagged resources; one SageMaker
 * says it cannot find no longer exists: see sagemaker-gone.ts, also for writes that find it gone). Auto Scaling
 * groups through DescribeAutoScalingGroups by name (≤ 50 a call; a group not returned no longer exists), and they are
 * written through Auto Scaling's own CreateOrUpdateTags / DeleteTags (see autoscaling-tags.ts). IAM users and roles
 * through ListUserTags / ListRoleTags by name (NoSuchEntity: it no longer exists), written with TagUser / UntagUser,
 * TagRole / UntagRole (see iam-tags.ts). Everything else
 * through GetResources with ResourceARNList (≤ 100 ARNs, exact on AWS). An emulator that ignores ResourceARNList
 * (moto) answers with other ARNs or a page token; then the partition is listed by ResourceTypeFilters of the plan's
 * types and our ARNs picked out. Either way an ARN GetResources does not return has no tags, except a Lambda
 * function: Lambda's ListTags is asked about it (one call per such function), which reads its tags or proves it
 * deleted (see lambda-gone.ts); when Lambda does not answer, it is read as having no tags, as before. IAM tag reads still
 * throttled after the SDK's retries get one more round after `retryPauseMs` (default 1 s), as in the scan.
 */
export function partitionBackend(clients: AwsClients, options: { readonly retryPauseMs?: number } = {}): PartitionBackend {
  async function readSageMaker(arn: string): Promise<Record<string, string>> {
    const client = await clients.sagemaker();
    const tags: Record<string, string> = {};
    let token: string | undefined;
    do {
      const out = (await client.send(new ListTagsCommand({ ResourceArn: arn, MaxResults: 100, ...(token ? { NextToken: token } : {}) }))) as ListTagsCommandOutput;
      for (const [k, v] of Object.entries(tagRecord(out.Tags))) setTag(tags, k, v);
      token = out.NextToken || undefined;
    } while (token);
    return tags;
  }

  async function readByArns(arns: readonly string[], types: readonly string[]): Promise<Map<string, Record<string, string>>> {
    const client = await clients.tagging();
    const wanted = new Set(arns);
    const out = new Map<string, Record<string, string>>();
    for (const part of chunk(arns, ARNS_PER_READ)) {
      const asked = new Set(part);
      const page = (await client.send(new GetResourcesCommand({ ResourceARNList: part }))) as GetResourcesCommandOutput;
      const list = page.ResourceTagMappingList ?? [];
      if (page.PaginationToken || list.some((m) => !m.ResourceARN || !asked.has(m.ResourceARN))) {
        return readByTypes(types, wanted);
      }
      for (const m of list) out.set(m.ResourceARN!, tagRecord(m.Tags));
    }
    return out;
  }

  async function readByTypes(types: readonly string[], wanted: ReadonlySet<string>): Promise<Map<string, Record<string, string>>> {
    const client = await clients.tagging();
    const out = new Map<string, Record<string, string>>();
    for (const filters of chunk(types, TYPES_PER_READ)) {
      let token: string | undefined;
      do {
        const page = (await client.send(
          new GetResourcesCommand({ ResourceTypeFilters: filters, ResourcesPerPage: 100, ...(token ? { PaginationToken: token } : {}) }),
        )) as GetResourcesCommandOutput;
        for (const m of page.ResourceTagMappingList ?? []) {
          if (m.ResourceARN && wanted.has(m.ResourceARN)) out.set(m.ResourceARN, tagRecord(m.Tags));
        }
        token = page.PaginationToken || undefined;
      } while (token);
    }
    return out;
  }

  const sagemakerTagger: OwnerTagger = {
    addApi: 'sagemaker:AddTags',
    deleteApi: 'sagemaker:DeleteTags',
    async addTags(arn, tags) {
      const client = await clients.sagemaker();
      await goneAsDrift(() => client.send(new AddTagsCommand({ ResourceArn: arn, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) })));
    },
    async deleteTags(arn, keys) {
      const client = await clients.sagemaker();
      await goneAsDrift(() => client.send(new DeleteTagsCommand({ ResourceArn: arn, TagKeys: [...keys] })));
    },
  };

  // PropagateAtLaunch of each group's keys, as last read: the Auto Scaling tagger keeps it for keys that exist.
  const propagate = new Map<string, Map<string, boolean>>();
  const autoScalingOwner = autoScalingTagger(() => clients.autoscaling(), propagate);
  const iamUserOwner = iamTagger((partition) => clients.iam(partition), 'user', options.retryPauseMs);
  const iamRoleOwner = iamTagger((partition) => clients.iam(partition), 'role', options.retryPauseMs);

  return {
    async readTags(resources) {
      const tags = new Map<string, Record<string, string>>();
      const failed = new Map<string, CallFailure>();
      const missing = new Set<string>();
      const sm = resources.filter((r) => isSageMaker(r.resourceType));
      const asg = resources.filter((r) => isAutoScaling(r.resourceType));
      const iam = resources.filter((r) => isIamPrincipalType(r.resourceType));
      const unreadable = resources.filter((r) => tagsNotReadable(r.resourceType));
      const rest = resources.filter(
        (r) => !isSageMaker(r.resourceType) && !isAutoScaling(r.resourceType) && !isIamPrincipalType(r.resourceType) && !tagsNotReadable(r.resourceType),
      );
      for (const r of unreadable)
        failed.set(r.arn, { code: 'TagsNotReadable', message: `GetResources does not return the tags of ${serviceOf(r.resourceType)} resources` });
      await mapLimit(sm, 8, async (r) => {
        try {
          tags.set(r.arn, await readSageMaker(r.arn));
        } catch (err) {
          // ListTags asks for this one ARN: SageMaker saying it cannot find it is proof it was deleted (drift, like
          // IAM's NoSuchEntity), not a read to retry.
          const f = errorFailure(err);
          if (isSageMakerGone(r.resourceType, f)) missing.add(r.arn);
          else failed.set(r.arn, f);
        }
      });
      if (asg.length > 0) {
        try {
          const read = await readGroups(await clients.autoscaling(), asg.map((r) => r.arn));
          for (const [arn, g] of read.groups) {
            tags.set(arn, g.tags);
            propagate.set(arn, g.propagate);
          }
          for (const [arn, f] of read.failed) failed.set(arn, f);
          for (const arn of read.missing) missing.add(arn);
        } catch (err) {
          const f = errorFailure(err);
          for (const r of asg) failed.set(r.arn, f);
        }
      }
      if (iam.length > 0) {
        try {
          for (const [partition, arns] of byPartition(iam.map((r) => r.arn))) {
            const read = await readIamTags(await clients.iam(partition), arns, options.retryPauseMs);
            for (const [arn, t] of read.tags) tags.set(arn, t);
            for (const [arn, f] of read.failed) failed.set(arn, f);
            for (const arn of read.missing) missing.add(arn);
          }
        } catch (err) {
          const f = errorFailure(err);
          for (const r of iam) if (!tags.has(r.arn) && !missing.has(r.arn)) failed.set(r.arn, f);
        }
      }
      if (rest.length > 0) {
        const read = async (group: readonly { arn: string; resourceType: string }[]): Promise<void> => {
          for (const [arn, t] of await readByArns(group.map((r) => r.arn), typeFilters(group.map((r) => r.resourceType)))) tags.set(arn, t);
        };
        try {
          await read(rest);
        } catch (err) {
          // One service the Tagging API cannot answer for must not leave the others unread (and so unwritten): read
          // service by service, as the scan does, and fail only the service that fails again.
          const byService = new Map<string, (typeof rest)[number][]>();
          for (const r of rest) {
            const service = serviceOf(r.resourceType);
            byService.set(service, [...(byService.get(service) ?? []), r]);
          }
          if (byService.size === 1) {
            const f = errorFailure(err);
            for (const r of rest) failed.set(r.arn, f);
          } else {
            for (const group of byService.values()) {
              try {
                await read(group);
              } catch (again) {
                const f = errorFailure(again);
                for (const r of group) failed.set(r.arn, f);
              }
            }
          }
        }
      }
      // Lambda functions GetResources answered for by leaving them out: Lambda itself says whether they still exist.
      const unreturned = rest.filter((r) => r.resourceType === LAMBDA_FUNCTION_TYPE && !tags.has(r.arn) && !failed.has(r.arn));
      if (unreturned.length > 0 && clients.lambda) {
        try {
          const read = await readLambdaFunctions(await clients.lambda(), unreturned.map((r) => r.arn));
          for (const [arn, t] of read.tags) tags.set(arn, t);
          for (const arn of read.missing) missing.add(arn);
        } catch {
          // No Lambda client (credentials, SDK): these stay unreturned, read as having no tags as before.
        }
      }
      return { tags, failed, missing };
    },
    async tagResources(arns, tags) {
      const client = await clients.tagging();
      const out = (await client.send(new TagResourcesCommand({ ResourceARNList: [...arns], Tags: { ...tags } }))) as TagResourcesCommandOutput;
      return failedMap(out);
    },
    async untagResources(arns, keys) {
      const client = await clients.tagging();
      const out = (await client.send(new UntagResourcesCommand({ ResourceARNList: [...arns], TagKeys: [...keys] }))) as UntagResourcesCommandOutput;
      return failedMap(out);
    },
    ownerTagger(resourceType) {
      if (isSageMaker(resourceType)) return sagemakerTagger;
      if (isAutoScaling(resourceType)) return autoScalingOwner;
      if (resourceType === 'iam:user') return iamUserOwner;
      if (resourceType === 'iam:role') return iamRoleOwner;
      return undefined;
    },
  };
}

/**
 * A TagBackend over the live-scan client factory: each account with its own credentials, each resource written in
 * its own region (the scan gives S3 buckets theirs), true global services (`global`) in the global region of the
 * configured region's partition (us-east-1; cn-northwest-1 in China; us-gov-west-1 in GovCloud).
 */
export function awsTagBackend(factory: ClientFactory): TagBackend {
  let globalRegion: Promise<string> | undefined;
  const globalRegionOnce = (): Promise<string> =>
    (globalRegion ??= factory.configuredRegion().then((home) => (home ? globalRegionFor(home) : 'us-east-1')));
  return async (accountId, region) => {
    const account = accountId || (await factory.callerIdentity()).accountId;
    const clientRegion = !region || region === 'global' ? await globalRegionOnce() : region;
    await factory.credentialsFor(account); // fail here, once per partition, when the role cannot be assumed
    return partitionBackend({
      tagging: () => factory.tagging(account, clientRegion) as Promise<SendClient>,
      sagemaker: () => factory.sagemaker(account, clientRegion) as Promise<SendClient>,
      autoscaling: () => factory.autoscaling(account, clientRegion) as Promise<SendClient>,
      // IAM is global: its client goes to the global region of the principal's partition (from its ARN), whatever
      // region the plan names or the configuration sets.
      iam: async (partition) => factory.iam(account, await globalRegionOfPartition(partition, (await factory.configuredRegion()) ?? undefined)) as Promise<SendClient>,
      lambda: () => factory.lambda(account, clientRegion) as Promise<SendClient>,
    });
  };
}
