import { isSageMakerGone } from './sagemaker-gone.js';
import { existsSync } from 'node:fs';
import { mapLimit, partitions, userTags } from './apply.js';
import type { TagBackend } from './backend.js';
import type { SecretTags } from './digest.js';
import type { ResourceMasker } from './mask.js';
import { loadJournal, vaultOf } from './session.js';
import { planUndo, undoTargets, type UndoNote, type UndoPlan, type UndoTarget } from './undo.js';
import type { CallFailure, JournalRecord, ReadJournal } from './journal.js';
import { isIamPrincipalType } from '../scan/iam-arn.js';
import { readVault } from './vault.js';
import { redactText } from '../pii/redact.js';

export interface PreparedUndo extends UndoPlan {
  /** Raw PII from the journal's vault (restores need it). */
  readonly secrets: SecretTags;
  /** Resources the journal wrote to. */
  readonly targets: number;
  /**
   * Resources whose live tags could not be read, or that the Tagging API did not return although they were tagged
   * (deleted since the fix?): nothing is planned for them.
   */
  readonly unread: readonly UndoNote[];
  /** Resources their own service says no longer exist (deleted since the fix): nothing to restore. */
  readonly gone: readonly UndoNote[];
  /** Whether the journal's PII vault was found (it is needed only to restore PII). */
  readonly vaultFound: boolean;
}

/** Reads a journal and the live tags of every resource it wrote to, and plans restoring them. */
export async function prepareUndo(input: {
  journalPath: string;
  /** The journal, already read (else it is read from journalPath). */
  read?: ReadJournal;
  backend: TagBackend;
  maskResource: ResourceMasker;
  createdAt: string;
  toolVersion: string;
}): Promise<PreparedUndo> {
  const read = input.read ?? loadJournal(input.journalPath);
  const targets = undoTargets(read);
  const vaultPath = vaultOf(read);
  const secrets = readVault(vaultPath);
  const planRecord = read.records.find((r) => r.t === 'plan');
  const dictionary = planRecord?.t === 'plan' ? planRecord.plan.dictionary : { path: '', sha256: '' };

  const live = new Map<string, Record<string, string>>();
  const unread: UndoNote[] = [];
  const gone: UndoNote[] = [];
  const tagged = taggedByJournal(read.records, targets);
  await mapLimit(partitions(targets), 4, async (part) => {
    try {
      const backend = await input.backend(part.accountId, part.region);
      const result = await backend.readTags(part.items);
      for (const t of part.items) {
        const failed = result.failed.get(t.arn);
        if (failed && isGoneFailure(t.resourceType, failed)) gone.push({ arn: t.arn, key: '*', reason: goneReason(`SageMaker: ${failed.code}`) });
        else if (failed) unread.push({ arn: t.arn, key: '*', reason: `could not read current tags: ${failed.code}: ${redactText(failed.message)}` });
        else if (result.missing?.has(t.arn)) gone.push({ arn: t.arn, key: '*', reason: goneReason(goneEvidence(t.resourceType)) });
        else if (!result.tags.has(t.arn) && tagged.has(t.arn)) unread.push({ arn: t.arn, key: '*', reason: NOT_FOUND });
        else live.set(t.arn, userTags(result.tags.get(t.arn)));
      }
    } catch (err) {
      const why = redactText(err instanceof Error ? err.message.split('\n')[0]! : String(err));
      for (const t of part.items) unread.push({ arn: t.arn, key: '*', reason: `could not read current tags: ${why}` });
    }
  });
  const readable = targets.filter((t) => live.has(t.arn));
  const undo = planUndo(readable, live, secrets, input.maskResource, { createdAt: input.createdAt, toolVersion: input.toolVersion, dictionary });
  return { ...undo, secrets, targets: targets.length, unread, gone, vaultFound: existsSync(vaultPath) };
}

function goneReason(evidence: string): string {
  return `gone: nothing to restore (deleted since the fix; ${evidence})`;
}

/**
 * Said of a resource the Tagging API did not return although the journal shows it carried tags. GetResources returns
 * every resource that is or ever was tagged, so it was most likely deleted; but its index can lag behind, so that is
 * not proof: reported (exit 3), never skipped as gone, and nothing is written to it.
 */
const NOT_FOUND =
  'resource not found — deleted since the fix? GetResources did not return it although it was tagged, so its current tags are unknown; nothing planned (run the undo again if it still exists)';

/** How the resource's own service said it no longer exists (readTags' `missing`). */
function goneEvidence(resourceType: string): string {
  if (isIamPrincipalType(resourceType)) return 'IAM: NoSuchEntity';
  if (resourceType.startsWith('autoscaling:')) return 'Auto Scaling does not return the group';
  if (resourceType.startsWith('sagemaker:')) return 'SageMaker cannot find it';
  return 'its service does not return it';
}

/**
 * A read failure that is positive evidence the resource no longer exists (the backend's reader already files most
 * as `missing`; kept for readers that report SageMaker's answer as a failure). Nothing else counts: an undo never
 * skips a resource it cannot prove gone.
 */
export function isGoneFailure(resourceType: string, failure: CallFailure): boolean {
  return isSageMakerGone(resourceType, failure);
}

/**
 * Targets the journal shows carried tags, so that GetResources must return them while they exist: tags before the
 * fix, or a write of the fix that AWS answered as done. (A target with neither may never have been tagged, and
 * GetResources does not return never-tagged resources: it has no tags.)
 */
function taggedByJournal(records: readonly JournalRecord[], targets: readonly UndoTarget[]): Set<string> {
  const out = new Set(targets.filter((t) => t.before.length > 0).map((t) => t.arn));
  for (const r of records) if (r.t === 'result') for (const arn of r.ok) out.add(arn);
  return out;
}
