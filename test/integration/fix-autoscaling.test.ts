import { beforeAll, describe, expect, it } from 'vitest';
import { APP, applicationTag, dictionaryYaml, ENV, environmentTag, OWNER, ownerTag } from '../support/dictionary-yaml.js';
import { journalCallLines } from '../support/journal-lines.js';
import { readEstateTags, readGroupTags } from '../support/live-tags.js';
import { useMotoWorkspace } from '../support/moto-workspace.js';
import { MANAGEMENT_ACCOUNT, Seeder, type GroupTags } from '../support/seed.js';

/*
 * `fix --apply` and `undo --apply` on Auto Scaling groups against moto, end to end from a live scan: moto's
 * GetResources never returns groups, so every read and write here goes through Auto Scaling's own API.
 */

const REGION = 'us-east-1';

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

const ws = useMotoWorkspace('fix-autoscaling', dictionaryYaml('fix-autoscaling', [environmentTag(), applicationTag(), ownerTag()]));
let lambdaArn: string;
const arnOf = new Map<string, string>();

const groupTags = (): Promise<Record<string, GroupTags>> => readGroupTags(ws.moto, REGION, Object.keys(SEED));

async function lambdaTags(): Promise<Record<string, string> | undefined> {
  return (await readEstateTags(ws.moto, [MANAGEMENT_ACCOUNT], [REGION], ['lambda:function'])).get(lambdaArn);
}

beforeAll(async () => {
  await Seeder.using(ws.moto, MANAGEMENT_ACCOUNT, REGION, async (s) => {
    for (const [name, tags] of Object.entries(SEED)) arnOf.set(name, await s.autoScalingGroup(name, tags));
    // A Lambda function in the same run: the Tagging API path is unchanged beside the Auto Scaling one.
    lambdaArn = await s.lambda('scorer', { env: 'prod', [APP]: 'app-1234', [OWNER]: 'ml-platform' });
  });
});

describe('fix and undo of Auto Scaling groups against moto', () => {
  it('renames and normalises group tags through Auto Scaling, keeps PropagateAtLaunch as documented, and undo restores them', async () => {
    expect(await groupTags()).toEqual(SEED);
    const scope = ['-d', 'dictionary.yaml', '--regions', REGION, '--sources', 'tagging-api'];

    const dry = await ws.cli(['fix', ...scope, '--plan-out', 'plan.json']);
    expect(dry.stderr).not.toMatch(/error/i);
    expect(dry.code).toBe(1);
    const plan = JSON.parse(ws.read('plan.json')) as { resources: { arn: string }[]; skipped: unknown[] };
    expect(plan.resources.map((r) => r.arn).sort()).toEqual([arnOf.get('gpu-inference'), arnOf.get('gpu-training'), lambdaArn].sort());
    expect(plan.skipped).toEqual([]);

    const applied = await ws.cli(['fix', ...scope, '--apply', '--yes', '--journal', 'fix.jsonl']);
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

    const apis = journalCallLines(ws.path('fix.jsonl')).map((r) => [r.api, r.arns]);
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

    const rescan = await ws.cli(['scan', ...scope, '--format', 'json', '--fail-on', 'none']);
    expect(rescan.code).toBe(0);
    expect((JSON.parse(rescan.stdout) as { findings: { fix?: unknown }[] }).findings.filter((f) => f.fix)).toEqual([]);

    const undone = await ws.cli(['undo', '--journal', 'fix.jsonl', '--apply', '--yes', '--undo-journal', 'undo.jsonl']);
    expect(undone.stdout).toContain('Undo: 3 resources: 3 written');
    expect(undone.code).toBe(0);
    const restored = await groupTags();
    // Undo renames back: keys, values and PropagateAtLaunch are back exactly.
    expect(restored['gpu-training']).toEqual(SEED['gpu-training']);
    expect(restored['gpu-inference']).toEqual(SEED['gpu-inference']);
    expect(restored['clean-workers']).toEqual(SEED['clean-workers']);
    expect(await lambdaTags()).toEqual({ env: 'prod', [APP]: 'app-1234', [OWNER]: 'ml-platform' });
    const undoApis = journalCallLines(ws.path('undo.jsonl')).map((r) => r.api);
    expect(undoApis.filter((a) => a?.startsWith('autoscaling:')).sort()).toEqual([
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:DeleteTags',
    ]);
  });
});
