import { foldKey, isMandatoryEverywhere, type KeyCase } from './policy.js';
import { KEY_CASES, describeKeyCase, keyMatchesCase } from './key-case.js';
import { awsTextProblem } from './aws-tag-rules.js';
import { compileDictionaryRegex, regexIssue, regexProblem, type RegexIssue } from './dictionary-regex.js';
import { unanchoredProblem } from './regex-anchoring.js';
import { maskPattern } from './pattern-pii.js';
import { checkValueSpellings, spacingProblem, type AliasEntry, type AllowedEntry } from './value-spelling.js';
import { show, type PendingProblem } from './pending-problem.js';
import { keyPiiCheck, patternPiiCheck, writablePiiCheck, type KeyPii, type PatternPii, type WritablePiiCheck } from './writable-pii.js';
import { likelyMeant } from './resource-type-typos.js';
import { blankTextProblem, controlCharacterProblems, keySpacingProblem } from './text-checks.js';
import type { PathSegment } from './path.js';
import { MAX_USER_TAGS } from '../inventory/resource.js';

export interface SemanticResult {
  readonly errors: PendingProblem[];
  readonly warnings: PendingProblem[];
}

type Rec = Readonly<Record<string, unknown>>;

const isRecord = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): Array<[number, string]> =>
  Array.isArray(v) ? v.flatMap((item, i): Array<[number, string]> => (typeof item === 'string' ? [[i, item]] : [])) : [];
const stringEntries = (v: unknown): Array<[string, string]> =>
  isRecord(v) ? Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string') : [];

class Sink implements SemanticResult {
  readonly errors: PendingProblem[] = [];
  readonly warnings: PendingProblem[] = [];
  error(path: PathSegment[], message: string, at: 'key' | 'value' = 'value', locate?: PathSegment[]): void {
    this.errors.push({ path, message, at, ...(locate ? { locate } : {}) });
  }
  /** A pattern that cannot be used, pointed at the character to blame when there is one. */
  regex(path: PathSegment[], issue: RegexIssue): void {
    this.errors.push({ path, message: issue.message, ...(issue.offset !== undefined ? { offset: issue.offset } : {}) });
  }
  warn(path: PathSegment[], message: string, at?: 'key' | 'value'): void {
    this.warnings.push({ path, message, ...(at ? { at } : {}) });
  }
}

interface Owner {
  readonly index: number;
  readonly asAlias: boolean;
  readonly key: string;
}

/** Every canonical key and alias seen so far, to report a collision at its later occurrence. */
class Names {
  private readonly exact = new Map<string, Owner>();
  // foldKey(name) → first name with that fold, and its entry: two entries whose names fold alike are refused.
  private readonly folded = new Map<string, Owner & { readonly name: string }>();

  constructor(private readonly sink: Sink) {}

  /** Registers a key or alias, reporting it when another entry (or this entry's key) already has the name. */
  claim(name: string, owner: Owner, path: PathSegment[]): void {
    const previous = this.exact.get(name);
    if (previous) {
      if (previous.index !== owner.index || !owner.asAlias) {
        const what = `${previous.asAlias ? 'an alias' : 'the key'} of tags[${previous.index}] (${previous.key})`;
        this.sink.error(path, `${show(name)} is already ${what}`);
      }
      return;
    }
    this.exact.set(name, owner);
    const fold = foldKey(name);
    const other = this.folded.get(fold);
    if (other === undefined) this.folded.set(fold, { ...owner, name });
    else if (other.index !== owner.index) this.sink.error(path, foldCollision(name, owner, other));
  }
}

/**
 * Why two entries may not have names that differ only by case or separators (`env` and `Env`, or the alias `ENV` of
 * `team` beside the key `env`). AWS tells such keys apart, but the scan matches a tag key to the dictionary ignoring
 * case and separators (miscased-tag-key, through Policy.byFoldedKey): a spelling that folds to two entries is
 * ambiguous, and neither is proposed as its rename. An alias wins over that fold by exact match, so it would take a
 * spelling of the other key to its own entry; two keys would be two tags for one meaning.
 */
function foldCollision(name: string, owner: Owner, other: Owner & { readonly name: string }): string {
  const otherWhat = other.asAlias ? `an alias of tags[${other.index}] (${other.key})` : `the key of tags[${other.index}]`;
  const head = `${show(name)} differs from ${show(other.name)}, ${otherWhat}, only by case or separators; tagaudit matches tag keys ignoring both, so`;
  if (!owner.asAlias && !other.asAlias) {
    return `${head} they would be two separate tags for one meaning, and a tag spelled any other way would be ambiguous and renamed to neither; keep one key and list the other spelling in its aliases`;
  }
  if (owner.asAlias !== other.asAlias) {
    const [alias, aliasKey, key, keyIndex] = owner.asAlias ? [name, owner.key, other.name, other.index] : [other.name, other.key, name, owner.index];
    return `${head} a tag spelled ${show(alias)} would be renamed to ${show(aliasKey)}, not ${show(key)}, and other spellings of ${show(key)} would be ambiguous and never renamed; move the alias to tags[${keyIndex}] or remove it`;
  }
  return `${head} a tag spelled any other way would be ambiguous between ${show(other.key)} and ${show(owner.key)} and renamed to neither; keep these spellings on one entry`;
}

