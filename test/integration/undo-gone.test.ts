import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DeleteAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { readLiveTags } from '../support/live-tags.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { credentialsFor, MANAGEMENT_ACCOUNT, Seeder } from '../support/seed.js';

/*
 * `undo --apply` against moto after one of the fixed resources was deleted: an Auto Scaling group, which Auto Scaling
 * itself then no longer returns (positive evidence it is gone). It is reported as gone and skipped; the rest is
 * restored; exit 0. No lock file is left behind.
 */

const REGION = 'us-east-1';
const ENV = 'anycompany:workload:environment';

const DICTIONARY = `version: 1
name: undo-gone
conventions:
  unknownKeys: off
tags:
  - key: ${ENV}
    category: workload
    purpose: Environment
    mandatory: true
    costAllocation: true
    values: [development, staging, production]
    valueAliases: { prod: production }
    aliases: [env]
`;

let moto: MotoServer;
let dir: string;
let autoscaling: AutoScalingClient;
let lambdaArn: string;
const arnOf = new Map<string, string>();

async function groupTags(): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  for (const g of (await autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? []) {
    out[g.AutoScalingGroupName!] = Object.fromEntries((g.Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
  }
  return out;
}

function cli(argv: string[]) {
  return runCli(argv, { env: moto.env, cwd: dir });
}

beforeAll(async () => {
  moto = await startMoto('undo-gone');
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-undo-gone-'));
  writeFileSync(join(dir, 'dictionary.yaml'), DICTIONARY);
  autoscaling = new AutoScalingClient({ endpoint: moto.endpoint, region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await autoscaling.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'lc', ImageId: 'ami-12c6146b', InstanceType: 't2.micro' }));
  for (const name of ['kept-workers', 'short-lived-workers']) {
    await autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        LaunchConfigurationName: 'lc',
        MinSize: 0,
        MaxSize: 1,
        AvailabilityZones: [`${REGION}a`],
        Tags: [{ Key: 'env', Value: 'prod', PropagateAtLaunch: true }],
      }),
    );
  }
  for (const g of (await autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? []) arnOf.set(g.AutoScalingGroupName!, g.AutoScalingGroupARN!);
  const s = await Seeder.forAccount(moto, MANAGEMENT_ACCOUNT, REGION);
  try {
    lambdaArn = await s.lambda('scorer', { env: 'prod' });
  } finally {
    s.close();
  }
});

afterAll(async () => {
  autoscaling?.destroy();
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('undo after a fixed resource was deleted (moto)', () => {
  it('reports the deleted group as gone, restores the rest, exits 0, and leaves no lock', async () => {
    const scope = ['-d', 'dictionary.yaml', '--regions', REGION, '--sources', 'tagging-api'];
    const applied = await cli(['fix', ...scope, '--apply', '--yes', '--journal', 'fix.jsonl']);
    expect(applied.stdout).toContain('Applied: 3 resources: 3 written');
    expect(applied.code).toBe(0);
    expect(await groupTags()).toEqual({ 'kept-workers': { [ENV]: 'production' }, 'short-lived-workers': { [ENV]: 'production' } });

    await autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'short-lived-workers', ForceDelete: true }));
    expect(Object.keys(await groupTags())).toEqual(['kept-workers']);

    const undone = await cli(['undo', '--journal', 'fix.jsonl', '--apply', '--yes', '--undo-journal', 'undo.jsonl']);
    expect(undone.stdout).toContain(
      `Gone (deleted since the fix):\n  ${arnOf.get('short-lived-workers')}  *: gone: nothing to restore (deleted since the fix; Auto Scaling does not return the group)\n`,
    );
    expect(undone.stdout).toContain('Undo: 2 resources: 2 written');
    expect({ code: undone.code, stderr: undone.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(await groupTags()).toEqual({ 'kept-workers': { env: 'prod' } });
    const live = await readLiveTags(moto, [{ region: REGION, credentials: await credentialsFor(moto, MANAGEMENT_ACCOUNT) }], ['lambda:function']);
    expect(live.get(lambdaArn)).toEqual({ env: 'prod' });
    expect(readFileSync(join(dir, 'undo.jsonl'), 'utf8')).not.toContain(arnOf.get('short-lived-workers')!);
    expect([existsSync(join(dir, 'fix.jsonl.lock')), existsSync(join(dir, 'undo.jsonl.lock'))]).toEqual([false, false]);
  });
});
