import { K_EMAIL, K_FREETEXT, K_GROUP, K_PERSON } from './key-context.js';
import { AMBIGUOUS_GIVEN, GIVEN_NAMES, ORG_WORD_SURNAMES, ORG_WORDS, PARTICLES, SENTENCE_WORDS, SURNAMES, TITLES } from './name-lexicon.js';
import { isCommonEnglishWord } from './common-words.js';
import type { Found, TextContext } from './text-context.js';

/** Letters NFD does not decompose into a base letter and a mark. */
const LETTER_FOLD: Readonly<Record<string, string>> = { ł: 'l', ø: 'o', đ: 'd', ð: 'd', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th', ı: 'i' };
const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[łøđðßæœþı]/g, (c) => LETTER_FOLD[c] ?? c);

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

/** An everyday English word and not a known name ("Period", "Threat", "Follow-Up"); short words are left out. */
const isPlainWord = (tok: string): boolean => {
  const f = fold(tok).replace(/\.$/, '');
  if (f.length < 3 || GIVEN_NAMES.has(f) || SURNAMES.has(f)) return false;
  if (isCommonEnglishWord(f)) return true;
  return f.includes('-') && f.split('-').every((p) => p.length >= 3 && isCommonEnglishWord(p));
};
/** A given name that is not also an ordinary word or place. */
const solidGiven = (tok: string): boolean => inSet(GIVEN_NAMES, tok) && !inSet(AMBIGUOUS_GIVEN, tok);

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
    if (INITIAL.test(t)) continue;
    if (TITLE_TOKEN.test(t)) m = 'title';
    else if (LOWER_TOKEN.test(t)) m = 'lower';
    else if (UPPER_TOKEN.test(t)) m = 'upper';
    else return false;
    if (mode !== undefined && m !== mode) return false;
    mode = m;
    if (t.length > 20) return false;
    named.push(t);
  }
  // "A. Kumar", "J. R. Smith": initials and a known surname, or under a person key any surname-shaped word.
  if (named.length === 1 && toks.length >= 2 && INITIAL.test(toks[0] as string)) {
    const sur = named[0] as string;
    return inSet(SURNAMES, sur) || (strongKey && mode === 'title' && !isOrg(sur) && !isPlainWord(sur));
  }
  if (named.length < 2) return false;
  const first = named[0] as string;
  const last = named[named.length - 1] as string;
  const given = inSet(GIVEN_NAMES, first) || (inSet(SURNAMES, first) && inSet(GIVEN_NAMES, last));
  const sur = inSet(SURNAMES, last);
  if (given && sur) return true;
  if (named.some(isOrgWord) || inSet(SENTENCE_WORDS, first)) return false;
  // Without a solid given name or a known surname, everyday words make a team or product: "Grace Period", "Threat Intel".
  if (!solidGiven(first) && !sur && named.some(isPlainWord)) return false;
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

