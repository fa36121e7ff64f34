import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError, formatLocation } from '../errors.js';
import { digestId, type SecretTags } from './digest.js';
import type { TagDigest } from '../rules/types.js';
import { displayPath } from '../report/display-path.js';
import { sanitize } from '../report/visible-text.js';
import {
  JournalReadError,
  createJournal,
  readJournal,
  reopenJournal,
  JOURNAL_VERSION,
  type JournalWriter,
  type ReadJournal,
  type UndoneRecord,
} from './journal.js';
import { hasDigest, type FixPlan } from './plan.js';
import { Invalid, checkPlan, pathText } from './plan-file.js';
import { openVault, readVault, vaultPathFor, type PiiVault, type VaultReadOptions } from './vault.js';

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
  /** A resumed journal whose run had finished: only its failed or unread resources are in `plan` (see resumeScope). */
  readonly finished?: FinishedRun;
}

/** The flag that names a new journal of this kind: an undo's --journal is the journal it reads. */
function journalFlag(kind: 'fix' | 'undo'): string {
  return kind === 'undo' ? '--undo-journal' : '--journal';
}

function alreadyExists(kind: 'fix' | 'undo'): string {
  return `already exists; a journal is never overwritten (choose another ${journalFlag(kind)})`;
}

/**
 * Refuses (exit 2) a path where a new journal cannot be started: the file exists, or its PII vault's path is taken.
 * Checked before any scan, lock or AWS call (fix --apply, undo --apply), and again when the journal is created.
 */
export function refuseExistingJournal(path: string, kind: 'fix' | 'undo'): void {
  const flag = journalFlag(kind);
  // Named before its vault: when both are taken (a journal that ran before), the journal is what the user named.
  if (lstatSync(path, { throwIfNoEntry: false })) throw new UsageError(`journal ${alreadyExists(kind)}`, path);
  // Found now, not at the first PII write in the middle of the run. A new journal's vault is a new file: raw PII is
  // never appended to a file that was there before (another journal's vault) or written through a link to one.
  const vaultPath = vaultPathFor(path);
  const existing = lstatSync(vaultPath, { throwIfNoEntry: false });
  if (existing) {
    const why = existing.isSymbolicLink()
      ? 'it is a symbolic link (raw PII is never written through a link)'
      : existing.isFile()
        ? `it already exists (a vault left by another journal?); move it away or choose another ${flag}`
        : 'it exists and is not a file';
    throw new UsageError(`cannot use this path for the PII vault: ${why}`, vaultPath);
  }
}

/** Starts a new journal (never overwriting a file) and records the plan in it, flushed before any write. */
export function beginJournal(input: { path: string; kind: 'fix' | 'undo'; plan: FixPlan; now: Date; tool: string; undoOf?: string }): JournalSession {
  const vaultPath = vaultPathFor(input.path);
  const exists = alreadyExists(input.kind);
  refuseExistingJournal(input.path, input.kind);
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

/** A tag of the journal recorded by this digest, as the journal shows it (masked): `key="value"`. */
function shownByDigest(read: ReadJournal, digest: TagDigest): string | undefined {
  const id = digestId(digest);
  const show = (key: string, value: string): string => `${key}=${JSON.stringify(value)}`;
  for (const r of read.records) {
    if (r.t === 'resource') {
      for (const tag of [...r.before, ...r.changes.flatMap((c) => [c.before, c.after])]) {
        if (tag && hasDigest(tag) && digestId(tag.digest) === id) return show(tag.key, tag.value);
      }
    } else if (r.t === 'plan') {
      for (const res of r.plan.resources) {
        for (const tag of res.expectedTags) if (hasDigest(tag) && digestId(tag.digest) === id) return show(tag.key, tag.value);
        for (const e of res.edits) {
          if ((e.op === 'set' || e.op === 'remove') && e.digest && digestId(e.digest) === id) return show(e.key, e.expected);
          if ((e.op === 'add' || e.op === 'set') && e.write && digestId(e.write) === id) return show(e.key, e.value);
        }
      }
    }
  }
  return undefined;
}

/**
 * How a journal's vault is read for `use`: an edited or damaged entry is named by the tag as the journal shows it
 * (masked), with what to do. Undo can go on without the vault (all but the PII it held is restored); a resume appends
 * to it, so it must be restored first.
 */
export function vaultReadOptions(read: ReadJournal, use: 'undo' | 'resume'): VaultReadOptions {
  return {
    shownAs: (digest) => shownByDigest(read, digest),
    advice:
      use === 'undo'
        ? 'restore the vault from a backup to undo everything, or move it away: undo then restores all but the personal data the vault held, which it lists under "Cannot restore"'
        : 'restore the vault from a backup before going on: this run appends to it, and an undo of the journal needs the raw text it keeps',
  };
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
    throw new UsageError(`the journal's plan is invalid: ${err.message} (at plan.${pathText(err.path)})`, read.path, { cause: err });
  }
  return rec.plan;
}

