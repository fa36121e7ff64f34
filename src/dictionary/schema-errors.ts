import type { ErrorObject } from 'ajv';
import { pointerToPath, type PathSegment } from './path.js';
import { describeKind, show, shownNumber, type PendingProblem } from './pending-problem.js';
import { didYouMean } from './suggest.js';
import { KNOWN_RULE_IDS } from './rule-ids.js';

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
}

/**
 * Turns ajv's errors (compiled with allErrors + verbose) into one readable problem each: YAML words for types,
 * allowed values listed, "did you mean" for typos, and the offending key pointed at for unknown properties.
 */
export function schemaProblems(errors: readonly ErrorObject[], data: unknown, scalarSource: ScalarSource): PendingProblem[] {
  const out: PendingProblem[] = [];
  const missing = new Map<string, string[]>();
  for (const error of errors) {
    const path = pointerToPath(error.instancePath, data);
    if (error.keyword === 'required') {
      const list = missing.get(error.instancePath) ?? [];
      list.push(String((error.params as { missingProperty: string }).missingProperty));
      missing.set(error.instancePath, list);
      continue;
    }
    if (error.keyword === 'propertyNames') continue; // reported by the inner error, which names the key
    out.push(describe(error, path, scalarSource));
  }
  for (const [pointer, names] of missing) {
    const quoted = names.map((n) => `'${n}'`).join(', ');
    out.push({ path: pointerToPath(pointer, data), message: `missing required propert${names.length === 1 ? 'y' : 'ies'} ${quoted}` });
  }
  return out;
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
      let message = `must be ${oneOf(words)}, got ${describeKind(value)}`;
      if (expected.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) {
        message += `; quote it: "${shownNumber(scalarSource(path) ?? String(value))}"`;
      } else if (expected.includes('boolean') && typeof value === 'string' && /^(yes|no|on|off|y|n)$/i.test(value)) {
        message += ` (YAML 1.2 reads ${value} as text; write true or false)`;
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
      return { path, message: `${parent.patternErrorMessage ?? `must match ${String(params.pattern)}`}; got ${show(value)}` };
    case 'not':
      // The schema's only `not`: a tag entry may not have both `values` and `pattern`.
      return { path, locate: [...path, 'pattern'], at: 'key', message: "has both 'values' and 'pattern'; use one of them" };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}` };
  }
}
