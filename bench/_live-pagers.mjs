// The baselines bench/live-scan.mjs compares tagaudit's live scan with: minimal scripts that only page
// GetResources (100 resources a page, TagsPerPage 500) for the same account × region slices.
import { performance } from 'node:perf_hooks';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

const TEST_CREDS = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };

async function assume(endpoint, accountId, caller) {
  if (accountId === caller) return TEST_CREDS;
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: TEST_CREDS });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'floor' }));
  sts.destroy();
  const c = out.Credentials;
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

async function pageSlice(endpoint, region, credentials) {
  const client = new ResourceGroupsTaggingAPIClient({ endpoint, region, credentials });
  let token;
  let pages = 0;
  const arns = [];
  do {
    const out = await client.send(new GetResourcesCommand({ ResourcesPerPage: 100, TagsPerPage: 500, ...(token ? { PaginationToken: token } : {}) }));
    pages++;
    for (const m of out.ResourceTagMappingList ?? []) arns.push(m.ResourceARN);
    token = out.PaginationToken || undefined;
  } while (token);
  client.destroy();
  return { pages, arns };
}

/**
 * Assumes each member role once, then pages every slice, `concurrency` slices at a time (1 = one slice after
 * another). Returns wall time, pages (= GetResources calls), and the distinct ARNs returned.
 */
export async function pageAllSlices({ endpoint, accounts, regions, caller, concurrency }) {
  const t0 = performance.now();
  const creds = new Map();
  for (const a of accounts) creds.set(a, await assume(endpoint, a, caller));
  const slices = accounts.flatMap((a) => regions.map((r) => ({ account: a, region: r })));
  let next = 0;
  let pages = 0;
  const arns = new Set();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, slices.length) }, async () => {
      while (next < slices.length) {
        const s = slices[next++];
        const got = await pageSlice(endpoint, s.region, creds.get(s.account));
        pages += got.pages;
        for (const a of got.arns) arns.add(a);
      }
    }),
  );
  return { ms: performance.now() - t0, calls: { AssumeRole: accounts.length - 1, GetResources: pages }, resources: arns.size };
}

// The list calls tagaudit's SageMaker source makes in every slice (one paged call per kind; the per-domain kinds
// make none in an estate without domains), as a minimal script: with pageAllSlices alongside, it measures what the
// same API work costs the server, without any of tagaudit's own code.
const SAGEMAKER_LISTS = (since) => [
  ['ListModelsCommand', {}],
  ['ListEndpointConfigsCommand', {}],
  ['SearchCommand', { Resource: 'Endpoint' }],
  ['ListTrainingJobsCommand', { CreationTimeAfter: since }],
  ['ListProcessingJobsCommand', { CreationTimeAfter: since }],
  ['ListTransformJobsCommand', { CreationTimeAfter: since }],
  ['ListHyperParameterTuningJobsCommand', { CreationTimeAfter: since }],
  ['ListNotebookInstancesCommand', {}],
  ['ListDomainsCommand', {}],
  ['ListPipelinesCommand', {}],
  ['ListModelPackageGroupsCommand', {}],
  ['ListModelPackagesCommand', {}],
  ['SearchCommand', { Resource: 'FeatureGroup' }],
];

/** Pages every SageMaker list of every slice, `perSlice` calls at a time in each slice, all slices at once. */
export async function listSageMakerSlices({ endpoint, accounts, regions, caller, since, perSlice }) {
  const SM = await import('@aws-sdk/client-sagemaker');
  const t0 = performance.now();
  const creds = new Map();
  for (const a of accounts) creds.set(a, await assume(endpoint, a, caller));
  let calls = 0;
  await Promise.all(
    accounts.flatMap((a) =>
      regions.map(async (region) => {
        const client = new SM.SageMakerClient({ endpoint, region, credentials: creds.get(a) });
        const lists = SAGEMAKER_LISTS(since);
        let next = 0;
        await Promise.all(
          Array.from({ length: perSlice }, async () => {
            while (next < lists.length) {
              const [command, input] = lists[next++];
              let token;
              do {
                const out = await client.send(new SM[command]({ ...input, MaxResults: 100, ...(token ? { NextToken: token } : {}) }));
                calls++;
                token = out.NextToken || undefined;
              } while (token);
            }
          }),
        );
        client.destroy();
      }),
    ),
  );
  return { ms: performance.now() - t0, calls };
}
