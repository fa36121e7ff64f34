import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/inventory/resource.js';
import { COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { lambda, planFromAudit } from './helpers.js';
import { MemoryCloud } from './memory-cloud.js';
import { applyWithJournal, tempDir, undoWithJournal } from './run.js';

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';
const BACKUP = 'anycompany:operations:backup';
const EMAIL = 'jane.doe@example.com';

function estate(): Resource[] {
  return [
    lambda('rename', tagsWith({ [ENV]: undefined, env: 'prod' })),
    lambda('normalize', { ...tagsWith({ [ENV]: 'Prod' }), [BACKUP]: 'nightly' }),
    lambda('add', tagsWith({ [ENV]: undefined })),
    lambda('pii', { ...COMPLIANT_TAGS, owner_email: EMAIL }),
    lambda('clean', COMPLIANT_TAGS),
  ];
}

async function fixed(resources: Resource[]) {
  const cloud = new MemoryCloud(Object.fromEntries(resources.map((r) => [r.arn, { ...r.tags }])));
  const original = cloud.snapshot();
  const dir = tempDir();
  const journal = join(dir, 'fix.jsonl');
  const plan = planFromAudit(policy, resources, { fixPii: 'remove' });
  await applyWithJournal(plan, cloud, journal);
  return { cloud, original, dir, journal };
}

describe('undo', () => {
  it('restores every resource exactly as it was (including a removed PII tag, from the vault)', async () => {
    const { cloud, original, dir, journal } = await fixed(estate());
    expect(cloud.snapshot()).not.toEqual(original);
    const { prepared, result } = await undoWithJournal(journal, cloud, join(dir, 'undo.jsonl'));
    expect(prepared.leftAlone).toEqual([]);
    expect(result.outcomes.every((o) => o.status === 'fixed')).toBe(true);
    expect(cloud.snapshot()).toEqual(original);
    expect(JSON.stringify(prepared.plan)).not.toContain(EMAIL);
  });

  it('restores before it removes (a rename is undone as add-old then remove-new)', async () => {
    const { cloud, dir, journal } = await fixed([lambda('rename', tagsWith({ [ENV]: undefined, env: 'prod' }))]);
    const before = cloud.writes().length;
    await undoWithJournal(journal, cloud, join(dir, 'undo.jsonl'));
    expect(cloud.writes().slice(before).map((c) => [c.api, c.tags ?? c.keys])).toEqual([
      ['TagResources', { env: 'prod' }],
      ['UntagResources', [ENV]],
    ]);
  });

  it('leaves alone a key someone changed after the fix, restores the rest, and reports it', async () => {
    const resources = estate();
    const { cloud, original, dir, journal } = await fixed(resources);
    const normalize = resources[1]!.arn;
    cloud.tags.get(normalize)![ENV] = 'staging';
    const { prepared } = await undoWithJournal(journal, cloud, join(dir, 'undo.jsonl'));
    expect(prepared.leftAlone).toEqual([{ arn: normalize, key: ENV, reason: expect.stringContaining('changed by someone else') }]);
    expect(cloud.tags.get(normalize)).toEqual({ ...original[normalize], [ENV]: 'staging' });
    for (const r of resources) if (r.arn !== normalize) expect(cloud.tags.get(r.arn)).toEqual(original[r.arn]);
  });

  it('is idempotent: a second undo finds nothing to do', async () => {
    const { cloud, original, dir, journal } = await fixed(estate());
    await undoWithJournal(journal, cloud, join(dir, 'undo1.jsonl'));
    const { prepared } = await undoWithJournal(journal, cloud, join(dir, 'undo2.jsonl'));
    expect(prepared.plan.resources).toEqual([]);
    expect(prepared.alreadyOriginal).toBe(4);
    expect(cloud.snapshot()).toEqual(original);
  });

  it('without the PII vault, restores everything else and reports the PII tag it cannot restore', async () => {
    const { cloud, original, dir, journal } = await fixed(estate());
    rmSync(`${journal}.pii-vault.jsonl`);
    const { prepared } = await undoWithJournal(journal, cloud, join(dir, 'undo.jsonl'));
    expect(prepared.vaultFound).toBe(false);
    expect(prepared.unrestorable).toEqual([{ arn: estate()[3]!.arn, key: 'owner_email', reason: expect.stringContaining('vault') }]);
    const pii = estate()[3]!.arn;
    for (const arn of Object.keys(original)) if (arn !== pii) expect(cloud.tags.get(arn)).toEqual(original[arn]);
  });

  it('an undo can itself be undone (back to the fixed state)', async () => {
    const { cloud, dir, journal } = await fixed(estate());
    const fixedState = cloud.snapshot();
    await undoWithJournal(journal, cloud, join(dir, 'undo.jsonl'));
    await undoWithJournal(join(dir, 'undo.jsonl'), cloud, join(dir, 'redo.jsonl'));
    expect(cloud.snapshot()).toEqual(fixedState);
  });
});
