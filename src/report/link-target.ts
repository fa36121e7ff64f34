import { readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Symlinks followed at most this many times, as the kernel does (ELOOP). */
const MAX_LINKS = 40;

/** A new file's path with its folder's symlinks resolved: real/x.json and link-to-real/x.json are one file. */
export function throughLinks(absolute: string): string {
  try {
    return join(realpathSync(dirname(absolute)), basename(absolute));
  } catch {
    return absolute;
  }
}

/**
 * The file a path that does not resolve to an existing one names: itself, or, for a symlink to a file not created
 * yet (out/link.json → r.json), where the link leads. realpath cannot tell: it fails on such a link.
 */
export function danglingTarget(absolute: string): string {
  let path = throughLinks(absolute);
  for (let links = 0; links < MAX_LINKS; links++) {
    let target: string;
    try {
      target = readlinkSync(path);
    } catch {
      return path; // not a symlink
    }
    path = throughLinks(resolve(dirname(path), target));
  }
  return path;
}
