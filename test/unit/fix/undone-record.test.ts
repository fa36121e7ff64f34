import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { runFix } from '../../../src/fix/fix-command.js';
import { appendRecordSync, readJournal, type UndoneRecord } from '../../../src/fix/journal.js';
import { journalRecordProblem } from '../../../src/fix/journal-check.js';
import { lockPathFor } from '../../../src/fix/journal-lock.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import type { UndoOptions } from '../../../src/fix/undo-command.js';
import { runCli } from '../../support/cli.js';
import { ENV, ESTATE, deps, fixOptions, lambdaArn, noClients, undoOptions, workspace } from './command-fixture.js';
import { fixedJournal, journalRecords } from './fixed-journal.js';
import { hang, MemoryCloud } from './memory-cloud.js';

/*
 * `undo --apply` leaves a trace in the journal it undoes: an `undone` record before its first write, and one with its
 * outcome when it ends. A later `fix --resume` of that journal refuses (resume-finished.test.ts); a later undo of it
 * warns, and with --apply needs --force once an undo ran to its end.
 */

const AT = '2024-06-01T12:00:00.000Z';
const FIXED = { [lambdaArn('a')]: { [ENV]: 'production' }, [lambdaArn('b')]: { [ENV]: 'production' }, [lambdaArn('c')]: { [ENV]: 'production' } };

async function fixed(): Promise<{ dir: string; cloud: MemoryCloud; journal: string }> {
  const { dir, inventory, dictionary } = workspace();
  const cloud = new MemoryCloud(ESTATE);
  expect(await runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'fix.jsonl' }), deps(dir), { clients: noClients, backend: cloud.backend() })).toBe(0);
  cloud.calls.length = 0;
  return { dir, cloud, journal: join(dir, 'fix.jsonl') };
}

function undo(f: { dir: string; cloud: MemoryCloud }, o: Partial<UndoOptions> = {}, d = deps(f.dir)): Promise<number> {
  return runUndo(undoOptions('fix.jsonl', o), d, { clients: noClients, backend: f.cloud.backend() });
}

const undoneOf = (journal: string): Record<string, unknown>[] => journalRecords(journal).filter((r) => r.t === 'undone');

