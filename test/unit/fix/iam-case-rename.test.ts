import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApplyResult } from '../../../src/fix/apply.js';
import { partitionBackend, type SendClient } from '../../../src/fix/aws-backend.js';
import type { TagBackend } from '../../../src/fix/backend.js';
import { readJournal, type JournalRecord } from '../../../src/fix/journal.js';
import type { FixPlan } from '../../../src/fix/plan.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { fakeClient } from './fake-send-client.js';
import { DEV, planFromAudit, resource } from './helpers.js';
import { FakeIam } from './iam-fake.js';
// callsOf: each write call of a journal, its API, keys or tags (display form) and whether it succeeded (no result: unanswered).
import { applyJournaled, callOutcomes as callsOf, fixInSession as fix, journalCalls, resumeInSession as resume, undoInSession } from './journaled-apply.js';
import { hang, MemoryCloud } from './memory-cloud.js';
import { tempDir } from './run.js';

/*
 * Case-only renames of IAM principal tags (IAM keys ignore case): the old spelling is removed first, in a call of its
 * own, and must never be lost — not when someone changes the principal meanwhile, not when the write after it fails,
 * not when the removal gets no clear answer, not when a resumed run's write fails.
 */

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';
const OLD_ENV = 'Anycompany:Workload:Environment';
const CC = 'anycompany:finance:cost-center';
const OLD_CC = 'Anycompany:Finance:Cost-Center';
const OWNER = 'anycompany:finance:owner';
const USER = `arn:aws:iam::${DEV}:user/division/alice`;
const ROLE = `arn:aws:iam::${DEV}:role/service/ml-training`;

const denied = (api: string): Error =>
  Object.assign(new Error(`User: x is not authorized to perform: ${api}`), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
/** What the SDK throws when IAM never answered (after its own retries): the call may or may not have landed. */
const timedOut = (): Error => Object.assign(new Error('Connection timed out after 30000 ms'), { name: 'TimeoutError' });
const throttled = (): Error => Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });

const undo = (journalPath: string, backend: TagBackend): Promise<ApplyResult> => undoInSession(journalPath, backend, policy);

/** The IAM fake behind a client that `intercept` may answer instead (a hang, an error after IAM applied the call …). */
function backendWith(iam: FakeIam, intercept: (name: string, forward: () => Promise<unknown>) => Promise<unknown> | undefined): TagBackend {
  const client: SendClient = {
    send(command: unknown) {
      const name = (command as { constructor: { name: string } }).constructor.name;
      const forward = (): Promise<unknown> => iam.client.send(command);
      return intercept(name, forward) ?? forward();
    },
  };
  const other = fakeClient(() => new Error('only IAM here'));
  return async () => partitionBackend({ tagging: async () => other, sagemaker: async () => other, autoscaling: async () => other, iam: async () => client });
}

/** A role whose two keys differ from the dictionary's only in case: two case-only renames on one principal. */
function twoRenames(): { iam: FakeIam; tags: Record<string, string>; plan: FixPlan } {
  const iam = new FakeIam();
  const tags = tagsWith({ [ENV]: undefined, [OLD_ENV]: 'production', [CC]: undefined, [OLD_CC]: 'Sales-5045' });
  iam.add('role', 'ml-training', tags);
  const plan = planFromAudit(policy, [resource(ROLE, tags)]);
  expect(plan.resources[0]?.edits).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ op: 'rename', from: OLD_ENV, to: ENV }),
      expect.objectContaining({ op: 'rename', from: OLD_CC, to: CC }),
    ]),
  );
  return { iam, tags, plan };
}

function oneRename(): { iam: FakeIam; tags: Record<string, string>; plan: FixPlan } {
  const iam = new FakeIam();
  const tags = tagsWith({ [ENV]: undefined, [OLD_ENV]: 'production' });
  iam.add('user', 'alice', tags);
  return { iam, tags, plan: planFromAudit(policy, [resource(USER, tags)]) };
}