interface KeyRules {
  readonly keyCase: KeyCase;
  readonly prefix?: string;
}

type KeyPiiCheck = (key: string) => KeyPii | undefined;

const personal = (found: KeyPii, why: string): string =>
  `${show(found.masked)} looks like personal data (${found.kinds}), which must not ${why} (list it under pii.allow if it is not)`;

/** Why a name holding personal data may not be a canonical key, an alias or a suppression's tag key. */
const KEY_PII = 'go into tag keys: fix writes this key to resources, and every report shows it';
const ALIAS_PII =
  'be in the dictionary: findings quote the alias; pii-in-tag already reports such a key on resources, and fix --fix-pii remove deletes it';
const SUPPRESSED_KEY_PII =
  'be in the dictionary: messages about the suppression quote it; select the resources with resources, resourceTypes or accounts instead';

function checkNames(tag: Rec, index: number, rules: KeyRules, names: Names, keyPii: KeyPiiCheck, sink: Sink): void {
  const at = (...rest: PathSegment[]): PathSegment[] => ['tags', index, ...rest];
  const key = typeof tag.key === 'string' ? tag.key : undefined;
  if (key !== undefined) {
    const pii = keyPii(key);
    const spacing = keySpacingProblem(key);
    // A key AWS refuses is reported by the schema (definitions.tagKey, explained by schema-errors.ts); its case is
    // then beside the point, as it is for a key that must go anyway because it holds personal data or white space.
    if (pii) sink.error(at('key'), personal(pii, KEY_PII));
    else if (spacing) sink.error(at('key'), spacing);
    else if (awsTextProblem(key, 'key') === undefined && !keyMatchesCase(key, rules.keyCase)) {
      sink.error(at('key'), `${show(key)} does not follow keyCase ${rules.keyCase}: ${describeKeyCase(rules.keyCase)}, per ':'-separated segment`);
    }
    if (spacing === undefined && rules.prefix !== undefined && !key.startsWith(rules.prefix)) {
      sink.error(at('key'), `${show(key)} does not start with the required prefix ${show(rules.prefix)}`);
    }
    if (spacing === undefined) names.claim(key, { index, asAlias: false, key }, at('key'));
  }
  for (const [j, alias] of strings(tag.aliases)) {
    const pii = keyPii(alias);
    const spacing = keySpacingProblem(alias);
    if (pii) sink.error(at('aliases', j), personal(pii, ALIAS_PII));
    else if (spacing) sink.error(at('aliases', j), spacing);
    else if (alias === key) sink.error(at('aliases', j), `${show(alias)} is the key itself`);
    else names.claim(alias, { index, asAlias: true, key: key ?? '?' }, at('aliases', j));
  }
}

/**
 * Warns about a resource-type pattern that names no type tagaudit knows but is a likely slip of one (`s3:buckets`):
 * types are compared exactly, so it would silently match nothing. `what` says what would then not happen.
 */
function checkResourceTypes(patterns: unknown, path: PathSegment[], what: (meant: string) => string, sink: Sink): void {
  for (const [j, pattern] of strings(patterns)) {
    const likely = likelyMeant(pattern);
    if (likely === undefined) continue;
    const name = likely.part === 'service' ? 'names no AWS service tagaudit knows' : 'is not a resource type tagaudit knows';
    sink.warn([...path, j], `${show(pattern)} ${name} (did you mean '${likely.meant}'?): types are matched exactly, so ${what(likely.meant)}`);
  }
}

/**
 * A blank value is what empty-tag-value reports: it can be neither an allowed value nor one the fixer writes (a blank
 * account default would even hide the key's `default` in that account).
 */
function blankProblem(value: string): string | undefined {
  return value.trim() === '' ? `${show(value)} is blank; empty-tag-value reports empty and blank values, so the fixer never writes one` : undefined;
}

/** What a tag entry allows, to check its own default, account defaults and value-alias targets against. */
interface Allowed {
  test(value: string): boolean;
  readonly refusal: string;
}

