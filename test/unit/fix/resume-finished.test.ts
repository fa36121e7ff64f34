import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { runFix } from '../../../src/fix/fix-command.js';
import { lockPathFor } from '../../../src/fix/journal-lock.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import { vaultPathFor } from '../../../src/fix/vault.js';
import { runCli } from '../../support/cli.js';
import { ENV, ESTATE, deps, fixOptions, lambdaArn, noClients, undoOptions, workspace } from './command-fixture.js';
import { journalRecords } from './fixed-journal.js';
import { hang, MemoryCloud } from './memory-cloud.js';

/*
 * `fix --resume` finishes what a journal's run did not. A run that finished (its journal has an `end` record) has
 * nothing left but what it failed to write; a run that was undone must never be written again by a resume: the
 * acceptance report was a resume that silently re-applied a fix (PII removals included) over a finished undo.
 */

const FIXED = { [lambdaArn('a')]: { [ENV]: 'production' }, [lambdaArn('b')]: { [ENV]: 'production' }, [lambdaArn('c')]: { [ENV]: 'production' } };
const AT = '2024-06-01T12:00:00.000Z';
const PLAN_AGAIN = 'To fix what is still wrong, run tagaudit fix again: it plans from the current tags';

interface Fixed {
  readonly dir: string;
  readonly dictionary: string;
  readonly cloud: MemoryCloud;
  readonly journal: string;
}

/** `tagaudit fix --apply --journal fix.jsonl` run to its end (exit 0, or 3 when `fail` names a resource whose write is denied). */
async function finishedFix(fail?: string): Promise<Fixed> {
  const { dir, inventory, dictionary } = workspace();
  const cloud = new MemoryCloud(ESTATE);
  cloud.hook = (call) => (fail && call.arns.includes(fail) ? { [fail]: { code: 'AccessDeniedException', message: 'denied' } } : undefined);
  const code = await runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'fix.jsonl' }), deps(dir), { clients: noClients, backend: cloud.backend() });
  expect(code).toBe(fail ? 3 : 0);
  cloud.hook = undefined;
  cloud.calls.length = 0;
  const journal = join(dir, 'fix.jsonl');
  expect(journalRecords(journal).filter((r) => r.t === 'end')).toHaveLength(1);
  return { dir, dictionary, cloud, journal };
}

/**
 * A `fix --apply` stopped dead at its second write call (the removals of the renamed keys), as a kill leaves it: no
 * `end` record. The process that held the journal's lock is gone, which here means its lock file is removed.
 */
async function killedFix(): Promise<Fixed> {
  const { dir, inventory, dictionary } = workspace();
  const cloud = new MemoryCloud(ESTATE);
  let stopped!: () => void;
  const reached = new Promise<void>((resolve) => (stopped = resolve));
  cloud.hook = (_call, n) => {
    if (n < 2) return undefined;
    stopped();
    return hang();
  };
  void runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'fix.jsonl' }), deps(dir), { clients: noClients, backend: cloud.backend() });
  await reached;
  const journal = join(dir, 'fix.jsonl');
  rmSync(lockPathFor(journal));
  cloud.hook = undefined;
  cloud.calls.length = 0;
  expect(journalRecords(journal).map((r) => r.t)).not.toContain('end');
  return { dir, dictionary, cloud, journal };
}

function resume(f: Fixed, d = deps(f.dir)): Promise<number> {
  return runFix(fixOptions(f.dictionary, { resume: 'fix.jsonl', apply: true, yes: true }), d, { clients: noClients, backend: f.cloud.backend() });
}

