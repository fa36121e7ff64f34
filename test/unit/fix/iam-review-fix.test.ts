import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsTagBackend } from '../../../src/fix/aws-backend.js';
import { verifyApplied } from '../../../src/fix/verify.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { classify } from '../../../src/fix/effects.js';
import type { FixPlan } from '../../../src/fix/plan.js';
import { beginJournal } from '../../../src/fix/session.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { FakeIam } from './iam-fake.js';
import { DEV, planFromAudit, resource } from './helpers.js';
import { applyInSession, callOutcomes, fixInSession as fix, prepareUndoOf, resumeInSession as resume, type CallOutcome } from './journaled-apply.js';
import { tempDir } from './run.js';

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';
const OLD = 'Anycompany:Workload:Environment';
const NOW = new Date('2024-06-01T12:00:00Z');
const USER = `arn:aws:iam::${DEV}:user/division/alice`;
const ROLE = `arn:aws:iam::${DEV}:role/service/ml-training`;

const denied = (): Error => Object.assign(new Error('User: x is not authorized to perform: iam:TagUser'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });

/** Each write call of a journal: API, keys or tags (display form) and whether it succeeded (no result: false). */
const callsOf = (path: string): CallOutcome[] => callOutcomes(path).map((c) => ({ ...c, ok: c.ok === true }));

function caseOnlyRename(): { iam: FakeIam; tags: Record<string, string>; plan: FixPlan } {
  const iam = new FakeIam();
  const tags = tagsWith({ [ENV]: undefined, [OLD]: 'production' });
  iam.add('user', 'alice', tags);
  const plan = planFromAudit(policy, [resource(USER, tags)]);
  expect(plan.resources[0]?.edits).toEqual([expect.objectContaining({ op: 'rename', from: OLD, to: ENV })]);
  return { iam, tags, plan };
}

