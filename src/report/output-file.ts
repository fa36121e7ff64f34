import { accessSync, closeSync, constants, fchmodSync, openSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** An output file being written: commit() publishes it, discard() leaves whatever was there before untouched. */
export interface OutputFile {
  readonly fd: number;
  commit(): void;
  discard(): void;
}

/**
 * Opens `path` for a report. A regular file (or a new one) is written beside it under a temporary name and renamed
 * over it on commit(), so a scan that fails half-way (exit 2, a SARIF over GitHub's limits) never leaves last
 * night's report truncated or half-written. Something that is not a regular file (/dev/null, a pipe) is written
 * directly. Throws the system error (ENOENT for a missing directory, EISDIR, EACCES) before anything is written.
 */
export function openOutputFile(path: string): OutputFile {
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw Object.assign(new Error(`EISDIR: ${path} is a directory`), { code: 'EISDIR' });
  if (existing && !existing.isFile()) {
    const fd = openSync(path, 'w');
    const close = once(() => closeSync(fd));
    return { fd, commit: close, discard: close };
  }
  // Through a symlink: replace the file it points at, not the link.
  const target = existing ? realpathSync(path) : path;
  if (existing) accessSync(target, constants.W_OK);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx');
  let done = false;
  return {
    fd,
    commit() {
      if (done) return;
      done = true;
      try {
        if (existing) fchmodSync(fd, existing.mode & 0o7777);
        closeSync(fd);
        renameSync(temp, target);
      } catch (err) {
        removeQuietly(fd, temp);
        throw err;
      }
    },
    discard() {
      if (done) return;
      done = true;
      removeQuietly(fd, temp);
    },
  };
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