/** The last `undone` record of a journal: how its latest undo went (undefined: it was never undone). */
export function lastUndone(read: ReadJournal): UndoneRecord | undefined {
  for (let i = read.records.length - 1; i >= 0; i--) {
    const r = read.records[i]!;
    if (r.t === 'undone') return r;
  }
  return undefined;
}

/** Whether that undo ran to its end (every resource restored, or held back for a reason a rerun does not change). */
export function undoFinished(r: UndoneRecord): boolean {
  return r.outcome === 'restored' || r.outcome === 'partial';
}

/** "undone at T by U (what came of it)", for messages; the journal's text shown with its control characters visible. */
export function describeUndone(r: UndoneRecord): string {
  const by = sanitize(displayPath(r.undoJournal));
  switch (r.outcome) {
    case 'restored':
      return `undone at ${r.at} by ${by} (everything restored)`;
    case 'partial':
      return `undone at ${r.at} by ${by} (some keys were left alone or could not be restored)`;
    case 'incomplete':
      return `partly undone at ${r.at} by ${by} (a resource could not be read or written)`;
    case 'error':
      return `partly undone at ${r.at} by ${by} (the undo stopped with an error)`;
    case 'started':
      return `partly undone by ${by}, started at ${r.at} and never finished (interrupted?)`;
  }
}

/** A fix journal whose run ended (it has an `end` record), as a resume of it sees it. */
export interface FinishedRun {
  /** When it (or its last resume) ended. */
  readonly at: string;
  /** Resources in its plan. */
  readonly resources: number;
  /** Those whose last outcome was failed or unread: what a resume retries. */
  readonly retried: number;
}

/** What `fix --resume` applies: the journal's plan, or the part of it its finished run failed to write. */
export interface ResumeScope {
  readonly plan: FixPlan;
  readonly finished?: FinishedRun;
}

const STATUS_WORDS: Readonly<Record<string, string>> = {
  fixed: 'written',
  'already-fixed': 'already at the planned tags',
  drifted: 'drifted',
  failed: 'failed',
  unread: 'unread',
};

/**
 * What a resume of this journal may do, or a UsageError (exit 2) saying why it may not. A resume finishes what the
 * journal's run did not: it is refused for an undo journal; for a journal that was undone, even in part (resuming would
 * write the fix again over what the undo restored); and for a run that finished with nothing left to write. A run that
 * finished with resources failed or unread is resumed for those only: a resource it wrote, or found drifted, is never
 * written again (someone may have changed or restored it since). `shown` is the journal as the user named it;
 * `interactive`: whether a terminal can confirm, else a command printed for the user to run carries --yes.
 */