describe('two case-only renames on one principal', () => {
  it('removes both old spellings in one call, then writes both new ones', async () => {
    const { iam, plan } = twoRenames();
    const path = join(tempDir(), 'fix.jsonl');
    const result = await fix(plan, iam.backend(), path);
    expect(result.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(iam.tags('role', 'ml-training')).toEqual(tagsWith({}));
    expect(callsOf(path)).toEqual([
      { api: 'iam:UntagRole', keys: [OLD_CC, OLD_ENV], ok: true },
      { api: 'iam:TagRole', tags: [{ key: CC, value: 'Sales-5045' }, { key: ENV, value: 'production' }], ok: true },
    ]);
  });

  it('puts both old spellings back when the write fails', async () => {
    const { iam, tags, plan } = twoRenames();
    let tagCalls = 0;
    iam.fail = (s) => (s.name === 'TagRoleCommand' && tagCalls++ === 0 ? denied('iam:TagRole') : undefined);
    const path = join(tempDir(), 'fix.jsonl');
    const result = await fix(plan, iam.backend(), path);
    expect(iam.tags('role', 'ml-training')).toEqual(tags);
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        status: 'failed',
        detail: `AccessDenied: User: x is not authorized to perform: iam:TagRole; the old spellings ${OLD_CC}, ${OLD_ENV}, removed first, were put back`,
      }),
    ]);
    expect(callsOf(path)).toEqual([
      { api: 'iam:UntagRole', keys: [OLD_CC, OLD_ENV], ok: true },
      { api: 'iam:TagRole', tags: [{ key: CC, value: 'Sales-5045' }, { key: ENV, value: 'production' }], ok: false },
      { api: 'iam:TagRole', tags: [{ key: OLD_CC, value: 'Sales-5045' }, { key: OLD_ENV, value: 'production' }], ok: true },
    ]);
  });

  it('removes nothing when one old spelling changed between the read and the removal (drifted, nothing lost, also on resume)', async () => {
    const { iam, tags, plan } = twoRenames();
    // Someone changes the cost centre right after the applier's read, before the remove-first call re-reads.
    let lists = 0;
    iam.after = (s) => {
      if (s.name === 'ListRoleTagsCommand' && ++lists === 1) iam.set('role', 'ml-training', OLD_CC, 'Sales-9999');
    };
    const path = join(tempDir(), 'fix.jsonl');
    const result = await fix(plan, iam.backend(), path);

    // The environment tag, whose value did not change, is still there: the removal is all or nothing.
    expect(iam.tags('role', 'ml-training')).toEqual({ ...tags, [OLD_CC]: 'Sales-9999' });
    expect(iam.writes()).toEqual([]);
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        status: 'drifted',
        detail: `tag ${OLD_CC} was changed by someone else since it was read, so no tag was removed from this role`,
      }),
    ]);
    expect(callsOf(path)).toEqual([{ api: 'iam:UntagRole', keys: [OLD_CC, OLD_ENV], ok: false }]);

    // A resume finds the principal drifted and writes nothing.
    const resumed = await resume(plan, iam.backend(), path);
    expect(resumed.outcomes.map((o) => o.status)).toEqual(['drifted']);
    expect(iam.writes()).toEqual([]);
    expect(iam.tags('role', 'ml-training')).toEqual({ ...tags, [OLD_CC]: 'Sales-9999' });
  });
});

