import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  linkSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { TextOut } from '../cli/deps.js';
import { UsageError } from '../errors.js';
import { displayPath } from '../report/display-path.js';
import { sanitize } from '../report/visible-text.js';
import { processStartTime, thisHost, type HostIdentity } from './process-identity.js';

/**
 * An advisory lock on a journal, so that two tagaudit runs never write one journal (or act on the resources it
 * describes) at the same time: `fix --apply` on a new journal, `fix --resume`, and `undo --apply` (on the journal it
 * undoes and on its own) each hold `<journal>.lock` while they run. The lock file appears with its content in one
 * step (written aside, then hard-linked into place) and says who holds it. A lock whose process is gone is stale and
 * taken over, one run at a time (`<journal>.lock.takeover`): gone means same host name, same boot and same pid
 * namespace (where /proc tells them; else the host name alone), and that pid no longer runs or now runs a process
 * started later. A lock from anywhere else is never judged stale: its process cannot be checked from here.
 */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: string;
  readonly command: string;
  /** Tells this run's lock from any other, even one of the same process. */
  readonly id?: string;
  readonly bootId?: string;
  readonly pidNamespace?: string;
  /** The holder's start time (processStartTime), where /proc tells it. */
  readonly pidStart?: number;
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
   * (read-only media, no permission), is noted on stderr and the run goes on unlocked, whatever lock file an earlier
   * run left there: nothing can write that journal there. Only a lock whose holder still runs on this host stops it.
   */
  readonly existing?: 'append' | 'read';
}

/**
 * The lock of a journal, beside the journal's real path (symbolic links resolved: a journal named through a link and
 * through its real path has one lock); for a journal not created yet, beside it in its directory's real path.
 */
export function lockPathFor(journalPath: string): string {
  return `${realJournalPath(journalPath)}.lock`;
}

function realJournalPath(journalPath: string): string {
  try {
    return realpathSync(journalPath);
  } catch {
    try {
      return join(realpathSync(dirname(journalPath)), basename(journalPath));
    } catch {
      return journalPath;
    }
  }
}

// 'wx' plus O_NOFOLLOW, as the PII vault is opened: nothing is ever created or read through a symbolic link.
const CREATE = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW;
// O_NONBLOCK: a FIFO planted at the path must not hang the run (no effect on a regular file).
const READ = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK;
const MAX_LOCK_BYTES = 4096;
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);
/** link() failing so: the file system has no hard links (FAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);
/**
 * How long a run waits for a lock file that does not say who holds it yet (one written by a tagaudit on a file
 * system without hard links, or an older tagaudit, between its create and its write), or for another run's takeover.
 */
const WAIT_MS = 2000;
const POLL_MS = 25;
/** A takeover file older than this was left by a run killed in the middle of a takeover (which takes milliseconds). */
const TAKEOVER_STALE_MS = 30_000;
const UNLOCKED: JournalLock = { path: undefined, release: () => undefined };

/** The ids of the locks this process holds now: a lock naming this pid and another id is stale. */
const HELD = new Set<string>();

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether a process with this pid runs in this pid namespace: `kill(pid, 0)` fails with ESRCH only when there is none. */
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
  /** Empty or not a holder; `young`: modified within WAIT_MS (possibly still being written). */
  | { readonly kind: 'unreadable'; readonly young: boolean }
  /** Released between our create and our read: try again. */
  | { readonly kind: 'gone' };

function isHolder(v: unknown): v is LockHolder {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const { pid, hostname, startedAt, command, id, bootId, pidNamespace, pidStart } = v as Record<string, unknown>;
  const text = (s: unknown, max: number): boolean => typeof s === 'string' && s.length > 0 && s.length <= max;
  const optional = (s: unknown, max: number): boolean => s === undefined || text(s, max);
  // pid 0 and negative pids name process groups for kill(): never a holder.
  return (
    typeof pid === 'number' &&
    Number.isSafeInteger(pid) &&
    pid > 0 &&
    text(hostname, 255) &&
    text(startedAt, 64) &&
    text(command, 512) &&
    optional(id, 64) &&
    optional(bootId, 64) &&
    optional(pidNamespace, 64) &&
    (pidStart === undefined || (typeof pidStart === 'number' && Number.isSafeInteger(pidStart) && pidStart >= 0))
  );
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
    const unreadable = { kind: 'unreadable', young: Math.abs(Date.now() - st.mtimeMs) < WAIT_MS } as const;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return unreadable;
    }
    return isHolder(parsed) ? { kind: 'holder', holder: parsed, seen: { ino: st.ino, dev: st.dev, text } } : unreadable;
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

