import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

// A plan must not read "0 skipped" while the scan says fixes were withheld: a mandatory key left out for lack of tag
// room, and two keys meaning one (never fixed automatically), are listed under Skipped with their reasons.

const DICT = resolve(import.meta.dirname, '../../../dictionaries/anycompany.yaml');
const dir = mkdtempSync(join(tmpdir(), 'tagaudit-withheld-'));
const crowded: Record<string, string> = { env: 'prod', 'anycompany:workload:application-id': 'app-1234', 'anycompany:finance:owner': 'ml-platform' };
for (let i = 0; i < 46; i++) crowded[`extra-${i}`] = 'x';
const lines = [
  { arn: 'arn:aws:lambda:us-east-1:111122223333:function:crowded', tags: crowded },
  { arn: 'arn:aws:lambda:us-east-1:111122223333:function:conf', tags: { env: 'dev', 'anycompany:workload:environment': 'staging', 'anycompany:workload:application-id': 'app-1234' } },
];
writeFileSync(join(dir, 'inv.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
const run = (args: string[]) => runCli([...args, '-d', DICT, '-i', 'inv.jsonl'], { cwd: dir });

describe('fixes the scan withheld, in the plan', () => {
  it('lists a missing key with no tag room (tag-limit) and conflicting keys (conflicting-keys) under Skipped', async () => {
    const r = await run(['fix']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'function:crowded  missing-tag "anycompany:security:data-classification": the resource carries 49 of 50 user tags and its other fixes take the room left',
    );
    expect(r.stdout).toMatch(/function:conf {2}conflicting-tag-keys "anycompany:workload:environment": tags "env" \("dev"\)/);
    expect(r.stdout).toContain('2 skipped (conflicting-keys 1, tag-limit 1)');
  });

  it('records them in the printed plan with their reasons', async () => {
    const plan = JSON.parse((await run(['fix', '--format', 'json'])).stdout);
    const reasons = plan.skipped.map((s: { arn: string; reason: string }) => `${s.arn.split(':').pop()} ${s.reason}`).sort();
    expect(reasons).toEqual(['conf conflicting-keys', 'crowded tag-limit']);
  });

  it('keeps the scan report as it was: no new field on findings', async () => {
    const report = (await run(['scan', '--format', 'json', '--fail-on', 'none'])).stdout;
    expect(report).not.toContain('withheld');
    expect(report).toContain('no fix proposed: the resource carries 49 of 50 user tags');
  });
});