describe('a case-only rename beside an unrelated removal on one principal', () => {
  it('removes the old spelling first, writes, then removes only the unrelated key (never the old spelling again)', async () => {
    const iam = new FakeIam();
    const tags = tagsWith({ [ENV]: undefined, [OLD_ENV]: 'production', [OWNER]: undefined, Owner: 'ml-platform' });
    iam.add('user', 'alice', tags);
    const plan = planFromAudit(policy, [resource(USER, tags)]);
    const path = join(tempDir(), 'fix.jsonl');
    const result = await fix(plan, iam.backend(), path);
    expect(result.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(iam.tags('user', 'alice')).toEqual(tagsWith({}));
    expect(callsOf(path)).toEqual([
      { api: 'iam:UntagUser', keys: [OLD_ENV], ok: true },
      { api: 'iam:TagUser', tags: [{ key: OWNER, value: 'ml-platform' }, { key: ENV, value: 'production' }], ok: true },
      { api: 'iam:UntagUser', keys: ['Owner'], ok: true },
    ]);
  });
});

describe('a resume whose write fails after the interrupted run removed the old spelling', () => {
  /** Runs the plan until IAM receives the TagUser after the remove-first call, and stops dead there (a kill). */
  async function interrupted(iam: FakeIam, plan: FixPlan, path: string): Promise<void> {
    let reached!: () => void;
    const stopped = new Promise<void>((r) => (reached = r));
    const backend = backendWith(iam, (name) => {
      if (name !== 'TagUserCommand') return undefined;
      reached();
      return hang();
    });
    void fix(plan, backend, path);
    await stopped;
    await new Promise((r) => setTimeout(r, 20));
    expect(callsOf(path).map((c) => [c.api, c.ok])).toEqual([
      ['iam:UntagUser', true],
      ['iam:TagUser', 'unanswered'],
    ]);
  }

  it('puts the old spelling back with the value from the plan, journalled', async () => {
    const { iam, tags, plan } = oneRename();
    const path = join(tempDir(), 'fix.jsonl');
    await interrupted(iam, plan, path);
    expect(iam.tags('user', 'alice')).toEqual(tagsWith({ [ENV]: undefined }));

    let tagCalls = 0;
    iam.fail = (s) => (s.name === 'TagUserCommand' && tagCalls++ === 0 ? denied('iam:TagUser') : undefined);
    const resumed = await resume(plan, iam.backend(), path);

    expect(iam.tags('user', 'alice')).toEqual(tags);
    expect(resumed.outcomes).toEqual([
      expect.objectContaining({
        status: 'failed',
        detail: `AccessDenied: User: x is not authorized to perform: iam:TagUser; the old spelling ${OLD_ENV}, removed by an earlier run that was interrupted, was put back`,
      }),
    ]);
    expect(callsOf(path).slice(2)).toEqual([
      { api: 'iam:TagUser', tags: [{ key: ENV, value: 'production' }], ok: false },
      { api: 'iam:TagUser', tags: [{ key: OLD_ENV, value: 'production' }], ok: true },
    ]);
  });

  it('names the tag the user is left without and the undo that restores it when it cannot be put back', async () => {
    const { iam, tags, plan } = oneRename();
    const path = join(tempDir(), 'fix.jsonl');
    await interrupted(iam, plan, path);

    iam.fail = (s) => (s.name === 'TagUserCommand' ? denied('iam:TagUser') : undefined);
    const resumed = await resume(plan, iam.backend(), path);
    // The put-back was tried (and failed): the old spelling's value came from the plan, not from the live tags.
    expect(callsOf(path).slice(2).map((c) => [c.api, c.tags, c.ok])).toEqual([
      ['iam:TagUser', [{ key: ENV, value: 'production' }], false],
      ['iam:TagUser', [{ key: OLD_ENV, value: 'production' }], false],
    ]);
    expect(resumed.outcomes).toEqual([
      expect.objectContaining({
        status: 'failed',
        detail:
          `AccessDenied: User: x is not authorized to perform: iam:TagUser; the old spelling ${OLD_ENV}, removed by an earlier run that was ` +
          `interrupted, could not be put back (AccessDenied: User: x is not authorized to perform: iam:TagUser): the user is left without ` +
          `that tag (${OLD_ENV}); restore it with \`tagaudit undo --journal ${path} --apply\``,
      }),
    ]);
    expect(iam.tags('user', 'alice')).toEqual(tagsWith({ [ENV]: undefined }));

    // The undo the message names restores it.
    iam.fail = undefined;
    const undone = await undo(path, iam.backend());
    expect(undone.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(iam.tags('user', 'alice')).toEqual(tags);
  });
  it('gives undo advice that also holds for a fresh run of the same plan (a new journal, not a resume)', async () => {
    const { iam, tags, plan } = oneRename();
    const dir = tempDir();
    await interrupted(iam, plan, join(dir, 'fix.jsonl'));

    iam.fail = (s) => (s.name === 'TagUserCommand' ? denied('iam:TagUser') : undefined);
    const again = join(dir, 'again.jsonl');
    const rerun = await fix(plan, iam.backend(), again);
    expect(rerun.outcomes[0]?.detail).toContain(`the user is left without that tag (${OLD_ENV}); restore it with \`tagaudit undo --journal ${again} --apply\``);

    iam.fail = undefined;
    const undone = await undo(again, iam.backend());
    expect(undone.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(iam.tags('user', 'alice')).toEqual(tags);
  });
});

describe('a remove-first call that gets no clear answer', () => {
  it('may not have reached IAM: the old spelling is put back anyway (harmless) and the new one is not written', async () => {
    const { iam, tags, plan } = oneRename();
    let untags = 0;
    iam.fail = (s) => (s.name === 'UntagUserCommand' && untags++ === 0 ? timedOut() : undefined);
    const path = join(tempDir(), 'fix.jsonl');
    const result = await fix(plan, iam.backend(), path);
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        status: 'failed',
        detail: `TimeoutError: Connection timed out after 30000 ms; the old spelling ${OLD_ENV}, which the failed removal may have removed, was put back`,
      }),
    ]);
    expect(iam.tags('user', 'alice')).toEqual(tags);
    expect(callsOf(path)).toEqual([
      { api: 'iam:UntagUser', keys: [OLD_ENV], ok: false },
      { api: 'iam:TagUser', tags: [{ key: OLD_ENV, value: 'production' }], ok: true },
    ]);
  });

  it('reached IAM (the answer was lost): the old spelling is put back', async () => {
    const { iam, tags, plan } = oneRename();
    const backend = backendWith(iam, (name, forward) => (name === 'UntagUserCommand' ? forward().then(() => Promise.reject(timedOut())) : undefined));
    const path = join(tempDir(), 'fix.jsonl');
    const result = await fix(plan, backend, path);
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', detail: expect.stringContaining(`${OLD_ENV}, which the failed removal may have removed, was put back`) });
    expect(iam.tags('user', 'alice')).toEqual(tags);
  });

  it('says the old spelling may be gone and how to finish or undo when it cannot be put back either; a resume then finishes', async () => {
    const { iam, plan } = oneRename();
    // The removal lands but its answer is lost, and the network stays down for the put-back.
    const backend = backendWith(iam, (name, forward) =>
      name === 'UntagUserCommand' ? forward().then(() => Promise.reject(timedOut())) : name === 'TagUserCommand' ? Promise.reject(timedOut()) : undefined,
    );
    const path = join(tempDir(), 'fix.jsonl');
    const result = await fix(plan, backend, path);
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        status: 'failed',
        detail:
          `TimeoutError: Connection timed out after 30000 ms; the old spelling ${OLD_ENV}, which the failed removal may have removed, may not ` +
          `have been put back (TimeoutError: Connection timed out after 30000 ms): the user may be left without that tag (${OLD_ENV}); finish ` +
          `the rename with \`tagaudit fix --resume ${path} --apply\`, or restore it with \`tagaudit undo --journal ${path} --apply\``,
      }),
    ]);
    expect(iam.tags('user', 'alice')).toEqual(tagsWith({ [ENV]: undefined }));

    const resumed = await resume(plan, iam.backend(), path);
    expect(resumed.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(iam.tags('user', 'alice')).toEqual(tagsWith({}));
  });

  it('is not confused with a clear refusal: a denied removal removed nothing, so nothing is put back', async () => {
    const { iam, tags, plan } = oneRename();
    iam.fail = (s) => (s.name === 'UntagUserCommand' ? denied('iam:UntagUser') : undefined);
    const path = join(tempDir(), 'fix.jsonl');
    const result = await fix(plan, iam.backend(), path);
    expect(result.outcomes).toEqual([expect.objectContaining({ status: 'failed', detail: 'AccessDenied: User: x is not authorized to perform: iam:UntagUser' })]);
    expect(callsOf(path).map((c) => c.api)).toEqual(['iam:UntagUser']);
    expect(iam.tags('user', 'alice')).toEqual(tags);
  });
});