/** Writes `text` to a new file (never through a link) and returns what it is. */
function writeNew(path: string, text: string): Seen {
  const fd = openSync(path, CREATE, 0o600);
  let st;
  try {
    const data = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    st = fstatSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(path);
    throw err;
  }
  closeSync(fd);
  return { ino: st.ino, dev: st.dev, text };
}

/** Where a holder runs, as seen from here. */
type Place = 'here' | 'elsewhere' | 'other-host';

function placeOf(h: LockHolder, me: HostIdentity): Place {
  if (h.hostname !== me.hostname) return 'other-host';
  return h.bootId === me.bootId && h.pidNamespace === me.pidNamespace ? 'here' : 'elsewhere';
}

/** Why a holder of this host is known to be gone, or undefined while it may still run. */
function goneBecause(h: LockHolder, me: HostIdentity): string | undefined {
  if (placeOf(h, me) !== 'here') return undefined;
  if (h.pid === process.pid) {
    return h.id !== undefined && HELD.has(h.id) ? undefined : 'this process does not hold it: an earlier process had the same pid';
  }
  if (!pidAlive(h.pid)) return 'that process no longer runs';
  if (h.pidStart !== undefined) {
    const now = processStartTime(h.pid);
    if (now !== undefined && now !== h.pidStart) return 'its pid now belongs to a process started since';
  }
  return undefined;
}

function describeHolder(h: LockHolder, me: HostIdentity): string {
  const place = placeOf(h, me);
  const name = sanitize(h.hostname);
  const where =
    place === 'here'
      ? 'on this host'
      : place === 'other-host'
        ? `on host ${name}`
        : h.bootId === undefined && h.pidNamespace === undefined
          ? `on host ${name}, in a lock that does not record its boot or pid namespace (an older tagaudit?)`
          : `on host ${name} ${h.bootId !== me.bootId ? 'before a restart, or on another machine of that name' : 'in another pid namespace (another container?)'}`;
  return `pid ${h.pid} ${where}, started ${sanitize(h.startedAt)}: ${sanitize(h.command)}`;
}

function refusal(lockPath: string, existing: Existing, me: HostIdentity): UsageError {
  if (existing.kind !== 'holder') {
    return new UsageError(
      'the journal is locked, but its lock file does not say by whom (empty, or not written by tagaudit); if no tagaudit run is using this journal, delete the lock file',
      lockPath,
    );
  }
  const h = existing.holder;
  const place = placeOf(h, me);
  const why = place === 'here' ? '' : ` (tagaudit cannot check from ${sanitize(me.hostname)} whether it still runs)`;
  return new UsageError(
    `the journal is in use by another tagaudit run (${describeHolder(h, me)})${why}; wait for it to finish, or delete this lock file if that process is gone`,
    lockPath,
  );
}

/**
 * Removes the stale lock judged from `seen`, and only that one, with the takeover file held (so no other run takes it
 * over meanwhile). A lock that is no longer the one seen (taken over and re-created, or released) is left alone. It is
 * moved aside before it is removed, and put back if it turns out to be another file after all (a lock file deleted by
 * hand and created again by another run in between). Returns whether the stale lock is gone.
 */
function removeStale(lockPath: string, seen: Seen): boolean {
  if (!isSame(lockPath, seen)) return false;
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    renameSync(lockPath, aside);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false; // removed meanwhile: try to create it again
    throw err;
  }
  if (isSame(aside, seen)) {
    unlinkSync(aside);
    return true;
  }
  try {
    linkSync(aside, lockPath);
  } catch (err) {
    if (errnoCode(err) !== 'EEXIST') throw err;
    // Two runs hold a lock file now; the one moved aside is left where it is so that its run's lock is not lost.
    throw new UsageError(
      `while a stale lock was taken over, other tagaudit runs replaced the lock file twice; more than one run may be using this journal. Check, then delete ${displayPath(aside)}`,
      lockPath,
    );
  }
  unlinkSync(aside);
  return false;
}

type Takeover = 'removed' | 'changed' | 'busy';

