import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TagBackend } from '../../../src/fix/backend.js';
import { UsageError } from '../../../src/errors.js';
import { runFix } from '../../../src/fix/fix-command.js';
import { runUndo, type UndoOptions } from '../../../src/fix/undo-command.js';
import { ENV, ESTATE, deps, fixOptions, lambdaArn, noClients, undoOptions, workspace } from './command-fixture.js';
import { journalRecords } from './fixed-journal.js';
import { MemoryCloud } from './memory-cloud.js';

/*
 * The `undone` record says whether a journal was undone, and nothing else: an undo that wrote nothing records
 * nothing; an undo killed after its last write, before its outcome was recorded, is finished (and recorded so) by
 * running it again even when nothing is left to write.
 */

const AT = '2024-06-01T12:00:00.000Z';

interface Fixed {
  readonly dir: string;
  readonly dictionary: string;
  readonly cloud: MemoryCloud;
  readonly journal: string;
}

async function fixed(): Promise<Fixed> {
  const { dir, inventory, dictionary } = workspace();
  const cloud = new MemoryCloud(ESTATE);
  expect(await runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'fix.jsonl' }), deps(dir), { clients: noClients, backend: cloud.backend() })).toBe(0);
  cloud.calls.length = 0;
  return { dir, dictionary, cloud, journal: join(dir, 'fix.jsonl') };
}

function undo(f: Fixed, o: Partial<UndoOptions> = {}, d = deps(f.dir), backend: TagBackend = f.cloud.backend()): Promise<number> {
  return runUndo(undoOptions('fix.jsonl', o), d, { clients: noClients, backend });
}