describe('iamTagger.deleteTags', () => {
  const context = (expected: Record<string, string>) => ({ expected, copiedFrom: {}, personal: new Set<string>() });

  it('refuses to remove a key IAM now holds under another spelling (the tag written for a case-only rename)', async () => {
    const iam = new FakeIam();
    const tags = tagsWith({});
    iam.add('user', 'alice', tags);
    const tagger = (await iam.backend()(DEV, 'global')).ownerTagger('iam:user')!;
    // Asked to remove the old spelling after the new one was written (same value): that would remove the new tag.
    await expect(tagger.deleteTags(USER, [OLD_ENV], context({ [OLD_ENV]: 'production' }))).rejects.toMatchObject({ name: 'TagChangedSinceRead' });
    expect(iam.writes()).toEqual([]);
    expect(iam.tags('user', 'alice')).toEqual(tags);
  });

  it('removes nothing when any one key changed since the read', async () => {
    const iam = new FakeIam();
    iam.add('role', 'ml-training', { env: 'prod', Owner: 'ml', team: 'a' });
    iam.set('role', 'ml-training', 'Owner', 'someone-else');
    const tagger = (await iam.backend()(DEV, 'global')).ownerTagger('iam:role')!;
    const err: unknown = await tagger.deleteTags(ROLE, ['env', 'Owner'], context({ env: 'prod', Owner: 'ml' })).catch((e: unknown) => e);
    expect(iam.writes()).toEqual([]);
    expect(iam.tags('role', 'ml-training')).toEqual({ env: 'prod', Owner: 'someone-else', team: 'a' });
    expect(err).toMatchObject({ name: 'TagChangedSinceRead', message: 'tag Owner was changed by someone else since it was read, so no tag was removed from this role' });
  });
});

