import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient, CreateAutoScalingGroupCommand, CreateLaunchConfigurationCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../src/inventory/resource.js';
import type { Report } from '../../src/report/types.js';
import { runCli } from '../support/cli.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { read } from '../support/read-inventory.js';
import { MANAGEMENT_ACCOUNT, Seeder } from '../support/seed.js';

const REGION = 'us-east-1';
const APP = 'anycompany:workload:application-id';
const OWNER = 'anycompany:finance:owner';
const FULL = { [APP]: 'app-1234', [OWNER]: 'platform' };

const DICTIONARY = `version: 1
name: scan-autoscaling
conventions:
  unknownKeys: off
tags:
  - key: ${APP}
    category: workload
    purpose: Application
    mandatory: true
    costAllocation: true
    pattern: '^app-[0-9]{4}$'
  - key: ${OWNER}
    category: financial
    purpose: Owner
    mandatory: true
    costAllocation: true
    pattern: '^[a-z][a-z0-9-]*$'
`;

let moto: MotoServer;
let dir: string;
let lambdaArn: string;
const groupArn = new Map<string, string>();

/** Creates the groups with Auto Scaling's own API (GetResources does not return them from moto, nor their tags from AWS). */
async function seedGroups(): Promise<void> {
  const client = new AutoScalingClient({ endpoint: moto.endpoint, region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  try {
    await client.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'lc', ImageId: 'ami-12c6146b', InstanceType: 't2.micro' }));
    const groups: Array<[string, Record<string, string>]> = [
      ['web-tagged', FULL],
      ['batch-untagged', {}],
    ];
    for (const [name, tags] of groups)
      await client.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: name,
          LaunchConfigurationName: 'lc',
          MinSize: 0,
          MaxSize: 1,
          AvailabilityZones: [`${REGION}a`],
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true })),
        }),
      );
    for (const g of (await client.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [])
      if (g.AutoScalingGroupName && g.AutoScalingGroupARN) groupArn.set(g.AutoScalingGroupName, g.AutoScalingGroupARN);
  } finally {
    client.destroy();
  }
}

function scanArgs(inventory: string): string[] {
  return ['scan', '-d', 'dictionary.yaml', '--regions', REGION, '--format', 'json', '--fail-on', 'none', '--save-inventory', inventory];
}

beforeAll(async () => {
  moto = await startMoto('scan-autoscaling');
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-scan-autoscaling-'));
  writeFileSync(join(dir, 'dictionary.yaml'), DICTIONARY);
  const s = await Seeder.forAccount(moto, MANAGEMENT_ACCOUNT, REGION);
  try {
    lambdaArn = await s.lambda('fn', FULL);
  } finally {
    s.close();
  }
  await seedGroups();
});

afterAll(async () => {
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a live scan reads Auto Scaling groups through Auto Scaling', () => {
  let report: Report;
  let code: number;
  let stderr: string;
  let inventory: Resource[];

  beforeAll(async () => {
    const r = await runCli(scanArgs('inventory.jsonl'), { env: moto.env, cwd: dir });
    ({ code, stderr } = r);
    // Parsed in the tests, after the exit code and stderr say why a run failed.
    report = (r.stdout ? JSON.parse(r.stdout) : {}) as Report;
    inventory = code === 0 ? (await read(join(dir, 'inventory.jsonl'))).resources : [];
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
    const proxy = await startFaultProxy({ target: moto.endpoint, errorShare: 1 });
    try {
      const r = await runCli(scanArgs('failing.jsonl'), { env: { ...moto.env, AWS_ENDPOINT_URL_AUTO_SCALING: proxy.endpoint }, cwd: dir });
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 3, stderr: expect.stringContaining('DescribeAutoScalingGroups') });
      const report = JSON.parse(r.stdout) as Report;
      expect(report.run.status).toBe('partial');
      expect(report.errors).toEqual([
        expect.objectContaining({ accountId: MANAGEMENT_ACCOUNT, region: REGION, source: 'autoscaling', code: 'InternalFailure', message: expect.stringMatching(/^DescribeAutoScalingGroups: InternalFailure/) }),
      ]);
      // The SDK's attempts, then tagaudit's extra round.
      expect(proxy.counts().DescribeAutoScalingGroups?.failed).toBeGreaterThan(5);
      expect(report.findings.some((f) => f.resource.resourceType === 'autoscaling:autoScalingGroup')).toBe(false);
      const saved = await read(join(dir, 'failing.jsonl'));
      expect(saved.resources.filter((x) => x.resourceType !== 'iam:role').map((x) => x.arn)).toEqual([lambdaArn]);
      expect(saved.errors).toEqual([expect.objectContaining({ source: 'autoscaling' })]);
    } finally {
      await proxy.stop();
    }
  });
});
