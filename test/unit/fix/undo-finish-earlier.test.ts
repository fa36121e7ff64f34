import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { runFix } from '../../../src/fix/fix-command.js';
import { runUndo, type UndoOptions } from '../../../src/fix/undo-command.js';
import { ENV, deps, fixOptions, lambdaArn, noClients, undoOptions, workspace } from './command-fixture.js';
import { journalRecords } from './fixed-journal.js';
import { MemoryCloud } from './memory-cloud.js';

/*
 * Finishing an undo that did not finish retries only what it did not finish. The acceptance repro: fix A (a rename, a
 * PII removal) → undo A ends incomplete (a function deleted since) → a week later fix B writes the same renames and
 * removes the PII again, and its vault is deleted to make that final → undo A run again, as its message asks, must
 * not undo fix B nor bring the PII back from A's vault.
 */

const EMAIL = 'ann.lee@initech.io';
const ROUTER = lambdaArn('router');
const SCORER = lambdaArn('scorer');
const DOOMED = lambdaArn('doomed');
const ESTATE: Readonly<Record<string, Record<string, string>>> = {
  [ROUTER]: { env: 'prod' },
  [SCORER]: { [ENV]: 'production', owner: EMAIL },
  [DOOMED]: { env: 'prod' },
};
const AFTER_FIX: Readonly<Record<string, Record<string, string>>> = { [ROUTER]: { [ENV]: 'production' }, [SCORER]: { [ENV]: 'production' } };

interface Estate {
  readonly dir: string;
  readonly dictionary: string;
  readonly cloud: MemoryCloud;
}

async function fix(e: Estate, journal: string): Promise<void> {
  const inventory = join(e.dir, `${journal}.inventory.jsonl`);
  writeFileSync(inventory, Object.entries(e.cloud.snapshot()).map(([arn, tags]) => `${JSON.stringify({ arn, tags })}\n`).join(''));
  const code = await runFix(fixOptions(e.dictionary, { inventory, apply: true, yes: true, journal, fixPii: 'remove' }), deps(e.dir), {
    clients: noClients,
    backend: e.cloud.backend(),
  });
  expect(code).toBe(0);
}

function undo(e: Estate, o: Partial<UndoOptions> = {}, d = deps(e.dir)): Promise<number> {
  return runUndo(undoOptions('A.jsonl', o), d, { clients: noClients, backend: e.cloud.backend() });
}

