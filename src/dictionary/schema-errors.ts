import type { ErrorObject } from 'ajv';
import { pointerToPath, type PathSegment } from './path.js';
import { describeKind, isAccountIdNumber, show, shownNumber, type PendingProblem } from './pending-problem.js';
import { closest, didYouMean } from './suggest.js';
import { KNOWN_RULE_IDS } from './rule-ids.js';
import { awsTextProblem } from './aws-tag-rules.js';

const TYPE_WORDS: Readonly<Record<string, string>> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  null: 'empty',
};

/** Source text of the scalar at a path (to show `0123` as written, not as the number YAML made of it). */
export type ScalarSource = (path: readonly PathSegment[]) => string | undefined;

interface SchemaWithExtras {
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly patternErrorMessage?: string;
  readonly anyOf?: readonly unknown[];
}

// The schema's pattern for the dictionary's own tag keys and aliases (AWS's character set, no aws: prefix). Its
// failures are explained by awsTextProblem, which names the offending character, rather than by the regex.
const TAG_KEY_PATTERN_PATH = '#/definitions/tagKey/pattern';

/** Where a suppression's expiry day sits: a date there is the day the user wrote, shown in full. */
const isExpiresPath = (path: readonly PathSegment[]): boolean => path.length === 3 && path[0] === 'suppressions' && path[2] === 'expires';

/**
 * ajv reports each failed alternative of an `anyOf` as well as the `anyOf` itself; the `anyOf` error alone says what
 * is wrong ("needs at least one of ..."), so the errors inside it are dropped.
 */
function withoutAnyOfBranches(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf');
  if (anyOfs.length === 0) return [...errors];
  const inside = (e: ErrorObject, a: ErrorObject): boolean =>
    e.schemaPath.startsWith(`${a.schemaPath}/`) && (e.instancePath === a.instancePath || e.instancePath.startsWith(`${a.instancePath}/`));
  return errors.filter((e) => !anyOfs.some((a) => a !== e && inside(e, a)));
}

/**
 * Turns ajv's errors (compiled with allErrors + verbose) into one readable problem each: YAML words for types,
 * allowed values listed, "did you mean" for typos, and the offending key pointed at for unknown properties.
 *
 * A misspelt required property (`mandatroy:`) is both unknown and missing; the unknown one names the cause, so it
 * says the property it stands for is required, and that property is left out of the object's "missing" problem
 * (which the sort by position would otherwise put first, at the start of the object).
 */
export function schemaProblems(errors: readonly ErrorObject[], data: unknown, scalarSource: ScalarSource): PendingProblem[] {
  const kept = withoutAnyOfBranches(errors);
  const missing = new Map<string, string[]>();
  for (const error of kept) {
    if (error.keyword !== 'required') continue;
    const list = missing.get(error.instancePath) ?? [];
    list.push(String((error.params as { missingProperty: string }).missingProperty));
    missing.set(error.instancePath, list);
  }
  const out: PendingProblem[] = [];
  const misspelt = new Set<string>();
  for (const error of kept) {
    if (error.keyword === 'required') continue;
    if (error.keyword === 'propertyNames') continue; // reported by the inner error, which names the key
    const path = pointerToPath(error.instancePath, data);
    const meant = misspeltRequired(error, path, missing.get(error.instancePath) ?? []);
    if (meant !== undefined) {
      misspelt.add(`${error.instancePath}\0${meant}`);
      const name = String((error.params as { additionalProperty: string }).additionalProperty);
      out.push({ path, locate: [...path, name], at: 'key', message: `unknown property ${show(name)} (did you mean '${meant}'? it is required)` });
      continue;
    }
    out.push(describe(error, path, scalarSource));
  }
  for (const [pointer, all] of missing) {
    const names = all.filter((n) => !misspelt.has(`${pointer}\0${n}`));
    if (names.length === 0) continue;
    const quoted = names.map((n) => `'${n}'`).join(', ');
    out.push({ path: pointerToPath(pointer, data), message: `missing required propert${names.length === 1 ? 'y' : 'ies'} ${quoted}` });
  }
  return out;
}

/** The required property an unknown one is a typo of, when that property is missing from the same object. */
function misspeltRequired(error: ErrorObject, path: readonly PathSegment[], missing: readonly string[]): string | undefined {
  if (error.keyword !== 'additionalProperties' || missing.length === 0) return undefined;
  if (path.length === 1 && path[0] === 'rules') return undefined; // rule ids, not properties
  const known = Object.keys(((error.parentSchema ?? {}) as SchemaWithExtras).properties ?? {});
  const hit = closest(String((error.params as { additionalProperty: string }).additionalProperty), known);
  return hit !== undefined && missing.includes(hit) ? hit : undefined;
}

