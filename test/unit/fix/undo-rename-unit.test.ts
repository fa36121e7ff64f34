import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/fix/apply.js';
import type { TagBackend } from '../../../src/fix/backend.js';
import { tagDigest } from '../../../src/fix/digest.js';
import { policyResourceMasker } from '../../../src/fix/mask.js';
import type { FixPlan } from '../../../src/fix/plan.js';
import { beginJournal } from '../../../src/fix/session.js';
import { planUndo } from '../../../src/fix/undo.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { deps, noClients, undoOptions } from './command-fixture.js';
import { DEV, lambda, planFromAudit, resource } from './helpers.js';
import { FakeIam } from './iam-fake.js';
import { MemoryCloud } from './memory-cloud.js';
import { applyWithJournal, tempDir, undoWithJournal } from './run.js';

/*
 * A rename is undone as a unit. Its new key changed by someone since the fix: neither key is touched — putting the old
 * key back beside it would bring a stale value back under a second key (two cost keys, a conflicting-keys finding) —
 * and the old value, kept in the journal, is shown in the report. On IAM users and roles, whose tag keys ignore case,
 * the old spelling of a case-only rename is the same tag as the new one: TagRole with it would overwrite the owner's
 * value.
 */

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';
const OLD_ENV = 'Anycompany:Workload:Environment';
const ROLE = `arn:aws:iam::${DEV}:role/service/ml-training`;
const NOW = new Date('2024-06-01T12:00:00Z');

async function fixIam(iam: FakeIam, plan: FixPlan): Promise<{ dir: string; journal: string }> {
  const dir = tempDir();
  const journal = join(dir, 'fix.jsonl');
  const session = beginJournal({ path: journal, kind: 'fix', plan, now: NOW, tool: 'tagaudit test' });
  try {
    const result = await applyPlan({ plan, backend: iam.backend(), journal: session.journal, vault: session.vault, secrets: session.secrets, sleep: async () => undefined });
    expect(result.outcomes.map((o) => o.status)).toEqual(['fixed']);
  } finally {
    await session.journal.close();
    await session.vault.close();
  }
  return { dir, journal };
}

/** A role whose environment key differs from the dictionary's only in case, fixed (renamed to the canonical spelling). */
async function caseRenamedRole(): Promise<{ iam: FakeIam; dir: string; journal: string; backend: TagBackend }> {
  const iam = new FakeIam();
  const tags = tagsWith({ [ENV]: undefined, [OLD_ENV]: 'production' });
  iam.add('role', 'ml-training', tags);
  const plan = planFromAudit(policy, [resource(ROLE, tags)]);
  expect(plan.resources[0]?.edits).toEqual([expect.objectContaining({ op: 'rename', from: OLD_ENV, to: ENV })]);
  const f = await fixIam(iam, plan);
  expect(iam.tags('role', 'ml-training')).toEqual(tagsWith({}));
  iam.client.sent.length = 0;
  return { iam, ...f, backend: iam.backend() };
}

describe('undo of a case-only rename on an IAM role (keys ignore case)', () => {
  it('unchanged since the fix: the old spelling comes back (removed first, then written)', async () => {
    const r = await caseRenamedRole();
    expect(await runUndo(undoOptions(r.journal), deps(r.dir), { clients: noClients, backend: r.backend })).toBe(0);
    expect(r.iam.tags('role', 'ml-training')).toEqual(tagsWith({ [ENV]: undefined, [OLD_ENV]: 'production' }));
  });

  it('its new spelling changed by the owner since: nothing is sent, both spellings reported, the value from before shown', async () => {
    const r = await caseRenamedRole();
    r.iam.set('role', 'ml-training', ENV, 'staging');
    const owners = r.iam.tags('role', 'ml-training');
    for (const apply of [false, true]) {
      const d = deps(r.dir);
      expect(await runUndo(undoOptions(r.journal, { apply, yes: apply }), d, { clients: noClients, backend: r.backend })).toBe(1);
      expect(d.out.text()).toContain('Left alone (changed by someone else since the fix, or kept so that no value is lost):\n');
      expect(d.out.text()).toContain(
        `  ${ROLE}  ${OLD_ENV}: renamed to ${ENV}, which was changed since the fix; the old key is not put back — its value from before the fix was "production"\n`,
      );
      expect(d.out.text()).toContain(`  ${ROLE}  ${ENV}: changed by someone else since the fix; left as it is\n`);
      expect(d.out.text()).not.toContain('→');
    }
    expect(r.iam.writes()).toEqual([]);
    expect(r.iam.tags('role', 'ml-training')).toEqual(owners);
  });

  it('its old spelling set again by the owner to another value: nothing is sent', async () => {
    const r = await caseRenamedRole();
    // IAM holds one tag per key without case: the owner's TagRole with the old spelling replaced the new one.
    r.iam.set('role', 'ml-training', OLD_ENV, 'staging');
    expect(await runUndo(undoOptions(r.journal), deps(r.dir), { clients: noClients, backend: r.backend })).toBe(1);
    expect(r.iam.writes()).toEqual([]);
    expect(r.iam.tags('role', 'ml-training')).toEqual(tagsWith({ [ENV]: undefined, [OLD_ENV]: 'staging' }));
  });

  it('the tag removed by the owner since: the old spelling comes back alone (no value is lost)', async () => {
    const r = await caseRenamedRole();
    r.iam.principals.get('role/ml-training')!.delete(ENV.toLowerCase());
    expect(await runUndo(undoOptions(r.journal), deps(r.dir), { clients: noClients, backend: r.backend })).toBe(0);
    expect(r.iam.tags('role', 'ml-training')).toEqual(tagsWith({ [ENV]: undefined, [OLD_ENV]: 'production' }));
  });
});

