import { closeSync, constants as fsConstants, fstatSync, linkSync, lstatSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import type { TextOut } from '../cli/deps.js';
import { UsageError } from '../errors.js';
import { sanitize } from '../report/visible-text.js';

/**
 * An advisory lock on a journal, so that two tagaudit runs never write one journal (or act on the resources it
 * describes) at the same time: `fix --apply` on a new journal, `fix --resume`, and `undo --apply` (on the journal it
 * undoes and on its own) each hold `<journal>.lock` while they run. The lock is a file created exclusively, holding
 * who holds it; a lock whose process is gone (same host, pid no longer running: a kill, a Ctrl-C) is stale and taken
 * over. A lock from another host is never judged stale: its process cannot be checked from here.
 */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: string;
  readonly command: string;
}

export interface JournalLock {
  /** The lock file (undefined: no lock was taken; see LockOptions.existing). */
  readonly path: string | undefined;
  /** Removes the lock file if it is still this run's; idempotent, never throws. */
  release(): void;
}

export interface LockOptions {
  /** What the holder runs, shown to a run that is refused (`tagaudit fix --resume`). */
  readonly command: string;
  readonly now: Date;
  /** Where the one-line notice of a stale lock taken over goes. */
  readonly stderr: TextOut;
  /**
   * The journal exists already: 'append' (fix --resume) or 'read' (the journal an undo reverses, to which it appends
   * only its `undone` records, going on without them where it cannot). Where its directory does not exist, there is no
   * journal to lock (reading it next says so). A journal only read, in a directory where no file can be created
   * (read-only media, no permission), is noted on stderr and the run goes on unlocked: nothing can write that journal
   * there.
   */
  readonly existing?: 'append' | 'read';
}

export function lockPathFor(journalPath: string): string {
  return `${journalPath}.lock`;
}

// 'wx' plus O_NOFOLLOW, as the PII vault is opened: the lock is never created or read through a symbolic link.
// (O_CREAT | O_EXCL alone already refuses any existing path, link or not; O_NOFOLLOW says so on every platform.)
const CREATE = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW;
// O_NONBLOCK: a FIFO planted at the path must not hang the run (no effect on a regular file).
const READ = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK;
const MAX_LOCK_BYTES = 4096;
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);
const UNLOCKED: JournalLock = { path: undefined, release: () => undefined };

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

/** Whether a process with this pid runs on this host: `kill(pid, 0)` fails with ESRCH only when there is none. */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, under another user. Anything else: cannot tell, so it counts as running (never steal a lock).
    return errnoCode(err) !== 'ESRCH';
  }
}

/** A lock file as read: its inode and its text (an inode number is reused at once after a delete; the text is not). */
interface Seen {
  readonly ino: number;
  readonly dev: number;
  readonly text: string;
}

type Existing =
  | { readonly kind: 'holder'; readonly holder: LockHolder; readonly seen: Seen }
  | { readonly kind: 'unreadable' }
  /** Released between our create and our read: try again. */
  | { readonly kind: 'gone' };

function isHolder(v: unknown): v is LockHolder {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const { pid, hostname, startedAt, command } = v as Record<string, unknown>;
  const text = (s: unknown, max: number): boolean => typeof s === 'string' && s.length > 0 && s.length <= max;
  // pid 0 and negative pids name process groups for kill(): never a holder.
  return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0 && text(hostname, 255) && text(startedAt, 64) && text(command, 512);
}

/** Reads the lock file there is, never through a link; refuses (UsageError) what is not a lock file at all. */
function readExisting(lockPath: string): Existing {
  let fd: number;
  try {
    fd = openSync(lockPath, READ);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT') return { kind: 'gone' };
    if (code === 'ELOOP' || lstatSync(lockPath, { throwIfNoEntry: false })?.isSymbolicLink()) {
      throw new UsageError('the journal\'s lock file is a symbolic link, which tagaudit never follows; delete it if no tagaudit run is using this journal', lockPath);
    }
    throw new UsageError(`the journal's lock file cannot be read (${code ?? String(err)})`, lockPath, { cause: err });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UsageError('is not a file; tagaudit keeps the lock of a journal there (move it away)', lockPath);
    const text = readText(fd);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { kind: 'unreadable' };
    }
    return isHolder(parsed) ? { kind: 'holder', holder: parsed, seen: { ino: st.ino, dev: st.dev, text } } : { kind: 'unreadable' };
  } finally {
    closeSync(fd);
  }
}

function readText(fd: number): string {
  const buf = Buffer.alloc(MAX_LOCK_BYTES);
  const n = readSync(fd, buf, 0, MAX_LOCK_BYTES, 0);
  return buf.subarray(0, n).toString('utf8');
}

