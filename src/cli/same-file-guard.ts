import { statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { danglingTarget } from '../report/link-target.js';

/** A file named on the command line, with the flag that named it (for messages). */
export interface NamedPath {
  readonly flag: string;
  readonly path: string | undefined;
}

/**
 * Refuses (exit 2), before anything is read or written, an output that is the same file as an input (the report
 * would replace the inventory, dictionary or plan it was made from) or as another output (one would silently replace
 * the other). Existing files are compared by device and inode, so a symlink or another spelling of the path is
 * caught; new ones by absolute path, with symlinks resolved (also one pointing to a file not created yet: link.json →
 * r.json names r.json). Character devices and pipes (/dev/null, /dev/stdout) may be named twice.
 */
export function refuseSameFiles(inputs: readonly NamedPath[], outputs: readonly NamedPath[], cwd: string): void {
  const seen: { flag: string; key: string; input: boolean }[] = [];
  for (const input of inputs) {
    const key = identity(input.path, cwd);
    if (key !== undefined) seen.push({ flag: input.flag, key, input: true });
  }
  for (const output of outputs) {
    const key = identity(output.path, cwd);
    if (key === undefined) continue;
    const clash = seen.find((s) => s.key === key);
    if (clash) {
      throw new UsageError(
        clash.input ? `${output.flag} would overwrite the ${clash.flag} file it reads` : `${output.flag} and ${clash.flag} name the same file`,
        output.path,
      );
    }
    seen.push({ flag: output.flag, key, input: false });
  }
}

function identity(path: string | undefined, cwd: string): string | undefined {
  if (path === undefined || path === '') return undefined;
  const absolute = resolve(cwd, path);
  let stats: Stats | undefined;
  try {
    stats = statSync(absolute, { throwIfNoEntry: false });
  } catch {
    return `path:${absolute}`;
  }
  if (!stats) return `path:${danglingTarget(absolute)}`;
  if (!stats.isFile() && !stats.isDirectory()) return undefined;
  return `inode:${stats.dev}:${stats.ino}`;
}
