import type { Severity } from '../rules/types.js';
import { makePiiPolicy, type PiiPolicy } from '../pii/policy.js';
import { compileDictionaryRegex } from './dictionary-regex.js';
import type { RawPii } from './raw-dictionary.js';

/** The dictionary's `pii:` section as the detectors' policy; omitted fields take the defaults (on, every detector). */
export function piiPolicyFromDictionary(raw: RawPii | undefined): PiiPolicy {
  return makePiiPolicy({
    ...(raw?.enabled !== undefined ? { enabled: raw.enabled } : {}),
    ...(raw?.detectors ? { detectors: raw.detectors } : {}),
    ...(raw?.allow?.values ? { allowValues: raw.allow.values } : {}),
    ...(raw?.allow?.patterns ? { allowPatterns: raw.allow.patterns.map(compileDictionaryRegex) } : {}),
  });
}

/** Severity of pii-in-tag findings: `pii.severity`, else error (tags are readable by anyone with billing access). */
export function piiSeverity(raw: RawPii | undefined): Severity {
  return raw?.severity ?? 'error';
}
