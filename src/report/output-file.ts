import { accessSync, closeSync, constants, copyFileSync, fchmodSync, openSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { displayPath } from './display-path.js';
import { danglingTarget } from './link-target.js';

/** An output file being written: commit() publishes it, discard() leaves whatever was there before untouched. */
export interface OutputFile {
  readonly fd: number;
  commit(): void;
  discard(): void;
}

/**
 * Opens `path` for a report, a plan or an inventory. A regular file (or a new one) is written beside it under a temporary name and renamed
 * over it on commit(), so a scan that fails half-way (exit 2, a SARIF over GitHub's limits) never leaves last
 * night's report truncated or half-written. Something that is not a regular file (/dev/null, a pipe) is written
 * directly. Throws the system error (ENOENT for a missing directory, EISDIR, EACCES) before anything is written.
 */
export interface OutputFileOptions {
  /** Mode of the written file (plans and inventories hold tag values: 0o600); default: the replaced file's, else 0o666 less the umask. */
  readonly mode?: number;
  /**
   * A symlink to a file not created yet (out/link.json → r.json) creates r.json, as `>` would (reports); otherwise
   * the link itself is replaced by the file. A link to an existing file is followed either way. Files of tag values
   * (0600: plans, inventories) leave it off: a dangling link, such as one planted in a shared folder, would choose
   * where a new file of them is created.
   */
  readonly throughDanglingLink?: boolean;
}

export function openOutputFile(path: string, options: OutputFileOptions = {}): OutputFile {
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw Object.assign(new Error(`EISDIR: ${displayPath(path)} is a directory`), { code: 'EISDIR' });
  if (existing && !existing.isFile()) return inPlace(path);
  // Through a symlink: replace the file it points at, not the link.
  const target = existing ? realpathSync(path) : options.throughDanglingLink ? danglingTarget(path) : path;
  if (existing) accessSync(target, constants.W_OK);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', options.mode ?? 0o666);
  } catch (err) {
    // A file the user may write in a folder they may not (a shared report path): write it in place, as before.
    if (existing && PERMISSION.has(errnoCode(err) ?? '')) return inPlace(target);
    throw err;
  }
  temps.add(temp);
  installCleanup();
  let done = false;
  return {
    fd,
    commit() {
      if (done) return;
      done = true;
      try {
        if (options.mode !== undefined) fchmodSync(fd, options.mode);
        else if (existing) fchmodSync(fd, existing.mode & 0o7777);
        closeSync(fd);
        publish(temp, target);
      } catch (err) {
        removeQuietly(fd, temp);
        throw err;
      } finally {
        temps.delete(temp);
      }
    },
    discard() {
      if (done) return;
      done = true;
      removeQuietly(fd, temp);
      temps.delete(temp);
    },
  };
}

const PERMISSION = new Set(['EACCES', 'EPERM', 'EROFS']);

/** A file that cannot be replaced, only written to: a device, a pipe, a file in a folder the user may not write. */
function inPlace(path: string): OutputFile {
  const fd = openSync(path, 'w');
  const close = once(() => closeSync(fd));
  return { fd, commit: close, discard: close };
}

/**
 * Renames the finished file over the target. A target that is a mount point of its own (one file bind-mounted into
 * a container: `docker run -v $PWD/report.json:/out/report.json`) cannot be renamed over (EBUSY, EXDEV): its content
 * is copied in instead.
 */
function publish(temp: string, target: string): void {
  try {
    renameSync(temp, target);
  } catch (err) {
    const code = errnoCode(err);
    if (code !== 'EBUSY' && code !== 'EXDEV') throw err;
    copyFileSync(temp, target);
    rmSync(temp, { force: true });
  }
}

/** Temporary files being written, removed if the process is interrupted (SIGINT, SIGTERM) before they are done. */
const temps = new Set<string>();
let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const temp of temps) rmSync(temp, { force: true });
      // Then die of the signal as if nothing had listened (exit status 128 + signal number).
      process.kill(process.pid, signal);
    });
  }
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function removeQuietly(fd: number, temp: string): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
  rmSync(temp, { force: true });
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
