import type { Policy } from './policy.js';
import type { Severity } from '../rules/types.js';
import { everyNamedRuleOff, ruleLevel } from '../rules/rule-levels.js';
import { displayPath } from '../report/display-path.js';
import { sanitize } from '../report/visible-text.js';
import { problemLocation, type DictionaryProblem } from './dictionary-error.js';
import { hasExpired, utcDay } from './suppression.js';

/** What `tagaudit validate` reports about a valid dictionary. */
export interface DictionarySummary {
  readonly valid: true;
  readonly file: string;
  readonly name: string;
  readonly sha256: string;
  readonly keys: number;
  /** Keys mandatory on every resource. */
  readonly mandatory: number;
  /** Keys mandatory on some resource types only, with their patterns. */
  readonly mandatoryFor: Readonly<Record<string, readonly string[]>>;
  readonly costAllocationKeys: readonly string[];
  /** Keys a resource takes from its parents (`inherit`): true for any parent, else the parent resource-type patterns. */
  readonly inherited: Readonly<Record<string, true | readonly string[]>>;
  /** Category → number of keys, in dictionary order. */
  readonly categories: Readonly<Record<string, number>>;
  /** Keys the fixer can fill when missing, with where the value comes from. */
  readonly defaults: Readonly<Record<string, { readonly default?: string; readonly accounts: number }>>;
  /** `unknownKeys`: the level unknown-tag-key runs at (`rules: {unknown-tag-key: …}` wins over conventions.unknownKeys). */
  readonly conventions: { readonly keyCase: string; readonly requiredPrefix?: string; readonly unknownKeys: Severity | 'off' };
  readonly ruleOverrides: Readonly<Record<string, string>>;
  /**
   * `enabled`: whether pii-in-tag runs and at what level (`severity`), as the scan decides it: `pii.enabled: false` or
   * `rules: {pii-in-tag: off}` turn it off, and `rules: {pii-in-tag: …}` wins over pii.severity. `detection`: whether
   * the detectors run and mask what they find in every output, which only `pii.enabled: false` stops (with the rule
   * off, values are still masked; there are just no pii-in-tag findings).
   */
  readonly pii: {
    readonly enabled: boolean;
    readonly severity: Severity | 'off';
    readonly detection: boolean;
    readonly detectors: readonly string[];
    readonly allowValues: number;
    readonly allowPatterns: number;
  };
  /**
   * How many suppressions the dictionary has, the lines of those past their expiry day, and of those that can never
   * apply because every rule they name is off (the text summary leaves these to the loader's warning, which says so
   * with the position).
   */
  readonly suppressions: {
    readonly count: number;
    readonly expired: readonly { readonly line?: number; readonly expires: string }[];
    readonly inactive: readonly { readonly line?: number; readonly rules: readonly string[] }[];
  };
  readonly warnings: readonly DictionaryProblem[];
}

