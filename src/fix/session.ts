import { existsSync, lstatSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError, formatLocation } from '../errors.js';
import type { SecretTags } from './digest.js';
import { JournalReadError, createJournal, readJournal, reopenJournal, JOURNAL_VERSION, type JournalWriter, type ReadJournal } from './journal.js';
import type { FixPlan } from './plan.js';
import { Invalid, checkPlan } from './plan-file.js';
import { openVault, readVault, vaultPathFor, type PiiVault } from './vault.js';

/** A journal open for writing, with its PII vault and what a resumed run must know. */
export interface JournalSession {
  readonly journal: JournalWriter;
  readonly vault: PiiVault;
  readonly plan: FixPlan;
  /** Raw PII known from the vault (empty for a new journal). */
  readonly secrets: SecretTags;
  /** ARNs that already have a `resource` record (their first record is what undo restores). */
  readonly recorded: ReadonlySet<string>;
  /** Last call sequence number in the journal. */
  readonly startSeq: number;
}

/** Starts a new journal (never overwriting a file) and records the plan in it, flushed before any write. */
export function beginJournal(input: { path: string; kind: 'fix' | 'undo'; plan: FixPlan; now: Date; tool: string; undoOf?: string }): JournalSession {
  const vaultPath = vaultPathFor(input.path);
  // The flag that names this journal: an undo's --journal is the journal it reads.
  const flag = input.kind === 'undo' ? '--undo-journal' : '--journal';
  const exists = `already exists; a journal is never overwritten (choose another ${flag})`;
  // Named before its vault: when both are taken (a journal that ran before), the journal is what the user named.
  if (lstatSync(input.path, { throwIfNoEntry: false })) throw new UsageError(`journal ${exists}`, input.path);
  // Found now, not at the first PII write in the middle of the run. A new journal's vault is a new file: raw PII is
  // never appended to a file that was there before (another journal's vault) or written through a link to one.
  const existing = lstatSync(vaultPath, { throwIfNoEntry: false });
  if (existing) {
    const why = existing.isSymbolicLink()
      ? 'it is a symbolic link (raw PII is never written through a link)'
      : existing.isFile()
        ? `it already exists (a vault left by another journal?); move it away or choose another ${flag}`
        : 'it exists and is not a file';
    throw new UsageError(`cannot use this path for the PII vault: ${why}`, vaultPath);
  }
  let journal: JournalWriter;
  try {
    journal = createJournal(input.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' ? exists : `cannot be created (${code ?? String(err)})`;
    throw new UsageError(`journal ${why}`, input.path, { cause: err });
  }
  journal.append({
    t: 'begin',
    version: JOURNAL_VERSION,
    kind: input.kind,
    at: input.now.toISOString(),
    tool: input.tool,
    vault: basename(vaultPath),
    ...(input.undoOf ? { undoOf: input.undoOf } : {}),
  });
  journal.append({ t: 'plan', plan: input.plan });
  journal.flushSync();
  return { journal, vault: openVault(vaultPath, new Map(), { create: 'new' }), plan: input.plan, secrets: new Map(), recorded: new Set(), startSeq: 0 };
}

/** Reads a journal for undo or resume; a bad file is a UsageError at file:line. */
export function loadJournal(path: string): ReadJournal {
  try {
    return readJournal(path);
  } catch (err) {
    if (err instanceof JournalReadError) throw new UsageError(err.message, formatLocation(path, err.line || undefined), { cause: err });
    throw err;
  }
}

/** Where a journal's PII vault is: the file found (else the one its begin record names), and every place looked. */
export interface VaultLocation {
  readonly path: string;
  readonly found: boolean;
  readonly lookedFor: readonly string[];
}

/**
 * The vault of a journal: the file its begin record names, beside the journal; failing that, `<journal>.pii-vault.jsonl`
 * (a journal renamed together with its vault). Taking the wrong vault is harmless: an entry is used only for the
 * digest of its own key and value.
 */
export function locateVault(read: ReadJournal): VaultLocation {
  const begin = read.records[0];
  const beside = vaultPathFor(read.path);
  const named = begin && begin.t === 'begin' ? join(dirname(read.path), begin.vault) : beside;
  const lookedFor = named === beside ? [named] : [named, beside];
  const found = lookedFor.find((p) => existsSync(p));
  return { path: found ?? named, found: found !== undefined, lookedFor };
}

/** The vault file of a journal (see locateVault). */
export function vaultOf(read: ReadJournal): string {
  return locateVault(read).path;
}

/** The plan a journal recorded. */
export function planOf(read: ReadJournal): FixPlan {
  const rec = read.records.find((r) => r.t === 'plan');
  if (!rec || rec.t !== 'plan') throw new UsageError('the journal holds no plan (the run stopped before writing anything)', read.path);
  // A journal is a file like any other: its plan gets the same checks as a --plan file (no aws: keys, only PII removals).
  try {
    checkPlan(rec.plan);
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    throw new UsageError(`the journal's plan is invalid: ${err.message} (at plan.${err.path.join('.')})`, read.path, { cause: err });
  }
  return rec.plan;
}

/** Reopens an interrupted fix journal to continue it with the same plan. */
export function resumeJournal(path: string, now: Date): JournalSession {
  const read = loadJournal(path);
  const begin = read.records[0];
  if (begin?.t === 'begin' && begin.kind !== 'fix') {
    throw new UsageError('this is an undo journal; to finish an interrupted undo, run the same undo again', path);
  }
  const plan = planOf(read);
  const recorded = new Set<string>();
  let startSeq = 0;
  for (const r of read.records) {
    if (r.t === 'resource') recorded.add(r.arn);
    else if (r.t === 'call') startSeq = Math.max(startSeq, r.seq);
  }
  const vaultPath = vaultOf(read);
  // Appended to below: never through a link (see beginJournal).
  if (lstatSync(vaultPath, { throwIfNoEntry: false })?.isSymbolicLink()) {
    throw new UsageError('cannot use this path for the PII vault: it is a symbolic link (raw PII is never written through a link)', vaultPath);
  }
  const secrets = readVault(vaultPath);
  const journal = reopenJournal(path);
  journal.append({ t: 'resume', at: now.toISOString() });
  journal.flushSync();
  return { journal, vault: openVault(vaultPath, secrets), plan, secrets, recorded, startSeq };
}