/** ['true', 'false', 'a list'] → "true, false or a list". */
function oneOf(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function describe(error: ErrorObject, path: PathSegment[], scalarSource: ScalarSource): PendingProblem {
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as SchemaWithExtras;
  const value: unknown = error.data;

  if (error.propertyName !== undefined) {
    const keyPath = [...path, error.propertyName];
    const rule = error.keyword === 'pattern' && parent.patternErrorMessage ? parent.patternErrorMessage : `must match ${String(params.pattern)}`;
    const message =
      error.keyword === 'maxLength' ? `must be at most ${String(params.limit)} characters` : error.keyword === 'pattern' ? rule : (error.message ?? 'is not allowed');
    return { path, locate: keyPath, at: 'key', message: `key ${show(error.propertyName)} ${message}` };
  }

  switch (error.keyword) {
    case 'type': {
      const expected = ([] as string[]).concat(params.type as string | string[]);
      const words = expected.flatMap((t) => (t === 'boolean' ? ['true', 'false'] : [TYPE_WORDS[t] ?? t]));
      const written = scalarSource(path);
      let message = `must be ${oneOf(words)}, got ${describeKind(value, path, written)}`;
      if (expected.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) {
        const text = written ?? String(value);
        message += `; quote it: "${isAccountIdNumber(text, path) ? text : shownNumber(text)}"`;
      } else if (expected.includes('string') && value instanceof Date) {
        // What the user wrote, not the instant YAML made of it (a time zone would shift the day). Masked like a long
        // number, as a date of birth would be, except where a day is expected.
        const text = written ?? (Number.isNaN(value.getTime()) ? String(value) : value.toISOString().replace(/T00:00:00\.000Z$/, ''));
        message += `; quote it: "${isExpiresPath(path) ? text : shownNumber(text)}"`;
      } else if (expected.includes('boolean') && typeof value === 'string' && /^(yes|no|on|off|y|n)$/i.test(value)) {
        message += ` (YAML 1.2 reads ${value} as text; write true or false)`;
      } else if (expected.includes('boolean') && typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
        // Only quotes (or a !!str tag) make YAML read true as text.
        message += ` (${JSON.stringify(value)} in quotes is text; remove the quotes: ${value.trim().toLowerCase()})`;
      }
      return { path, message };
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}, got ${show(value)}` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = typeof value === 'string' ? didYouMean(value, allowed) : '';
      return { path, message: `must be one of ${allowed.join(', ')}; got ${show(value)}${hint}` };
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const keyPath = [...path, name];
      if (path.length === 1 && path[0] === 'rules') {
        return { path, locate: keyPath, at: 'key', message: `unknown rule id ${show(name)}${didYouMean(name, KNOWN_RULE_IDS)}` };
      }
      const known = Object.keys(parent.properties ?? {});
      return { path, locate: keyPath, at: 'key', message: `unknown property ${show(name)}${didYouMean(name, known)}` };
    }
    case 'minLength':
      return { path, message: params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters` };
    case 'maxLength':
      return { path, message: `must be at most ${String(params.limit)} characters, got ${typeof value === 'string' ? [...value].length : '?'}` };
    case 'minItems':
      return { path, message: params.limit === 1 ? 'must not be an empty list' : `must have at least ${String(params.limit)} items` };
    case 'uniqueItems': {
      const later = Number(params.i);
      const earlier = Number(params.j);
      const item = Array.isArray(value) ? (value as unknown[])[later] : undefined;
      return { path, locate: [...path, later], message: `${show(item)} is listed twice (items ${earlier} and ${later})` };
    }
    case 'pattern':
      if (error.schemaPath === TAG_KEY_PATTERN_PATH && typeof value === 'string') {
        const problem = awsTextProblem(value, 'key');
        if (problem) return { path, message: problem };
      }
      return { path, message: `${parent.patternErrorMessage ?? `must match ${String(params.pattern)}`}; got ${show(value)}` };
    case 'anyOf': {
      const names = requiredAlternatives(parent.anyOf);
      if (names === undefined) return { path, message: error.message ?? 'fails anyOf' };
      const hint = path[0] === 'suppressions' ? ' (a suppression must say what it covers; to turn a rule off everywhere, use rules: {<id>: off})' : '';
      return { path, message: `needs at least one of ${names.join(', ')}${hint}` };
    }
    case 'not':
      // The schema's only `not`: a tag entry may not have both `values` and `pattern`.
      return { path, locate: [...path, 'pattern'], at: 'key', message: "has both 'values' and 'pattern'; use one of them" };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}` };
  }
}

/** The property names of an `anyOf` whose alternatives are each `{required: [name]}`, else undefined. */
function requiredAlternatives(alternatives: readonly unknown[] | undefined): string[] | undefined {
  if (!alternatives) return undefined;
  const names: string[] = [];
  for (const alternative of alternatives) {
    const required = (alternative as { required?: unknown }).required;
    if (!Array.isArray(required) || required.length !== 1 || Object.keys(alternative as object).length !== 1) return undefined;
    names.push(String(required[0]));
  }
  return names;
}
