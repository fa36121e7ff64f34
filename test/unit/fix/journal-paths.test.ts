import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliDeps } from '../../../src/cli/deps.js';
import { runFix } from '../../../src/fix/fix-command.js';
import { defaultJournalName } from '../../../src/fix/journal.js';
import { NON_PII_FIX_TYPES } from '../../../src/fix/plan.js';
import { runUndo, type UndoOptions } from '../../../src/fix/undo-command.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { bufferOut } from '../../support/cli.js';
import { RENAMED, WITH_PII, fixedJournal, journalRecords, type FixedJournal } from './fixed-journal.js';
import { hang } from './memory-cloud.js';
import { tempDir } from './run.js';

const noClients = (): ClientFactory => {
  throw new Error('no AWS in unit tests');
};

function deps(dir: string): CliDeps & { out: ReturnType<typeof bufferOut>; err: ReturnType<typeof bufferOut> } {
  const out = bufferOut();
  const err = bufferOut();
  return { stdout: out, stderr: err, out, err, env: {}, cwd: dir, now: () => new Date('2024-06-01T12:00:00Z'), interactive: false };
}

function undo(f: FixedJournal, o: Partial<UndoOptions>, d = deps(f.dir)): Promise<number> {
  return runUndo({ journal: f.journal, apply: true, yes: true, format: 'table', quiet: false, ...o }, d, { clients: noClients, backend: f.cloud.backend() });
}

/** Starts `undo --apply --undo-journal u.jsonl` and stops it for good at its second write call, as a kill -9 would. */
async function killedUndo(f: FixedJournal): Promise<void> {
  let reached!: () => void;
  const stopped = new Promise<void>((r) => (reached = r));
  const fixCalls = f.cloud.writes().length;
  f.cloud.hook = (_call, n) => {
    if (n - fixCalls < 2) return;
    reached();
    return hang();
  };
  void undo(f, { undoJournal: 'u.jsonl' });
  await stopped;
  await new Promise((r) => setTimeout(r, 20));
  f.cloud.hook = undefined;
  // The killed process's locks: stale (their takeover is tested with real processes in journal-lock tests).
  for (const lock of [`${f.journal}.lock`, join(f.dir, 'u.jsonl.lock')]) rmSync(lock, { force: true });
}

describe('the same undo run again with the same --undo-journal', () => {
  it('continues the unfinished undo journal of this journal: appended to, one undo journal, everything restored', async () => {
    const f = await fixedJournal();
    const fixed = f.cloud.snapshot();
    await killedUndo(f);
    const u = join(f.dir, 'u.jsonl');
    const killedRecords = journalRecords(u);
    expect(killedRecords.some((r) => r.t === 'end')).toBe(false);
    expect(f.cloud.snapshot()).not.toEqual(fixed);
    expect(f.cloud.writes().length).toBeGreaterThan(0);

    const d = deps(f.dir);
    expect(await undo(f, { undoJournal: 'u.jsonl' }, d)).toBe(0);
    expect(d.err.text()).toContain(`undo journal: ${u} (continued: the unfinished undo of this journal)`);
    expect(d.err.text()).not.toContain('already exists');

    const records = journalRecords(u);
    // The killed run's records stay as they were; this run's follow a resume record, and the journal ends once.
    expect(records.slice(0, killedRecords.length)).toEqual(killedRecords);
    expect(records.slice(killedRecords.length)[0]).toMatchObject({ t: 'resume' });
    expect(records.filter((r) => r.t === 'begin' || r.t === 'plan' || r.t === 'end').map((r) => r.t)).toEqual(['begin', 'plan', 'end']);
    const seqs = records.filter((r) => r.t === 'call').map((r) => r.seq as number);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(readdirSync(f.dir).filter((n) => n.startsWith('tagaudit-undo-journal-'))).toEqual([]);
    expect(journalRecords(f.journal).at(-1)).toMatchObject({ t: 'undone', undoJournal: u, outcome: 'restored' });
    expect(f.cloud.snapshot()).toEqual({ [RENAMED.arn]: RENAMED.tags, [WITH_PII.arn]: WITH_PII.tags });

    // The continued journal is one undo: undoing it brings the fix's state back.
    expect(await runUndo({ journal: u, apply: true, yes: true, format: 'table', quiet: false }, deps(f.dir), { clients: noClients, backend: f.cloud.backend() })).toBe(0);
    expect(f.cloud.snapshot()).toEqual(fixed);
  });

  it('an --undo-journal that is not an unfinished undo of this journal is refused before any lock or AWS call', async () => {
    const f = await fixedJournal();
    expect(await undo(f, { undoJournal: 'u.jsonl' })).toBe(0);
    const other = join(f.dir, 'other.jsonl');
    writeFileSync(other, 'not a journal\n');
    for (const [name, what] of [
      ['u.jsonl', 'journal of an undo that finished'],
      ['other.jsonl', 'journal'],
      ['fix.jsonl', 'journal'],
    ] as const) {
      const calls = f.cloud.calls.length;
      await expect(undo(f, { undoJournal: name, force: true })).rejects.toThrow(
        expect.objectContaining({
          location: join(f.dir, name),
          message: `${what} already exists; a journal is never overwritten (choose another --undo-journal, or leave it out for a new one; only an unfinished undo of this same journal is continued)`,
        }),
      );
      expect(f.cloud.calls.length).toBe(calls);
      expect(existsSync(`${f.journal}.lock`)).toBe(false);
    }
  });
});

