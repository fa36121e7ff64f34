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
