import { existsSync } from 'node:fs';
import { mapLimit, partitions, userTags } from './apply.js';
import type { TagBackend } from './backend.js';
import type { SecretTags } from './digest.js';
import type { ResourceMasker } from './mask.js';
import { loadJournal, vaultOf } from './session.js';
import { planUndo, undoTargets, type UndoNote, type UndoPlan } from './undo.js';
import { readVault } from './vault.js';
import { redactText } from '../pii/redact.js';

export interface PreparedUndo extends UndoPlan {
  /** Raw PII from the journal's vault (restores need it). */
  readonly secrets: SecretTags;
  /** Resources the journal wrote to. */
  readonly targets: number;
  /** Resources whose live tags could not be read: nothing is planned for them. */
  readonly unread: readonly UndoNote[];
  /** Whether the journal's PII vault was found (it is needed only to restore PII). */
  readonly vaultFound: boolean;
}

/** Reads a journal and the live tags of every resource it wrote to, and plans restoring them. */
export async function prepareUndo(input: {
  journalPath: string;
  backend: TagBackend;
  maskResource: ResourceMasker;
  createdAt: string;
  toolVersion: string;
}): Promise<PreparedUndo> {
  const read = loadJournal(input.journalPath);
  const targets = undoTargets(read);
  const vaultPath = vaultOf(read);
  const secrets = readVault(vaultPath);
  const planRecord = read.records.find((r) => r.t === 'plan');
  const dictionary = planRecord?.t === 'plan' ? planRecord.plan.dictionary : { path: '', sha256: '' };

  const live = new Map<string, Record<string, string>>();
  const unread: UndoNote[] = [];
  const gone: UndoNote[] = [];
  await mapLimit(partitions(targets), 4, async (part) => {
    try {
      const backend = await input.backend(part.accountId, part.region);
      const result = await backend.readTags(part.items);
      for (const t of part.items) {
        const failed = result.failed.get(t.arn);
        if (failed) unread.push({ arn: t.arn, key: '*', reason: `could not read current tags: ${failed.code}: ${redactText(failed.message)}` });
        else if (result.missing?.has(t.arn)) gone.push({ arn: t.arn, key: '*', reason: 'no longer exists (deleted since the fix); nothing to restore' });
        else live.set(t.arn, userTags(result.tags.get(t.arn)));
      }
    } catch (err) {
      const why = redactText(err instanceof Error ? err.message.split('\n')[0]! : String(err));
      for (const t of part.items) unread.push({ arn: t.arn, key: '*', reason: `could not read current tags: ${why}` });
    }
  });
  const readable = targets.filter((t) => live.has(t.arn));
  const undo = planUndo(readable, live, secrets, input.maskResource, { createdAt: input.createdAt, toolVersion: input.toolVersion, dictionary });
  return { ...undo, leftAlone: [...undo.leftAlone, ...gone], secrets, targets: targets.length, unread, vaultFound: existsSync(vaultPath) };
}
