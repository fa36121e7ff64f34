import { UsageError, formatLocation } from '../errors.js';
import { maskProblem } from './mask-problem.js';

/** One problem in a dictionary, positioned in its YAML source when the position is known. */
export interface DictionaryProblem {
  /** The dictionary file as the user named it. */
  readonly file: string;
  /** 1-based. */
  readonly line?: number;
  /** 1-based. */
  readonly col?: number;
  /** Where in the document, e.g. `tags[3].values`; absent for file-level problems. */
  readonly path?: string;
  readonly message: string;
}

export function problemLocation(p: DictionaryProblem): string {
  return formatLocation(p.file, p.line, p.col);
}

/** `file:line:col: path: message` — the one line a problem prints as. */
export function formatProblem(p: DictionaryProblem): string {
  return `${problemLocation(p)}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

export function compareProblems(a: DictionaryProblem, b: DictionaryProblem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0);
}

/**
 * A dictionary that cannot be used. As a UsageError it prints one line (the first problem, plus how many more
 * there are) and exits 2; `tagaudit validate` prints every problem with `lines()`. Personal data in the problems
 * is masked here, so no way of printing them can show it.
 */
export class DictionaryError extends UsageError {
  readonly problems: readonly DictionaryProblem[];

  constructor(problems: readonly DictionaryProblem[], options?: { cause?: unknown }) {
    if (problems.length === 0) throw new Error('DictionaryError needs at least one problem');
    const sorted = problems.map(maskProblem).sort(compareProblems);
    const first = sorted[0]!;
    const more = sorted.length - 1;
    const suffix = more === 0 ? '' : ` (and ${more} more problem${more === 1 ? '' : 's'}; run 'tagaudit validate ${first.file}' to list them)`;
    super(`${first.path ? `${first.path}: ` : ''}${first.message}${suffix}`, problemLocation(first), options);
    this.problems = sorted;
  }

  /** Every problem, one `file:line:col: path: message` line each, in source order. */
  lines(): string[] {
    return this.problems.map(formatProblem);
  }
}
