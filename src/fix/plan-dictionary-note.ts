import { resolve } from 'node:path';
import { displayPath } from '../report/display-path.js';

const HEX64 = /^[0-9a-f]{64}$/;

/** A checksum as a plan gives it: the plan file is text anyone may have edited, so anything else is not shown. */
function shownSha(sha: string): string {
  return HEX64.test(sha) ? sha : 'not a SHA-256';
}

/**
 * The note when the dictionary in use is not the one a plan was made with (their SHA-256 differ): which file it is
 * (the plan's is named only when it is another one), both checksums, and — for a plan file (`planFile`), whose
 * values are then not checked against the dictionary (see checkPlanWrites) — that they were not.
 */
export function dictionaryChangedNote(o: {
  readonly used: { readonly path: string; readonly sha256: string };
  readonly made: { readonly path: string; readonly sha256: string };
  readonly cwd: string;
  readonly planFile: boolean;
}): string {
  const used = displayPath(o.used.path);
  const made = displayPath(o.made.path);
  const samePath = used === made || resolve(o.cwd, o.used.path) === resolve(o.cwd, o.made.path);
  const sums = `sha256 ${shownSha(o.used.sha256)} here, ${shownSha(o.made.sha256)} in the plan`;
  const unchecked = o.planFile
    ? ": the plan's add-default, normalize-value, inherit and rename values were not checked against it (only for personal data and against the plan's own tags) and are applied as reviewed"
    : '';
  return `tagaudit: ${used} is not the dictionary the plan was made with (${samePath ? '' : `that was ${made}; `}${sums})${unchecked}; the check after applying uses it\n`;
}
