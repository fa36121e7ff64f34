import { show } from './pending-problem.js';
import type { PathSegment } from './path.js';

/**
 * Why a canonical key or alias cannot be used as written: blank, or with white space at either end. AWS keeps the
 * white space as part of the key, but tagaudit matches keys ignoring case and separators (foldKey), so a tag spelled
 * right would be taken for a miscased form of the padded key, and the fixer would rename it to the padded spelling.
 */
export function keySpacingProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return `${show(name)} is blank; a tag key needs a character other than white space`;
  if (trimmed === name) return undefined;
  return `${show(name)} starts or ends with white space; tagaudit matches tag keys ignoring case and separators, so it would rename correct ${show(trimmed)} tags to this spelling; write ${show(trimmed)}`;
}

/** Why a text field that names or describes something (`name`, `category`, `purpose`, `requiredPrefix`) is unusable. */
export function blankTextProblem(value: string, what: string): string | undefined {
  return value.trim() === '' ? `${show(value)} is blank; write ${what}` : undefined;
}

/*
 * Characters that act on a terminal or reorder text instead of showing: C0 controls, DEL, C1 controls (ESC [31m
 * recolors, BEL rings), bidirectional overrides and isolates, and line and paragraph separators: the set
 * report/visible-text.ts makes visible. Dictionary text is quoted in messages and summaries, so none may be in it.
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/u;
// eslint-disable-next-line no-control-regex
const INVISIBLE_IN_PROSE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/u;

const codePoint = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

function kindOf(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code <= 0x9f) return 'a control character';
  if (code === 0x2028 || code === 0x2029) return 'a line or paragraph separator';
  return 'a bidirectional formatting character';
}

/** A control character found in dictionary text: where it is, and why it is refused. */
export interface ControlProblem {
  readonly path: PathSegment[];
  readonly message: string;
  /** Index (UTF-16) of the character in the value; absent for a mapping key. */
  readonly offset?: number;
  readonly at?: 'key';
}

type Rec = Readonly<Record<string, unknown>>;
const isRecord = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Control characters in the dictionary's own text, which no other check looks at: names, categories, purposes,
 * patterns, value-alias keys, allow lists, suppressions' reasons, globs and tag keys. (Keys, aliases and the values the
 * fixer writes are held to the characters AWS accepts, which excludes control characters, elsewhere.) Prose fields
 * (description, purpose, reason) may hold tabs and line breaks: YAML block scalars write them.
 */
export function controlCharacterProblems(data: unknown): ControlProblem[] {
  const out: ControlProblem[] = [];
  if (!isRecord(data)) return out;
  const check = (value: unknown, path: PathSegment[], prose = false): void => {
    if (typeof value !== 'string') return;
    const match = (prose ? INVISIBLE_IN_PROSE : INVISIBLE).exec(value);
    if (match === null) return;
    const regex = path.includes('pattern') || path.includes('patterns');
    out.push({ path, offset: match.index, message: controlMessage(match[0], regex) });
  };
  const each = (list: unknown, path: PathSegment[]): void => {
    if (Array.isArray(list)) list.forEach((item, j) => check(item, [...path, j]));
  };

  check(data.$schema, ['$schema']);
  check(data.name, ['name']);
  check(data.description, ['description'], true);
  if (Array.isArray(data.tags)) {
    data.tags.forEach((tag: unknown, i) => {
      if (!isRecord(tag)) return;
      check(tag.category, ['tags', i, 'category']);
      check(tag.purpose, ['tags', i, 'purpose'], true);
      check(tag.pattern, ['tags', i, 'pattern']);
      if (isRecord(tag.valueAliases)) {
        for (const from of Object.keys(tag.valueAliases)) {
          const match = INVISIBLE.exec(from);
          if (match) out.push({ path: ['tags', i, 'valueAliases', from], at: 'key', message: controlMessage(match[0]) });
        }
      }
    });
  }
  const allow = isRecord(data.pii) && isRecord(data.pii.allow) ? data.pii.allow : {};
  each(allow.values, ['pii', 'allow', 'values']);
  each(allow.patterns, ['pii', 'allow', 'patterns']);
  if (Array.isArray(data.suppressions)) {
    data.suppressions.forEach((s: unknown, i) => {
      if (!isRecord(s)) return;
      check(s.reason, ['suppressions', i, 'reason'], true);
      each(s.resources, ['suppressions', i, 'resources']);
      each(s.tags, ['suppressions', i, 'tags']);
    });
  }
  return out;
}

function controlMessage(ch: string, regex = false): string {
  const fix = regex ? `remove it, or write it as the escape \\u{${ch.codePointAt(0)!.toString(16)}}` : 'remove it';
  return `contains ${codePoint(ch)}, ${kindOf(ch)}, which would act on the terminal (recolor it, ring it, reorder text) wherever tagaudit quotes this text; ${fix}`;
}