function resume(f: Fixed, d = deps(f.dir)): Promise<number> {
  return runFix(fixOptions(f.dictionary, { resume: 'fix.jsonl', apply: true, yes: !d.interactive }), d, { clients: noClients, backend: f.cloud.backend() });
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

/** An undo run to its end whose last record, its outcome, is then cut off: as a kill after its last write leaves it. */
async function killedBeforeItsOutcome(f: Fixed, outcome: 'restored' | 'partial' = 'restored'): Promise<string> {
  expect(await undo(f, { undoJournal: 'u1.jsonl' })).toBe(outcome === 'restored' ? 0 : 1);
  const lines = readFileSync(f.journal, 'utf8').split('\n').filter(Boolean);
  expect(JSON.parse(lines.at(-1)!)).toMatchObject({ t: 'undone', outcome });
  writeFileSync(f.journal, `${lines.slice(0, -1).join('\n')}\n`);
  const u1 = join(f.dir, 'u1.jsonl');
  expect(undoneOf(f.journal)).toEqual([{ t: 'undone', at: AT, undoJournal: u1, outcome: 'started' }]);
  f.cloud.calls.length = 0;
  return u1;
}

describe('an undo killed after its last write, before its outcome was recorded', () => {
  it('running it again finds nothing to write, records it finished, and from then on resume and undo know', async () => {
    const f = await fixed();
    const u1 = await killedBeforeItsOutcome(f);
    expect(await refusal(resume(f))).toContain('never finished (interrupted?)');

    const d = deps(f.dir);
    expect(await undo(f, { undoJournal: 'u2.jsonl' }, d)).toBe(0);
    expect(f.cloud.writes()).toEqual([]);
    expect(d.err.text()).toContain(`tagaudit: fix.jsonl: its undo by ${u1} is finished (nothing more to write); recorded in the journal\n`);
    // Named after the undo that wrote: this run created no journal of its own.
    expect(undoneOf(f.journal).at(-1)).toEqual({ t: 'undone', at: AT, undoJournal: u1, outcome: 'restored' });

    expect(await refusal(resume(f))).toBe(
      `fix.jsonl: this fix was undone at ${AT} by ${u1} (everything restored); resuming it would write the fix again over what the undo restored. ` +
        'To fix again, run tagaudit fix: it plans from the current tags',
    );
    expect(await refusal(undo(f, { undoJournal: 'u3.jsonl' }))).toContain('fix.jsonl: this journal was already undone at');
    expect(f.cloud.writes()).toEqual([]);
  });

  it('when that undo left keys alone (changed by someone since), it is recorded finished as partial (exit 1)', async () => {
    const f = await fixed();
    f.cloud.tags.set(lambdaArn('b'), { [ENV]: 'staging' });
    const u1 = await killedBeforeItsOutcome(f, 'partial');
    expect(await undo(f, { undoJournal: 'u2.jsonl' })).toBe(1);
    expect(f.cloud.writes()).toEqual([]);
    expect(undoneOf(f.journal).at(-1)).toEqual({ t: 'undone', at: AT, undoJournal: u1, outcome: 'partial' });
  });

  it('a key it restored that someone changed since is not its business: not undone again, recorded restored (exit 0)', async () => {
    const f = await fixed();
    const u1 = await killedBeforeItsOutcome(f);
    f.cloud.tags.set(lambdaArn('b'), { [ENV]: 'staging' });
    const d = deps(f.dir);
    expect(await undo(f, { undoJournal: 'u2.jsonl' }, d)).toBe(0);
    expect(f.cloud.writes()).toEqual([]);
    expect(d.out.text()).toContain(`  ${lambdaArn('b')}  *: already restored by the earlier undo (${u1}); not undone again\n`);
    expect(undoneOf(f.journal).at(-1)).toEqual({ t: 'undone', at: AT, undoJournal: u1, outcome: 'restored' });
  });

  it('the refusal of a resume prints the command to finish the undo with --yes only where no terminal can confirm', async () => {
    const f = await fixed();
    await killedBeforeItsOutcome(f);
    const next = (apply: string): string => `Finish the undo by running it again (tagaudit undo --journal fix.jsonl ${apply}), or run tagaudit fix to fix again`;
    expect(await refusal(resume(f))).toContain(next('--apply --yes'));
    const asked: string[] = [];
    const terminal = deps(f.dir, { interactive: true, prompt: async (q) => (asked.push(q), 'y') });
    expect(await refusal(resume(f, terminal))).toContain(next('--apply'));
    expect(asked).toEqual([]);
  });
});

/** The backend, with every resource changed by someone else (or unreadable) by the time the undo's applier reads it. */
function changedBeforeTheWrite(cloud: MemoryCloud, how: 'drifted' | 'unread'): TagBackend {
  const base = cloud.backend();
  let reads = 0;
  return async (accountId, region) => {
    const p = await base(accountId, region);
    return {
      ...p,
      readTags: async (resources) => {
        // 1: the undo's plan; 2: its applier's re-read.
        if (++reads === 2) {
          if (how === 'unread') throw Object.assign(new Error('Rate exceeded for good'), { name: 'AccessDeniedException' });
          for (const r of resources) cloud.tags.set(r.arn, { [ENV]: 'staging' });
        }
        return p.readTags(resources);
      },
    };
  };
}

describe('an undo whose applier wrote nothing', () => {
  it.each([
    ['every resource drifted', 'drifted', 1],
    ['every resource unread', 'unread', 3],
  ] as const)('%s: nothing recorded in the journal (said in one line); resume and a later undo are not blocked', async (_what, how, code) => {
    const f = await fixed();
    const bytes = readFileSync(f.journal);
    const d = deps(f.dir);
    expect(await undo(f, { undoJournal: 'u1.jsonl' }, d, changedBeforeTheWrite(f.cloud, how))).toBe(code);
    expect(f.cloud.writes()).toEqual([]);
    expect(d.err.text()).toContain('tagaudit: fix.jsonl: this undo wrote nothing, so nothing is recorded in the journal\n');
    expect(readFileSync(f.journal).equals(bytes)).toBe(true);

    // The fix is as it was: a resume says there is nothing to resume (not "undone"); an undo needs no --force.
    expect(await refusal(resume(f))).toContain('fix.jsonl: this fix finished at');
    // Back to what the fix wrote (the drifted case set every resource to staging).
    for (const arn of Object.keys(ESTATE)) f.cloud.tags.set(arn, { [ENV]: 'production' });
    expect(await undo(f, { undoJournal: 'u2.jsonl' })).toBe(0);
    expect(f.cloud.snapshot()).toEqual(ESTATE);
    expect(undoneOf(f.journal).map((r) => [r.undoJournal, r.outcome])).toEqual([
      [join(f.dir, 'u2.jsonl'), 'started'],
      [join(f.dir, 'u2.jsonl'), 'restored'],
    ]);
  });
});
