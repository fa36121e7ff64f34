import { resolve } from 'node:path';
import { EXIT } from '../cli/exit-codes.js';
import { compilePolicy } from '../dictionary/policy.js';
import { UsageError } from '../errors.js';
import { DEFAULT_PII_POLICY } from '../pii/policy.js';
import type { ClientFactory } from '../scan/clients.js';
import { toolVersion } from '../version.js';
import { applyPlan, type ApplyResult } from './apply.js';
import { awsTagBackend } from './aws-backend.js';
import type { TagBackend } from './backend.js';
import { confirm } from './confirm.js';
import type { CliDeps, TextOut } from '../cli/deps.js';
import { appendRecordSync, defaultJournalName, type ReadJournal, type UndoneRecord, type UndoOutcome } from './journal.js';
import { undoJournalHint } from './journal-hint.js';
import { lockJournal, lockPathFor, type JournalLock } from './journal-lock.js';
import { policyResourceMasker } from './mask.js';
import { summarizePlan } from './plan.js';
import { renderApply, statusCounts } from './render-apply.js';
import { renderPlan } from './render-plan.js';
import {
  beginJournal,
  continueUndoJournal,
  describeUndone,
  lastUndone,
  loadJournal,
  locateVault,
  refuseExistingJournal,
  undoFinished,
  undoJournalMode,
  type JournalSession,
} from './session.js';
import type { UndoNote } from './undo.js';
import { prepareUndo, type PreparedUndo } from './undo-run.js';
import { readEarlierUndos, type EarlierUndos } from './undo-earlier.js';
import { checkOutputPath } from './output-path.js';
import { verifyApplied, type VerifiedResource } from './verify.js';
import { printedPlan } from './printed-plan.js';
import { DEFAULT_ARN_MASK } from '../report/arn-display.js';
import { displayPath } from '../report/display-path.js';
import { sanitize, visibleLines } from '../report/visible-text.js';
import { vaultNote } from './vault.js';

export interface UndoOptions {
  /** The journal of the run to undo. */
  readonly journal: string;
  readonly apply: boolean;
  readonly yes: boolean;
  /** Where this undo's own journal goes (it can itself be undone). */
  readonly undoJournal?: string;
  readonly format: 'table' | 'json';
  readonly quiet: boolean;
  /** Undo (with --apply) a journal that an earlier undo already finished undoing. */
  readonly force?: boolean;
}

export interface UndoWiring {
  readonly clients: () => ClientFactory;
  readonly backend?: TagBackend;
}

export function checkUndoFlags(o: UndoOptions, interactive: boolean): void {
  if (o.journal.trim() === '') throw new UsageError('--journal needs the journal file of the run to undo');
  if (o.yes && !o.apply) throw new UsageError('--yes confirms --apply; without --apply nothing is written (dry run)');
  if (o.undoJournal !== undefined && !o.apply) throw new UsageError('--undo-journal records an --apply run; a dry run writes nothing');
  if (o.apply && !o.yes && !interactive) throw new UsageError('--apply needs --yes when no terminal can confirm (stdin is not a TTY)');
}

/**
 * A list of notes for the terminal; keys come from the journal and AWS (an EC2 key may hold any character). The
 * journal's ARNs are raw: e-mail addresses in them are masked (undo reads no dictionary: default PII settings).
 */
function notesText(title: string, notes: readonly UndoNote[]): string {
  if (notes.length === 0) return '';
  return `${visibleLines([title, ...notes.map((n) => DEFAULT_ARN_MASK(`  ${n.arn}  ${n.key}: ${n.reason}`))])}\n`;
}

/** JSON for stdout: the journal's raw ARNs with their e-mail addresses masked. */
function printedJson(value: unknown): string {
  return `${DEFAULT_ARN_MASK(JSON.stringify(value, null, 2))}\n`;
}

