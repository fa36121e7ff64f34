/*
 * The commands that finish or reverse a run from its journal: printed by `fix --apply` before its first write, and
 * again, in the same words, when the journal cannot be written mid-run. Without a terminal (CI) a command needs --yes
 * to run, so it is printed with it there. The journal path is shown as given (absolute), so that the command can be
 * pasted as it is.
 */

function applyFlags(interactive: boolean): string {
  return interactive ? '--apply' : '--apply --yes';
}

/** `finish: tagaudit fix --resume J --apply; undo: tagaudit undo --journal J --apply`. */
export function fixJournalHint(journalPath: string, interactive: boolean): string {
  const apply = applyFlags(interactive);
  return `finish: tagaudit fix --resume ${journalPath} ${apply}; undo: tagaudit undo --journal ${journalPath} ${apply}`;
}

/** `finish: tagaudit undo --journal J --undo-journal U --apply`: running the same undo again continues its journal. */
export function undoJournalHint(journalPath: string, undoJournalPath: string, interactive: boolean): string {
  return `finish: tagaudit undo --journal ${journalPath} --undo-journal ${undoJournalPath} ${applyFlags(interactive)}`;
}