async function refusal(run: Promise<number>): Promise<string> {
  const err = await run.then(
    (code) => new Error(`expected a refusal, got exit ${code}`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return (err as UsageError).toLine();
}

describe('fix --resume of a journal whose run finished', () => {
  it('is refused (exit 2, one line) before any AWS call, even when its resources were put back since; the journal is untouched', async () => {
    const f = await finishedFix();
    // Someone put the old tags back (by hand, or another tool): a resume used to write the fix again over them.
    for (const [arn, tags] of Object.entries(ESTATE)) f.cloud.tags.set(arn, { ...tags });
    const bytes = readFileSync(f.journal);

    const line = await refusal(resume(f));
    expect(line).toBe(`fix.jsonl: this fix finished at ${AT} (3 written); there is nothing to resume. ${PLAN_AGAIN}`);
    expect(f.cloud.calls).toEqual([]);
    expect(f.cloud.snapshot()).toEqual(ESTATE);
    expect(readFileSync(f.journal).equals(bytes)).toBe(true);
    expect(existsSync(lockPathFor(f.journal))).toBe(false);
    expect(existsSync(vaultPathFor(f.journal))).toBe(false);

    const cli = await runCli(['fix', '--resume', 'fix.jsonl', '--apply', '--yes'], { cwd: f.dir });
    expect(cli).toEqual({ code: 2, stdout: '', stderr: `tagaudit: fix.jsonl: this fix finished at ${AT} (3 written); there is nothing to resume. ${PLAN_AGAIN}\n` });
    expect(readFileSync(f.journal).equals(bytes)).toBe(true);
    expect(f.cloud.calls).toEqual([]);
  });

  it('on a terminal it is refused before asking anything', async () => {
    const f = await finishedFix();
    const asked: string[] = [];
    const d = deps(f.dir, { interactive: true, prompt: async (q) => (asked.push(q), 'y') });
    await refusal(runFix(fixOptions(f.dictionary, { resume: 'fix.jsonl', apply: true }), d, { clients: noClients, backend: f.cloud.backend() }));
    expect(asked).toEqual([]);
    expect(f.cloud.calls).toEqual([]);
  });

  it('that failed to write a resource retries that resource only; one it wrote and someone reverted since is left as it is', async () => {
    const f = await finishedFix(lambdaArn('c'));
    expect(f.cloud.tags.get(lambdaArn('c'))).toEqual(ESTATE[lambdaArn('c')]);
    f.cloud.tags.set(lambdaArn('a'), { env: 'prod' }); // the fix wrote it; someone reverted it since
    const d = deps(f.dir);
    expect(await resume(f, d)).toBe(0);
    expect(d.err.text()).toContain(`tagaudit: resuming fix.jsonl: its run finished at ${AT} with 1 of 3 resources failed or unread; only that one is retried\n`);
    expect(f.cloud.writes().flatMap((c) => c.arns)).toEqual([lambdaArn('c'), lambdaArn('c')]);
    expect(f.cloud.snapshot()).toEqual({ ...FIXED, [lambdaArn('a')]: { env: 'prod' } });

    // Now nothing is left: a second resume is refused, counting each resource by its last outcome.
    f.cloud.calls.length = 0;
    expect(await refusal(resume(f))).toBe(`fix.jsonl: this fix finished at ${AT} (3 written); there is nothing to resume. ${PLAN_AGAIN}`);
    expect(f.cloud.calls).toEqual([]);
  });

  it('with a resource GetResources did not return (no proof it is gone): unread, exit 3, and a resume retries it', async () => {
    const { dir, inventory, dictionary } = workspace();
    const cloud = new MemoryCloud(ESTATE);
    // The Tagging API's index leaves c out for now (deleted? or lagging behind): its current tags are unknown.
    cloud.tags.delete(lambdaArn('c'));
    const d = deps(dir);
    expect(await runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'fix.jsonl' }), d, { clients: noClients, backend: cloud.backend() })).toBe(3);
    const done = journalRecords(join(dir, 'fix.jsonl')).filter((r) => r.t === 'done' && r.arn === lambdaArn('c'));
    expect(done).toEqual([{ t: 'done', arn: lambdaArn('c'), status: 'unread', detail: expect.stringContaining('not returned when its tags were read') }]);
    expect(cloud.writes().flatMap((c) => c.arns)).not.toContain(lambdaArn('c'));

    // It still exists: GetResources returns it again, and the resume writes it (and only it).
    cloud.tags.set(lambdaArn('c'), { ...ESTATE[lambdaArn('c')]! });
    cloud.calls.length = 0;
    const again = deps(dir);
    expect(await runFix(fixOptions(dictionary, { resume: 'fix.jsonl', apply: true, yes: true }), again, { clients: noClients, backend: cloud.backend() })).toBe(0);
    expect(again.err.text()).toContain(`tagaudit: resuming fix.jsonl: its run finished at ${AT} with 1 of 3 resources failed or unread; only that one is retried\n`);
    expect(new Set(cloud.writes().flatMap((c) => c.arns))).toEqual(new Set([lambdaArn('c')]));
    expect(cloud.snapshot()).toEqual(FIXED);
  });

  it('names drifted resources in the refusal (a resume never writes over them)', async () => {
    const { dir, inventory, dictionary } = workspace();
    const cloud = new MemoryCloud({ ...ESTATE, [lambdaArn('b')]: { [ENV]: 'staging' } });
    expect(await runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'fix.jsonl' }), deps(dir), { clients: noClients, backend: cloud.backend() })).toBe(1);
    const line = await refusal(runFix(fixOptions(dictionary, { resume: 'fix.jsonl', apply: true, yes: true }), deps(dir), { clients: noClients, backend: cloud.backend() }));
    expect(line).toBe(`fix.jsonl: this fix finished at ${AT} (2 written, 1 drifted); there is nothing to resume. ${PLAN_AGAIN}`);
  });
});

