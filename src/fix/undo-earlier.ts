import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { JournalReadError, readJournal, type JournalRecord, type ReadJournal, type WriteApi } from './journal.js';
import type { PlanEdit } from './plan.js';
import { undoFinished } from './session.js';

/*
 * Finishing an undo that did not finish (killed, or ended with a resource unread or failed) retries only what that
 * undo did not finish, the way `fix --resume` retries only the failed or unread resources of a finished fix. A
 * resource the earlier undo restored is never planned again: its values from before the fix are back, and any of the
 * fix's values it holds now were written since, by someone else or by another fix (which may also have removed PII
 * again, and deleted its vault to make that final). What the earlier undo finished is read from its own journal.
 */

/** How an earlier undo left a resource it finished. */
export type EarlierHow = 'restored' | 'as-before' | 'left-alone';

export interface EarlierFinish {
  /** The undo journal that says so (the path it was found at). */
  readonly undoJournal: string;
  readonly how: EarlierHow;
}

/** Every resource earlier, unfinished undos of a journal finished: not planned again. */
export interface EarlierUndos {
  readonly journals: readonly string[];
  readonly finished: ReadonlyMap<string, EarlierFinish>;
}

/** An earlier undo's journal that cannot be read: which resources it finished is unknown. */
export interface UnreadableUndo {
  /** The path the `undone` record names. */
  readonly undoJournal: string;
  readonly why: string;
}

/*
 * `done` details an undo writes into its own journal for the resources of the journal undone that it read and planned
 * nothing for, before its first write: so that a later run finishing it knows it finished them. (Resources it
 * plans get their `done` records from the applier; resources it could not read, or found gone, get none: a later run
 * retries them, and finds a gone one gone again.)
 */
export const SETTLED_AS_BEFORE = 'nothing to undo: already as before the fix';
export const SETTLED_HELD = 'nothing undone: every key the fix changed was left alone or cannot be restored';

/**
 * The journals of the undos of this journal that did not finish, oldest first: every `undone` record's journal since
 * the last one recording a finished undo (after that, only an undo with --force undoes it again, and it starts
 * afresh).
 */
export function unfinishedUndoJournals(read: ReadJournal): string[] {
  const undone = read.records.filter((r) => r.t === 'undone');
  let from = 0;
  undone.forEach((r, i) => {
    if (undoFinished(r)) from = i + 1;
  });
  return [...new Set(undone.slice(from).map((r) => r.undoJournal))];
}

/** Where an earlier undo's journal is: the path recorded, else beside the journal undone (both moved together). */
function locate(recorded: string, journalPath: string): string | undefined {
  const path = resolve(dirname(journalPath), recorded);
  if (existsSync(path)) return path;
  const beside = join(dirname(journalPath), basename(recorded));
  return existsSync(beside) ? beside : undefined;
}

type Phase = 'tag' | 'untag';

const UNTAG_APIS: ReadonlySet<WriteApi> = new Set<WriteApi>(['UntagResources', 'sagemaker:DeleteTags', 'autoscaling:DeleteTags', 'iam:UntagUser', 'iam:UntagRole']);

function phaseOf(api: WriteApi): Phase {
  return UNTAG_APIS.has(api) ? 'untag' : 'tag';
}

function phasesOf(edits: readonly PlanEdit[]): Set<Phase> {
  const out = new Set<Phase>();
  for (const e of edits) {
    if (e.op === 'remove') out.add('untag');
    else if (e.op === 'rename') {
      out.add('tag');
      out.add('untag');
    } else out.add('tag');
  }
  return out;
}

/** What one resource's state is after an earlier undo's records, in order. */
type State =
  | { readonly kind: 'pending'; readonly needs: ReadonlySet<Phase>; readonly landed: Set<Phase> }
  | { readonly kind: 'unfinished' }
  | { readonly kind: 'finished'; readonly how: EarlierHow };

