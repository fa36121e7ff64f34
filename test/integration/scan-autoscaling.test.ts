import { beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/inventory/resource.js';
import type { Report } from '../../src/report/types.js';
import { APP, applicationTag, dictionaryYaml, OWNER, ownerTag } from '../support/dictionary-yaml.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { useMotoWorkspace } from '../support/moto-workspace.js';
import { scanSaving } from '../support/saved-scan.js';
import { MANAGEMENT_ACCOUNT, propagated, Seeder } from '../support/seed.js';

const REGION = 'us-east-1';
const FULL = { [APP]: 'app-1234', [OWNER]: 'platform' };
const SCOPE = ['-d', 'dictionary.yaml', '--regions', REGION];

const ws = useMotoWorkspace('scan-autoscaling', dictionaryYaml('scan-autoscaling', [applicationTag(), ownerTag()]));
let lambdaArn: string;
const groupArn = new Map<string, string>();

beforeAll(async () => {
  await Seeder.using(ws.moto, MANAGEMENT_ACCOUNT, REGION, async (s) => {
    lambdaArn = await s.lambda('fn', FULL);
    // Created with Auto Scaling's own API (GetResources does not return them from moto, nor their tags from AWS).
    groupArn.set('web-tagged', await s.autoScalingGroup('web-tagged', propagated(FULL)));
    groupArn.set('batch-untagged', await s.autoScalingGroup('batch-untagged'));
  });
});

describe('a live scan reads Auto Scaling groups through Auto Scaling', () => {
  let report: Report;
  let code: number;
  let stderr: string;
  let inventory: Resource[];

  beforeAll(async () => {
    // Parsed in the tests, after the exit code and stderr say why a run failed.
    ({ code, stderr, report, inventory } = await scanSaving(ws, SCOPE, 'inventory.jsonl'));
  });

  it('finds both groups, the never-tagged one too, with their real tags and source autoscaling', () => {
    expect(stderr).not.toMatch(/error/i);
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(report.run.status).toBe('complete');
    expect(report.errors).toEqual([]);
    const byArn = new Map(inventory.map((r) => [r.arn, r]));
    expect(byArn.get(groupArn.get('web-tagged')!)).toMatchObject({
      accountId: MANAGEMENT_ACCOUNT,
      region: REGION,
      resourceType: 'autoscaling:autoScalingGroup',
      tags: FULL,
      source: 'autoscaling',
    });
    expect(byArn.get(groupArn.get('batch-untagged')!)).toMatchObject({ resourceType: 'autoscaling:autoScalingGroup', tags: {}, source: 'autoscaling' });
    // The rest of the scan is intact.
    expect(byArn.get(lambdaArn)).toMatchObject({ tags: FULL, source: 'tagging-api' });
    // Two groups, the function, and the function's execution role (read through IAM).
    expect(inventory.filter((r) => r.resourceType === 'iam:role').map((r) => r.source)).toEqual(['iam']);
    expect(report.summary.resources).toBe(4);
  });

  it('reports missing tags on the untagged group only', () => {
    const on = (arn: string) => report.findings.filter((f) => f.resource.arn === arn);
    expect(on(groupArn.get('web-tagged')!)).toEqual([]);
    expect(on(lambdaArn)).toEqual([]);
    const untagged = on(groupArn.get('batch-untagged')!);
    expect(untagged.map((f) => [f.ruleId, f.tag?.key]).sort()).toEqual([
      ['missing-tag', OWNER],
      ['missing-tag', APP],
    ]);
  });
});

describe('when DescribeAutoScalingGroups keeps failing (HTTP 500 past every retry)', () => {
  it('records one gap for the region, audits no group, and exits 3', async () => {
    // Only Auto Scaling goes through the proxy (its own endpoint setting), and every one of its calls fails. (Throttling
    // takes the same path, but the SDK's throttling backoff makes the test ~30 s long.)
    const proxy = await startFaultProxy({ target: ws.moto.endpoint, errorShare: 1 });
    try {
      const r = await scanSaving(ws, SCOPE, 'failing.jsonl', { ...ws.moto.env, AWS_ENDPOINT_URL_AUTO_SCALING: proxy.endpoint });
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 3, stderr: expect.stringContaining('DescribeAutoScalingGroups') });
      const report = r.report;
      expect(report.run.status).toBe('partial');
      expect(report.errors).toEqual([
        expect.objectContaining({ accountId: MANAGEMENT_ACCOUNT, region: REGION, source: 'autoscaling', code: 'InternalFailure', message: expect.stringMatching(/^DescribeAutoScalingGroups: InternalFailure/) }),
      ]);
      // The SDK's attempts, then tagaudit's extra round.
      expect(proxy.counts().DescribeAutoScalingGroups?.failed).toBeGreaterThan(5);
      expect(report.findings.some((f) => f.resource.resourceType === 'autoscaling:autoScalingGroup')).toBe(false);
      expect(r.inventory.filter((x) => x.resourceType !== 'iam:role').map((x) => x.arn)).toEqual([lambdaArn]);
      expect(r.inventoryErrors).toEqual([expect.objectContaining({ source: 'autoscaling' })]);
    } finally {
      await proxy.stop();
    }
  });
});