describe('fix --resume of a journal that was undone', () => {
  it('after the fix finished (the acceptance report): refused, naming the undo journal; the restored tags stay', async () => {
    const f = await finishedFix();
    expect(await runUndo(undoOptions('fix.jsonl', { undoJournal: 'undo.jsonl' }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() })).toBe(0);
    expect(f.cloud.snapshot()).toEqual(ESTATE);
    f.cloud.calls.length = 0;
    const bytes = readFileSync(f.journal);

    const expected =
      `fix.jsonl: this fix was undone at ${AT} by ${join(f.dir, 'undo.jsonl')} (everything restored); resuming it would write the fix again over what the undo restored. ` +
      'To fix again, run tagaudit fix: it plans from the current tags';
    expect(await refusal(resume(f))).toBe(expected);
    const cli = await runCli(['fix', '--resume', 'fix.jsonl', '--apply', '--yes'], { cwd: f.dir });
    expect(cli).toEqual({ code: 2, stdout: '', stderr: `tagaudit: ${expected}\n` });
    expect(f.cloud.calls).toEqual([]);
    expect(f.cloud.snapshot()).toEqual(ESTATE);
    expect(readFileSync(f.journal).equals(bytes)).toBe(true);
  });

  it('after an interrupted fix (no end record: only the undone record tells): refused', async () => {
    const f = await killedFix();
    expect(await runUndo(undoOptions('fix.jsonl', { undoJournal: 'undo.jsonl' }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() })).toBe(0);
    expect(f.cloud.snapshot()).toEqual(ESTATE);
    f.cloud.calls.length = 0;
    expect(await refusal(resume(f))).toContain(`fix.jsonl: this fix was undone at ${AT} by ${join(f.dir, 'undo.jsonl')} (everything restored);`);
    expect(f.cloud.calls).toEqual([]);
    expect(f.cloud.snapshot()).toEqual(ESTATE);
  });
});

describe('fix --resume of an interrupted journal (no end record), as before', () => {
  it('applies the rest of its whole plan and ends the journal', async () => {
    const f = await killedFix();
    // The kill came at the removals: the new key is on every resource, the renamed ones still have their old key.
    expect(f.cloud.tags.get(lambdaArn('a'))).toEqual({ env: 'prod', [ENV]: 'production' });
    const d = deps(f.dir);
    expect(await resume(f, d)).toBe(0);
    expect(d.err.text()).toContain('tagaudit: resuming fix.jsonl: 3 resources in its plan\n');
    expect(f.cloud.snapshot()).toEqual(FIXED);
    expect(journalRecords(f.journal).map((r) => r.t).filter((t) => t === 'resume' || t === 'end')).toEqual(['resume', 'end']);
  });
});
