import { isIamPrincipalType } from '../scan/iam-arn.js';

/*
 * Tag keys that ignore case. IAM compares the tag keys of users and roles without case ("you cannot have separate
 * Department and department tag keys"), so a rename that only changes a key's case (`Env` → `env`) cannot be done as
 * write-then-remove: removing the old spelling would remove the tag just written. The applier removes the old
 * spelling first, as a journalled call of its own (all or nothing: see iam-tags.ts), writes the new one, and puts the
 * old one back if the write fails (also when an earlier, interrupted run removed it) or if the removal got no clear
 * answer; the removal phase never sends it again. Whether keys ignore case is a property of the resource type,
 * decided here only.
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

/**
 * How the old spelling of a case-only rename came to be gone when its new spelling could not be written: removed
 * first by this run, perhaps removed by a removal call that got no clear answer, or removed by an earlier run that
 * was interrupted before its write (the one being resumed).
 */
export type GoneHow = 'removed' | 'maybe' | 'earlier';

export interface GoneSpelling {
  readonly key: string;
  readonly how: GoneHow;
}

const GONE_HOW: Readonly<Record<GoneHow, string>> = {
  removed: 'removed first',
  maybe: 'which the failed removal may have removed',
  earlier: 'removed by an earlier run that was interrupted',
};

/**
 * What the applier did about old spellings gone without their new spelling written: put back (`restore` undefined),
 * or not, in which case which keys `subject` (`the user` …) is, or may be, left without and how to restore them.
 * `shown` is each key as it may be displayed (PII masked).
 */
export function putBackReport(
  gone: readonly (GoneSpelling & { readonly shown: string })[],
  restore: { readonly code: string; readonly message: string; readonly mayHaveApplied: boolean } | undefined,
  subject: string,
  journalPath: string,
  /** Whether the run can be finished with `fix --resume` (an undo cannot: it is run again or undone). */
  resumable = true,
  /** Whether a terminal can confirm; else the commands printed carry --yes. */
  interactive = true,
): string {
  const apply = interactive ? '--apply' : '--apply --yes';
  const clauses = (Object.keys(GONE_HOW) as GoneHow[]).flatMap((how) => {
    const keys = gone.filter((g) => g.how === how).map((g) => g.shown);
    return keys.length === 0 ? [] : [`the old spelling${keys.length === 1 ? '' : 's'} ${keys.join(', ')}, ${GONE_HOW[how]},`];
  });
  const one = gone.length === 1;
  const what = clauses.join(' and ');
  if (!restore) return `${what} ${one ? 'was' : 'were'} put back`;
  const keys = gone.map((g) => g.shown).join(', ');
  const undo = `tagaudit undo --journal ${journalPath} ${apply}`;
  const failed = `${what} ${restore.mayHaveApplied ? 'may not have been' : 'could not be'} put back (${restore.code}: ${restore.message})`;
  if (!restore.mayHaveApplied && gone.every((g) => g.how !== 'maybe')) {
    return `${failed}: ${subject} is left without ${one ? 'that tag' : 'those tags'} (${keys}); restore ${one ? 'it' : 'them'} with \`${undo}\``;
  }
  const finish = resumable ? `finish the rename with \`tagaudit fix --resume ${journalPath} ${apply}\`, or ` : 'check it, and ';
  return `${failed}: ${subject} may be left without ${one ? 'that tag' : 'those tags'} (${keys}); ${finish}restore ${one ? 'it' : 'them'} with \`${undo}\``;
}