/** Takes `<lock>.takeover` (a takeover file left by a killed run is removed after TAKEOVER_STALE_MS), then removeStale. */
function takeOver(lockPath: string, seen: Seen, text: string): Takeover {
  const guard = `${lockPath}.takeover`;
  let mine: Seen;
  try {
    mine = writeNew(guard, text);
  } catch (err) {
    if (errnoCode(err) !== 'EEXIST') throw err;
    const st = lstatSync(guard, { throwIfNoEntry: false });
    if (!st) return 'changed';
    if (Date.now() - st.mtimeMs < TAKEOVER_STALE_MS) return 'busy';
    const again = lstatSync(guard, { throwIfNoEntry: false });
    if (again && again.ino === st.ino && again.dev === st.dev) unlinkSync(guard);
    return 'changed';
  }
  try {
    return removeStale(lockPath, seen) ? 'removed' : 'changed';
  } finally {
    if (isSame(guard, mine)) unlinkSync(guard);
  }
}

/**
 * Creates the lock with its content in one step: written to a new file beside it, then hard-linked to the lock's name
 * (EEXIST: the lock is held). Where the file system has no hard links, the lock is created and then written (a reader
 * in between finds it empty and waits: see WAIT_MS). Returns undefined when the lock exists.
 */
function create(lockPath: string, text: string, tag: string): Seen | undefined {
  const fresh = `${lockPath}.new-${tag}`;
  const seen = writeNew(fresh, text);
  try {
    linkSync(fresh, lockPath);
    return seen;
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EEXIST') return undefined;
    if (code === undefined || !NO_HARD_LINKS.has(code)) throw err;
  } finally {
    unlinkSync(fresh);
  }
  try {
    return writeNew(lockPath, text);
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return undefined;
    throw err;
  }
}

/** The release of each lock this process holds, by id: run if the process is interrupted (see listenForInterrupts). */
const RELEASES = new Map<string, () => void>();
const INTERRUPTS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const listeners = new Map(INTERRUPTS.map((signal) => [signal, (): void => onInterrupt(signal)]));
let listening = false;

/**
 * Interrupted (Ctrl-C, SIGTERM, a closed terminal) while it holds locks, the process removes them, then dies of the
 * signal (128 + its number) as if nobody had listened; unless another listener (the progress line, the removal of
 * unfinished report files) is still to run and does so itself. A kill -9 leaves them: stale, the next run on the
 * journal takes one over, and one left beside no journal is removed by the next run in its directory (sweepOrphans).
 */
function onInterrupt(signal: NodeJS.Signals): void {
  for (const release of [...RELEASES.values()]) release();
  stopListening();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function listenForInterrupts(): void {
  if (listening) return;
  listening = true;
  for (const [signal, listener] of listeners) process.on(signal, listener);
}

function stopListening(): void {
  if (!listening) return;
  listening = false;
  for (const [signal, listener] of listeners) process.removeListener(signal, listener);
}

function handle(lockPath: string, mine: Seen, id: string): JournalLock {
  HELD.add(id);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    HELD.delete(id);
    RELEASES.delete(id);
    if (RELEASES.size === 0) stopListening();
    try {
      // Only our own file: a lock someone deleted and another run re-created is theirs.
      if (isSame(lockPath, mine)) unlinkSync(lockPath);
    } catch {
      // Left behind, it is stale once this process ends: the next run takes it over.
    }
  };
  RELEASES.set(id, release);
  listenForInterrupts();
  return { path: lockPath, release };
}

/** Directories already swept by this process. */
const SWEPT = new Set<string>();

/**
 * Removes the stale locks in the directory of `lockPath` that lie beside no journal: a run killed (kill -9) after
 * taking the lock of a journal it had not created yet (an undo still reading, a fix still scanning) leaves one, under
 * a name no later run uses (default journal names hold a time and a pid). Only a lock whose holder is known to be
 * gone is removed (goneBecause), with the takeover file held, and said in one line; anything else is left alone, and
 * a failure here never stops the run.
 */
function sweepOrphans(lockPath: string, text: string, me: HostIdentity, stderr: TextOut): void {
  const dir = dirname(lockPath);
  if (SWEPT.has(dir)) return;
  SWEPT.add(dir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.lock') && n.length > '.lock'.length);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (path === lockPath) continue;
    try {
      if (lstatSync(path.slice(0, -'.lock'.length), { throwIfNoEntry: false })) continue;
      const there = readExisting(path);
      if (there.kind !== 'holder') continue;
      const gone = goneBecause(there.holder, me);
      if (gone === undefined) continue;
      if (takeOver(path, there.seen, text) === 'removed') {
        stderr.write(`tagaudit: removed the stale lock ${sanitize(displayPath(path))}, beside no journal (${describeHolder(there.holder, me)}; ${gone})\n`);
      }
    } catch {
      // Not a lock this run can judge or remove: left as it is.
    }
  }
}

/**
 * A journal only read, in a directory where nothing can be created: nothing can append to it there, so the undo goes
 * on unlocked, whatever lock an earlier run left; unless that lock's holder still runs on this host.
 */
