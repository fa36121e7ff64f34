import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan, type ApplyOptions, type ApplyResult } from '../../../src/fix/apply.js';
import type { FixPlan } from '../../../src/fix/plan.js';
import { beginJournal, resumeJournal, type JournalSession } from '../../../src/fix/session.js';
import { prepareUndo } from '../../../src/fix/undo-run.js';
import { policyResourceMasker } from '../../../src/fix/mask.js';
import { anycompanyPolicy } from '../../support/policies.js';
import type { MemoryCloud } from './memory-cloud.js';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tagaudit-fix-'));
}

const NOW = new Date('2024-06-01T12:00:00Z');
const noSleep = async (): Promise<void> => undefined;

type Extra = Partial<Omit<ApplyOptions, 'plan' | 'backend' | 'journal' | 'vault' | 'secrets'>>;

function run(session: JournalSession, cloud: MemoryCloud, extra: Extra): Promise<ApplyResult> {
  return applyPlan({
    plan: session.plan,
    backend: cloud.backend(),
    journal: session.journal,
    vault: session.vault,
    secrets: session.secrets,
    recorded: session.recorded,
    startSeq: session.startSeq,
    sleep: noSleep,
    random: () => 0.5,
    ...extra,
  }).finally(async () => {
    await session.journal.close();
    await session.vault.close();
  });
}

/** Applies a plan with a new journal, as `tagaudit fix --apply` does. */
export function applyWithJournal(plan: FixPlan, cloud: MemoryCloud, journalPath: string, extra: Extra = {}): Promise<ApplyResult> {
  return run(beginJournal({ path: journalPath, kind: 'fix', plan, now: NOW, tool: 'tagaudit test' }), cloud, extra);
}

/** Continues an interrupted apply from its journal, as `tagaudit fix --resume` does. */
export function resumeWithJournal(journalPath: string, cloud: MemoryCloud, extra: Extra = {}): Promise<ApplyResult> {
  return run(resumeJournal(journalPath, NOW), cloud, extra);
}

/** Plans and applies the undo of a journal, as `tagaudit undo --apply` does. */
export async function undoWithJournal(journalPath: string, cloud: MemoryCloud, undoJournalPath: string) {
  const prepared = await prepareUndo({
    journalPath,
    backend: cloud.backend(),
    maskResource: policyResourceMasker(anycompanyPolicy()),
    createdAt: NOW.toISOString(),
    toolVersion: 'test',
  });
  const session = beginJournal({ path: undoJournalPath, kind: 'undo', plan: prepared.plan, now: NOW, tool: 'tagaudit test', undoOf: journalPath });
  const result = await applyPlan({
    plan: prepared.plan,
    backend: cloud.backend(),
    journal: session.journal,
    vault: session.vault,
    secrets: prepared.secrets,
    sleep: noSleep,
    maskResource: policyResourceMasker(anycompanyPolicy()),
  }).finally(async () => {
    await session.journal.close();
    await session.vault.close();
  });
  return { prepared, result };
}