function allowedBy(tag: Rec, key: string): Allowed | undefined {
  if (Array.isArray(tag.values)) {
    const values = strings(tag.values).map(([, v]) => v);
    return { test: (v) => values.includes(v), refusal: `is not one of the key's values (${values.join(', ')})` };
  }
  if (typeof tag.pattern === 'string' && regexProblem(tag.pattern) === undefined) {
    const re = compileDictionaryRegex(tag.pattern);
    const pattern = tag.pattern;
    // Masked only when a message quotes it (see maskPattern).
    return {
      test: (v) => re.test(v),
      get refusal() {
        return `does not match the key's pattern ${maskPattern(pattern, key)}`;
      },
    };
  }
  return undefined;
}

type PatternPiiCheck = (key: string, pattern: string) => PatternPii | undefined;

function checkValues(tag: Rec, index: number, pii: WritablePiiCheck, patternPii: PatternPiiCheck, sink: Sink): void {
  const at = (...rest: PathSegment[]): PathSegment[] => ['tags', index, ...rest];
  const key = typeof tag.key === 'string' ? tag.key : '';
  // A pattern holding personal data is reported alone: the other messages about it would quote it.
  const personalPattern = typeof tag.pattern === 'string' ? patternPii(key, tag.pattern) : undefined;
  if (personalPattern) sink.regex(at('pattern'), personalPattern);
  else if (typeof tag.pattern === 'string') {
    const problem = regexIssue(tag.pattern);
    const unanchored = problem === undefined ? unanchoredProblem(tag.pattern, key) : undefined;
    if (problem) sink.regex(at('pattern'), problem);
    else if (unanchored) sink.warn(at('pattern'), unanchored);
  }
  const pattern = typeof tag.pattern === 'string' ? tag.pattern : undefined;
  const soundValues: AllowedEntry[] = [];
  for (const [j, value] of strings(tag.values)) {
    const problem = blankProblem(value) ?? awsTextProblem(value, 'value') ?? spacingProblem(value) ?? pii(key, value, pattern);
    if (problem) sink.error(at('values', j), problem);
    else soundValues.push({ value, path: at('values', j) });
  }

  // Everything the fixer may write must be a value AWS accepts, not personal data, and one the key itself allows.
  const allowed = allowedBy(tag, key);
  /** Reports what is wrong with a value the fixer may write; whether nothing is. */
  const checkWritable = (path: PathSegment[], value: string): boolean => {
    const problem = blankProblem(value) ?? awsTextProblem(value, 'value') ?? spacingProblem(value) ?? pii(key, value, pattern);
    if (problem) sink.error(path, problem);
    else if (allowed && !allowed.test(value)) sink.error(path, `${show(value)} ${allowed.refusal}`);
    else return true;
    return false;
  };
  if (typeof tag.default === 'string') checkWritable(at('default'), tag.default);
  for (const [account, value] of stringEntries(tag.accountDefaults)) checkWritable(at('accountDefaults', account), value);
  // A shared value is compared with children's values: one the key itself rejects would never be seen on a parent.
  for (const [j, value] of strings(tag.sharedValues)) checkWritable(at('sharedValues', j), value);
  const spellable: AliasEntry[] = [];
  for (const [from, to] of stringEntries(tag.valueAliases)) {
    // The left side is a value found on resources, but listing it here makes the dictionary hold personal data.
    const personal = pii(key, from);
    // The printed path names the alias, so it must not show personal data either (the source position still does).
    const path = at('valueAliases', personal ? pii.mask(key, from) : from);
    const locate = personal ? at('valueAliases', from) : undefined;
    let sound = false;
    if (personal) sink.error(path, personal, 'key', locate);
    else if (from.trim() === '') sink.error(path, `${show(from)} is blank; empty-tag-value reports a blank value and fills it from default, not through valueAliases`, 'key');
    else if (from === to) sink.error(path, `${show(from)} is mapped to itself`, 'key');
    else if (allowed?.test(from)) sink.error(path, `${show(from)} is itself an allowed value; the alias would rewrite correct tags`, 'key');
    else sound = true;
    if (locate) {
      const problem = blankProblem(to) ?? awsTextProblem(to, 'value') ?? spacingProblem(to) ?? pii(key, to, pattern);
      if (problem) sink.error(path, problem, 'value', locate);
    } else if (checkWritable(path, to) && sound) {
      // A sound alias, to be weighed against the allowed values and the other aliases as the scan folds them.
      spellable.push({ from, to, path });
    }
  }
  checkValueSpellings(soundValues, spellable, sink);
}

