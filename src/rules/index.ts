import type { Rule, RuleMeta } from './types.js';
import { missingTag } from './missing-tag.js';
import { emptyTagValue } from './empty-tag-value.js';
import { miscasedTagKey } from './miscased-tag-key.js';
import { deprecatedTagKey } from './deprecated-tag-key.js';
import { invalidTagValue } from './invalid-tag-value.js';
import { miscasedTagValue } from './miscased-tag-value.js';
import { conflictingTagKeys } from './conflicting-tag-keys.js';
import { unknownTagKey } from './unknown-tag-key.js';
import { tagLimit } from './tag-limit.js';
import { piiInTag } from './pii-in-tag.js';
import { inheritedTagDrift } from './inherited-tag-drift.js';

/**
 * Every rule, in a stable order (reports, SARIF rules[] and `tagaudit rules` list them in this order; the engine
 * runs them in it). Adding a rule: one file, one line here, one page in docs/rules/, one id in
 * src/dictionary/rule-ids.ts — tests check all four agree.
 */
export const ALL_RULES: readonly Rule[] = Object.freeze([
  missingTag,
  emptyTagValue,
  miscasedTagKey,
  deprecatedTagKey,
  invalidTagValue,
  miscasedTagValue,
  conflictingTagKeys,
  unknownTagKey,
  tagLimit,
  piiInTag,
  inheritedTagDrift,
]);

const BY_ID: ReadonlyMap<string, Rule> = new Map(ALL_RULES.map((r) => [r.meta.id, r]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}

/** The metadata of every rule, in registry order. */
export const ALL_RULE_META: readonly RuleMeta[] = Object.freeze(ALL_RULES.map((r) => r.meta));
