/** Rule ids the rules refer to each other by (who owns a shared edit). The registry is src/rules/index.ts. */
export const RULE = {
  missingTag: 'missing-tag',
  emptyTagValue: 'empty-tag-value',
  miscasedTagKey: 'miscased-tag-key',
  deprecatedTagKey: 'deprecated-tag-key',
  invalidTagValue: 'invalid-tag-value',
  miscasedTagValue: 'miscased-tag-value',
  conflictingTagKeys: 'conflicting-tag-keys',
  unknownTagKey: 'unknown-tag-key',
  tagLimit: 'tag-limit',
  piiInTag: 'pii-in-tag',
  inheritedTagDrift: 'inherited-tag-drift',
} as const;

export type RuleId = (typeof RULE)[keyof typeof RULE];

/** Which rules are enabled for this audit; rules use it to decide who carries an edit two rules could make. */
export interface EnabledRules {
  has(id: RuleId): boolean;
}

export const ALL_ENABLED: EnabledRules = Object.freeze({ has: () => true });
