import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient, CreateAutoScalingGroupCommand, CreateLaunchConfigurationCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { readLiveTags } from '../support/live-tags.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { credentialsFor, MANAGEMENT_ACCOUNT, Seeder } from '../support/seed.js';

/*
 * `fix --apply` and `undo --apply` on Auto Scaling groups against moto, end to end from a live scan: moto's
 * GetResources never returns groups, so every read and write here goes through Auto Scaling's own API.
 */

const REGION = 'us-east-1';
const ENV = 'anycompany:workload:environment';
const APP = 'anycompany:workload:application-id';
const OWNER = 'anycompany:finance:owner';

const DICTIONARY = `version: 1
name: fix-autoscaling
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

/** A group's tags as Auto Scaling reports them: value and PropagateAtLaunch per key. */
type GroupTags = Record<string, { value: string; propagate: boolean }>;

/** Tags and their PropagateAtLaunch when the groups are created. */
const SEED: Record<string, GroupTags> = {
  // A deprecated key (renamed), with PropagateAtLaunch false, next to keys with either setting.
  'gpu-training': {
    env: { value: 'prod', propagate: false },
    [APP]: { value: 'app-1234', propagate: true },
    [OWNER]: { value: 'ml-platform', propagate: false },
  },
  // A miscased value on a key that exists: the key keeps its PropagateAtLaunch (false).
  'gpu-inference': {
    [ENV]: { value: 'Prod', propagate: false },
    [APP]: { value: 'app-1234', propagate: true },
    [OWNER]: { value: 'ml-platform', propagate: true },
  },
  'clean-workers': {
    [ENV]: { value: 'production', propagate: true },
    [APP]: { value: 'app-1234', propagate: true },
    [OWNER]: { value: 'ml-platform', propagate: true },
  },
};

let moto: MotoServer;
let dir: string;
let lambdaArn: string;
let autoscaling: AutoScalingClient;
const arnOf = new Map<string, string>();

async function groupTags(): Promise<Record<string, GroupTags>> {
  const out: Record<string, GroupTags> = {};
  const groups = (await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: Object.keys(SEED) }))).AutoScalingGroups ?? [];
  for (const g of groups) {
    const tags: GroupTags = {};
    for (const t of g.Tags ?? []) tags[t.Key!] = { value: t.Value ?? '', propagate: t.PropagateAtLaunch === true };
    out[g.AutoScalingGroupName!] = tags;
  }
  return out;
}

async function lambdaTags(): Promise<Record<string, string> | undefined> {
  const live = await readLiveTags(moto, [{ region: REGION, credentials: await credentialsFor(moto, MANAGEMENT_ACCOUNT) }], ['lambda:function']);
  return live.get(lambdaArn);
}

function cli(argv: string[]) {
  return runCli(argv, { env: moto.env, cwd: dir });
}

beforeAll(async () => {
  moto = await startMoto('fix-autoscaling');
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-fix-autoscaling-'));
  writeFileSync(join(dir, 'dictionary.yaml'), DICTIONARY);
  autoscaling = new AutoScalingClient({ endpoint: moto.endpoint, region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await autoscaling.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'gpu-lc', ImageId: 'ami-12c6146b', InstanceType: 't2.micro' }));
  for (const [name, tags] of Object.entries(SEED)) {
    await autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        LaunchConfigurationName: 'gpu-lc',
        MinSize: 0,
        MaxSize: 1,
        AvailabilityZones: [`${REGION}a`],
        Tags: Object.entries(tags).map(([Key, t]) => ({ Key, Value: t.value, PropagateAtLaunch: t.propagate })),
      }),
    );
  }
  for (const g of (await autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? []) arnOf.set(g.AutoScalingGroupName!, g.AutoScalingGroupARN!);
  // A Lambda function in the same run: the Tagging API path is unchanged beside the Auto Scaling one.
  const s = await Seeder.forAccount(moto, MANAGEMENT_ACCOUNT, REGION);
  try {
    lambdaArn = await s.lambda('scorer', { env: 'prod', [APP]: 'app-1234', [OWNER]: 'ml-platform' });
  } finally {
    s.close();
  }
});

afterAll(async () => {
  autoscaling?.destroy();
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('fix and undo of Auto Scaling groups against moto', () => {
  it('renames and normalises group tags through Auto Scaling, keeps PropagateAtLaunch as documented, and undo restores them', async () => {
    expect(await groupTags()).toEqual(SEED);
    const scope = ['-d', 'dictionary.yaml', '--regions', REGION, '--sources', 'tagging-api'];

    const dry = await cli(['fix', ...scope, '--plan-out', 'plan.json']);
    expect(dry.stderr).not.toMatch(/error/i);
    expect(dry.code).toBe(1);
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { resources: { arn: string }[]; skipped: unknown[] };
    expect(plan.resources.map((r) => r.arn).sort()).toEqual([arnOf.get('gpu-inference'), arnOf.get('gpu-training'), lambdaArn].sort());
    expect(plan.skipped).toEqual([]);

    const applied = await cli(['fix', ...scope, '--apply', '--yes', '--journal', 'fix.jsonl']);
    expect(applied.stdout).toContain('Applied: 3 resources: 3 written');
    expect(applied.stdout).toContain('Verified: 3 of 3 resources re-read at the planned tags; 0 findings remain on them');
    expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: expect.any(String) });

    const after = await groupTags();
    // The renamed key takes the old key's PropagateAtLaunch (false). The other keys keep theirs.
    expect(after['gpu-training']).toEqual({
      [ENV]: { value: 'production', propagate: false },
      [APP]: { value: 'app-1234', propagate: true },
      [OWNER]: { value: 'ml-platform', propagate: false },
    });
    expect(after['gpu-inference']).toEqual({ ...SEED['gpu-inference'], [ENV]: { value: 'production', propagate: false } });
    expect(after['clean-workers']).toEqual(SEED['clean-workers']);
    expect(await lambdaTags()).toEqual({ [ENV]: 'production', [APP]: 'app-1234', [OWNER]: 'ml-platform' });

    const journal = readFileSync(join(dir, 'fix.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: string; api?: string; arns?: string[] });
    const apis = journal.filter((r) => r.t === 'call').map((r) => [r.api, r.arns]);
    expect(apis).toEqual(
      expect.arrayContaining([
        ['autoscaling:CreateOrUpdateTags', [arnOf.get('gpu-training')]],
        ['autoscaling:CreateOrUpdateTags', [arnOf.get('gpu-inference')]],
        ['autoscaling:DeleteTags', [arnOf.get('gpu-training')]],
        ['TagResources', [lambdaArn]],
        ['UntagResources', [lambdaArn]],
      ]),
    );
    expect(apis).toHaveLength(5);

    const rescan = await cli(['scan', ...scope, '--format', 'json', '--fail-on', 'none']);
    expect(rescan.code).toBe(0);
    expect((JSON.parse(rescan.stdout) as { findings: { fix?: unknown }[] }).findings.filter((f) => f.fix)).toEqual([]);

    const undone = await cli(['undo', '--journal', 'fix.jsonl', '--apply', '--yes', '--undo-journal', 'undo.jsonl']);
    expect(undone.stdout).toContain('Undo: 3 resources: 3 written');
    expect(undone.code).toBe(0);
    const restored = await groupTags();
    // Undo renames back: keys, values and PropagateAtLaunch are back exactly.
    expect(restored['gpu-training']).toEqual(SEED['gpu-training']);
    expect(restored['gpu-inference']).toEqual(SEED['gpu-inference']);
    expect(restored['clean-workers']).toEqual(SEED['clean-workers']);
    expect(await lambdaTags()).toEqual({ env: 'prod', [APP]: 'app-1234', [OWNER]: 'ml-platform' });
    const undoApis = readFileSync(join(dir, 'undo.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: string; api?: string })
      .filter((r) => r.t === 'call')
      .map((r) => r.api);
    expect(undoApis.filter((a) => a?.startsWith('autoscaling:')).sort()).toEqual([
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:DeleteTags',
    ]);
  });
});
