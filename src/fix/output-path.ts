import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';
import { displayPath, maskNameText } from '../report/display-path.js';

/**
 * Refuses, before any scan or write, an output file that cannot be created: its directory is missing or not a
 * directory, or the path itself is a directory. Without this a long scan would end in a raw ENOENT (exit 3).
 */
export function checkOutputPath(path: string): void {
  const dir = dirname(path);
  const dirStat = statSync(dir, { throwIfNoEntry: false });
  if (!dirStat) throw new UsageError(`cannot write output file: directory ${displayPath(dir)} does not exist (create it first)`, displayPath(path));
  if (!dirStat.isDirectory()) throw new UsageError(`cannot write output file: ${displayPath(dir)} is not a directory`, displayPath(path));
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError('cannot write output file: is a directory', displayPath(path));
}

/** A write that failed anyway (permissions, full disk) as a one-line usage error naming the file. */
export function outputWriteError(path: string, err: unknown): UsageError {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
  // Node's own message names the path.
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'no space left on device' : maskNameText(err instanceof Error ? err.message : String(err));
  return new UsageError(`cannot write output file: ${why}`, displayPath(path), { cause: err });
}
