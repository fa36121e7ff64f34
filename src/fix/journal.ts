import { closeSync, existsSync, fsync, fsyncSync, ftruncateSync, openSync, readFileSync, write, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { describeJsonError } from '../inventory/json-error.js';
import { notAJournal } from './file-kind.js';
import { journalRecordProblem } from './journal-check.js';
import { JournalLinks } from './journal-links.js';
import type { FixType } from '../rules/types.js';
import type { FixPlan, RecordedTag } from './plan.js';

export const JOURNAL_VERSION = 1;

/** One key a fix changes on one resource: what it held before (null: absent) and what the fix leaves (null: removed). */
export interface JournalChange {
  readonly type: FixType;
  readonly before: RecordedTag | null;
  readonly after: RecordedTag | null;
}

export type WriteApi =
  | 'TagResources'
  | 'UntagResources'
  | 'sagemaker:AddTags'
  | 'sagemaker:DeleteTags'
  | 'autoscaling:CreateOrUpdateTags'
  | 'autoscaling:DeleteTags'
  | 'iam:TagUser'
  | 'iam:UntagUser'
  | 'iam:TagRole'
  | 'iam:UntagRole';

export interface CallFailure {
  readonly code: string;
  readonly message: string;
}

export type JournalRecord =
  | {
      readonly t: 'begin';
      readonly version: typeof JOURNAL_VERSION;
      readonly kind: 'fix' | 'undo';
      readonly at: string;
      readonly tool: string;
      /** The journal this run undoes (undo only). */
      readonly undoOf?: string;
      /** File name of the PII vault beside this journal (present once a PII value was saved). */
      readonly vault: string;
    }
  | { readonly t: 'plan'; readonly plan: FixPlan }
  | { readonly t: 'resume'; readonly at: string }
  | {
      readonly t: 'resource';
      readonly arn: string;
      readonly accountId: string;
      readonly region: string;
      readonly resourceType: string;
      /** Live user tags just before the first write (PII masked, with digest). */
      readonly before: readonly RecordedTag[];
      readonly changes: readonly JournalChange[];
    }
  | {
      readonly t: 'call';
      readonly seq: number;
      readonly at: string;
      readonly api: WriteApi;
      readonly accountId: string;
      readonly region: string;
      readonly arns: readonly string[];
      /** Tags written (display form: PII masked). */
      readonly tags?: readonly { readonly key: string; readonly value: string }[];
      /** Keys removed (display form: PII masked). */
      readonly keys?: readonly string[];
      readonly attempt: number;
    }
  | {
      readonly t: 'result';
      readonly seq: number;
      readonly at: string;
      readonly ok: readonly string[];
      readonly failed: Readonly<Record<string, CallFailure>>;
      /** The call itself failed (no per-ARN answer): it may or may not have been applied. */
      readonly error?: CallFailure;
    }
  /**
   * How one resource of the plan ended. An undo also writes one, before its first write, for each resource of the
   * journal it undoes that it read and plans nothing for (see undo-earlier.ts), so that finishing it leaves them alone.
   */
  | { readonly t: 'done'; readonly arn: string; readonly status: string; readonly detail?: string }
  | { readonly t: 'end'; readonly at: string; readonly counts: Readonly<Record<string, number>> }
  | UndoneRecord;

/**
 * How an undo of this journal went: 'started' is appended just before its first write call is sent, then one of the
 * others when it ends (restored: exit 0; partial: keys left alone, not restorable or drifted, exit 1; incomplete: a
 * read or write failed, exit 3; error: an error stopped it). A killed undo leaves 'started' as its last record; an
 * undo that sends no write records nothing, unless it finds an earlier unfinished undo finished (see undo-command).
 */
export type UndoOutcome = 'started' | 'restored' | 'partial' | 'incomplete' | 'error';

/**
 * Appended by `undo --apply` to the journal it undoes (not to its own), so that a later `fix --resume` or undo of that
 * journal knows it was undone.
 */
export interface UndoneRecord {
  readonly t: 'undone';
  readonly at: string;
  /** The undo's own journal (absolute path). */
  readonly undoJournal: string;
  readonly outcome: UndoOutcome;
  /** The undo's resource counts by status, once its applier has finished. */
  readonly counts?: Readonly<Record<string, number>>;
}

/**
 * An append-only JSON Lines file. `append` buffers; `flush` writes the buffer and fsyncs, so whatever was flushed
 * survives a kill -9 or a power cut. The applier awaits a flush before every write call and after its answer.
 * Flushes are group commits: callers that flush while an fsync is running share the next one, so concurrent
 * batches do not queue behind one fsync each (and the event loop never blocks on the disk).
 */
export interface JournalWriter {
  readonly path: string;
  append(record: JournalRecord): void;
  /** Resolves once everything appended before the call is on disk. */
  flush(): Promise<void>;
  /** The same, blocking (for the few records written before any concurrency starts). */
  flushSync(): void;
  /**
   * Writes nothing more (after a failed write of this file or of its vault): what is not on disk yet is dropped, a
   * later flush fails, and close only closes the file. A line the failed write left cut short stays the last one.
   */
  abandon(): void;
  close(): Promise<void>;
}

/**
 * Once a write or fsync of the file has failed (no space left, an I/O error), it may end in a line cut short: nothing
 * is written to it again (a later line would follow the cut one, and the file could no longer be read), and every
 * later flush fails with that first error; close then only closes the file.
 */
export class GroupCommitFile {
  private buffer: string[] = [];
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private closed = false;
  private failure: { readonly error: unknown } | undefined;

  constructor(
    readonly path: string,
    private readonly fd: number,
  ) {}

  push(line: string): void {
    if (this.closed) throw new Error(`${this.path} is closed`);
    if (this.failure) return;
    this.buffer.push(line);
  }

  /** Writes nothing more: see the class comment (a failure of another file, such as the journal's vault). */
  abandon(error: unknown = new Error(`${this.path}: writing stopped`)): void {
    this.failure ??= { error };
    this.buffer = [];
  }

  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.next) return this.next;
    if (!this.running) {
      this.running = this.commit().finally(() => (this.running = undefined));
      return this.running;
    }
    this.next = this.running.then(
      () => {
        this.next = undefined;
        return this.flush();
      },
      (err: unknown) => {
        this.next = undefined;
        throw err;
      },
    );
    return this.next;
  }

  flushSync(): void {
    if (this.failure) throw this.failure.error;
    const data = this.take();
    if (!data) return;
    try {
      let off = 0;
      while (off < data.length) off += writeSync(this.fd, data, off, data.length - off);
      fsyncSync(this.fd);
    } catch (err) {
      this.abandon(err);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (!this.failure) await this.flush();
    this.closed = true;
    closeSync(this.fd);
  }

  /** Closes without flushing: for a caller that has flushed (flushSync) what it pushed. */
  closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private take(): Buffer | undefined {
    if (this.buffer.length === 0) return undefined;
    const data = Buffer.from(this.buffer.join(''), 'utf8');
    this.buffer = [];
    return data;
  }

  private async commit(): Promise<void> {
    if (this.failure) throw this.failure.error;
    const data = this.take();
    if (!data) return;
    try {
      let off = 0;
      while (off < data.length) off += await writeAsync(this.fd, data, off, data.length - off);
      await fsyncAsync(this.fd);
    } catch (err) {
      this.abandon(err);
      throw err;
    }
  }
}

