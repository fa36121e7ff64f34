import { isIamPrincipalType } from '../scan/iam-arn.js';

/*
 * Tag keys that ignore case. IAM compares the tag keys of users and roles without case ("you cannot have separate
 * Department and department tag keys"), so a rename that only changes a key's case (`Env` → `env`) cannot be done as
 * write-then-remove: removing the old spelling would remove the tag just written. The applier removes the old
 * spelling first, as a journalled call of its own, writes the new one, and puts the old one back if that fails; the
 * removal phase never sends it again. Whether keys ignore case is a property of the resource type, decided here only.
 */

/** Resource types whose tag keys the owning service compares without case. */
export function keysIgnoreCase(resourceType: string): boolean {
  return isIamPrincipalType(resourceType);
}

/** IAM's case-insensitive comparison of tag keys. */
export function foldCase(key: string): string {
  return key.toLowerCase();
}

/**
 * The old spellings of case-only renames: on a type whose keys ignore case, the keys a plan removes that differ from a
 * key it writes only in case. Elsewhere none.
 */
export function caseOnlyOldSpellings(resourceType: string, writes: Readonly<Record<string, string>>, removes: readonly string[]): string[] {
  if (!keysIgnoreCase(resourceType)) return [];
  const written = Object.keys(writes);
  const folded = new Set(written.map(foldCase));
  return removes.filter((k) => folded.has(foldCase(k)) && !written.includes(k));
}