function unwritable(journalPath: string, lockPath: string, code: string, me: HostIdentity, stderr: TextOut): JournalLock {
  const there = readExisting(lockPath);
  if (there.kind === 'holder' && placeOf(there.holder, me) === 'here' && goneBecause(there.holder, me) === undefined) {
    throw refusal(lockPath, there, me);
  }
  const left = there.kind === 'holder' ? `; the lock left there (${describeHolder(there.holder, me)}) is ignored` : there.kind === 'unreadable' ? '; the lock file left there is ignored' : '';
  stderr.write(
    `tagaudit: cannot lock ${sanitize(displayPath(journalPath))} (${code}: its directory is not writable)${left}; make sure no other tagaudit run resumes or undoes it meanwhile\n`,
  );
  return UNLOCKED;
}

/**
 * Takes the lock of a journal before anything writes to it (or, for undo, before anything acts on it). Refuses with
 * a UsageError (exit 2, one line) while another run holds it; takes over, saying so on stderr, a lock whose process is
 * known to be gone. A file system error while locking is a UsageError too.
 */
export function lockJournal(journalPath: string, options: LockOptions): JournalLock {
  const lockPath = lockPathFor(journalPath);
  try {
    return acquire(journalPath, lockPath, options);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = errnoCode(err);
    const syscall = typeof err === 'object' && err !== null && 'syscall' in err ? ` in ${String(err.syscall)}` : '';
    throw new UsageError(`cannot take the journal's lock (${code ?? String(err)}${syscall}); tagaudit locks a journal before writing to it`, lockPath, { cause: err });
  }
}

function acquire(journalPath: string, lockPath: string, options: LockOptions): JournalLock {
  const me = thisHost();
  const id = randomUUID();
  const pidStart = processStartTime(process.pid);
  const holder: LockHolder = {
    pid: process.pid,
    hostname: me.hostname,
    startedAt: options.now.toISOString(),
    command: options.command,
    id,
    ...(me.bootId !== undefined ? { bootId: me.bootId } : {}),
    ...(me.pidNamespace !== undefined ? { pidNamespace: me.pidNamespace } : {}),
    ...(pidStart !== undefined ? { pidStart } : {}),
  };
  const text = `${JSON.stringify(holder)}\n`;
  const tag = `${process.pid}-${id.slice(0, 8)}`;
  const deadline = Date.now() + WAIT_MS;
  let last: Existing = { kind: 'gone' };
  // Said only once this run holds the lock: another run may create it between our removal and our create.
  let tookOver: string | undefined;
  for (let round = 0; round < 1000; round++) {
    let mine: Seen | undefined;
    try {
      mine = create(lockPath, text, tag);
    } catch (err) {
      const code = errnoCode(err);
      if (options.existing !== undefined && code === 'ENOENT') return UNLOCKED;
      if (options.existing === 'read' && code !== undefined && NOT_WRITABLE.has(code)) return unwritable(journalPath, lockPath, code, me, options.stderr);
      if (code === 'ENOENT' || (code !== undefined && NOT_WRITABLE.has(code))) {
        throw new UsageError(`cannot create the journal's lock file (${code}); tagaudit locks a journal before writing to it`, lockPath, { cause: err });
      }
      throw err;
    }
    if (mine) {
      if (tookOver) options.stderr.write(tookOver);
      const lock = handle(lockPath, mine, id);
      sweepOrphans(lockPath, text, me, options.stderr);
      return lock;
    }

    last = readExisting(lockPath);
    if (last.kind === 'gone') continue;
    if (last.kind === 'unreadable') {
      // Possibly being written right now (see create): wait for it to say who holds it.
      if (last.young && Date.now() < deadline) {
        sleepSync(POLL_MS);
        continue;
      }
      break;
    }
    const gone = goneBecause(last.holder, me);
    if (gone === undefined) break;
    const outcome = takeOver(lockPath, last.seen, text);
    if (outcome === 'removed') {
      tookOver = `tagaudit: took over the stale lock ${sanitize(displayPath(lockPath))} (${describeHolder(last.holder, me)}; ${gone})\n`;
    } else if (outcome === 'busy') {
      if (Date.now() >= deadline) {
        throw new UsageError(
          `another tagaudit run is taking over this stale lock (${sanitize(displayPath(lockPath))}.takeover exists); try again, or delete that file if no tagaudit run is starting on this journal`,
          lockPath,
        );
      }
      sleepSync(POLL_MS);
    }
  }
  throw refusal(lockPath, last, me);
}