const writeAsync = promisify((fd: number, buf: Buffer, off: number, len: number, cb: (err: NodeJS.ErrnoException | null, written: number) => void) =>
  write(fd, buf, off, len, null, (err, written) => cb(err, written)),
);
const fsyncAsync = promisify(fsync);

class FileJournal implements JournalWriter {
  private readonly file: GroupCommitFile;

  constructor(
    readonly path: string,
    fd: number,
  ) {
    this.file = new GroupCommitFile(path, fd);
  }

  append(record: JournalRecord): void {
    this.file.push(`${JSON.stringify(record)}\n`);
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  flushSync(): void {
    this.file.flushSync();
  }

  abandon(): void {
    this.file.abandon();
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

/** Creates a new journal; refuses to overwrite an existing file. Mode 0600: it holds tag values. */
export function createJournal(path: string): JournalWriter {
  const fd = openSync(path, 'wx', 0o600);
  return new FileJournal(path, fd);
}

/**
 * Cuts what follows the last newline of a JSON Lines file: a line a kill cut short (it was never written whole, so
 * never flushed as a whole, and nothing depends on it), so that appended lines start on a line of their own.
 */
export function dropTornTail(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    dropTornTailOf(fd);
  } finally {
    closeSync(fd);
  }
}

/** The same on a file open for reading and writing (read from its start; with O_APPEND, writes then follow the cut). */
export function dropTornTailOf(fd: number): void {
  const data = readFileSync(fd);
  const keep = data.lastIndexOf(0x0a) + 1;
  if (keep === data.length) return;
  ftruncateSync(fd, keep);
  fsyncSync(fd);
}

/**
 * Appends one record to an existing journal and fsyncs it (a line cut short by a kill dropped first). Throws the file
 * system's error when the journal cannot be written (read-only media, no permission).
 */
export function appendRecordSync(path: string, record: JournalRecord): void {
  dropTornTail(path);
  const file = new GroupCommitFile(path, openSync(path, 'a'));
  try {
    file.push(`${JSON.stringify(record)}\n`);
    file.flushSync();
  } finally {
    file.closeSync();
  }
}

/** Reopens a journal to continue it, a line cut short by a kill dropped first. */
export function reopenJournal(path: string): JournalWriter {
  dropTornTail(path);
  return new FileJournal(path, openSync(path, 'a'));
}

/**
 * The default journal file name in the working directory, e.g. tagaudit-journal-20240601T120000.123Z-4242.jsonl: the
 * UTC time to the millisecond, then the process id, so that runs started together in one directory (parallel CI jobs)
 * get names of their own, and a directory listing sorts them by start time. The file is still created exclusively.
 */
export function defaultJournalName(now: Date, kind: 'fix' | 'undo' = 'fix', pid: number = process.pid): string {
  const stamp = `${now.toISOString().replace(/[-:]/g, '')}-${pid}`;
  return kind === 'fix' ? `tagaudit-journal-${stamp}.jsonl` : `tagaudit-undo-journal-${stamp}.jsonl`;
}

/** A journal read back: records in order, and whether its last line was cut short. */
export interface ReadJournal {
  readonly path: string;
  readonly records: readonly JournalRecord[];
  readonly truncatedTail: boolean;
}

export class JournalReadError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Parses a journal and checks every record for the shape the writer gives it (journalRecordProblem) and its place
 * among the records before it (JournalLinks: every write follows its resource's `resource` record): undo and
 * --resume act on what it says. A last line without its newline (a kill mid-write) is ignored; any other bad line is
 * an error at its line number.
 */
export function readJournal(path: string): ReadJournal {
  if (!existsSync(path)) throw new JournalReadError('no such journal file', 0);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
    const why = code === 'EISDIR' ? 'is a directory, not a journal file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'read error');
    throw new JournalReadError(`cannot read the journal: ${why}`, 0);
  }
  // A plan (or another file of tagaudit's) given as the journal is named for what it is, not by a JSON error.
  const other = notAJournal(text.slice(0, 4096));
  if (other) throw new JournalReadError(other, 0);
  const lines = text.split('\n');
  const records: JournalRecord[] = [];
  let truncatedTail = false;
  let plans = 0;
  const links = new JournalLinks();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    // Text after the last newline was cut short by a kill, even when it parses (cut just before its newline): it was
    // never flushed, so no write depended on it, and reopenJournal drops it; a resumed run must not count on it.
    if (i === lines.length - 1) {
      truncatedTail = true;
      break;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      // describeJsonError drops V8's snippet of the line: a file given by mistake may hold anything, PII included.
      throw new JournalReadError(`not a journal line (${describeJsonError(err).message})`, i + 1);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || typeof (parsed as { t?: unknown }).t !== 'string') {
      throw new JournalReadError('not a journal record (no "t")', i + 1);
    }
    const rec = parsed as Record<string, unknown> & { t: string };
    if (records.length === 0) {
      if (rec.t !== 'begin') throw new JournalReadError('not a tagaudit journal (no begin record)', i + 1);
      // Before the shape checks: another version may write other shapes.
      if (rec.version !== JOURNAL_VERSION) {
        throw new JournalReadError(`unsupported journal version${typeof rec.version === 'number' ? ` ${rec.version}` : ''} (expected ${JOURNAL_VERSION})`, i + 1);
      }
    } else if (rec.t === 'begin') {
      throw new JournalReadError('a second begin record (a journal has one, on its first line)', i + 1);
    }
    if (rec.t === 'plan' && ++plans > 1) throw new JournalReadError('a second plan record (a journal has one, after its begin record)', i + 1);
    const problem = journalRecordProblem(rec);
    if (problem) throw new JournalReadError(problem, i + 1);
    const record = rec as unknown as JournalRecord;
    const unlinked = links.problem(record);
    if (unlinked) throw new JournalReadError(unlinked, i + 1);
    records.push(record);
  }
  if (records.length === 0) throw new JournalReadError('not a tagaudit journal (no begin record)', 1);
  return { path, records, truncatedTail };
}