describe('fix --apply with a --journal that exists', () => {
  it('is refused before the scan, the lock or any AWS call', async () => {
    const dir = tempDir();
    const journal = join(dir, 'j.jsonl');
    writeFileSync(journal, '{"t":"begin"}\n');
    writeFileSync(join(dir, 'd.yaml'), 'version: 1\nname: t\ntags:\n  - key: team\n    category: workload\n    purpose: Team\n');
    let scanned = false;
    const d = deps(dir);
    const run = runFix(
      {
        scan: { dictionary: join(dir, 'd.yaml'), inventories: [], strictInventory: false, format: 'table', failOn: 'error', colorFlag: false, quiet: false },
        apply: true,
        yes: true,
        journal: 'j.jsonl',
        fixTypes: new Set(NON_PII_FIX_TYPES),
        fixTypesGiven: false,
        liveFlags: [],
      },
      d,
      {
        clients: noClients,
        openLive: () => {
          scanned = true;
          throw new Error('the scan must not start');
        },
      },
    );
    await expect(run).rejects.toThrow(
      expect.objectContaining({ location: journal, message: 'journal already exists; a journal is never overwritten (choose another --journal)' }),
    );
    expect(scanned).toBe(false);
    expect(d.out.text()).toBe('');
    expect(existsSync(`${journal}.lock`)).toBe(false);
  });
});

describe('default journal names', () => {
  it('differ between runs started in the same second (milliseconds and process id) and sort by start time', () => {
    const t = new Date('2024-06-01T12:00:00.250Z');
    expect(defaultJournalName(t, 'fix', 4242)).toBe('tagaudit-journal-20240601T120000.250Z-4242.jsonl');
    expect(defaultJournalName(t, 'undo', 4242)).toBe('tagaudit-undo-journal-20240601T120000.250Z-4242.jsonl');
    expect(defaultJournalName(t, 'fix', 1)).not.toBe(defaultJournalName(t, 'fix', 2));
    expect(defaultJournalName(new Date('2024-06-01T12:00:00.001Z'), 'fix', 1)).not.toBe(defaultJournalName(new Date('2024-06-01T12:00:00.002Z'), 'fix', 1));
    const names = [
      defaultJournalName(new Date('2024-06-01T12:00:01.000Z'), 'fix', 7),
      defaultJournalName(new Date('2024-06-01T12:00:00.999Z'), 'fix', 99999),
      defaultJournalName(new Date('2024-06-01T11:59:59.000Z'), 'fix', 123),
    ];
    expect([...names].sort()).toEqual([names[2], names[1], names[0]]);
  });
});
