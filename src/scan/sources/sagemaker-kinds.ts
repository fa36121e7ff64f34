import {
  ListAppsCommand,
  ListDomainsCommand,
  ListEndpointConfigsCommand,
  ListHyperParameterTuningJobsCommand,
  ListModelPackageGroupsCommand,
  ListModelPackagesCommand,
  ListModelsCommand,
  ListNotebookInstancesCommand,
  ListPipelinesCommand,
  ListProcessingJobsCommand,
  ListSpacesCommand,
  ListTrainingJobsCommand,
  ListTransformJobsCommand,
  ListUserProfilesCommand,
  SearchCommand,
  type SageMakerClient,
  type SearchRecord,
} from '@aws-sdk/client-sagemaker';
import { paged, type Page } from './paged.js';
import { tagRecord, type ListedItem } from '../types.js';

export type SageMakerSend = Pick<SageMakerClient, 'send'>;

/** A parent named rather than given by ARN; resolved against what the other listers found. */
export interface NameRef {
  readonly resourceType: string;
  readonly name: string;
}

/** What a lister yields: a ListedItem plus the resource's name and its parents by name. */
export interface RawListed extends ListedItem {
  readonly name: string;
  readonly refs?: readonly NameRef[];
}

export interface KindContext {
  readonly client: SageMakerSend;
  /** Jobs created before this are out of scope. */
  readonly since: Date;
  /** `arn:<partition>:sagemaker:<region>:<account>:` */
  readonly arnPrefix: string;
  /** Domain ids of the region (for user profiles, spaces and apps); rejects when domains could not be listed. */
  readonly domainIds: () => Promise<readonly string[]>;
  readonly retryPauseMs: number;
  /** Called on every page SageMaker answers (the region is answering). */
  readonly onPage?: () => void;
}

/** One SageMaker resource kind: the call that lists it and how its answer maps to resources. */
export interface SageMakerKind {
  readonly resourceType: string;
  /** The API operation, for messages and errors[]. */
  readonly operation: string;
  /** Listed only within the --since window (jobs, which are never deleted). */
  readonly windowed: boolean;
  list(ctx: KindContext): AsyncIterable<RawListed>;
}

const PAGE = 100;

/** What a kind reads off one entry of its list. */
interface Fields {
  readonly arn: string | undefined;
  readonly name: string | undefined;
  readonly state?: string | undefined;
  readonly createdAt?: Date | undefined;
  readonly refs?: readonly NameRef[];
  readonly tags?: Readonly<Record<string, string>>;
}

const iso = (d: Date | undefined): string | undefined => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined);

