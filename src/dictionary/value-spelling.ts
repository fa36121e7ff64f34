// The scan's own fold, so that these checks and the matching they protect cannot drift apart.
import { foldValue } from '../rules/policy-index.js';
import { show } from './pending-problem.js';
import type { PathSegment } from './path.js';

/*
 * The scan matches tag values folded (foldValue: trimmed, white-space runs made one space, lower case): a value that
 * is not exactly allowed but folds like an allowed value is corrected to it, and value aliases are looked up
 * exactly, then folded. These checks refuse the dictionary spellings that folding would turn against correct tags.
 */

export interface SpellingSink {
  error(path: PathSegment[], message: string, at?: 'key' | 'value'): void;
  warn(path: PathSegment[], message: string, at?: 'key' | 'value'): void;
}

/** The spelling a value has once white space is tidied: trimmed, each run one plain space. */
const tidy = (value: string): string => value.trim().replace(/\s+/g, ' ');

const codePoint = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why a value the scan compares with tag values, or the fixer writes (an allowed value, a default, an account
 * default, a value-alias target), has white space that folding removes: ' production' is 'production' to the scan,
 * which would then rewrite correct 'production' tags to the padded spelling. A no-break space pasted from a document
 * does the same inside a value ('cost center' → 'cost\u00a0center').
 */
export function spacingProblem(value: string): string | undefined {
  const clean = tidy(value);
  if (clean === value || clean === '') return undefined; // blank values have their own problem
  const consequence = `tagaudit compares tag values with white space trimmed and folded, so it would rewrite correct ${show(clean)} tags to this spelling; write ${show(clean)}`;
  if (value !== value.trim()) return `${show(value)} starts or ends with white space; ${consequence}`;
  const odd = [...value].find((ch) => /\s/.test(ch) && ch !== ' ');
  return `${show(value)} contains ${odd === undefined ? 'several spaces in a row' : `${codePoint(odd)}, a white space other than a plain space`}; ${consequence}`;
}

/** An allowed value that passed the other checks, and where it is: `tags[i].values[j]`. */
export interface AllowedEntry {
  readonly value: string;
  readonly path: PathSegment[];
}

/** A `valueAliases` entry that passed the other checks (not blank, not personal data, not itself allowed...). */
export interface AliasEntry {
  readonly from: string;
  readonly to: string;
  /** Where the alias is: `tags[i].valueAliases.<from>`. */
  readonly path: PathSegment[];
}

/**
 * Checks one key's allowed values and value aliases against each other as the scan folds them:
 * - two allowed values that fold alike (`Dev`, `dev`): a tag spelled like both is reported but never corrected (warning);
 * - an alias that folds like an allowed value but maps elsewhere (`Development: production` beside `development`):
 *   that one spelling becomes `production` while `DEVELOPMENT` becomes `development` (error); one that maps to that
 *   very value does nothing the case correction does not already do (warning);
 * - two aliases that fold alike but map to different values (`Dev: development`, `DEV: devops`): whether a tag is
 *   rewritten, and to what, depends on its capitals (error);
 * - an alias with white space to trim or fold: it is matched folded anyway, so the spaces are noise (warning).
 */
export function checkValueSpellings(values: readonly AllowedEntry[], aliases: readonly AliasEntry[], sink: SpellingSink): void {
  const allowed = new Map<string, string[]>();
  for (const { value, path } of values) {
    const fold = foldValue(value);
    const same = allowed.get(fold);
    if (same === undefined) allowed.set(fold, [value]);
    else {
      if (!same.includes(value)) {
        sink.warn(path, `${show(value)} differs from the allowed value ${show(same[0])} only by case or spacing; a tag that differs from both the same way is reported but never corrected, since either could be meant`);
      }
      same.push(value);
    }
  }

  const aliased = new Map<string, AliasEntry>();
  for (const alias of aliases) {
    const { from, to, path } = alias;
    const fold = foldValue(from);
    const candidates = allowed.get(fold);
    if (candidates !== undefined) {
      if (!candidates.includes(to)) {
        sink.error(
          path,
          `${show(from)} is the allowed value ${show(candidates[0])} in another case or spacing, but is mapped to ${show(to)}: other spellings of ${show(candidates[0])} are corrected to it, and this one would become ${show(to)}; remove the alias`,
          'key',
        );
      } else if (candidates.length === 1) {
        sink.warn(path, `${show(from)} differs from ${show(to)} only by case or spacing, which tagaudit corrects without an alias; the alias can go`, 'key');
      }
      continue; // The scan tries allowed values before aliases for a folded spelling: other aliases do not compete.
    }
    const earlier = aliased.get(fold);
    if (earlier === undefined) aliased.set(fold, alias);
    else if (earlier.to !== to) {
      sink.error(
        path,
        `${show(from)} and the alias ${show(earlier.from)} differ only by case or spacing but map to ${show(to)} and ${show(earlier.to)}: the capitals of a tag would decide what it becomes, and other spellings are never corrected; map both to one value`,
        'key',
      );
      continue;
    }
    if (tidy(from) !== from) {
      sink.warn(path, `${show(from)} has white space that tagaudit trims and folds before it looks a value up, so ${show(tidy(from))} is enough`, 'key');
    }
  }
}