function checkSuppression(s: Rec, index: number, keyPii: KeyPiiCheck, sink: Sink): void {
  // A suppression whose rules are all off is warned about by the loader, on the compiled levels (load-dictionary.ts).
  // At least one selector (the schema's anyOf) and tag keys of 1-128 characters (definitions.resourceTagKey) are the
  // schema's to check. Those keys are not held to the dictionary's own key rules: they name keys found on resources,
  // which include aws: keys (aws:createdBy can hold a session's e-mail address, and pii-in-tag reports it; the owner
  // cannot change it, so may only suppress it) and characters only some services accept (EC2).
  if (typeof s.expires === 'string' && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s.expires) && !isCalendarDay(s.expires)) {
    sink.error(['suppressions', index, 'expires'], `${show(s.expires)} is not a day of the calendar`);
  }
  for (const [j, key] of strings(s.tags)) {
    const pii = keyPii(key);
    if (pii) sink.error(['suppressions', index, 'tags', j], personal(pii, SUPPRESSED_KEY_PII));
  }
  checkResourceTypes(s.resourceTypes, ['suppressions', index, 'resourceTypes'], (meant) => `the suppression would not cover ${meant} resources`, sink);
}

function isCalendarDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
}

/**
 * Checks what a JSON Schema cannot say: regexes compile, values and the required prefix are ones AWS accepts (the
 * schema checks the keys and aliases), keys follow the conventions, names do not collide, defaults and alias targets
 * satisfy their own key, nothing the fixer may write and no tag key or pattern the dictionary names is personal data, values and
 * aliases survive the scan's value folding (value-spelling.ts), patterns are anchored, suppression days exist, and
 * resource types are not likely misspellings of known ones (a warning). Written against
 * unknown data so it runs (and reports) even when the schema found problems elsewhere.
 */
export function semanticChecks(data: unknown): SemanticResult {
  const sink = new Sink();
  if (!isRecord(data)) return sink;

  const conventions = isRecord(data.conventions) ? data.conventions : {};
  const prefix = typeof conventions.requiredPrefix === 'string' ? conventions.requiredPrefix : undefined;
  const blankPrefix = prefix === undefined ? undefined : blankTextProblem(prefix, "the text every canonical key starts with (e.g. 'anycompany:'), or leave requiredPrefix out");
  const rules: KeyRules = {
    keyCase: KEY_CASES.includes(conventions.keyCase as KeyCase) ? (conventions.keyCase as KeyCase) : 'any',
    // A blank prefix is reported once, not again on every key that does not start with it.
    ...(prefix !== undefined && blankPrefix === undefined ? { prefix } : {}),
  };
  if (prefix !== undefined) {
    const problem = blankPrefix ?? awsTextProblem(prefix, 'key');
    if (problem) sink.error(['conventions', 'requiredPrefix'], problem);
  }

  const tags = Array.isArray(data.tags) ? data.tags : [];
  const names = new Names(sink);
  const pii = writablePiiCheck(data);
  const keyPii = keyPiiCheck(data);
  const patternPii = patternPiiCheck(data);
  if (typeof data.name === 'string') {
    const blank = blankTextProblem(data.name, "a short name for the dictionary (validate's summary shows it)");
    if (blank) sink.error(['name'], blank);
  }
  tags.forEach((tag: unknown, i) => {
    if (!isRecord(tag)) return;
    for (const [field, what] of [
      ['category', 'what kind of tag this is (workload, financial, ...)'],
      ['purpose', 'why the tag exists'],
    ] as const) {
      const value = tag[field];
      const blank = typeof value === 'string' ? blankTextProblem(value, what) : undefined;
      if (blank) sink.error(['tags', i, field], blank);
    }
    checkNames(tag, i, rules, names, keyPii, sink);
    checkValues(tag, i, pii, patternPii, sink);
    checkResourceTypes(tag.mandatory, ['tags', i, 'mandatory'], (meant) => `the key would not be required on ${meant} resources`, sink);
    checkResourceTypes(tag.inherit, ['tags', i, 'inherit'], (meant) => `no ${meant} parent would be a reference for the key`, sink);
  });

  const alwaysMandatory = tags.filter((t: unknown) => isRecord(t) && isMandatoryEverywhere(t.mandatory)).length;
  if (alwaysMandatory > MAX_USER_TAGS) {
    sink.error(['tags'], `${alwaysMandatory} keys are mandatory on every resource, but AWS allows at most ${MAX_USER_TAGS} user tags per resource`);
  }

  const suppressions: unknown[] = Array.isArray(data.suppressions) ? data.suppressions : [];
  suppressions.forEach((s, i) => {
    if (isRecord(s)) checkSuppression(s, i, keyPii, sink);
  });

  const allow = isRecord(data.pii) && isRecord(data.pii.allow) ? data.pii.allow : {};
  for (const [j, pattern] of strings(allow.patterns)) {
    const problem = regexIssue(pattern);
    const unanchored = problem === undefined ? unanchoredProblem(pattern) : undefined;
    if (problem) sink.regex(['pii', 'allow', 'patterns', j], problem);
    else if (unanchored) sink.warn(['pii', 'allow', 'patterns', j], unanchored);
  }
  for (const p of controlCharacterProblems(data)) sink.errors.push(p);
  return sink;
}
