import { isIamPrincipalType } from '../scan/iam-arn.js';
import type { OwnerTagger } from './backend.js';

/*
 * Owner tag APIs whose keys ignore case. IAM compares the tag keys of users and roles without case ("you cannot have
 * separate Department and department tag keys"), so a rename that only changes a key's case (`Env` → `env`) cannot
 * be done as write-then-remove: removing the old spelling would remove the tag just written. The applier removes the
 * old spelling first, as a journalled call of its own, writes the new one, and puts the old one back if that fails.
 */

/** An owner tagger whose keys ignore case (IAM users and roles). */
export interface CaseFoldingTagger extends OwnerTagger {
  readonly keysIgnoreCase: true;
}

export function keysIgnoreCase(tagger: OwnerTagger | undefined): tagger is CaseFoldingTagger {
  return (tagger as Partial<CaseFoldingTagger> | undefined)?.keysIgnoreCase === true;
}

/** Resource types whose tag keys the owning service compares without case. */
export function typeKeysIgnoreCase(resourceType: string): boolean {
  return isIamPrincipalType(resourceType);
}

/** IAM's case-insensitive comparison of tag keys. */
export function foldCase(key: string): string {
  return key.toLowerCase();
}

/**
 * Of the keys a plan removes that are still live, those that differ from a key of `writes` only in case: the old
 * spellings a case-only rename must remove before writing.
 */
export function caseOnlyReplaced(
  writes: Readonly<Record<string, string>>,
  removes: readonly string[],
  live: Readonly<Record<string, string>>,
): string[] {
  const written = Object.keys(writes);
  const folded = new Set(written.map(foldCase));
  return removes.filter((k) => live[k] !== undefined && folded.has(foldCase(k)) && !written.includes(k));
}