async function refusal(run: Promise<number>): Promise<string> {
  const err = await run.then(
    (code) => new Error(`expected a refusal, got exit ${code}`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return (err as UsageError).toLine();
}

const ALREADY =
  `fix.jsonl: this journal was already undone at ${AT} by %UNDO% (everything restored); undoing it again restores the values from before the fix ` +
  "over any of the fix's values written again since (by a resume or another fix): add --force to undo it again";

describe('undo --apply records in the journal it undoes that it was undone', () => {
  it('appends "started" before its first write and its outcome after its end; the journal stays valid and append-only', async () => {
    const f = await fixed();
    const before = readFileSync(f.journal);
    let seenDuringWrites: Record<string, unknown>[] | undefined;
    f.cloud.hook = () => {
      seenDuringWrites ??= undoneOf(f.journal);
    };
    expect(await undo(f, { undoJournal: 'u.jsonl' })).toBe(0);
    const undoJournal = join(f.dir, 'u.jsonl');
    expect(seenDuringWrites).toEqual([{ t: 'undone', at: AT, undoJournal, outcome: 'started' }]);

    const after = readFileSync(f.journal);
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    expect(undoneOf(f.journal)).toEqual([
      { t: 'undone', at: AT, undoJournal, outcome: 'started' },
      { t: 'undone', at: AT, undoJournal, outcome: 'restored', counts: { fixed: 3, 'already-fixed': 0, drifted: 0, failed: 0, unread: 0 } },
    ]);
    // The undo's own journal gets none; both journals read back through the journal check.
    expect(undoneOf(undoJournal)).toEqual([]);
    expect(readJournal(f.journal).records.at(-1)).toMatchObject({ t: 'undone', outcome: 'restored' });
    expect(readJournal(undoJournal).records[0]).toMatchObject({ t: 'begin', kind: 'undo', undoOf: f.journal });
  });

  it('names the earlier undo journal with personal data in its file name masked', async () => {
    const f = await fixed();
    expect(await undo(f, { undoJournal: 'jane.doe@example.com.undo.jsonl' })).toBe(0);
    const d = deps(f.dir);
    await undo(f, { apply: false, yes: false }, d);
    expect(d.err.text()).toContain('already undone at');
    expect(d.err.text()).toMatch(/by \S*j\*\*\*@/);
    expect(d.err.text()).not.toContain('jane.doe');
  });

  it('records "partial" (exit 1) and "incomplete" (exit 3) outcomes with the counts', async () => {
    const f = await fixed();
    f.cloud.tags.set(lambdaArn('b'), { [ENV]: 'staging' }); // changed since the fix: left alone
    f.cloud.hook = (call) => (call.arns.includes(lambdaArn('c')) ? { [lambdaArn('c')]: { code: 'AccessDeniedException', message: 'denied' } } : undefined);
    expect(await undo(f, { undoJournal: 'u1.jsonl' })).toBe(3);
    expect(undoneOf(f.journal).map((r) => [r.outcome, r.counts])).toEqual([
      ['started', undefined],
      ['incomplete', { fixed: 1, 'already-fixed': 0, drifted: 0, failed: 1, unread: 0 }],
    ]);

    // An undo that did not finish is what running it again is for: no --force needed, a note says so.
    f.cloud.hook = undefined;
    const d = deps(f.dir);
    expect(await undo(f, { undoJournal: 'u2.jsonl' }, d)).toBe(1);
    expect(d.err.text()).toContain(
      `tagaudit: fix.jsonl: partly undone at ${AT} by ${join(f.dir, 'u1.jsonl')} (a resource could not be read or written); this undo finishes it\n`,
    );
    expect(undoneOf(f.journal).at(-1)).toMatchObject({ undoJournal: join(f.dir, 'u2.jsonl'), outcome: 'partial' });
    expect(f.cloud.snapshot()).toEqual({ ...ESTATE, [lambdaArn('b')]: { [ENV]: 'staging' } });
  });

  it('a dry run, or an --apply with nothing to restore, writes no undone record', async () => {
    const f = await fixed();
    const bytes = readFileSync(f.journal);
    expect(await undo(f, { apply: false, yes: false })).toBe(1);
    for (const [arn, tags] of Object.entries(ESTATE)) f.cloud.tags.set(arn, { ...tags });
    expect(await undo(f)).toBe(0);
    expect(readFileSync(f.journal).equals(bytes)).toBe(true);
  });
});

describe('a second undo of a journal already undone', () => {
  it('--apply without --force: exit 2, one line naming the earlier undo, before any AWS call; nothing written', async () => {
    const f = await fixed();
    expect(await undo(f, { undoJournal: 'u1.jsonl' })).toBe(0);
    // A resume (or another fix) wrote the fix's values again since.
    for (const [arn, tags] of Object.entries(FIXED)) f.cloud.tags.set(arn, { ...tags });
    f.cloud.calls.length = 0;
    const bytes = readFileSync(f.journal);
    const files = readdirSync(f.dir).sort();

    const expected = ALREADY.replace('%UNDO%', join(f.dir, 'u1.jsonl'));
    expect(await refusal(undo(f, { undoJournal: 'u2.jsonl' }))).toBe(expected);
    const cli = await runCli(['undo', '--journal', 'fix.jsonl', '--apply', '--yes'], { cwd: f.dir });
    expect(cli).toEqual({ code: 2, stdout: '', stderr: `tagaudit: ${expected}\n` });
    expect(f.cloud.calls).toEqual([]);
    expect(f.cloud.snapshot()).toEqual(FIXED);
    expect(readFileSync(f.journal).equals(bytes)).toBe(true);
    expect(readdirSync(f.dir).sort()).toEqual(files);
  });

  it('--force: warns in one line and restores; its own undone records follow', async () => {
    const f = await fixed();
    expect(await undo(f, { undoJournal: 'u1.jsonl' })).toBe(0);
    for (const [arn, tags] of Object.entries(FIXED)) f.cloud.tags.set(arn, { ...tags });
    const d = deps(f.dir);
    expect(await undo(f, { undoJournal: 'u2.jsonl', force: true }, d)).toBe(0);
    expect(d.err.text()).toContain(`tagaudit: fix.jsonl: already undone at ${AT} by ${join(f.dir, 'u1.jsonl')} (everything restored); undoing it again (--force)\n`);
    expect(f.cloud.snapshot()).toEqual(ESTATE);
    expect(undoneOf(f.journal).map((r) => [r.undoJournal, r.outcome])).toEqual([
      [join(f.dir, 'u1.jsonl'), 'started'],
      [join(f.dir, 'u1.jsonl'), 'restored'],
      [join(f.dir, 'u2.jsonl'), 'started'],
      [join(f.dir, 'u2.jsonl'), 'restored'],
    ]);
  });

  it('--force is an undo flag, documented in its --help', async () => {
    const help = await runCli(['undo', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--force\s+undo again a journal an earlier undo already undid/);
    expect(help.stdout).toContain('undoing that journal again\n--apply needs --force');
  });

  it('a dry run is not refused: it says so and shows what undoing again would restore', async () => {
    const f = await fixed();
    expect(await undo(f, { undoJournal: 'u1.jsonl' })).toBe(0);
    for (const [arn, tags] of Object.entries(FIXED)) f.cloud.tags.set(arn, { ...tags });
    const d = deps(f.dir);
    expect(await undo(f, { apply: false, yes: false }, d)).toBe(1);
    expect(d.err.text()).toContain(`tagaudit: fix.jsonl: already undone at ${AT} by ${join(f.dir, 'u1.jsonl')} (everything restored); undoing it again restores`);
    expect(d.err.text()).toContain('(--apply needs --force)\n');
    expect(d.out.text()).toContain(`rename-key       ${ENV}="production" → (removed)`);
  });

  it('an undo killed mid-way: resume is refused; running the same undo again finishes it without --force', async () => {
    const f = await fixed();
    let stopped!: () => void;
    const reached = new Promise<void>((resolve) => (stopped = resolve));
    f.cloud.hook = () => {
      stopped();
      return hang();
    };
    void undo(f, { undoJournal: 'u1.jsonl' });
    await reached;
    // The killed process's locks are gone with it.
    rmSync(lockPathFor(f.journal));
    rmSync(lockPathFor(join(f.dir, 'u1.jsonl')));
    f.cloud.hook = undefined;
    expect(undoneOf(f.journal)).toEqual([{ t: 'undone', at: AT, undoJournal: join(f.dir, 'u1.jsonl'), outcome: 'started' }]);

    const { dictionary } = workspace();
    const line = await refusal(runFix(fixOptions(dictionary, { resume: 'fix.jsonl', apply: true, yes: true }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }));
    expect(line).toBe(
      `fix.jsonl: this fix was partly undone by ${join(f.dir, 'u1.jsonl')}, started at ${AT} and never finished (interrupted?); ` +
        'resuming it would write the fix again over what the undo restored. Finish the undo by running it again (tagaudit undo --journal fix.jsonl --apply --yes), or run tagaudit fix to fix again',
    );

    const d = deps(f.dir);
    expect(await undo(f, { undoJournal: 'u2.jsonl' }, d)).toBe(0);
    expect(d.err.text()).toContain(`partly undone by ${join(f.dir, 'u1.jsonl')}, started at ${AT} and never finished (interrupted?); this undo finishes it\n`);
    expect(f.cloud.snapshot()).toEqual(ESTATE);
    expect(undoneOf(f.journal).at(-1)).toMatchObject({ undoJournal: join(f.dir, 'u2.jsonl'), outcome: 'restored' });
  });

  it("an undo journal's own undo is recorded in it, and refused a second time likewise", async () => {
    const f = await fixed();
    expect(await undo(f, { undoJournal: 'u1.jsonl' })).toBe(0);
    // Undo the undo: the fix's values come back; the undo journal is marked.
    expect(await runUndo(undoOptions('u1.jsonl', { undoJournal: 'uu.jsonl' }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() })).toBe(0);
    expect(f.cloud.snapshot()).toEqual(FIXED);
    expect(undoneOf(join(f.dir, 'u1.jsonl')).map((r) => r.outcome)).toEqual(['started', 'restored']);
    expect(await refusal(runUndo(undoOptions('u1.jsonl', { undoJournal: 'uu2.jsonl' }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }))).toContain(
      'u1.jsonl: this journal was already undone at',
    );
  });
});

describe('the journal check and the undone record', () => {
  const good: UndoneRecord = { t: 'undone', at: AT, undoJournal: '/work/u.jsonl', outcome: 'restored', counts: { fixed: 2 } };

  it('accepts every outcome, with or without counts', () => {
    for (const outcome of ['started', 'restored', 'partial', 'incomplete', 'error'] as const) {
      expect(journalRecordProblem({ ...good, outcome })).toBeUndefined();
      const { counts: _counts, ...bare } = { ...good, outcome };
      expect(journalRecordProblem(bare)).toBeUndefined();
    }
  });

  it.each([
    ['no undo journal', { undoJournal: undefined }, 'undone record: "undoJournal" must be a string (at undoJournal)'],
    ['an empty undo journal', { undoJournal: '' }, 'undone record: "undoJournal" must not be empty (at undoJournal)'],
    ['an unknown outcome', { outcome: 'maybe' }, 'undone record: "outcome" must be one of started, restored, partial, incomplete, error (at outcome)'],
    ['a bad time', { at: 'yesterday' }, 'undone record: "at" must be an ISO 8601 UTC time (at at)'],
    ['a negative count', { counts: { fixed: -1 } }, 'undone record: "counts" must map each status to a count (at counts)'],
  ])('refuses %s', (_name, change, message) => {
    expect(journalRecordProblem({ ...good, ...change } as unknown as UndoneRecord & Record<string, unknown>)).toBe(message);
  });

  it('a journal written before undone records existed reads as before; one with them appended reads too', async () => {
    const f = await fixedJournal();
    const types = readJournal(f.journal).records.map((r) => r.t);
    expect(types).not.toContain('undone');
    appendRecordSync(f.journal, good);
    expect(readJournal(f.journal).records.map((r) => r.t)).toEqual([...types, 'undone']);
    expect(existsSync(f.journal)).toBe(true);
  });

  it('appendRecordSync drops a line a kill cut short before appending', async () => {
    const f = await fixedJournal();
    const whole = readFileSync(f.journal, 'utf8');
    const { appendFileSync } = await import('node:fs');
    appendFileSync(f.journal, '{"t":"call","seq":9');
    appendRecordSync(f.journal, good);
    expect(readFileSync(f.journal, 'utf8')).toBe(`${whole}${JSON.stringify(good)}\n`);
  });
});
