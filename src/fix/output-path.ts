import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Refuses, before any scan or write, an output file that cannot be created: its directory is missing or not a
 * directory, or the path itself is a directory. Without this a long scan would end in a raw ENOENT (exit 3).
 */
export function checkOutputPath(path: string): void {
  const dir = dirname(path);
  const dirStat = statSync(dir, { throwIfNoEntry: false });
  if (!dirStat) throw new UsageError(`cannot write output file: directory ${dir} does not exist (create it first)`, path);
  if (!dirStat.isDirectory()) throw new UsageError(`cannot write output file: ${dir} is not a directory`, path);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError('cannot write output file: is a directory', path);
}

/** A write that failed anyway (permissions, full disk) as a one-line usage error naming the file. */
export function outputWriteError(path: string, err: unknown): UsageError {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'no space left on device' : err instanceof Error ? err.message : String(err);
  return new UsageError(`cannot write output file: ${why}`, path, { cause: err });
}