/** Keeps only defined optional fields, so Resources carry no `undefined` keys. */
function toRaw(resourceType: string, f: Fields): RawListed | undefined {
  if (!f.arn) return undefined;
  const createdAt = iso(f.createdAt);
  const refs = f.refs?.filter((r) => r.name);
  return {
    arn: f.arn,
    name: f.name ?? f.arn.slice(f.arn.lastIndexOf('/') + 1),
    resourceType,
    ...(f.state ? { state: f.state } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(refs && refs.length ? { refs } : {}),
    ...(f.tags ? { tags: f.tags } : {}),
  };
}

/**
 * A kind listed by one paged call — per domain when `perDomain` (Studio resources exist only in domains, so a
 * region without one costs no call for them).
 */
function kind<T>(spec: {
  resourceType: string;
  operation: string;
  windowed?: boolean;
  perDomain?: boolean;
  fetch: (ctx: KindContext, token: string | undefined, domainId: string) => Promise<Page<T>>;
  fields: (entry: T, ctx: KindContext, domainId: string) => Fields | undefined;
}): SageMakerKind {
  return {
    resourceType: spec.resourceType,
    operation: spec.operation,
    windowed: spec.windowed ?? false,
    async *list(ctx) {
      for (const domainId of spec.perDomain ? await ctx.domainIds() : ['']) {
        const fetch = async (token: string | undefined): Promise<Page<T>> => {
          const page = await spec.fetch(ctx, token, domainId);
          ctx.onPage?.();
          return page;
        };
        for await (const entry of paged(ctx, fetch)) {
          const f = spec.fields(entry, ctx, domainId);
          const raw = f && toRaw(spec.resourceType, f);
          if (raw) yield raw;
        }
      }
    },
  };
}

/**
 * Search returns tags and parent fields in bulk, so no per-resource call is needed for these kinds. (Not used for
 * training jobs: their full records are heavy, and thousands of them fall in a window.)
 */
const search = (ctx: KindContext, resource: 'Endpoint' | 'FeatureGroup', token: string | undefined): Promise<Page<SearchRecord>> =>
  ctx.client.send(new SearchCommand({ Resource: resource, MaxResults: PAGE, NextToken: token })).then((o) => ({ items: o.Results, next: o.NextToken }));

/** Name-built ARNs (the List calls of Studio resources return none); SageMaker ARNs are lower case. */
const studioArn = (ctx: KindContext, path: string): string => `${ctx.arnPrefix}${path.toLowerCase()}`;

const tagsOf = (list: Parameters<typeof tagRecord>[0]) => (list ? { tags: tagRecord(list) } : {});

export const SAGEMAKER_KINDS: readonly SageMakerKind[] = [
  kind({
    resourceType: 'sagemaker:model',
    operation: 'ListModels',
    fetch: (ctx, t) => ctx.client.send(new ListModelsCommand({ MaxResults: PAGE, NextToken: t })).then((o) => ({ items: o.Models, next: o.NextToken })),
    fields: (m) => ({ arn: m.ModelArn, name: m.ModelName, createdAt: m.CreationTime }),
  }),
  kind({
    resourceType: 'sagemaker:endpoint-config',
    operation: 'ListEndpointConfigs',
    fetch: (ctx, t) =>
      ctx.client.send(new ListEndpointConfigsCommand({ MaxResults: PAGE, NextToken: t })).then((o) => ({ items: o.EndpointConfigs, next: o.NextToken })),
    fields: (c) => ({ arn: c.EndpointConfigArn, name: c.EndpointConfigName, createdAt: c.CreationTime }),
  }),
  kind({
    resourceType: 'sagemaker:endpoint',
    operation: 'Search(Endpoint)',
    fetch: (ctx, t) => search(ctx, 'Endpoint', t),
    fields: ({ Endpoint: e }) =>
      e && {
        arn: e.EndpointArn,
        name: e.EndpointName,
        state: e.EndpointStatus,
        createdAt: e.CreationTime,
        refs: e.EndpointConfigName ? [{ resourceType: 'sagemaker:endpoint-config', name: e.EndpointConfigName }] : [],
        ...tagsOf(e.Tags),
      },
  }),
  // Parents of training jobs (tuning jobs) are linked afterwards from the tuning jobs' side: one call per tuning job.
  kind({
    resourceType: 'sagemaker:training-job',
    operation: 'ListTrainingJobs',
    windowed: true,
    fetch: (ctx, t) =>
      ctx.client
        .send(new ListTrainingJobsCommand({ MaxResults: PAGE, NextToken: t, CreationTimeAfter: ctx.since }))
        .then((o) => ({ items: o.TrainingJobSummaries, next: o.NextToken })),
    fields: (j) => ({ arn: j.TrainingJobArn, name: j.TrainingJobName, state: j.TrainingJobStatus, createdAt: j.CreationTime }),
  }),
  kind({
    resourceType: 'sagemaker:processing-job',
    operation: 'ListProcessingJobs',
    windowed: true,
    fetch: (ctx, t) =>
      ctx.client
        .send(new ListProcessingJobsCommand({ MaxResults: PAGE, NextToken: t, CreationTimeAfter: ctx.since }))
        .then((o) => ({ items: o.ProcessingJobSummaries, next: o.NextToken })),
    fields: (j) => ({ arn: j.ProcessingJobArn, name: j.ProcessingJobName, state: j.ProcessingJobStatus, createdAt: j.CreationTime }),
  }),
  kind({
    resourceType: 'sagemaker:transform-job',
    operation: 'ListTransformJobs',
    windowed: true,
    fetch: (ctx, t) =>
      ctx.client
        .send(new ListTransformJobsCommand({ MaxResults: PAGE, NextToken: t, CreationTimeAfter: ctx.since }))
        .then((o) => ({ items: o.TransformJobSummaries, next: o.NextToken })),
    fields: (j) => ({ arn: j.TransformJobArn, name: j.TransformJobName, state: j.TransformJobStatus, createdAt: j.CreationTime }),
  }),
  kind({
    resourceType: 'sagemaker:hyper-parameter-tuning-job',
    operation: 'ListHyperParameterTuningJobs',
    windowed: true,
    fetch: (ctx, t) =>
      ctx.client
        .send(new ListHyperParameterTuningJobsCommand({ MaxResults: PAGE, NextToken: t, CreationTimeAfter: ctx.since }))
        .then((o) => ({ items: o.HyperParameterTuningJobSummaries, next: o.NextToken })),
    fields: (j) => ({
      arn: j.HyperParameterTuningJobArn,
      name: j.HyperParameterTuningJobName,
      state: j.HyperParameterTuningJobStatus,
      createdAt: j.CreationTime,
    }),
  }),
  kind({
    resourceType: 'sagemaker:notebook-instance',
    operation: 'ListNotebookInstances',
    fetch: (ctx, t) =>
      ctx.client.send(new ListNotebookInstancesCommand({ MaxResults: PAGE, NextToken: t })).then((o) => ({ items: o.NotebookInstances, next: o.NextToken })),
    fields: (n) => ({ arn: n.NotebookInstanceArn, name: n.NotebookInstanceName, state: n.NotebookInstanceStatus, createdAt: n.CreationTime }),
  }),
  // The domain id is the name user profiles, spaces and apps refer to it by.
  kind({
    resourceType: 'sagemaker:domain',
    operation: 'ListDomains',
    fetch: (ctx, t) => ctx.client.send(new ListDomainsCommand({ MaxResults: PAGE, NextToken: t })).then((o) => ({ items: o.Domains, next: o.NextToken })),
    fields: (d) => ({ arn: d.DomainArn, name: d.DomainId, state: d.Status, createdAt: d.CreationTime }),
  }),
  kind({
    resourceType: 'sagemaker:user-profile',
    operation: 'ListUserProfiles',
    perDomain: true,
    fetch: (ctx, t, domainId) =>
      ctx.client
        .send(new ListUserProfilesCommand({ MaxResults: PAGE, NextToken: t, DomainIdEquals: domainId }))
        .then((o) => ({ items: o.UserProfiles, next: o.NextToken })),
    fields: (u, ctx, domainId) =>
      u.UserProfileName
        ? {
            arn: studioArn(ctx, `user-profile/${domainId}/${u.UserProfileName}`),
            name: `${domainId}/${u.UserProfileName}`,
            state: u.Status,
            createdAt: u.CreationTime,
            // No parent: a domain's tags reach the apps and spaces it launches, never its user profiles, which
            // belong to teams of their own (linking them would have fix copy the platform's cost center onto each).
          }
        : undefined,
  }),
  kind({
    resourceType: 'sagemaker:space',
    operation: 'ListSpaces',
    perDomain: true,
    fetch: (ctx, t, domainId) =>
      ctx.client.send(new ListSpacesCommand({ MaxResults: PAGE, NextToken: t, DomainIdEquals: domainId })).then((o) => ({ items: o.Spaces, next: o.NextToken })),
    fields: (s, ctx, domainId) => {
      if (!s.SpaceName) return undefined;
      const owner = s.OwnershipSettingsSummary?.OwnerUserProfileName;
      return {
        arn: studioArn(ctx, `space/${domainId}/${s.SpaceName}`),
        name: `${domainId}/${s.SpaceName}`,
        state: s.Status,
        createdAt: s.CreationTime,
        refs: [...(owner ? [{ resourceType: 'sagemaker:user-profile', name: `${domainId}/${owner}` }] : []), { resourceType: 'sagemaker:domain', name: domainId }],
      };
    },
  }),
  kind({
    resourceType: 'sagemaker:app',
    operation: 'ListApps',
    perDomain: true,
    fetch: (ctx, t, domainId) =>
      ctx.client.send(new ListAppsCommand({ MaxResults: PAGE, NextToken: t, DomainIdEquals: domainId })).then((o) => ({ items: o.Apps, next: o.NextToken })),
    fields: (a, ctx, domainId) => {
      const owner = a.UserProfileName ?? a.SpaceName;
      // Deleted apps stay listed for a while; they cost nothing and can no longer be tagged.
      if (!owner || !a.AppType || !a.AppName || a.Status === 'Deleted') return undefined;
      const parent = a.UserProfileName
        ? { resourceType: 'sagemaker:user-profile', name: `${domainId}/${a.UserProfileName}` }
        : { resourceType: 'sagemaker:space', name: `${domainId}/${a.SpaceName}` };
      return {
        arn: studioArn(ctx, `app/${domainId}/${owner}/${a.AppType}/${a.AppName}`),
        name: `${domainId}/${owner}/${a.AppType}/${a.AppName}`,
        state: a.Status,
        createdAt: a.CreationTime,
        refs: [parent, { resourceType: 'sagemaker:domain', name: domainId }],
      };
    },
  }),
  kind({
    resourceType: 'sagemaker:pipeline',
    operation: 'ListPipelines',
    fetch: (ctx, t) => ctx.client.send(new ListPipelinesCommand({ MaxResults: PAGE, NextToken: t })).then((o) => ({ items: o.PipelineSummaries, next: o.NextToken })),
    fields: (p) => ({ arn: p.PipelineArn, name: p.PipelineName, createdAt: p.CreationTime }),
  }),
  kind({
    resourceType: 'sagemaker:model-package-group',
    operation: 'ListModelPackageGroups',
    fetch: (ctx, t) =>
      ctx.client
        .send(new ListModelPackageGroupsCommand({ MaxResults: PAGE, NextToken: t }))
        .then((o) => ({ items: o.ModelPackageGroupSummaryList, next: o.NextToken })),
    fields: (g) => ({ arn: g.ModelPackageGroupArn, name: g.ModelPackageGroupName, state: g.ModelPackageGroupStatus, createdAt: g.CreationTime }),
  }),
  kind({
    resourceType: 'sagemaker:model-package',
    operation: 'ListModelPackages',
    fetch: (ctx, t) =>
      ctx.client
        .send(new ListModelPackagesCommand({ MaxResults: PAGE, NextToken: t, ModelPackageType: 'Both' }))
        .then((o) => ({ items: o.ModelPackageSummaryList, next: o.NextToken })),
    fields: (p) => ({
      arn: p.ModelPackageArn,
      name: p.ModelPackageName ?? p.ModelPackageArn?.slice(p.ModelPackageArn.indexOf('model-package/') + 'model-package/'.length),
      state: p.ModelPackageStatus,
      createdAt: p.CreationTime,
      refs: p.ModelPackageGroupName ? [{ resourceType: 'sagemaker:model-package-group', name: p.ModelPackageGroupName }] : [],
    }),
  }),
  // ListFeatureGroups returns no tags; Search does, and feature groups are few.
  kind({
    resourceType: 'sagemaker:feature-group',
    operation: 'Search(FeatureGroup)',
    fetch: (ctx, t) => search(ctx, 'FeatureGroup', t),
    fields: ({ FeatureGroup: f }) =>
      f && { arn: f.FeatureGroupArn, name: f.FeatureGroupName, state: f.FeatureGroupStatus, createdAt: f.CreationTime, ...tagsOf(f.Tags) },
  }),
];