/** A journal's path in a note: personal data masked (docs/pii.md, "File names"), control characters made visible. */
function shownJournal(path: string): string {
  return sanitize(displayPath(path));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** An earlier undo of the journal, and what its unfinished undos finished (left out of this undo's plan). */
interface EarlierUndo {
  readonly prior?: UndoneRecord;
  readonly earlier?: EarlierUndos;
}

/**
 * An earlier undo of this journal, said before anything is read from AWS. One that ran to its end makes an --apply
 * without --force exit 2: undoing again would put the values from before the fix back over any of the fix's values
 * written again since (a resume, another fix). One that did not finish (interrupted, a failed read or write) is what
 * running the same undo again is for: noted, and the undo goes on with only what that undo did not finish (read from
 * its journal, see undo-earlier.ts) — a resource it restored holds the fix's values again only if someone or another
 * fix wrote them since. When that journal cannot be read, an --apply without --force exits 2. --force plans every
 * resource again, as undoing a finished undo again does.
 */
function checkEarlierUndo(read: ReadJournal, o: UndoOptions, notes: TextOut): EarlierUndo {
  const prior = lastUndone(read);
  if (!prior) return {};
  const shown = shownJournal(o.journal);
  if (undoFinished(prior)) {
    const again = 'undoing it again restores the values from before the fix over any of the fix\'s values written again since (by a resume or another fix)';
    if (o.apply && !o.force) throw new UsageError(`this journal was already ${describeUndone(prior)}; ${again}: add --force to undo it again`, displayPath(o.journal));
    notes.write(`tagaudit: ${shown}: already ${describeUndone(prior)}; ${o.apply ? 'undoing it again (--force)' : `${again} (--apply needs --force)`}\n`);
    return { prior };
  }
  notes.write(`tagaudit: ${shown}: ${describeUndone(prior)}; ${o.apply ? 'this undo finishes it' : 'this dry run shows what is left to restore'}\n`);
  const again = 'undoing those again would restore the values from before the fix over any of the fix\'s values written again since (by someone else or another fix)';
  if (o.force) {
    notes.write(`tagaudit: ${shown}: planning every resource again, also those the earlier undo finished (--force): ${again}\n`);
    return { prior };
  }
  const earlier = readEarlierUndos(read);
  if ('unreadable' in earlier) {
    const { undoJournal, why } = earlier.unreadable;
    const cannot = `the journal of its earlier, unfinished undo cannot be read (${shownJournal(undoJournal)}: ${why}), so which resources that undo restored is unknown; ${again}`;
    if (o.apply) throw new UsageError(`${cannot}: add --force to plan every resource again`, displayPath(o.journal));
    notes.write(`tagaudit: ${shown}: ${cannot}; this dry run plans every resource (--apply needs --force)\n`);
    return { prior };
  }
  return { prior, earlier };
}

/** Says which resources an earlier undo finished and how many are left (after prepareUndo). */
function noteEarlier(prepared: PreparedUndo, o: UndoOptions, notes: TextOut): void {
  const n = prepared.finishedEarlier.length;
  if (n === 0) return;
  const left = prepared.targets - n;
  notes.write(
    `tagaudit: ${shownJournal(o.journal)}: ${n} of its ${plural(prepared.targets, 'resource')} ${n === 1 ? 'was' : 'were'} finished by the earlier undo and ${n === 1 ? 'is' : 'are'} not undone again; ` +
      `${left === 0 ? 'none is left' : `only the other ${left} ${left === 1 ? 'is' : 'are'} planned, from ${left === 1 ? 'its' : 'their'} current tags`}\n`,
  );
}

/** The outcome an `undone` record gives for the exit code of an undo --apply that ran to its end. */
function outcomeOf(code: number): UndoOutcome {
  return code === EXIT.OK ? 'restored' : code === EXIT.FINDINGS ? 'partial' : 'incomplete';
}

/** Appends `undone` records to the journal being undone (see undoneRecorder). */
type UndoneRecorder = (undoJournal: string, outcome: UndoOutcome, counts?: Record<string, number>) => void;

/**
 * Records in the journal being undone how an undo of it goes (`undone` records), so that a later `fix --resume` of it
 * refuses and a later undo of it warns. A journal that cannot be appended to (read-only media) is said once, on
 * stderr, and the undo goes on: the undo itself is what the user asked for.
 */
function undoneRecorder(target: string, o: UndoOptions, deps: CliDeps): UndoneRecorder {
  let failed = false;
  return (undoJournal, outcome, counts) => {
    if (failed) return;
    try {
      appendRecordSync(target, { t: 'undone', at: deps.now().toISOString(), undoJournal, outcome, ...(counts ? { counts } : {}) });
    } catch (err) {
      failed = true;
      const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : String(err);
      deps.stderr.write(
        `tagaudit: ${shownJournal(o.journal)}: cannot record in it that it was undone (${code}); a later fix --resume of it will not know: do not resume it\n`,
      );
    }
  };
}

/**
 * An --apply that itself wrote nothing: when an earlier undo of the journal did not finish (killed after its last
 * write, or stopped by a failure that has cleared since) and nothing is left to restore but what is held back, that
 * undo is finished now, and the journal says so (`restored`, or `partial` when keys are left alone), naming the undo
 * that wrote. Otherwise nothing is recorded: this run undid nothing.
 */
function settleEarlierUndo(prior: UndoneRecord | undefined, code: number, record: UndoneRecorder, o: UndoOptions, notes: TextOut, planned: boolean): void {
  const shown = shownJournal(o.journal);
  if (prior && !undoFinished(prior) && code !== EXIT.INCOMPLETE) {
    record(prior.undoJournal, outcomeOf(code));
    notes.write(`tagaudit: ${shown}: its undo by ${shownJournal(prior.undoJournal)} is finished (nothing more to write); recorded in the journal\n`);
    return;
  }
  if (planned) notes.write(`tagaudit: ${shown}: this undo wrote nothing, so nothing is recorded in the journal\n`);
}

/** `tagaudit undo --journal FILE`: restore every key a fix changed (dry run unless --apply). Returns the exit code. */
export async function runUndo(o: UndoOptions, deps: CliDeps, wiring: UndoWiring): Promise<number> {
  checkUndoFlags(o, deps.interactive);
  if (o.undoJournal !== undefined) checkOutputPath(resolve(deps.cwd, o.undoJournal));
  const out = o.quiet ? { write: () => true } : deps.stdout;
  const notes = o.quiet ? { write: () => true } : deps.stderr;
  const journalPath = resolve(deps.cwd, o.journal);
  const undoJournalPath = resolve(deps.cwd, o.undoJournal ?? defaultJournalName(deps.now(), 'undo'));
  // Before any lock, read or AWS call: an --undo-journal that exists is refused, unless it is an unfinished undo of
  // this same journal (killed): running the same undo again continues it, appending to it.
  let undoMode: 'new' | 'continue' = 'new';
  if (o.apply) {
    if (o.undoJournal !== undefined) undoMode = undoJournalMode(undoJournalPath, journalPath);
    else refuseExistingJournal(undoJournalPath, 'undo');
  }
  // An --apply holds two locks from the start, before any AWS call: the journal it undoes (no `fix --resume` of it,
  // and no other undo of it, runs meanwhile) and its own journal. A dry run takes none.
  const locks: JournalLock[] = [];
  let factory: ClientFactory | undefined;
  const clients = (): ClientFactory => (factory ??= wiring.clients());
  try {
    if (o.apply) {
      const lockOptions = { command: 'tagaudit undo --apply', now: deps.now(), stderr: deps.stderr };
      locks.push(lockJournal(journalPath, { ...lockOptions, existing: 'read' }));
      // The same path for both was refused above (an existing --undo-journal that is not an unfinished undo of it).
      if (lockPathFor(undoJournalPath) !== lockPathFor(journalPath)) {
        locks.push(lockJournal(undoJournalPath, { ...lockOptions, ...(undoMode === 'continue' ? { existing: 'append' as const } : {}) }));
      }
    }
    // Read once, with its lock held: an earlier undo of it is known before any AWS client exists.
    const read = loadJournal(journalPath);
    const { prior, earlier } = checkEarlierUndo(read, o, notes);
    const recordUndone = undoneRecorder(journalPath, o, deps);
    const backend = wiring.backend ?? awsTagBackend(clients());
    // Undo needs no dictionary: PII is recognised by the journal's digests and the default detectors.
    const maskResource = policyResourceMasker(compilePolicy({ pii: DEFAULT_PII_POLICY, tags: [] }));
    const prepared = await prepareUndo({
      journalPath,
      read,
      backend,
      maskResource,
      createdAt: deps.now().toISOString(),
      toolVersion: toolVersion(),
      ...(earlier ? { earlier } : {}),
    });
    noteEarlier(prepared, o, notes);
    // Keys the earlier undo left alone are still held back: the undo as a whole is partial.
    const held = [...prepared.leftAlone, ...prepared.unrestorable, ...prepared.unread, ...prepared.finishedEarlier.filter((n) => n.held)];
    // Gone resources are not held back: nothing of them is left to restore, so they do not change the exit code.
    const heldText =
      notesText('Finished by the earlier undo (not undone again):', prepared.finishedEarlier) +
      notesText('Left alone (changed by someone else since the fix, or kept so that no value is lost):', prepared.leftAlone) +
      notesText('Cannot restore:', prepared.unrestorable) +
      notesText('Not read (nothing planned):', prepared.unread) +
      notesText('Gone (deleted since the fix):', prepared.gone);
    if (!prepared.vaultFound && prepared.unrestorable.length > 0) {
      // Where the vault was looked for: prepareUndo does not say.
      const { lookedFor } = locateVault(read);
      // The vault's name comes from the journal: shown with its control characters made visible.
      notes.write(visibleLines([`tagaudit: the PII vault of this journal is missing (looked for ${lookedFor.map((p) => displayPath(p)).join(' and ')}): removed PII cannot be restored`]));
    }

    // Edits counted as the fix counted those they undo (a rename undone is one, of the fix's kind).
    const summary = { ...summarizePlan(prepared.plan), ...prepared.undone };
    if (!o.apply || prepared.plan.resources.length === 0) {
      if (o.format === 'json') out.write(printedJson(undoJson(prepared)));
      else {
        out.write(heldText);
        out.write(renderPlan(prepared.plan, { title: o.apply ? 'Undo' : 'Undo plan (dry run; nothing written — add --apply)', undo: true, summary }));
        const gone = prepared.gone.length > 0 ? `; ${prepared.gone.length} gone (deleted since the fix)` : '';
        const finished = prepared.finishedEarlier.length > 0 ? `; ${prepared.finishedEarlier.length} finished by the earlier undo` : '';
        out.write(`${plural(prepared.targets, 'resource')} written by the journal; ${prepared.alreadyOriginal} already as before${gone}${finished}\n`);
      }
      const code =
        prepared.unread.length > 0 ? EXIT.INCOMPLETE : (prepared.plan.resources.length > 0 && !o.apply) || held.length > 0 ? EXIT.FINDINGS : EXIT.OK;
      if (o.apply) settleEarlierUndo(prior, code, recordUndone, o, notes, false);
      return code;
    }

    if (o.format !== 'json') out.write(heldText + renderPlan(prepared.plan, { title: 'Undo plan', undo: true, summary }));
    if (!o.yes) {
      const s = summarizePlan(prepared.plan);
      if (!(await confirm(deps, `Restore ${plural(s.edits, 'key')} on ${plural(s.resources, 'resource')}? [y/N] `))) {
        notes.write('tagaudit: not applied\n');
        return EXIT.OK;
      }
    }
    const session: JournalSession =
      undoMode === 'continue'
        ? continueUndoJournal(undoJournalPath, journalPath, prepared.plan, deps.now())
        : beginJournal({ path: undoJournalPath, kind: 'undo', plan: prepared.plan, now: deps.now(), tool: `tagaudit ${toolVersion()}`, undoOf: journalPath });
    deps.stderr.write(
      undoMode === 'continue'
        ? `tagaudit: undo journal: ${session.journal.path} (continued: the unfinished undo of this journal)\n`
        : `tagaudit: undo journal: ${session.journal.path}\n`,
    );
    // Before the first write: the resources this undo read and plans nothing for are finished by it, so that a run
    // that finishes this undo (if it does not finish) leaves them alone too (see undo-earlier.ts).
    for (const s of prepared.settled) session.journal.append({ t: 'done', arn: s.arn, status: s.status, detail: s.detail });
    session.journal.flushSync();
    // Recorded in the journal undone just before the first write call is sent, and again with the outcome once this
    // undo ends. An undo that sends no write (every resource unread, drifted or already as before) undid nothing.
    const undoJournal = session.journal.path;
    let wrote = false;
    const onCall = (): void => {
      if (wrote) return;
      wrote = true;
      recordUndone(undoJournal, 'started');
    };
    let result: ApplyResult | undefined;
    let code: number;
    let verified: VerifiedResource[];
    try {
      try {
        result = await applyPlan({
          runKind: 'undo',
          interactive: deps.interactive,
          hint: undoJournalHint(journalPath, undoJournal, deps.interactive),
          plan: prepared.plan,
          backend,
          journal: session.journal,
          vault: session.vault,
          // A continued undo journal: its own vault's entries too, its resources' first records kept, its calls numbered on.
          secrets: session.secrets.size > 0 ? new Map([...session.secrets, ...prepared.secrets]) : prepared.secrets,
          recorded: session.recorded,
          startSeq: session.startSeq,
          now: deps.now,
          maskResource,
          onCall,
        });
        session.journal.append({ t: 'end', at: deps.now().toISOString(), counts: { ...statusCounts(result) } });
      } finally {
        await session.journal.close();
        await session.vault.close();
        const stored = vaultNote(session.vault);
        if (stored) deps.stderr.write(stored);
      }
      verified = await verifyApplied({ plan: prepared.plan, outcomes: result.outcomes, backend, secrets: prepared.secrets });
      const c = statusCounts(result);
      code =
        c.failed > 0 || c.unread > 0 || prepared.unread.length > 0 || verified.some((v) => v.state === 'unread')
          ? EXIT.INCOMPLETE
          : c.drifted > 0 || held.length > 0 || verified.some((v) => v.state !== 'at-plan')
            ? EXIT.FINDINGS
            : EXIT.OK;
    } catch (err) {
      if (wrote) recordUndone(undoJournal, 'error', result ? { ...statusCounts(result) } : undefined);
      throw err;
    }
    if (wrote) recordUndone(undoJournal, outcomeOf(code), { ...statusCounts(result) });
    else settleEarlierUndo(prior, code, recordUndone, o, notes, true);
    if (o.format === 'json') {
      out.write(printedJson({ ...undoJson(prepared), journal: session.journal.path, outcomes: result.outcomes, stats: result.stats, verified }));
    } else out.write(renderApply(result, verified, { verb: 'Undo', journalPath: session.journal.path, audited: false }));
    return code;
  } finally {
    factory?.destroy();
    for (const lock of locks.reverse()) lock.release();
  }
}

function undoJson(p: PreparedUndo): Record<string, unknown> {
  return {
    kind: 'tagaudit-undo',
    plan: printedPlan(p.plan),
    leftAlone: p.leftAlone,
    unrestorable: p.unrestorable,
    unread: p.unread,
    gone: p.gone,
    finishedEarlier: p.finishedEarlier.map(({ arn, key, reason }) => ({ arn, key, reason })),
    targets: p.targets,
    alreadyOriginal: p.alreadyOriginal,
  };
}