describe('a case-only rename of an IAM tag that fails half-way', () => {
  it('is put back by the undo the failure asks for', async () => {
    const { iam, tags, plan } = caseOnlyRename();
    iam.fail = (s) => (s.name === 'TagUserCommand' ? denied() : undefined);
    const dir = tempDir();
    const first = await fix(plan, iam.backend(), join(dir, 'fix.jsonl'));
    expect(first.outcomes[0]?.detail).toContain(`restore it with \`tagaudit undo --journal ${join(dir, 'fix.jsonl')} --apply\``);
    iam.fail = undefined;
    const prepared = await prepareUndoOf(join(dir, 'fix.jsonl'), iam.backend(), policy);
    const undone = await applyInSession(
      beginJournal({ path: join(dir, 'undo.jsonl'), kind: 'undo', plan: prepared.plan, now: NOW, tool: 'tagaudit test' }),
      iam.backend(),
      prepared.plan,
      prepared.secrets,
    );
    expect(undone.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(iam.tags('user', 'alice')).toEqual(tags);
  });

  it('journals the removal of the old spelling as its own call, and puts the old spelling back when the write fails', async () => {
    const { iam, tags, plan } = caseOnlyRename();
    let tagCalls = 0;
    iam.fail = (s) => (s.name === 'TagUserCommand' && tagCalls++ === 0 ? denied() : undefined);
    const path = join(tempDir(), 'fix.jsonl');

    const result = await fix(plan, iam.backend(), path);

    expect(iam.tags('user', 'alice')).toEqual(tags);
    expect(result.outcomes).toEqual([
      expect.objectContaining({ status: 'failed', detail: expect.stringMatching(/^AccessDenied: .*not authorized.*; the old spelling Anycompany:Workload:Environment, removed first, was put back$/) }),
    ]);
    expect(callsOf(path)).toEqual([
      { api: 'iam:UntagUser', keys: [OLD], ok: true },
      { api: 'iam:TagUser', tags: [{ key: ENV, value: 'production' }], ok: false },
      { api: 'iam:TagUser', tags: [{ key: OLD, value: 'production' }], ok: true },
    ]);
  });

  it('says to run undo when the old spelling cannot be put back either, and a --resume then finishes the rename', async () => {
    const { iam, plan } = caseOnlyRename();
    iam.fail = (s) => (s.name === 'TagUserCommand' ? denied() : undefined);
    const path = join(tempDir(), 'fix.jsonl');

    const first = await fix(plan, iam.backend(), path);
    expect(first.outcomes).toEqual([expect.objectContaining({ status: 'failed', detail: expect.stringContaining('could not be put back (AccessDenied') })]);
    expect(first.outcomes[0]?.detail).toContain(`the user is left without that tag (${OLD}); restore it with \`tagaudit undo --journal ${path} --apply\``);
    expect(iam.tags('user', 'alice')).toEqual(tagsWith({ [ENV]: undefined }));
    expect(callsOf(path).map((c) => [c.api, c.ok])).toEqual([
      ['iam:UntagUser', true],
      ['iam:TagUser', false],
      ['iam:TagUser', false],
    ]);

    // Old spelling gone, new one not yet written: the first half of the rename, not drift.
    iam.fail = undefined;
    iam.client.sent.length = 0;
    const resumed = await resume(plan, iam.backend(), path);
    expect(resumed.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(iam.tags('user', 'alice')).toEqual(tagsWith({ [ENV]: 'production' }));
    // Nothing is untagged again: an UntagUser of the old spelling would remove the new one.
    expect(iam.writes()).toEqual([{ name: 'TagUserCommand', input: { UserName: 'alice', Tags: [{ Key: ENV, Value: 'production' }] } }]);
  });

  it('retries a throttled write without removing the old spelling again', async () => {
    const { iam, plan } = caseOnlyRename();
    let throttled = 0;
    iam.fail = (s) => (s.name === 'TagUserCommand' && throttled++ < 2 ? Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }) : undefined);
    const path = join(tempDir(), 'fix.jsonl');
    const result = await fix(plan, iam.backend(), path);
    expect(result.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(iam.tags('user', 'alice')).toEqual(tagsWith({ [ENV]: 'production' }));
    expect(callsOf(path).map((c) => [c.api, c.ok])).toEqual([
      ['iam:UntagUser', true],
      ['iam:TagUser', false],
      ['iam:TagUser', false],
      ['iam:TagUser', true],
    ]);
  });

  it('classifies "old spelling gone, new not written" as pending only where keys ignore case', () => {
    const { tags, plan } = caseOnlyRename();
    const planned = plan.resources[0]!;
    const halfway = tagsWith({ [ENV]: undefined });
    delete halfway[OLD];
    expect(classify(planned, halfway, new Map())).toMatchObject({ state: 'pending', phase: 1, edits: { writes: { [ENV]: 'production' }, removeFirst: [OLD] } });
    // The same live state on a resource whose keys are case-sensitive is drift: nothing there removes first.
    const lambda = { ...planned, arn: `arn:aws:lambda:us-east-1:${DEV}:function:f`, resourceType: 'lambda:function' };
    expect(classify(lambda, halfway, new Map())).toMatchObject({ state: 'drifted' });
    expect(classify(planned, tags, new Map())).toMatchObject({ state: 'pending', phase: 1, edits: { removes: [OLD], removeFirst: [OLD] } });
    // Case-sensitive keys: the old spelling is an ordinary removal, after the write.
    expect(classify(lambda, tags, new Map())).toMatchObject({ state: 'pending', phase: 1, edits: { removes: [OLD], removeFirst: [] } });
  });
});

describe('removing IAM tags', () => {
  it('leaves the keys in place when one changed after the read (drifted: the removal is all or nothing)', async () => {
    const iam = new FakeIam();
    const tags = tagsWith({ [ENV]: undefined, env: 'prod' });
    iam.add('role', 'ml-training', tags);
    const plan = planFromAudit(policy, [resource(ROLE, tags)]);
    // Someone changes the old key (spelled in another case: IAM keys ignore it) between the write and the removal.
    iam.after = (s) => {
      if (s.name === 'TagRoleCommand') iam.set('role', 'ml-training', 'ENV', 'staging');
    };
    const result = await fix(plan, iam.backend(), join(tempDir(), 'fix.jsonl'));
    expect(result.outcomes).toEqual([expect.objectContaining({ status: 'drifted', detail: expect.stringContaining('changed by someone else since it was read') })]);
    expect(iam.tags('role', 'ml-training')).toMatchObject({ ENV: 'staging', [ENV]: 'production' });
    expect(iam.writes().map((s) => s.name)).toEqual(['TagRoleCommand']);
  });

  it('removes a key whose value is still the one read, re-reading just before', async () => {
    const iam = new FakeIam();
    const tags = tagsWith({ [ENV]: undefined, env: 'prod' });
    iam.add('role', 'ml-training', tags);
    const result = await fix(planFromAudit(policy, [resource(ROLE, tags)]), iam.backend(), join(tempDir(), 'fix.jsonl'));
    expect(result.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(iam.tags('role', 'ml-training')).toEqual(tagsWith({ [ENV]: 'production' }));
    const names = iam.client.sent.map((s) => s.name);
    expect(names.slice(names.indexOf('TagRoleCommand'))).toEqual(['TagRoleCommand', 'ListRoleTagsCommand', 'UntagRoleCommand']);
  });
});

describe('verifying IAM writes (eventually consistent)', () => {
  it('reads a principal not yet at the plan once more after a pause before calling it not-at-plan', async () => {
    const iam = new FakeIam();
    const tags = tagsWith({ [ENV]: 'Prod' });
    iam.add('role', 'ml-training', tags);
    const plan = planFromAudit(policy, [resource(ROLE, tags)]);
    const result = await fix(plan, iam.backend(), join(tempDir(), 'fix.jsonl'));
    expect(result.outcomes.map((o) => o.status)).toEqual(['fixed']);
    // The first read after the write comes from a replica that has not seen it yet.
    const stale = tagsWith({ [ENV]: 'Prod' });
    const real = iam.tags('role', 'ml-training')!;
    iam.add('role', 'ml-training', stale);
    const pauses: number[] = [];
    const verified = await verifyApplied({
      plan,
      outcomes: result.outcomes,
      backend: iam.backend(),
      secrets: new Map(),
      iamSettleMs: 1234,
      sleep: async (ms) => {
        pauses.push(ms);
        iam.add('role', 'ml-training', real);
      },
    });
    expect(pauses).toEqual([1234]);
    expect(verified.map((v) => v.state)).toEqual(['at-plan']);
  });

  it('still reports not-at-plan when the second read agrees with the first', async () => {
    const iam = new FakeIam();
    const tags = tagsWith({ [ENV]: 'Prod' });
    iam.add('role', 'ml-training', tags);
    const plan = planFromAudit(policy, [resource(ROLE, tags)]);
    const outcomes = [{ arn: ROLE, accountId: DEV, region: 'global', resourceType: 'iam:role', status: 'fixed' as const }];
    const pauses: number[] = [];
    const verified = await verifyApplied({ plan, outcomes, backend: iam.backend(), secrets: new Map(), sleep: async (ms) => void pauses.push(ms) });
    expect(pauses).toEqual([2000]);
    expect(verified.map((v) => v.state)).toEqual(['not-at-plan']);
  });
});

describe('the IAM client’s partition', () => {
  it('comes from the principal’s ARN, not from the configured region', async () => {
    const built: string[] = [];
    const factory = {
      callerIdentity: async () => ({ accountId: DEV, arn: `arn:aws-us-gov:iam::${DEV}:user/x`, partition: 'aws-us-gov' }),
      configuredRegion: async () => 'eu-west-1',
      credentialsFor: async () => async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }),
      iam: async (account: string, region: string) => {
        built.push(`${account}/${region}`);
        return iam.client;
      },
    } as unknown as ClientFactory;
    const iam = new FakeIam();
    iam.add('role', 'app', { team: 'a' });
    const backend = await awsTagBackend(factory)(DEV, 'global');
    const read = await backend.readTags([{ arn: `arn:aws-us-gov:iam::${DEV}:role/app`, resourceType: 'iam:role' }]);
    expect(read.tags.get(`arn:aws-us-gov:iam::${DEV}:role/app`)).toEqual({ team: 'a' });
    await backend.ownerTagger('iam:role')!.addTags(`arn:aws-us-gov:iam::${DEV}:role/app`, { team: 'b' });
    expect(built).toEqual([`${DEV}/us-gov-west-1`, `${DEV}/us-gov-west-1`]);
  });
});

describe('an IAM principal deleted between the read and the write', () => {
  it('is reported as drifted (no longer exists), not as a failure', async () => {
    const iam = new FakeIam();
    const tags = tagsWith({ [ENV]: 'Prod' });
    iam.add('role', 'ml-training', tags);
    const plan = planFromAudit(policy, [resource(ROLE, tags)]);
    // Deleted right after the applier's read.
    iam.after = (s) => {
      if (s.name === 'ListRoleTagsCommand') iam.principals.delete('role/ml-training');
    };
    const result = await fix(plan, iam.backend(), join(tempDir(), 'fix.jsonl'));
    expect(result.outcomes).toEqual([expect.objectContaining({ status: 'drifted', detail: expect.stringContaining('no longer exists') })]);
  });
});