/** Whether the file at `path` (never followed if a link) is still the one seen. */
function isSame(path: string, seen: Seen): boolean {
  let fd: number;
  try {
    fd = openSync(path, READ);
  } catch {
    return false;
  }
  try {
    const st = fstatSync(fd);
    return st.ino === seen.ino && st.dev === seen.dev && readText(fd) === seen.text;
  } finally {
    closeSync(fd);
  }
}

function describeHolder(h: LockHolder, where: string): string {
  return `pid ${h.pid} ${where}, started ${sanitize(h.startedAt)}: ${sanitize(h.command)}`;
}

function refusal(lockPath: string, existing: Existing, me: string): UsageError {
  if (existing.kind !== 'holder') {
    return new UsageError(
      'the journal is locked, but its lock file does not say by whom (empty, or not written by tagaudit); if no tagaudit run is using this journal, delete the lock file',
      lockPath,
    );
  }
  const h = existing.holder;
  const sameHost = h.hostname === me;
  const who = describeHolder(h, sameHost ? 'on this host' : `on host ${sanitize(h.hostname)}`);
  const why = sameHost ? '' : ` (tagaudit cannot check from ${sanitize(me)} whether it still runs)`;
  return new UsageError(
    `the journal is in use by another tagaudit run (${who})${why}; wait for it to finish, or delete this lock file if that process is gone`,
    lockPath,
  );
}

/**
 * Removes the stale lock judged from `seen`, and only that one: it is moved aside first and put back if it turns out
 * to be another file (a run that took the lock over meanwhile). Returns whether the stale lock is gone.
 */
function removeStale(lockPath: string, seen: Seen): boolean {
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    renameSync(lockPath, aside);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return true; // someone removed it already
    throw err;
  }
  if (isSame(aside, seen)) {
    unlinkSync(aside);
    return true;
  }
  // Another run's fresh lock: put it back where it was (link fails only if yet another lock appeared meanwhile).
  try {
    linkSync(aside, lockPath);
  } finally {
    unlinkSync(aside);
  }
  return false;
}

/**
 * Takes the lock of a journal before anything writes to it (or, for undo, before anything acts on it). Refuses with
 * a UsageError (exit 2, one line) while another run holds it; takes over, saying so on stderr, a lock left by a
 * process of this host that no longer runs.
 */
export function lockJournal(journalPath: string, options: LockOptions): JournalLock {
  const lockPath = lockPathFor(journalPath);
  const me = osHostname();
  // `id` tells this run's lock from any other, even one of the same process started at the same time.
  const holder: LockHolder & { id: string } = { pid: process.pid, hostname: me, startedAt: options.now.toISOString(), command: options.command, id: randomUUID() };
  const text = `${JSON.stringify(holder)}\n`;
  let last: Existing = { kind: 'gone' };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockPath, CREATE, 0o600);
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'EEXIST') {
        last = readExisting(lockPath);
        if (last.kind === 'gone') continue;
        if (last.kind === 'holder' && last.holder.hostname === me && !pidAlive(last.holder.pid)) {
          if (removeStale(lockPath, last.seen)) {
            options.stderr.write(`tagaudit: took over the stale lock ${sanitize(lockPath)} (${describeHolder(last.holder, 'on this host')}; that process no longer runs)\n`);
          }
          continue;
        }
        throw refusal(lockPath, last, me);
      }
      if (options.existing !== undefined && code === 'ENOENT') return UNLOCKED;
      if (options.existing === 'read' && code !== undefined && NOT_WRITABLE.has(code)) {
        options.stderr.write(
          `tagaudit: cannot lock ${sanitize(journalPath)} (${code}: its directory is not writable); make sure no other tagaudit run resumes or undoes it meanwhile\n`,
        );
        return UNLOCKED;
      }
      throw new UsageError(`cannot create the journal's lock file (${code ?? String(err)}); tagaudit locks a journal before writing to it`, lockPath, { cause: err });
    }
    let st;
    try {
      const data = Buffer.from(text, 'utf8');
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
      st = fstatSync(fd);
    } catch (err) {
      closeSync(fd);
      unlinkSync(lockPath);
      throw err;
    }
    closeSync(fd);
    const mine: Seen = { ino: st.ino, dev: st.dev, text };
    let released = false;
    return {
      path: lockPath,
      release() {
        if (released) return;
        released = true;
        try {
          // Only our own file: a lock someone deleted and another run re-created is theirs.
          if (isSame(lockPath, mine)) unlinkSync(lockPath);
        } catch {
          // Left behind, it is stale once this process ends: the next run takes it over.
        }
      },
    };
  }
  throw refusal(lockPath, last, me);
}
