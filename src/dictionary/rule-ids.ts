/**
 * Every rule id a dictionary may name under `rules:`. The rule registry must hold exactly these ids (a test in
 * the rules area checks it), and schema/dictionary.schema.json lists them under `rules` (a dictionary test checks it).
 */
export const KNOWN_RULE_IDS = [
  'missing-tag',
  'empty-tag-value',
  'miscased-tag-key',
  'deprecated-tag-key',
  'invalid-tag-value',
  'miscased-tag-value',
  'conflicting-tag-keys',
  'unknown-tag-key',
  'tag-limit',
  'pii-in-tag',
  'inherited-tag-drift',
] as const;

export type KnownRuleId = (typeof KNOWN_RULE_IDS)[number];