/** `today` (YYYY-MM-DD, UTC) decides which suppressions have expired. */
export function summarizeDictionary(policy: Policy, warnings: readonly DictionaryProblem[] = [], today = utcDay(new Date())): DictionarySummary {
  const categories: Record<string, number> = {};
  const mandatoryFor: Record<string, readonly string[]> = {};
  const defaults: Record<string, { default?: string; accounts: number }> = {};
  const inherited: Record<string, true | readonly string[]> = {};
  for (const tag of policy.tags) {
    categories[tag.category] = (categories[tag.category] ?? 0) + 1;
    if (Array.isArray(tag.mandatory)) mandatoryFor[tag.key] = tag.mandatory;
    if (tag.inherit !== false) inherited[tag.key] = tag.inherit;
    const accounts = Object.keys(tag.accountDefaults).length;
    if (tag.default !== undefined || accounts > 0) defaults[tag.key] = { ...(tag.default !== undefined ? { default: tag.default } : {}), accounts };
  }
  const piiLevel = ruleLevel(policy, 'pii-in-tag');
  return {
    valid: true,
    file: displayPath(policy.path),
    name: policy.name,
    sha256: policy.sha256,
    keys: policy.tags.length,
    mandatory: policy.tags.filter((t) => t.mandatory === true).length,
    mandatoryFor,
    costAllocationKeys: policy.tags.filter((t) => t.costAllocation).map((t) => t.key),
    inherited,
    categories,
    defaults,
    conventions: {
      keyCase: policy.conventions.keyCase,
      ...(policy.conventions.requiredPrefix !== undefined ? { requiredPrefix: policy.conventions.requiredPrefix } : {}),
      unknownKeys: ruleLevel(policy, 'unknown-tag-key'),
    },
    ruleOverrides: { ...policy.ruleSeverity },
    pii: {
      enabled: piiLevel !== 'off',
      severity: piiLevel,
      detection: policy.pii.enabled,
      detectors: [...policy.pii.detectors].sort(),
      allowValues: policy.pii.allowValues.size,
      allowPatterns: policy.pii.allowPatterns.length,
    },
    suppressions: {
      count: policy.suppressions.length,
      expired: policy.suppressions
        .filter((s) => hasExpired(s, today))
        .map((s) => ({ ...(s.line !== undefined ? { line: s.line } : {}), expires: s.expires! })),
      inactive: policy.suppressions
        .filter((s) => everyNamedRuleOff(s, policy))
        .map((s) => ({ ...(s.line !== undefined ? { line: s.line } : {}), rules: [...s.rules] })),
    },
    warnings,
  };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The short human summary `validate` prints on stdout. */
export function formatSummary(s: DictionarySummary): string {
  const conditional = Object.entries(s.mandatoryFor);
  const optional = s.keys - s.mandatory - conditional.length;
  const lines = [`${s.file}: valid dictionary '${s.name}' (sha256 ${s.sha256.slice(0, 12)})`];
  const row = (label: string, text: string): void => void lines.push(`  ${label.padEnd(17)}${text}`);
  row('keys', `${s.keys}: ${s.mandatory} mandatory everywhere, ${conditional.length} mandatory on some resource types, ${optional} optional`);
  for (const [key, patterns] of conditional) row('', `${key} mandatory on ${patterns.join(', ')}`);
  row('cost allocation', s.costAllocationKeys.length === 0 ? 'none' : `${s.costAllocationKeys.length}: ${s.costAllocationKeys.join(', ')}`);
  row('inherited', inheritedRow(s));
  row('categories', Object.entries(s.categories).map(([c, n]) => `${c} ${n}`).join(', '));
  const prefix = s.conventions.requiredPrefix !== undefined ? `, prefix "${s.conventions.requiredPrefix}"` : '';
  row('conventions', `keyCase ${s.conventions.keyCase}${prefix}, unknown keys: ${s.conventions.unknownKeys}`);
  const fillable = Object.entries(s.defaults).map(
    ([key, d]) => `${key} ${[d.default !== undefined ? `default '${d.default}'` : '', d.accounts > 0 ? plural(d.accounts, 'account default') : ''].filter(Boolean).join(', ')}`,
  );
  row('defaults', fillable.length === 0 ? 'none (the fixer adds no missing key)' : fillable.join('; '));
  row('PII', piiSummary(s.pii));
  const overrides = Object.entries(s.ruleOverrides);
  row('rule overrides', overrides.length === 0 ? 'none' : overrides.map(([id, level]) => `${id} ${level}`).join(', '));
  // A suppression whose rules are all off is a warning of the loader's (file:line:col, on stderr): not said twice.
  const notes = s.suppressions.expired.map((e) => `line ${e.line ?? '?'} expired on ${e.expires}`);
  row('suppressions', s.suppressions.count === 0 ? 'none' : `${s.suppressions.count}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`);
  if (s.warnings.length > 0) row('warnings', `${s.warnings.length} (on stderr)`);
  return `${lines.join('\n')}\n`;
}

/** Which keys take their value from parents: the cost-allocation keys by default, each key's `inherit` otherwise. */
function inheritedRow(s: DictionarySummary): string {
  const entries = Object.entries(s.inherited);
  if (entries.length === 0) return 'none (no value is copied from parents)';
  const byDefault = entries.length === s.costAllocationKeys.length && entries.every(([key, from]) => from === true && s.costAllocationKeys.includes(key));
  const head = `${entries.length}: `;
  if (byDefault) return `${head}the cost-allocation keys, from any parent`;
  const listed = entries.map(([key, from]) => (from === true ? key : `${key} (only from ${from.join(', ')})`));
  const never = s.costAllocationKeys.filter((key) => s.inherited[key] === undefined);
  return `${head}${listed.join(', ')}${never.length > 0 ? `; not inherited: ${never.join(', ')}` : ''}`;
}

/**
 * The PII row: `on: …` when findings are reported, and otherwise which of detection (with the masking it brings) and
 * the findings is off; a reader of "off" alone would take values to be printed raw when only the findings are off.
 */
function piiSummary(pii: DictionarySummary['pii']): string {
  if (!pii.detection) return 'off (pii.enabled: false): no detection, no masking of tag values, no pii-in-tag findings';
  const detectors = plural(pii.detectors.length, 'detector');
  const allow = pii.allowValues + pii.allowPatterns;
  const allowList = allow > 0 ? `, ${plural(allow, 'allow-list entry', 'allow-list entries')}` : '';
  if (!pii.enabled) return `detection on (values masked): ${detectors}${allowList}; pii-in-tag findings off`;
  return `on: ${detectors}, severity ${pii.severity}${allowList}`;
}

/** `file:line:col: warning: path: message` (personal data in the file name masked, control characters made visible). */
export function formatWarning(p: DictionaryProblem): string {
  return sanitize(`${problemLocation({ ...p, file: displayPath(p.file) })}: warning: ${p.path ? `${p.path}: ` : ''}${p.message}`);
}