// Words after which prose names a person: "approved by …", "contact: …", "cc …", "escalate to …".
const PERSON_CUE = /(?<![\p{L}\p{N}])(?:by|contact|owner|approver|requester|requestor|assignee|manager|lead|poc|cc|attn|ping|ask|contractor|consultant|employee|user|escalate to|assigned to|reach out to)\s*[:=-]?\s+/giu;
const NAME_TOKEN = /^(?:\p{Lu}[\p{L}'’-]*\.?|\p{Ll}{1,3})$/u;

/** The person named right after a cue word, judged like a value under a person key: "by Madison Davis", "cc S. Krishnan". */
function scanCued(t: string, out: Found[]): void {
  PERSON_CUE.lastIndex = 0;
  for (let m = PERSON_CUE.exec(t); m !== null; m = PERSON_CUE.exec(t)) {
    const from = m.index + m[0].length;
    const toks: string[] = [];
    const re = /\S+/gy;
    re.lastIndex = from;
    for (let w = re.exec(t); w !== null && toks.length < 5; w = re.exec(t)) {
      // stop at punctuation that ends the name: "Jane Doe, ML" / "Jane Doe (FinOps)"
      const tok = w[0].replace(/[,;:)]+$/, '');
      if (!NAME_TOKEN.test(tok)) break;
      toks.push(tok);
      if (tok.length !== w[0].length) break;
      if (t[re.lastIndex] !== ' ') break;
      re.lastIndex++;
    }
    for (let k = toks.length; k >= 2; k--) {
      const phrase = toks.slice(0, k).join(' ');
      if (isPersonName(phrase, true)) {
        out.push({ kind: 'person-name', start: from, end: from + phrase.length });
        break;
      }
    }
  }
}

function scanText(t: string, out: Found[]): void {
  scanCued(t, out);
  IN_TEXT.lastIndex = 0;
  for (let m = IN_TEXT.exec(t); m !== null; m = IN_TEXT.exec(t)) {
    const g = m[1] as string;
    const s = m[2] as string;
    const sur = inSet(SURNAMES, s);
    // A given name that is also a word or a place ("Grace Period", "Georgia Tech") needs a known surname.
    const given = inSet(GIVEN_NAMES, g) && (sur || !inSet(AMBIGUOUS_GIVEN, g));
    const ok =
      (given || (sur && !inSet(AMBIGUOUS_GIVEN, g) && !isPlainWord(g))) &&
      // prose is full of capitalised words: an unknown surname must not be an everyday one ("Emily Framework")
      (sur || !isPlainWord(s)) &&
      !isOrg(s) &&
      !isOrg(g) &&
      !inSet(SENTENCE_WORDS, g) &&
      !inSet(SENTENCE_WORDS, s);
    if (ok) out.push({ kind: 'person-name', start: m.index, end: m.index + m[0].length });
    else IN_TEXT.lastIndex = m.index + g.length; // retry from the surname: "Contact Jane Doe"
  }
}

/** Blanks out "(…)", "<…>", "[…]" and e-mail addresses so that what is left are the name candidates. */
function blankAsides(t: string): string {
  return t.replace(/\([^)]*\)?|<[^>]*>?|\[[^\]]*\]?|\S+@\S+/g, (s) => ' '.repeat(s.length));
}

/** A whole value written surname first: "Doe, John", "van der Berg, Anna", "Smith, John A.". */
const LAST_FIRST = /^\s*((?:(?:van|von|de|der|den|da|di|du|le|la|ten|ter)\s+)*[\p{L}'’-]+),\s*([\p{L}'’-]+(?:\s+\p{Lu}\.?)*)\s*$/u;

/**
 * "Doe, Jane" as the whole value of a key that does not name a person (team, notes): the comma hides it from the
 * in-text scan, which reads "Given Surname". Only with a given name that is not also a word or a place and a known
 * surname, so that "Platform, Data" or "Austin, Texas" stay quiet.
 */
function scanLastFirst(t: string, out: Found[]): boolean {
  const lf = LAST_FIRST.exec(t);
  if (lf === null) return false;
  const surname = lf[1] as string;
  const given = lf[2] as string;
  const sur = surname.split(/\s+/).pop() as string;
  if (!solidGiven(given.split(/\s+/)[0] as string) || !inSet(SURNAMES, sur) || isOrg(sur)) return false;
  if (!isPersonName(`${given} ${surname}`, false)) return false;
  out.push({ kind: 'person-name', start: t.search(/\S/), end: t.trimEnd().length });
  return true;
}

/** Kinds written next to a person's name ("Mary Major +1 (206) 555-0142", "Mary Major <mary@example.com>"). */
const isContact = (f: Found): boolean => f.kind === 'phone' || f.kind === 'email';

/** `t` with every span other detectors found there overwritten by `fill`: those characters are never part of a name. */
function fillFound(t: string, found: readonly Found[], fill: string): string {
  let s = t;
  for (const f of found) if (f.kind !== 'person-name') s = s.slice(0, f.start) + fill.repeat(f.end - f.start) + s.slice(f.end);
  return s;
}

