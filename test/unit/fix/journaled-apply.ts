import type { Policy } from '../../../src/dictionary/policy.js';
import { applyPlan, type ApplyResult } from '../../../src/fix/apply.js';
import type { TagBackend } from '../../../src/fix/backend.js';
import { readJournal, type JournalRecord } from '../../../src/fix/journal.js';
import { policyResourceMasker } from '../../../src/fix/mask.js';
import type { FixPlan } from '../../../src/fix/plan.js';
import { beginJournal, resumeJournal, type JournalSession } from '../../../src/fix/session.js';
import { prepareUndo } from '../../../src/fix/undo-run.js';

const NOW = new Date('2024-06-01T12:00:00Z');

/** Applies a plan with a journal (and its vault) at `path`, no waiting between retries. */
export async function applyJournaled(plan: FixPlan, backend: TagBackend, path: string, kind: 'fix' | 'undo' = 'fix', secrets = new Map()): Promise<ApplyResult> {
  const session = beginJournal({ path, kind, plan, now: NOW, tool: 'tagaudit test' });
  try {
    return await applyPlan({ plan, backend, journal: session.journal, vault: session.vault, secrets, sleep: async () => undefined, random: () => 0.5 });
  } finally {
    await session.journal.close();
    await session.vault.close();
  }
}

export type JournalCall = Extract<JournalRecord, { t: 'call' }>;

/** The write calls a journal recorded, in order. */
export const journalCalls = (path: string): JournalCall[] => readJournal(path).records.filter((r): r is JournalCall => r.t === 'call');

/** Applies `plan` in a journal session (new or resumed), as the CLI does, and closes the session's files after. */
export async function applyInSession(session: JournalSession, backend: TagBackend, plan: FixPlan, secrets = session.secrets): Promise<ApplyResult> {
  try {
    return await applyPlan({
      plan,
      backend,
      journal: session.journal,
      vault: session.vault,
      secrets,
      ...(session.recorded ? { recorded: session.recorded } : {}),
      ...(session.startSeq ? { startSeq: session.startSeq } : {}),
      sleep: async () => undefined,
      random: () => 0.5,
    });
  } finally {
    await session.journal.close();
    await session.vault.close();
  }
}

/** `fix --apply` of `plan` with a new journal at `path`. */
export const fixInSession = (plan: FixPlan, backend: TagBackend, path: string): Promise<ApplyResult> =>
  applyInSession(beginJournal({ path, kind: 'fix', plan, now: NOW, tool: 'tagaudit test' }), backend, plan);

/** `fix --resume` of the journal at `path`, applying `plan`. */
export const resumeInSession = (plan: FixPlan, backend: TagBackend, path: string): Promise<ApplyResult> => applyInSession(resumeJournal(path, NOW), backend, plan);

/** The undo plan of the journal at `journalPath`, read through `backend` (resources shown as `policy` masks them). */
export const prepareUndoOf = (journalPath: string, backend: TagBackend, policy: Policy) =>
  prepareUndo({ journalPath, backend, maskResource: policyResourceMasker(policy), createdAt: NOW.toISOString(), toolVersion: 'test' });

/** `undo --apply` of the journal at `journalPath`, with its undo journal beside it (`<journal>.undo`). */
export async function undoInSession(journalPath: string, backend: TagBackend, policy: Policy): Promise<ApplyResult> {
  const prepared = await prepareUndoOf(journalPath, backend, policy);
  const session = beginJournal({ path: `${journalPath}.undo`, kind: 'undo', plan: prepared.plan, now: NOW, tool: 'tagaudit test', undoOf: journalPath });
  return applyInSession(session, backend, prepared.plan, prepared.secrets);
}

type JournalResult = Extract<JournalRecord, { t: 'result' }>;

/** A write call a journal recorded: its API, keys or tags (as displayed), and whether it succeeded (no result: unanswered). */
export interface CallOutcome {
  readonly api: string;
  readonly keys?: readonly string[];
  readonly tags?: readonly { key: string; value: string }[];
  readonly ok: boolean | 'unanswered';
}

export function callOutcomes(path: string): CallOutcome[] {
  const records = readJournal(path).records;
  return records
    .filter((r): r is JournalCall => r.t === 'call')
    .map((c) => {
      const result = records.find((r): r is JournalResult => r.t === 'result' && r.seq === c.seq);
      return { api: c.api, ...(c.keys ? { keys: c.keys } : {}), ...(c.tags ? { tags: c.tags } : {}), ok: result ? result.ok.length > 0 : 'unanswered' };
    });
}