describe('undo on an IAM role of a key another spelling of which was written since', () => {
  it('a rename to another key: the old key is not written over the other spelling, and the new key is kept', async () => {
    const iam = new FakeIam();
    const tags = tagsWith({ [ENV]: undefined, env: 'prod' });
    iam.add('role', 'ml-training', tags);
    const plan = planFromAudit(policy, [resource(ROLE, tags)]);
    expect(plan.resources[0]?.edits).toEqual([expect.objectContaining({ op: 'rename', from: 'env', to: ENV })]);
    const f = await fixIam(iam, plan);
    iam.set('role', 'ml-training', 'ENV', 'qa');
    iam.client.sent.length = 0;
    const d = deps(f.dir);
    expect(await runUndo(undoOptions(f.journal), d, { clients: noClients, backend: iam.backend() })).toBe(1);
    expect(iam.writes()).toEqual([]);
    expect(iam.tags('role', 'ml-training')).toEqual(tagsWith({ ENV: 'qa' }));
    expect(d.out.text()).toContain(`  ${ROLE}  env: changed by someone else since the fix: it is now spelled ENV, and this resource's tag keys ignore case; left as it is\n`);
    expect(d.out.text()).toContain(`  ${ROLE}  ${ENV}: kept: renamed from env, which is not restored (removing it would lose the value)\n`);
  });

  it('elsewhere (a Lambda function: keys are case-sensitive) another spelling is another key, and the undo goes on', async () => {
    const r = lambda('cs', tagsWith({ [ENV]: undefined, env: 'prod' }));
    const cloud = new MemoryCloud({ [r.arn]: { ...r.tags } });
    const dir = tempDir();
    await applyWithJournal(planFromAudit(policy, [r]), cloud, join(dir, 'fix.jsonl'));
    cloud.tags.get(r.arn)!.ENV = 'qa';
    await undoWithJournal(join(dir, 'fix.jsonl'), cloud, join(dir, 'undo.jsonl'));
    expect(cloud.tags.get(r.arn)).toEqual({ ...r.tags, ENV: 'qa' });
  });
});

