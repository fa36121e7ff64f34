import type { Policy } from '../dictionary/policy.js';
import { RULE } from './rule-ids.js';
import type { RuleMeta, Severity } from './types.js';

/** The parts of a dictionary that set rule levels. */
export type LevelSettings = Pick<Policy, 'ruleSeverity' | 'conventions' | 'pii' | 'piiSeverity'>;

/**
 * The severity a rule runs at before per-key and per-finding adjustments, or 'off'.
 * Order: the rule's default → the dictionary's dedicated setting (conventions.unknownKeys, pii.severity) →
 * `rules: {<id>: …}` in the dictionary. pii-in-tag is off when PII detection is disabled.
 *
 * The one place a rule's configured level is decided: the engine, the rules that weigh another rule's level
 * (empty-tag-value against missing-tag's) and `validate` all ask here. It imports no rule and not the registry, so
 * any rule can import it.
 */
export function configuredSeverity(meta: Pick<RuleMeta, 'id' | 'defaultSeverity'>, policy: LevelSettings): Severity | 'off' {
  if (meta.id === RULE.piiInTag && !policy.pii.enabled) return 'off';
  const explicit = policy.ruleSeverity[meta.id];
  if (explicit !== undefined) return explicit;
  if (meta.id === RULE.unknownTagKey) return policy.conventions.unknownKeys;
  if (meta.id === RULE.piiInTag) return policy.piiSeverity;
  return meta.defaultSeverity;
}