function finishedBy(status: string): State {
  if (status === 'fixed') return { kind: 'finished', how: 'restored' };
  if (status === 'already-fixed') return { kind: 'finished', how: 'as-before' };
  if (status === 'drifted') return { kind: 'finished', how: 'left-alone' };
  return { kind: 'unfinished' };
}

/**
 * Follows one undo journal's records. A resource its plan names is pending until a `done` record says how it ended;
 * one whose every needed write (restore, then removal) AWS answered as done counts as restored even without one (the
 * undo was killed after its last write). A resource the journal does not name keeps the state it had.
 */
function follow(records: readonly JournalRecord[], states: Map<string, State & { journal: string }>, journal: string): void {
  const calls = new Map<number, { phase: Phase; arns: readonly string[] }>();
  for (const r of records) {
    if (r.t === 'plan') {
      for (const p of r.plan.resources) states.set(p.arn, { kind: 'pending', needs: phasesOf(p.edits), landed: new Set(), journal });
    } else if (r.t === 'call') {
      calls.set(r.seq, { phase: phaseOf(r.api), arns: r.arns });
    } else if (r.t === 'result') {
      const call = calls.get(r.seq);
      if (!call) continue;
      for (const arn of r.ok) {
        const s = states.get(arn);
        if (s?.kind !== 'pending' || s.journal !== journal) continue;
        s.landed.add(call.phase);
        if ([...s.needs].every((p) => s.landed.has(p))) states.set(arn, { kind: 'finished', how: 'restored', journal });
      }
    } else if (r.t === 'done') {
      states.set(r.arn, { ...finishedBy(r.status), journal });
    } else if (r.t === 'resume') {
      // A continued undo journal: its run plans again what is unfinished, and that plan is not recorded: such a
      // resource counts as restored by calls only once both a restore and a removal landed for it.
      for (const [arn, s] of states) {
        if (s.journal === journal && s.kind === 'unfinished') states.set(arn, { kind: 'pending', needs: new Set<Phase>(['tag', 'untag']), landed: new Set(), journal });
      }
    }
  }
}

/**
 * What the unfinished undos of a journal finished, from their own journals; or the first of those journals that cannot
 * be read (then nobody knows which resources that undo restored).
 */
export function readEarlierUndos(read: ReadJournal): EarlierUndos | { readonly unreadable: UnreadableUndo } {
  const journals: string[] = [];
  const states = new Map<string, State & { journal: string }>();
  for (const recorded of unfinishedUndoJournals(read)) {
    const path = locate(recorded, read.path);
    if (path === undefined) return { unreadable: { undoJournal: recorded, why: 'no such file' } };
    let undo: ReadJournal;
    try {
      undo = readJournal(path);
    } catch (err) {
      if (!(err instanceof JournalReadError)) throw err;
      return { unreadable: { undoJournal: recorded, why: err.line > 0 ? `line ${err.line}: ${err.message}` : err.message } };
    }
    const begin = undo.records[0];
    if (begin?.t !== 'begin' || begin.kind !== 'undo') return { unreadable: { undoJournal: recorded, why: 'it is not the journal of an undo' } };
    journals.push(path);
    follow(undo.records, states, path);
  }
  const finished = new Map<string, EarlierFinish>();
  for (const [arn, s] of states) if (s.kind === 'finished') finished.set(arn, { undoJournal: s.journal, how: s.how });
  return { journals, finished };
}

/** The reason shown for a resource an earlier undo finished (the journal's path as found). */
export function earlierReason(f: EarlierFinish): string {
  switch (f.how) {
    case 'restored':
      return `already restored by the earlier undo (${f.undoJournal}); not undone again`;
    case 'as-before':
      return `already as before the fix when the earlier undo (${f.undoJournal}) read it; not undone again`;
    case 'left-alone':
      return `left alone by the earlier undo (${f.undoJournal}): changed by someone else since the fix, or not restorable; not undone again`;
  }
}
