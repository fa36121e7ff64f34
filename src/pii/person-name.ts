import { K_FREETEXT, K_GROUP, K_PERSON } from './key-context.js';
import { AMBIGUOUS_GIVEN, GIVEN_NAMES, ORG_WORDS, PARTICLES, SENTENCE_WORDS, SURNAMES, TITLES } from './name-lexicon.js';
import type { Found, TextContext } from './text-context.js';

const fold = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

const TITLE_TOKEN = /^(?:\p{Lu}['’])?(?:Ma?c)?\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)*$/u;
const INITIAL = /^\p{Lu}\.?$/u;
const LOWER_TOKEN = /^\p{Ll}+(?:[-'’]\p{Ll}+)*$/u;
const UPPER_TOKEN = /^\p{Lu}{2,}(?:[-'’]\p{Lu}+)*$/u;
/** Endings of abstract nouns and activities that team names are made of ("Detection", "Laundering"), rarely of names. */
const ORG_SUFFIX = /(?:tion|sion|ment|ics|ogy|ness|ware|ops|ity|ism|ing)$/;

/** Hyphenated names count as known if any part is: "Anna-Lena", "Al-Rashid". */
const inSet = (set: ReadonlySet<string>, tok: string): boolean => {
  const f = fold(tok).replace(/\.$/, '');
  if (set.has(f)) return true;
  return f.includes('-') && f.split('-').some((p) => set.has(p));
};

/** A word team, product and system names are made of. */
const isOrgWord = (tok: string): boolean => {
  const f = fold(tok);
  return ORG_WORDS.has(f) || f.split('-').some((p) => ORG_WORDS.has(p));
};
/** Shaped like an abstract noun; surnames share some endings (Manning, Fleming), so only without a known given name. */
const isOrgShape = (tok: string): boolean => {
  const f = fold(tok);
  return f.length >= 7 && ORG_SUFFIX.test(f) && !SURNAMES.has(f) && !GIVEN_NAMES.has(f);
};
const isOrg = (tok: string): boolean => isOrgWord(tok) || isOrgShape(tok);

/**
 * Whether a short phrase (the whole value, or one item of a list) is a person's name. `strongKey` allows names
 * missing from the word lists when their shape is unambiguous.
 */
export function isPersonName(phrase: string, strongKey: boolean): boolean {
  let toks = phrase.trim().split(/\s+/);
  if (toks.length > 0 && TITLES.has((toks[0] as string).toLowerCase())) toks = toks.slice(1);
  if (toks.length < 2 || toks.length > 5) return false;
  let mode: 'title' | 'lower' | 'upper' | undefined;
  const named: string[] = [];
  for (const t of toks) {
    if (PARTICLES.has(t.toLowerCase()) && named.length > 0) continue;
    let m: typeof mode;
    if (INITIAL.test(t)) {
      // "A. Kumar" only with a known surname
      if (named.length === 0 && toks.length < 3 && !inSet(SURNAMES, toks[toks.length - 1] as string)) return false;
      continue;
    } else if (TITLE_TOKEN.test(t)) m = 'title';
    else if (LOWER_TOKEN.test(t)) m = 'lower';
    else if (UPPER_TOKEN.test(t)) m = 'upper';
    else return false;
    if (mode !== undefined && m !== mode) return false;
    mode = m;
    if (t.length > 20) return false;
    named.push(t);
  }
  // "A. Kumar", "J. R. Smith": initials and a known surname
  if (named.length === 1 && toks.length >= 2 && INITIAL.test(toks[0] as string)) return inSet(SURNAMES, named[0] as string);
  if (named.length < 2) return false;
  const first = named[0] as string;
  const last = named[named.length - 1] as string;
  const given = inSet(GIVEN_NAMES, first) || (inSet(SURNAMES, first) && inSet(GIVEN_NAMES, last));
  const sur = inSet(SURNAMES, last);
  if (given && sur) return true;
  if (named.some(isOrgWord) || inSet(SENTENCE_WORDS, first)) return false;
  // Surname first ("Li Xiaoming", "Nguyen Van An") counts as known too.
  const known = given || sur || inSet(SURNAMES, first);
  if (!known && named.some(isOrgShape)) return false;
  if (mode !== 'title') return given && !inSet(AMBIGUOUS_GIVEN, first);
  return known || strongKey;
}

/** "first.last" / "first_last" handles under a person key, e.g. james.wilson. */
const HANDLE = /^([A-Za-z]+)[._]([A-Za-z]{2,})$/;

// A given name followed by a capitalised surname inside longer text: "Approved by Maria Rossi on …".
const IN_TEXT = /(?<![\p{L}\p{N}])(\p{Lu}\p{Ll}+)(?:\s+\p{Lu}\.?)?\s+((?:Ma?c)?\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)*)(?![\p{L}\p{N}@.])/gu;

function scanText(t: string, out: Found[]): void {
  IN_TEXT.lastIndex = 0;
  for (let m = IN_TEXT.exec(t); m !== null; m = IN_TEXT.exec(t)) {
    const g = m[1] as string;
    const s = m[2] as string;
    const sur = inSet(SURNAMES, s);
    // A given name that is also a word or a place ("Grace Period", "Georgia Tech") needs a known surname.
    const given = inSet(GIVEN_NAMES, g) && (sur || !inSet(AMBIGUOUS_GIVEN, g));
    const ok = (given || (sur && !inSet(AMBIGUOUS_GIVEN, g))) && !isOrg(s) && !isOrg(g) && !inSet(SENTENCE_WORDS, g) && !inSet(SENTENCE_WORDS, s);
    if (ok) out.push({ kind: 'person-name', start: m.index, end: m.index + m[0].length });
    else IN_TEXT.lastIndex = m.index + g.length; // retry from the surname: "Contact Jane Doe"
  }
}

/** Blanks out "(…)", "<…>", "[…]" and e-mail addresses so that what is left are the name candidates. */
function blankAsides(t: string): string {
  return t.replace(/\([^)]*\)?|<[^>]*>?|\[[^\]]*\]?|\S+@\S+/g, (s) => ' '.repeat(s.length));
}

function scanPersonValue(ctx: TextContext, out: Found[]): boolean {
  const t = blankAsides(ctx.text);
  const strong = !ctx.key(K_GROUP);
  const handle = HANDLE.exec(t.trim());
  if (handle !== null) {
    const g = handle[1] as string;
    if (inSet(GIVEN_NAMES, g) && !inSet(AMBIGUOUS_GIVEN, g) && !isOrg(handle[2] as string)) {
      const start = t.indexOf(handle[0]);
      out.push({ kind: 'person-name', start, end: start + handle[0].length });
      return true;
    }
    return false;
  }
  // "Doe, John", "Smith, John A."
  const lf = /^\s*([\p{L}'’-]+),\s*([\p{L}'’-]+(?:\s+\p{Lu}\.?)*)\s*$/u.exec(t);
  if (lf !== null && isPersonName(`${lf[2] as string} ${lf[1] as string}`, strong)) {
    out.push({ kind: 'person-name', start: t.search(/\S/), end: t.trimEnd().length });
    return true;
  }
  let found = false;
  const PART = /[^,;&/|]+/g;
  for (let m = PART.exec(t); m !== null; m = PART.exec(t)) {
    const part = m[0].replace(/\band\b.*$/, '');
    const trimmed = part.trim();
    if (trimmed === '' || !isPersonName(trimmed, strong)) continue;
    const start = m.index + part.indexOf(trimmed);
    out.push({ kind: 'person-name', start, end: start + trimmed.length });
    found = true;
  }
  return found;
}

export function detectPersonName(ctx: TextContext, out: Found[]): void {
  if (ctx.key(K_PERSON) && scanPersonValue(ctx, out)) return;
  if (ctx.p.upper >= 2 && (ctx.p.spaces >= 1 || ctx.key(K_FREETEXT))) scanText(ctx.text, out);
}
