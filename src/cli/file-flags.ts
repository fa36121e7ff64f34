import { UsageError } from '../errors.js';

/** What a file-name flag would have `-` mean, had it a meaning there. */
export interface DashMeaning {
  readonly stream: 'standard input' | 'standard output';
  /** What to use instead (`--format json prints the report there`), or why not; printed in parentheses. */
  readonly hint?: string;
}

/**
 * A file-name flag's value, checked before anything is read or written. Blank (`--plan-out ""`, an unset variable in
 * CI) is refused as `--plan-out needs a file name`, where it would otherwise name the working directory. So is `-`,
 * for the flags that do not read standard input or write standard output (only `-i -` and `validate -` do): it would
 * silently create a file named `-`, or report a missing one. `./-` still names such a file. Undefined: not given.
 */
export function fileFlag(flag: string, value: unknown, dash: DashMeaning): string | undefined {
  if (value === undefined) return undefined;
  const path = String(value);
  if (path.trim() === '') throw new UsageError(`${flag} needs a file name`);
  if (path === '-') {
    const hint = dash.hint === undefined ? '' : ` (${dash.hint})`;
    throw new UsageError(`${flag} -: ${dash.stream} is not supported here${hint}; give a file name, or ./- for a file named '-'`);
  }
  return path;
}

/** `-` for a journal flag: a journal is locked and appended to, so it must be a file. */
export function journalDash(stream: DashMeaning['stream']): DashMeaning {
  return { stream, hint: 'a journal must be a file: it is locked and appended to' };
}
