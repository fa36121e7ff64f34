import { isSageMakerGone } from './sagemaker-gone.js';
import { existsSync } from 'node:fs';
import { mapLimit, partitions, userTags } from './apply.js';
import type { TagBackend } from './backend.js';
import type { SecretTags } from './digest.js';
import type { ResourceMasker } from './mask.js';
import { loadJournal, vaultOf, vaultReadOptions } from './session.js';
import { planUndo, undoTargets, type UndoNote, type UndoPlan, type UndoTarget } from './undo.js';
import type { CallFailure, JournalRecord, ReadJournal } from './journal.js';
import { isIamPrincipalType } from '../scan/iam-arn.js';
import { readVault } from './vault.js';
import { redactText } from '../pii/redact.js';
import { SETTLED_AS_BEFORE, SETTLED_HELD, earlierReason, type EarlierUndos } from './undo-earlier.js';
import type { ResourceStatus } from './apply.js';

/** A resource an earlier, unfinished undo of the journal finished: not planned again. */
export interface EarlierNote extends UndoNote {
  /** Whether it holds keys back (the earlier undo left them alone): the undo as a whole is then partial. */
  readonly held: boolean;
}

/** A resource this undo read and plans nothing for, as its journal records it (`done`, before the first write). */
export interface SettledResource {
  readonly arn: string;
  readonly status: Extract<ResourceStatus, 'already-fixed' | 'drifted'>;
  readonly detail: string;
}

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
  /** Resources earlier, unfinished undos of the journal finished (see undo-earlier.ts): not read, not planned. */
  readonly finishedEarlier: readonly EarlierNote[];
  /** Resources read and not planned (already as before, or every key held back), for the undo's journal. */
  readonly settled: readonly SettledResource[];
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
  /** What earlier, unfinished undos of this journal finished: those resources are left out. */
  earlier?: EarlierUndos;
}): Promise<PreparedUndo> {
  const read = input.read ?? loadJournal(input.journalPath);
  const all = undoTargets(read);
  const finishedEarlier: EarlierNote[] = [];
  const targets = all.filter((t) => {
    const f = input.earlier?.finished.get(t.arn);
    if (f) finishedEarlier.push({ arn: t.arn, key: '*', reason: earlierReason(f), held: f.how === 'left-alone' });
    return !f;
  });
  const vaultPath = vaultOf(read);
  const secrets = readVault(vaultPath, vaultReadOptions(read, 'undo'));
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
  const planned = new Set(undo.plan.resources.map((r) => r.arn));
  const held = new Set([...undo.leftAlone, ...undo.unrestorable].map((n) => n.arn));
  // Gone resources are not recorded: a run that finishes this undo finds them gone again (nothing to restore).
  const settled = readable
    .filter((t) => !planned.has(t.arn))
    .map((t): SettledResource => ({ arn: t.arn, status: held.has(t.arn) ? 'drifted' : 'already-fixed', detail: held.has(t.arn) ? SETTLED_HELD : SETTLED_AS_BEFORE }));
  return { ...undo, secrets, targets: all.length, unread, gone, vaultFound: existsSync(vaultPath), finishedEarlier, settled };
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
  if (resourceType === 'lambda:function') return 'Lambda: ListTags answered ResourceNotFoundException';
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