describe('undo of a rename whose new key was changed by hand since the fix', () => {
  const R = lambda('feature-refresh', tagsWith({ [ENV]: undefined, env: 'prod' }));

  async function renamed(): Promise<{ cloud: MemoryCloud; dir: string; journal: string }> {
    const cloud = new MemoryCloud({ [R.arn]: { ...R.tags } });
    const dir = tempDir();
    const journal = join(dir, 'fix.jsonl');
    await applyWithJournal(planFromAudit(policy, [R]), cloud, journal);
    expect(cloud.tags.get(R.arn)).toEqual(tagsWith({ [ENV]: 'production' }));
    cloud.calls.length = 0;
    return { cloud, dir, journal };
  }

  it('touches neither key, and reports the old key with its value from before the fix', async () => {
    const { cloud, dir, journal } = await renamed();
    cloud.tags.get(R.arn)![ENV] = 'staging';
    const owners = cloud.snapshot();
    const { prepared } = await undoWithJournal(journal, cloud, join(dir, 'undo.jsonl'));
    expect(prepared.plan.resources).toEqual([]);
    expect(prepared.leftAlone).toEqual([
      { arn: R.arn, key: ENV, reason: 'changed by someone else since the fix; left as it is' },
      { arn: R.arn, key: 'env', reason: `renamed to ${ENV}, which was changed since the fix; the old key is not put back — its value from before the fix was "prod"` },
    ]);
    expect(cloud.writes()).toEqual([]);
    expect(cloud.snapshot()).toEqual(owners);
  });

  it('the command exits 1, and nothing is written', async () => {
    const { cloud, dir, journal } = await renamed();
    cloud.tags.get(R.arn)![ENV] = 'staging';
    const d = deps(dir);
    expect(await runUndo(undoOptions(journal), d, { clients: noClients, backend: cloud.backend() })).toBe(1);
    expect(d.out.text()).toContain(`  ${R.arn}  env: renamed to ${ENV}, which was changed since the fix; the old key is not put back`);
    expect(cloud.writes()).toEqual([]);
    expect(cloud.tags.get(R.arn)!.env).toBeUndefined();
  });

  it('the new key removed since: the old key comes back (nothing is lost, nothing conflicts)', async () => {
    const { cloud, dir, journal } = await renamed();
    delete cloud.tags.get(R.arn)![ENV];
    const { prepared } = await undoWithJournal(journal, cloud, join(dir, 'undo.jsonl'));
    expect(prepared.leftAlone).toEqual([]);
    expect(cloud.tags.get(R.arn)).toEqual(R.tags);
  });

  it('only the rename whose new key changed is held; another rename on the resource is undone', async () => {
    const OWNER = 'anycompany:finance:owner';
    const r = lambda('two', tagsWith({ [ENV]: undefined, [OWNER]: undefined, env: 'prod', Owner: 'ml-platform' }));
    const cloud = new MemoryCloud({ [r.arn]: { ...r.tags } });
    const dir = tempDir();
    const journal = join(dir, 'fix.jsonl');
    await applyWithJournal(planFromAudit(policy, [r]), cloud, journal);
    cloud.tags.get(r.arn)![ENV] = 'staging';
    await undoWithJournal(journal, cloud, join(dir, 'undo.jsonl'));
    // Owner is back (its rename undone); env is not put back beside the owner's staging.
    expect(cloud.tags.get(r.arn)).toEqual(withoutEnv(r.tags, { [ENV]: 'staging' }));
  });

  it('a value from before the fix that is PII is shown masked in the reason', () => {
    const arn = 'arn:aws:lambda:us-east-1:111122223333:function:p';
    const email = 'jane.doe@example.com';
    const masked = 'j***@e*****e.com';
    const before = { key: 'contact', value: masked, digest: tagDigest('contact', email) };
    const after = { key: 'anycompany:finance:owner', value: masked, digest: tagDigest('anycompany:finance:owner', email) };
    const secrets = new Map([
      [`${before.digest.keySha256}:${before.digest.valueSha256}`, { key: 'contact', value: email }],
      [`${after.digest.keySha256}:${after.digest.valueSha256}`, { key: 'anycompany:finance:owner', value: email }],
    ]);
    const target = {
      arn,
      accountId: DEV,
      region: 'us-east-1',
      resourceType: 'lambda:function',
      before: [before],
      changes: [
        { type: 'rename-key' as const, before: null, after },
        { type: 'rename-key' as const, before, after: null },
      ],
    };
    const live = new Map([[arn, { 'anycompany:finance:owner': 'ml-platform' }]]);
    const undo = planUndo([target], live, secrets, policyResourceMasker(policy), { createdAt: NOW.toISOString(), toolVersion: 't', dictionary: { path: '', sha256: '' } });
    expect(undo.plan.resources).toEqual([]);
    expect(undo.leftAlone.map((n) => n.reason)).toEqual([
      'changed by someone else since the fix; left as it is',
      `renamed to anycompany:finance:owner, which was changed since the fix; the old key is not put back — its value from before the fix was "${masked}"`,
    ]);
    expect(JSON.stringify(undo)).not.toContain(email);
  });
});

function withoutEnv(tags: Record<string, string>, extra: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...tags, ...extra };
  delete out.env;
  return out;
}
