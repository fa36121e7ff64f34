import { applyPlan, type ApplyResult } from '../../../src/fix/apply.js';
import type { TagBackend } from '../../../src/fix/backend.js';
import { readJournal, type JournalRecord } from '../../../src/fix/journal.js';
import type { FixPlan } from '../../../src/fix/plan.js';
import { beginJournal } from '../../../src/fix/session.js';

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