export function resumeScope(read: ReadJournal, shown: string, interactive = true): ResumeScope {
  const begin = read.records[0];
  if (begin?.t === 'begin' && begin.kind !== 'fix') {
    throw new UsageError('this is an undo journal; to finish an interrupted undo, run the same undo again', shown);
  }
  const undone = lastUndone(read);
  if (undone) {
    const next = undoFinished(undone)
      ? 'To fix again, run tagaudit fix: it plans from the current tags'
      : `Finish the undo by running it again (tagaudit undo --journal ${shown} ${interactive ? '--apply' : '--apply --yes'}), or run tagaudit fix to fix again`;
    throw new UsageError(`this fix was ${describeUndone(undone)}; resuming it would write the fix again over what the undo restored. ${next}`, shown);
  }
  const plan = planOf(read);
  let end: string | undefined;
  const last = new Map<string, string>();
  for (const r of read.records) {
    if (r.t === 'end') end = r.at;
    else if (r.t === 'done') last.set(r.arn, r.status);
  }
  if (end === undefined) return { plan };
  const retry = plan.resources.filter((r) => {
    const status = last.get(r.arn);
    return status === 'failed' || status === 'unread';
  });
  if (retry.length === 0) {
    const counts = new Map<string, number>();
    for (const r of plan.resources) {
      const status = last.get(r.arn);
      const word = status === undefined ? 'not reached' : (STATUS_WORDS[status] ?? status);
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    const what = [...counts].map(([word, n]) => `${n} ${word}`).join(', ') || 'nothing to write';
    throw new UsageError(
      `this fix finished at ${end} (${what}); there is nothing to resume. To fix what is still wrong, run tagaudit fix again: it plans from the current tags`,
      shown,
    );
  }
  return { plan: { ...plan, resources: retry }, finished: { at: end, resources: plan.resources.length, retried: retry.length } };
}

/**
 * Reopens a fix journal to continue it: an interrupted run with its whole plan, a finished one for the resources it
 * failed to write (resumeScope, which also says when there is nothing to resume).
 */
export function resumeJournal(path: string, now: Date, shown = path, interactive = true): JournalSession {
  const read = loadJournal(path);
  const { plan, finished } = resumeScope(read, shown, interactive);
  return { ...reopenSession(path, read, plan, now), ...(finished ? { finished } : {}) };
}

/**
 * Reopens a read journal to append to it: its recorded resources and last call number, its vault (never through a
 * link, see beginJournal), and a `resume` record marking where this run starts.
 */
function reopenSession(path: string, read: ReadJournal, plan: FixPlan, now: Date): JournalSession {
  const recorded = new Set<string>();
  let startSeq = 0;
  for (const r of read.records) {
    if (r.t === 'resource') recorded.add(r.arn);
    else if (r.t === 'call') startSeq = Math.max(startSeq, r.seq);
  }
  const vaultPath = vaultOf(read);
  if (lstatSync(vaultPath, { throwIfNoEntry: false })?.isSymbolicLink()) {
    throw new UsageError('cannot use this path for the PII vault: it is a symbolic link (raw PII is never written through a link)', vaultPath);
  }
  const secrets = readVault(vaultPath, vaultReadOptions(read, 'resume'));
  const journal = reopenJournal(path);
  journal.append({ t: 'resume', at: now.toISOString() });
  journal.flushSync();
  return { journal, vault: openVault(vaultPath, secrets), plan, secrets, recorded, startSeq };
}

function samePath(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * Whether a journal is an undo of `undoOf` that never ended (killed, or stopped by a crash): running the same undo
 * again with the same --undo-journal continues it (continueUndoJournal) instead of starting a second undo journal.
 */
export function isUnfinishedUndoOf(read: ReadJournal, undoOf: string): boolean {
  const begin = read.records[0];
  if (begin?.t !== 'begin' || begin.kind !== 'undo' || begin.undoOf === undefined) return false;
  return samePath(begin.undoOf, undoOf) && !read.records.some((r) => r.t === 'end');
}

/**
 * What an --undo-journal path that exists already is for an undo of `undoOf`: 'continue' when it is an unfinished undo
 * of that same journal, else a UsageError (exit 2) saying what to run instead. A path that does not exist is 'new'
 * (its vault path checked as for any new journal). Checked before any lock or AWS call; continueUndoJournal checks
 * again once the lock is held.
 */
export function undoJournalMode(path: string, undoOf: string): 'new' | 'continue' {
  if (!lstatSync(path, { throwIfNoEntry: false })) {
    refuseExistingJournal(path, 'undo');
    return 'new';
  }
  let read: ReadJournal | undefined;
  try {
    read = readJournal(path);
  } catch {
    read = undefined;
  }
  if (read && isUnfinishedUndoOf(read, undoOf)) return 'continue';
  const what = read?.records[0]?.t === 'begin' && read.records[0].kind === 'undo' && read.records.some((r) => r.t === 'end') ? 'journal of an undo that finished' : 'journal';
  throw new UsageError(
    `${what} already exists; a journal is never overwritten (choose another --undo-journal, or leave it out for a new one; only an unfinished undo of this same journal is continued)`,
    path,
  );
}

/**
 * Reopens the journal of an interrupted undo of `undoOf` to continue it with a new `plan` (the undo planned again
 * from the current tags: what is left to restore). Its records stay as they are: the first `resource` record of each
 * resource (what an undo of this undo restores) and its plan record (the first run's plan, of which what is left is
 * a part); a `resume` record marks where this run starts.
 */
export function continueUndoJournal(path: string, undoOf: string, plan: FixPlan, now: Date): JournalSession {
  const read = loadJournal(path);
  if (!isUnfinishedUndoOf(read, undoOf)) throw new UsageError(`journal ${alreadyExists('undo')}`, path);
  return reopenSession(path, read, plan, now);
}
