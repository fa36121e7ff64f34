import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { JOURNAL_START, PLAN_START, otherTagauditFile, withoutLeadingBlanks } from '../inventory/not-an-inventory.js';

/*
 * A plan given where a journal is read (undo --journal, fix --resume) or a journal given as a plan (fix --plan) is
 * recognised by how it starts, as the inventory reader recognises tagaudit's other files: one line saying what the
 * file is and what to run instead, not a JSON error at its first line.
 */

const HEAD_BYTES = 4096;

/** Why a file read as a journal is not one, when it starts as another of tagaudit's files. */
export function notAJournal(head: string): string | undefined {
  const start = withoutLeadingBlanks(head);
  if (PLAN_START.test(start)) return 'this is a tagaudit plan, not a journal: apply it with fix --plan FILE --apply';
  if (JOURNAL_START.test(start)) return undefined;
  const what = otherTagauditFile(start);
  return what === undefined ? undefined : `this is ${what}, not a journal`;
}

/** Why a file read as a plan is not one, when it starts as a journal or a PII vault (JSON Lines, not a plan). */
export function notAPlan(head: string): string | undefined {
  const start = withoutLeadingBlanks(head);
  if (JOURNAL_START.test(start)) {
    return 'this is a tagaudit journal, not a plan: use fix --resume FILE --apply to finish its run, or undo --journal FILE to reverse it';
  }
  if (PLAN_START.test(start)) return undefined;
  const what = otherTagauditFile(start);
  return what?.includes('PII vault') ? `this is ${what}, not a plan` : undefined;
}

// O_NONBLOCK: a FIFO is never waited on here (nor read from: what it holds is the plan reader's).
const PEEK = fsConstants.O_RDONLY | fsConstants.O_NONBLOCK;

/**
 * Refuses (UsageError, exit 2) a --plan file that is a journal or a vault. Only a regular file is looked at; one that
 * cannot be read is left to the plan reader, which says why.
 */
export function refuseNonPlan(path: string): void {
  let head: string;
  try {
    const fd = openSync(path, PEEK);
    try {
      if (!fstatSync(fd).isFile()) return;
      const buf = Buffer.alloc(HEAD_BYTES);
      head = buf.subarray(0, readSync(fd, buf, 0, HEAD_BYTES, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return;
  }
  const why = notAPlan(head);
  if (why) throw new UsageError(why, path);
}
