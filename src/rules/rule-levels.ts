import type { Suppression } from '../dictionary/suppression.js';
import { configuredSeverity, type LevelSettings } from './configured-severity.js';
import { ruleById } from './index.js';
import type { Severity } from './types.js';

/** The level the rule `id` runs at under a dictionary, as the engine decides it; 'off' for an id no rule has. */
export function ruleLevel(policy: LevelSettings, id: string): Severity | 'off' {
  const rule = ruleById(id);
  return rule ? configuredSeverity(rule.meta, policy) : 'off';
}

/**
 * Whether a suppression can never apply because every rule it names is off under the dictionary, whatever turned
 * it off (`rules:`, `conventions.unknownKeys` left unset, `pii.enabled: false`). The loader's warning, `validate`'s
 * summary and the scan's unused-suppression note all decide it here.
 */
export function everyNamedRuleOff(suppression: Pick<Suppression, 'rules'>, policy: LevelSettings): boolean {
  if (suppression.rules.size === 0) return false;
  for (const id of suppression.rules) if (ruleLevel(policy, id) !== 'off') return false;
  return true;
}