async function refusal(run: Promise<number>): Promise<string> {
  const err = await run.then(
    (code) => new Error(`expected a refusal, got exit ${code}`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return (err as UsageError).toLine();
}

/** Fix A, a function deleted, undo A (incomplete: exit 3), fix B of the same drift, B's vault deleted. */
async function repro(): Promise<Estate & { uA1: string }> {
  const { dir, dictionary } = workspace(ESTATE);
  const e = { dir, dictionary, cloud: new MemoryCloud(ESTATE) };
  await fix(e, 'A.jsonl');
  expect(e.cloud.snapshot()).toEqual({ ...AFTER_FIX, [DOOMED]: { [ENV]: 'production' } });
  e.cloud.tags.delete(DOOMED);
  expect(await undo(e, { undoJournal: 'uA1.jsonl' })).toBe(3);
  expect(e.cloud.snapshot()).toEqual({ [ROUTER]: ESTATE[ROUTER], [SCORER]: ESTATE[SCORER] });
  await fix(e, 'B.jsonl');
  expect(e.cloud.snapshot()).toEqual(AFTER_FIX);
  rmSync(join(dir, 'B.jsonl.pii-vault.jsonl'));
  e.cloud.calls.length = 0;
  return { ...e, uA1: join(dir, 'uA1.jsonl') };
}

describe('running an unfinished undo again after a later fix wrote the same values', () => {
  it('does not undo the later fix nor bring back PII it removed; retries only the resource the undo did not finish', async () => {
    const e = await repro();
    const d = deps(e.dir);
    expect(await undo(e, {}, d)).toBe(3);
    expect(e.cloud.writes()).toEqual([]);
    expect(e.cloud.snapshot()).toEqual(AFTER_FIX);
    // Only the resource the earlier undo did not finish was read.
    expect(e.cloud.calls.flatMap((c) => c.arns)).toEqual([DOOMED]);
    expect(d.out.text()).toContain(
      'Finished by the earlier undo (not undone again):\n' +
        `  ${ROUTER}  *: already restored by the earlier undo (${e.uA1}); not undone again\n` +
        `  ${SCORER}  *: already restored by the earlier undo (${e.uA1}); not undone again\n`,
    );
    expect(d.out.text()).toContain(`  ${DOOMED}  *: resource not found — deleted since the fix?`);
    expect(d.out.text()).toContain('3 resources written by the journal; 0 already as before; 2 finished by the earlier undo\n');
    expect(d.err.text()).toContain(`partly undone at 2024-06-01T12:00:00.000Z by ${e.uA1} (a resource could not be read or written); this undo finishes it\n`);
    expect(d.err.text()).toContain(
      'tagaudit: A.jsonl: 2 of its 3 resources were finished by the earlier undo and are not undone again; only the other 1 is planned, from its current tags\n',
    );
    expect(d.out.text() + d.err.text()).not.toContain(EMAIL);

    // A CI retry does the same, every time.
    expect(await undo(e)).toBe(3);
    expect(e.cloud.writes()).toEqual([]);
    expect(e.cloud.snapshot()).toEqual(AFTER_FIX);
  });

  it('the dry run shows the same restricted plan (and --format json lists what the earlier undo finished)', async () => {
    const e = await repro();
    const d = deps(e.dir);
    expect(await undo(e, { apply: false, yes: false }, d)).toBe(3);
    expect(d.out.text()).toContain('Undo plan (dry run; nothing written — add --apply): 0 resources to change');
    expect(d.out.text()).not.toContain('(no env)');
    expect(d.err.text()).toContain('this dry run shows what is left to restore\n');

    const j = deps(e.dir);
    expect(await undo(e, { apply: false, yes: false, format: 'json' }, j)).toBe(3);
    const printed = JSON.parse(j.out.text()) as { plan: { resources: unknown[] }; finishedEarlier: unknown[] };
    expect(printed.plan.resources).toEqual([]);
    expect(printed.finishedEarlier).toEqual([
      { arn: ROUTER, key: '*', reason: `already restored by the earlier undo (${e.uA1}); not undone again` },
      { arn: SCORER, key: '*', reason: `already restored by the earlier undo (${e.uA1}); not undone again` },
    ]);
    expect(e.cloud.writes()).toEqual([]);
  });

  it('the deleted function coming back (the Tagging API index caught up) is finished by the retry alone', async () => {
    const e = await repro();
    e.cloud.tags.set(DOOMED, { [ENV]: 'production' });
    expect(await undo(e, { undoJournal: 'uA2.jsonl' })).toBe(0);
    expect(e.cloud.writes().flatMap((c) => c.arns)).toEqual([DOOMED, DOOMED]);
    expect(e.cloud.snapshot()).toEqual({ ...AFTER_FIX, [DOOMED]: ESTATE[DOOMED] });
    expect(journalRecords(join(e.dir, 'A.jsonl')).filter((r) => r.t === 'undone').at(-1)).toMatchObject({ undoJournal: join(e.dir, 'uA2.jsonl'), outcome: 'restored' });
    // Finished: a further undo needs --force.
    expect(await refusal(undo(e))).toContain('this journal was already undone at');
  });

  it('--force plans every resource again, saying what that does', async () => {
    const e = await repro();
    const d = deps(e.dir);
    expect(await undo(e, { force: true }, d)).toBe(3);
    expect(d.err.text()).toContain(
      'tagaudit: A.jsonl: planning every resource again, also those the earlier undo finished (--force): undoing those again would restore the values from before the fix',
    );
    // What --force is for: everything back as before fix A, the e-mail from A's vault included.
    expect(e.cloud.snapshot()).toEqual({ [ROUTER]: ESTATE[ROUTER], [SCORER]: ESTATE[SCORER] });
  });
});

describe('what the earlier undo finished is read from its journal', () => {
  it('its journal missing: --apply refused (exit 2) naming it, before any AWS call; the dry run says so and plans all', async () => {
    const e = await repro();
    rmSync(e.uA1);
    const bytes = readFileSync(join(e.dir, 'A.jsonl'));
    const line = await refusal(undo(e));
    expect(line).toBe(
      `A.jsonl: the journal of its earlier, unfinished undo cannot be read (${e.uA1}: no such file), so which resources that undo restored is unknown; ` +
        "undoing those again would restore the values from before the fix over any of the fix's values written again since (by someone else or another fix): " +
        'add --force to plan every resource again',
    );
    expect(e.cloud.calls).toEqual([]);
    expect(readFileSync(join(e.dir, 'A.jsonl')).equals(bytes)).toBe(true);

    const d = deps(e.dir);
    expect(await undo(e, { apply: false, yes: false }, d)).toBe(3);
    expect(d.err.text()).toContain('this dry run plans every resource (--apply needs --force)\n');
    expect(d.out.text()).toContain('(no env) → env="prod"');
  });

  it('its journal not an undo journal, or damaged: refused the same way, saying why without quoting it', async () => {
    const e = await repro();
    writeFileSync(e.uA1, `{"t":"begin","version":1,"kind":"fix","at":"2024-06-01T12:00:00.000Z","tool":"t","vault":"v"}\n`);
    expect(await refusal(undo(e))).toContain(`(${e.uA1}: it is not the journal of an undo)`);
    writeFileSync(e.uA1, `${EMAIL}\n\n`);
    const line = await refusal(undo(e));
    expect(line).toContain(`(${e.uA1}: line 1: not a journal line`);
    expect(line).not.toContain(EMAIL);
    expect(e.cloud.calls).toEqual([]);
  });

  it('found beside the journal when both were moved together', async () => {
    const e = await repro();
    const moved = join(e.dir, 'moved');
    mkdirSync(moved);
    for (const f of ['A.jsonl', 'A.jsonl.pii-vault.jsonl', 'uA1.jsonl', 'uA1.jsonl.pii-vault.jsonl']) renameSync(join(e.dir, f), join(moved, f));
    const d = deps(moved);
    expect(await runUndo(undoOptions('A.jsonl'), d, { clients: noClients, backend: e.cloud.backend() })).toBe(3);
    expect(d.out.text()).toContain(`  ${ROUTER}  *: already restored by the earlier undo (${join(moved, 'uA1.jsonl')}); not undone again\n`);
    expect(e.cloud.snapshot()).toEqual(AFTER_FIX);
  });

  it('a resource whose writes all landed counts as restored without its done record (killed before it was written)', async () => {
    const e = await repro();
    const lines = readFileSync(e.uA1, 'utf8').split('\n').filter(Boolean);
    const kept = lines.filter((l) => !(JSON.parse(l) as { t: string }).t.match(/^(done|end)$/));
    expect(kept.length).toBeLessThan(lines.length);
    writeFileSync(e.uA1, `${kept.join('\n')}\n`);
    expect(await undo(e)).toBe(3);
    expect(e.cloud.writes()).toEqual([]);
    expect(e.cloud.snapshot()).toEqual(AFTER_FIX);
  });

  it('a resource whose removal never landed is retried (the undo was killed between its restore and its removal)', async () => {
    const e = await repro();
    // Cut the undo journal after the restore of router landed: its removal (UntagResources) never happened.
    const lines = readFileSync(e.uA1, 'utf8').split('\n').filter(Boolean);
    const untag = lines.findIndex((l) => (JSON.parse(l) as { api?: string }).api === 'UntagResources');
    writeFileSync(e.uA1, `${lines.slice(0, untag).join('\n')}\n`);
    // The cloud as that kill left it, and fix B never happened on router.
    e.cloud.tags.set(ROUTER, { env: 'prod', [ENV]: 'production' });
    expect(await undo(e)).toBe(3);
    expect(e.cloud.snapshot()[ROUTER]).toEqual(ESTATE[ROUTER]);
    expect(e.cloud.snapshot()[SCORER]).toEqual(AFTER_FIX[SCORER]);
  });

  it('resources the earlier undo found as before, or left alone, are not undone again either (its journal says so)', async () => {
    const { dir, dictionary } = workspace(ESTATE);
    const e = { dir, dictionary, cloud: new MemoryCloud(ESTATE) };
    await fix(e, 'A.jsonl');
    e.cloud.tags.delete(DOOMED);
    // Before undo A: someone puts router back by hand, and sets scorer's environment to another value.
    e.cloud.tags.set(ROUTER, { ...ESTATE[ROUTER] });
    e.cloud.tags.set(SCORER, { [ENV]: 'staging' });
    const d1 = deps(dir);
    expect(await undo(e, { undoJournal: 'uA1.jsonl' }, d1)).toBe(3);
    const uA1 = join(dir, 'uA1.jsonl');
    // Scorer's e-mail is restored; its environment left alone.
    expect(e.cloud.snapshot()).toEqual({ [ROUTER]: ESTATE[ROUTER], [SCORER]: { [ENV]: 'staging', owner: EMAIL } });
    expect(journalRecords(uA1).filter((r) => r.t === 'done' && r.arn === ROUTER)).toEqual([
      { t: 'done', arn: ROUTER, status: 'already-fixed', detail: 'nothing to undo: already as before the fix' },
    ]);

    // Fix B renames router again; someone sets scorer back to what fix A wrote.
    await fix(e, 'B.jsonl');
    e.cloud.tags.set(SCORER, { [ENV]: 'production', owner: EMAIL });
    e.cloud.calls.length = 0;
    const d = deps(dir);
    expect(await undo(e, {}, d)).toBe(3);
    expect(e.cloud.writes()).toEqual([]);
    expect(e.cloud.snapshot()).toEqual({ [ROUTER]: { [ENV]: 'production' }, [SCORER]: { [ENV]: 'production', owner: EMAIL } });
    expect(d.out.text()).toContain(`  ${ROUTER}  *: already as before the fix when the earlier undo (${uA1}) read it; not undone again\n`);
    expect(d.out.text()).toContain(`  ${SCORER}  *: already restored by the earlier undo (${uA1}); not undone again\n`);
  });

  it('a resource left alone entirely by the earlier undo keeps the undo partial once the rest is finished', async () => {
    const { dir, dictionary } = workspace(ESTATE);
    const e = { dir, dictionary, cloud: new MemoryCloud(ESTATE) };
    await fix(e, 'A.jsonl');
    e.cloud.tags.delete(DOOMED);
    e.cloud.tags.set(ROUTER, { [ENV]: 'staging' });
    expect(await undo(e, { undoJournal: 'uA1.jsonl' })).toBe(3);
    const uA1 = join(dir, 'uA1.jsonl');
    expect(journalRecords(uA1).filter((r) => r.t === 'done' && r.arn === ROUTER)).toEqual([
      { t: 'done', arn: ROUTER, status: 'drifted', detail: 'nothing undone: every key the fix changed was left alone or cannot be restored' },
    ]);
    // Router back at the fix's value (by its owner, or another fix); the deleted function is back in the index.
    e.cloud.tags.set(ROUTER, { [ENV]: 'production' });
    e.cloud.tags.set(DOOMED, { [ENV]: 'production' });
    const d = deps(dir);
    expect(await undo(e, { undoJournal: 'uA2.jsonl' }, d)).toBe(1);
    expect(e.cloud.snapshot()[ROUTER]).toEqual({ [ENV]: 'production' });
    expect(e.cloud.snapshot()[DOOMED]).toEqual(ESTATE[DOOMED]);
    expect(d.out.text()).toContain(`  ${ROUTER}  *: left alone by the earlier undo (${uA1}): changed by someone else since the fix, or not restorable; not undone again\n`);
    expect(journalRecords(join(dir, 'A.jsonl')).filter((r) => r.t === 'undone').at(-1)).toMatchObject({ outcome: 'partial' });
  });

  it('every unfinished undo since the last finished one counts: a later one that recorded nothing does not hide the first', async () => {
    const e = await repro();
    // uA2: an undo of A after uA1, killed right after it recorded "started"; its journal names no resource.
    expect(existsSync(e.uA1)).toBe(true);
    const A = join(e.dir, 'A.jsonl');
    const uA2 = join(e.dir, 'uA2.jsonl');
    writeFileSync(uA2, `${JSON.stringify({ t: 'begin', version: 1, kind: 'undo', at: '2024-06-01T12:00:00.000Z', tool: 't', vault: 'uA2.jsonl.pii-vault.jsonl', undoOf: A })}\n`);
    writeFileSync(A, `${readFileSync(A, 'utf8')}${JSON.stringify({ t: 'undone', at: '2024-06-01T12:00:00.000Z', undoJournal: uA2, outcome: 'started' })}\n`);
    const d = deps(e.dir);
    expect(await undo(e, {}, d)).toBe(3);
    expect(e.cloud.writes()).toEqual([]);
    expect(d.out.text()).toContain(`  ${ROUTER}  *: already restored by the earlier undo (${e.uA1}); not undone again\n`);
  });
});
