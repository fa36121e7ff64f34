import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../../src/fix/render-plan.js';
import { COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { undoDryRun } from './fixed-journal.js';
import { lambda, planFromAudit } from './helpers.js';
import { MemoryCloud } from './memory-cloud.js';
import { applyWithJournal, tempDir } from './run.js';

const ENV = 'anycompany:workload:environment';
const RESOURCES = [
  lambda('renamed-normalised', tagsWith({ [ENV]: undefined, env: 'prod' })),
  lambda('renamed', tagsWith({ [ENV]: undefined, env: 'production' })),
  lambda('renamed-too', tagsWith({ [ENV]: undefined, env: 'production' })),
  lambda('normalised', tagsWith({ [ENV]: 'Production' })),
  lambda('pii', { ...COMPLIANT_TAGS, owner_email: 'jane.doe@example.com' }),
];

async function fixed() {
  const cloud = new MemoryCloud(Object.fromEntries(RESOURCES.map((r) => [r.arn, { ...r.tags }])));
  const dir = tempDir();
  const journal = join(dir, 'fix.jsonl');
  const plan = planFromAudit(anycompanyPolicy(), RESOURCES, { fixPii: 'remove' });
  await applyWithJournal(plan, cloud, journal);
  return { f: { dir, journal, vault: `${journal}.pii-vault.jsonl`, cloud }, plan };
}

// The fix counts a rename as one edit, of its kind (rename-key+normalize-value when it also changed the value). Its
// undo takes two edits to reverse one (the old key back, the new key removed), but says it undoes what the fix did.
describe("undo's summary counts and names edits as the fix's did", () => {
  it('a rename undone is one edit of the kind the fix gave it', async () => {
    const { f, plan } = await fixed();
    const fix = renderPlan(plan).split('\n').find((l) => l.startsWith('Plan:'));
    expect(fix).toContain('5 edits (normalize-value 1, pii-remove 1, rename-key 2, rename-key+normalize-value 1)');

    const r = await undoDryRun(f);
    expect(r.stdout).toContain(
      'Undo plan (dry run; nothing written — add --apply): 5 resources to change, 5 edits (undoing normalize-value 1, pii-remove 1, rename-key 2, rename-key+normalize-value 1); 0 conflicts; 0 skipped',
    );
  });

  it('a rename half undone already (its old key put back by someone) is still one', async () => {
    const { f } = await fixed();
    const arn = RESOURCES[1]!.arn;
    f.cloud.tags.set(arn, { ...f.cloud.tags.get(arn)!, env: 'production' });
    const r = await undoDryRun(f);
    expect(r.stdout).toContain('5 resources to change, 5 edits (undoing normalize-value 1, pii-remove 1, rename-key 2, rename-key+normalize-value 1)');
  });

  it('the plan itself still holds one edit per key (what is written)', async () => {
    const { f } = await fixed();
    const r = await undoDryRun(f);
    const restores = r.stdout.split('\n').filter((l) => /^ {2}undo /.test(l));
    expect(restores).toHaveLength(8);
  });
});