/** The value without leading and trailing blanks and separators, and where it starts: "Doe, Jane |||" → "Doe, Jane". */
function core(t: string): { readonly text: string; readonly at: number } {
  const lead = /^[\s|]*/.exec(t)?.[0].length ?? 0;
  return { text: t.slice(lead).replace(/[\s|]+$/, ''), at: lead };
}

/** "jane.doe", "james_wilson": a handle made of a given name (not also a word or a place) and a name that is no team word. */
export function isPersonHandle(text: string): boolean {
  const handle = HANDLE.exec(text);
  if (handle === null) return false;
  const g = handle[1] as string;
  return inSet(GIVEN_NAMES, g) && !inSet(AMBIGUOUS_GIVEN, g) && !isOrg(handle[2] as string);
}

/**
 * A whole value that is a "first.last" handle: true when it names a person (a given name that is not also a word or a
 * place, then no team word), false when it is some other handle, undefined when it is no handle.
 */
function handleName(c: { readonly text: string; readonly at: number }, out: Found[]): boolean | undefined {
  if (!HANDLE.test(c.text)) return undefined;
  if (!isPersonHandle(c.text)) return false;
  out.push({ kind: 'person-name', start: c.at, end: c.at + c.text.length });
  return true;
}

function scanPersonValue(ctx: TextContext, out: Found[]): boolean {
  // A phone number or address written next to the name ends it as a comma would: "Mary Major +1 (206) 555-0142".
  const t = fillFound(blankAsides(ctx.text), out, '|');
  const c = core(t);
  const strong = !ctx.key(K_GROUP);
  const handle = handleName(c, out);
  if (handle !== undefined) return handle;
  // "Doe, John", "Smith, John A."
  const lf = LAST_FIRST.exec(c.text);
  if (lf !== null && isPersonName(`${lf[2] as string} ${lf[1] as string}`, strong)) {
    out.push({ kind: 'person-name', start: c.at, end: c.at + c.text.length });
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

/** What may stand between a name and the phone number or address beside it: " ", " - ", " <", ": ", ") ". */
const GAP = '[\\s,:;|/()<>[\\]\\u2013\\u2014-]';
/** Before the contact detail a word may say what it is: "Mary Major on +1 …", "Mary Major tel. +1 …", "… at mary@…". */
const GAP_BEFORE = new RegExp(`${GAP}+(?:(?:on|at|via|tel|ph|phone|mobile|mob|cell|e-?mail|mail)\\.?${GAP}+)?$`, 'iu');
const GAP_AFTER = new RegExp(`^${GAP}+`, 'u');
const MAX_GAP = 12;
/** Stands in for the spans other detectors found (a private-use character: no tag value holds it). */
const FOUND = '\ue000';
/** Where a name beside a contact detail cannot reach past: punctuation, or another detected span. */
const CLAUSE_END = /[,;:|/()<>[\]"!?\ue000]/u;
const WORDS = /\S+/gu;

/** Whitespace-separated words of `t` between `from` and `to`, with their offsets. */
function wordsIn(t: string, from: number, to: number): { start: number; end: number }[] {
  const words: { start: number; end: number }[] = [];
  WORDS.lastIndex = from;
  for (let w = WORDS.exec(t); w !== null && w.index < to; w = WORDS.exec(t)) words.push({ start: w.index, end: Math.min(to, w.index + w[0].length) });
  return words;
}

/**
 * "Laura Field", "LAURA J. FIELD": a given name that is not also a word or a place, then a family name that is also a
 * team word (ORG_WORD_SURNAMES), which isPersonName turns down as a team name. Only judged beside a contact detail.
 */
function givenAndOrgWordSurname(phrase: string): boolean {
  const toks = phrase.trim().split(/\s+/);
  if (toks.length < 2 || toks.length > 3 || (toks.length === 3 && !INITIAL.test(toks[1] as string))) return false;
  const g = toks[0] as string;
  const s = toks[toks.length - 1] as string;
  const sameCase = (TITLE_TOKEN.test(g) && TITLE_TOKEN.test(s)) || (UPPER_TOKEN.test(g) && UPPER_TOKEN.test(s));
  return sameCase && solidGiven(g) && inSet(ORG_WORD_SURNAMES, s);
}

/** A name among `words` (longest first), the first word kept when `anchorEnd` is false, the last one when true. */
function nameAmong(t: string, words: readonly { start: number; end: number }[], anchorEnd: boolean, out: Found[]): void {
  const n = Math.min(words.length, 5);
  const pick = anchorEnd ? words.slice(words.length - n) : words.slice(0, n);
  for (let k = n; k >= 2; k--) {
    const first = pick[anchorEnd ? n - k : 0] as { start: number };
    const last = pick[anchorEnd ? n - 1 : k - 1] as { end: number };
    let end = last.end;
    // a sentence's full stop is not part of the surname: "… 555 0142 Mary Major."
    if (!anchorEnd && t[end - 1] === '.' && end - 2 > first.start && /\p{L}{2}$/u.test(t.slice(end - 3, end - 1))) end--;
    const phrase = t.slice(first.start, end);
    if (isPersonName(phrase, false) || givenAndOrgWordSurname(phrase)) {
      out.push({ kind: 'person-name', start: first.start, end });
      return;
    }
  }
}

/**
 * A name written right before or after a phone number or e-mail address in free text (or under a person key whose
 * value is more than a list of names): "Call Mary Major on +1 (206) 555-0142", "+1 206 555 0142 Mary Major",
 * "Mary Major mary@example.com". The contact detail says a person is meant, so a surname that is also a word
 * ("Major", "Stone") counts here after a known given name, where the in-text scan passes it, and so does a family name
 * that is also a team word ("Laura Field"); team, place and product names ("Data Platform +1 …", "Victoria Station
 * +44 …", "Oscar Health +1 …") still do not.
 */
function scanBesideContact(ctx: TextContext, out: Found[]): void {
  const contacts = out.filter(isContact);
  if (contacts.length === 0) return;
  const t = fillFound(ctx.text, out, FOUND);
  for (const f of contacts) {
    // before: the words from the last clause break up to the gap
    const before = GAP_BEFORE.exec(t.slice(Math.max(0, f.start - MAX_GAP), f.start));
    if (before !== null) {
      const g = f.start - before[0].length;
      let from = g;
      while (from > 0 && !CLAUSE_END.test(t[from - 1] as string)) from--;
      if (g > from) nameAmong(t, wordsIn(t, from, g), true, out);
    }
    // after: the words from the gap up to the next clause break
    const after = GAP_AFTER.exec(t.slice(f.end, f.end + MAX_GAP));
    if (after !== null) {
      const h = f.end + after[0].length;
      let to = h;
      while (to < t.length && !CLAUSE_END.test(t[to] as string)) to++;
      if (to > h) nameAmong(t, wordsIn(t, h, to), false, out);
    }
  }
}

export function detectPersonName(ctx: TextContext, out: Found[]): void {
  if (ctx.key(K_PERSON) && scanPersonValue(ctx, out)) return;
  // email = "jane.doe": a mailbox without its domain names its person as an owner's handle does
  if (ctx.key(K_EMAIL) && !ctx.key(K_PERSON) && ctx.p.at === 0 && handleName(core(ctx.text), out) === true) return;
  if (ctx.p.upper >= 2 && (ctx.p.spaces >= 1 || ctx.key(K_FREETEXT))) {
    if (ctx.text.includes(',') && scanLastFirst(ctx.text, out)) return;
    scanText(ctx.text, out);
    scanBesideContact(ctx, out);
  }
}