describe('throttled IAM reads in the fix path', () => {
  it('gives a throttled second page of ListUserTags one more round, in the read before writing and the one before untagging', async () => {
    const iam = new FakeIam();
    const tags = tagsWith({ [ENV]: undefined, env: 'prod' });
    iam.add('user', 'alice', tags);
    iam.pageSize = 2;
    const plan = planFromAudit(policy, [resource(USER, tags)]);
    let secondPages = 0;
    iam.fail = (s) => (s.name === 'ListUserTagsCommand' && s.input.Marker === '2' && ++secondPages % 2 === 1 ? throttled() : undefined);
    const path = join(tempDir(), 'fix.jsonl');
    const result = await fix(plan, iam.backend({ retryPauseMs: 0 }), path);
    expect(result.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(iam.tags('user', 'alice')).toEqual(tagsWith({}));
    // Two reads (before writing, before untagging), each with its second page throttled once and read again.
    expect(secondPages).toBe(4);
    expect(callsOf(path).map((c) => c.api)).toEqual(['iam:TagUser', 'iam:UntagUser']);
  });

  it('reports a principal whose second page is still throttled after the extra round as unread, and never writes it', async () => {
    const iam = new FakeIam();
    const tags = tagsWith({ [ENV]: 'Prod' });
    iam.add('user', 'alice', tags);
    iam.pageSize = 2;
    iam.fail = (s) => (s.name === 'ListUserTagsCommand' && s.input.Marker !== undefined ? throttled() : undefined);
    const path = join(tempDir(), 'fix.jsonl');
    const result = await fix(planFromAudit(policy, [resource(USER, tags)]), iam.backend({ retryPauseMs: 0 }), path);
    // Not "read as its first page": the first page alone would look like tags were removed since the plan.
    expect(result.outcomes).toEqual([expect.objectContaining({ status: 'unread', detail: 'could not read current tags: Throttling: Rate exceeded' })]);
    expect(iam.writes()).toEqual([]);
  });

  it('reports a principal whose ListUserTags stays throttled as unread through applyPlan, journalled, and writes the others', async () => {
    const iam = new FakeIam();
    const tags = tagsWith({ [ENV]: 'Prod' });
    iam.add('user', 'alice', tags);
    iam.add('role', 'ml-training', tags);
    iam.fail = (s) => (s.name === 'ListUserTagsCommand' ? throttled() : undefined);
    const path = join(tempDir(), 'fix.jsonl');
    const result = await fix(planFromAudit(policy, [resource(USER, tags), resource(ROLE, tags)]), iam.backend({ retryPauseMs: 0 }), path);
    expect(Object.fromEntries(result.outcomes.map((o) => [o.arn, o.status]))).toEqual({ [USER]: 'unread', [ROLE]: 'fixed' });
    expect(iam.client.sent.filter((s) => s.name === 'ListUserTagsCommand')).toHaveLength(2);
    expect(iam.writes().map((s) => s.name)).toEqual(['TagRoleCommand']);
    const done = readJournal(path).records.filter((r): r is Extract<JournalRecord, { t: 'done' }> => r.t === 'done');
    expect(done).toContainEqual({ t: 'done', arn: USER, status: 'unread', detail: 'could not read current tags: Throttling: Rate exceeded' });
  });
});

describe('a case-only rename where keys are case-sensitive (Lambda)', () => {
  it('keeps the usual order through applyPlan: write the new spelling, then remove the old one', async () => {
    const arn = `arn:aws:lambda:us-east-1:${DEV}:function:scorer`;
    const tags = tagsWith({ [ENV]: undefined, [OLD_ENV]: 'production' });
    const cloud = new MemoryCloud({ [arn]: tags });
    const plan = planFromAudit(policy, [resource(arn, tags)]);
    expect(plan.resources[0]?.edits).toEqual([expect.objectContaining({ op: 'rename', from: OLD_ENV, to: ENV })]);
    const path = join(tempDir(), 'fix.jsonl');
    const result = await applyJournaled(plan, cloud.backend(), path);
    expect(result.outcomes.map((o) => o.status)).toEqual(['fixed']);
    expect(cloud.snapshot()[arn]).toEqual(tagsWith({}));
    expect(journalCalls(path).map((c) => [c.api, c.tags ?? c.keys])).toEqual([
      ['TagResources', [{ key: ENV, value: 'production' }]],
      ['UntagResources', [OLD_ENV]],
    ]);
  });
});
