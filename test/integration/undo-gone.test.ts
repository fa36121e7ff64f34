import { AutoScalingClient, DeleteAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dictionaryYaml, ENV, environmentTag } from '../support/dictionary-yaml.js';
import { readEstateTags, readGroupTags } from '../support/live-tags.js';
import { useMotoWorkspace } from '../support/moto-workspace.js';
import { clientConfig, MANAGEMENT_ACCOUNT, propagated, Seeder } from '../support/seed.js';

/*
 * `undo --apply` against moto after one of the fixed resources was deleted: an Auto Scaling group, which Auto Scaling
 * itself then no longer returns (positive evidence it is gone). It is reported as gone and skipped; the rest is
 * restored; exit 0. No lock file is left behind.
 */

const REGION = 'us-east-1';

const ws = useMotoWorkspace('undo-gone', dictionaryYaml('undo-gone', [environmentTag()]));
let autoscaling: AutoScalingClient;
let lambdaArn: string;
const arnOf = new Map<string, string>();

/** Every group's tag values, read with Auto Scaling's own API (not with tagaudit). */
async function groupTags(): Promise<Record<string, Record<string, string>>> {
  const groups = await readGroupTags(ws.moto, REGION);
  return Object.fromEntries(Object.entries(groups).map(([name, tags]) => [name, Object.fromEntries(Object.entries(tags).map(([k, t]) => [k, t.value]))]));
}

beforeAll(async () => {
  autoscaling = new AutoScalingClient(clientConfig(ws.moto, REGION));
  await Seeder.using(ws.moto, MANAGEMENT_ACCOUNT, REGION, async (s) => {
    for (const name of ['kept-workers', 'short-lived-workers']) arnOf.set(name, await s.autoScalingGroup(name, propagated({ env: 'prod' })));
    lambdaArn = await s.lambda('scorer', { env: 'prod' });
  });
});

afterAll(() => {
  autoscaling?.destroy();
});

describe('undo after a fixed resource was deleted (moto)', () => {
  it('reports the deleted group as gone, restores the rest, exits 0, and leaves no lock', async () => {
    const scope = ['-d', 'dictionary.yaml', '--regions', REGION, '--sources', 'tagging-api'];
    const applied = await ws.cli(['fix', ...scope, '--apply', '--yes', '--journal', 'fix.jsonl']);
    expect(applied.stdout).toContain('Applied: 3 resources: 3 written');
    expect(applied.code).toBe(0);
    expect(await groupTags()).toEqual({ 'kept-workers': { [ENV]: 'production' }, 'short-lived-workers': { [ENV]: 'production' } });

    await autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'short-lived-workers', ForceDelete: true }));
    expect(Object.keys(await groupTags())).toEqual(['kept-workers']);

    const undone = await ws.cli(['undo', '--journal', 'fix.jsonl', '--apply', '--yes', '--undo-journal', 'undo.jsonl']);
    expect(undone.stdout).toContain(
      `Gone (deleted since the fix):\n  ${arnOf.get('short-lived-workers')}  *: gone: nothing to restore (deleted since the fix; Auto Scaling does not return the group)\n`,
    );
    expect(undone.stdout).toContain('Undo: 2 resources: 2 written');
    expect({ code: undone.code, stderr: undone.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(await groupTags()).toEqual({ 'kept-workers': { env: 'prod' } });
    const live = await readEstateTags(ws.moto, [MANAGEMENT_ACCOUNT], [REGION], ['lambda:function']);
    expect(live.get(lambdaArn)).toEqual({ env: 'prod' });
    expect(ws.read('undo.jsonl')).not.toContain(arnOf.get('short-lived-workers')!);
    expect([ws.exists('fix.jsonl.lock'), ws.exists('undo.jsonl.lock')]).toEqual([false, false]);
  });
});
