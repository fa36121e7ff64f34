import type { Policy } from '../dictionary/policy.js';
import { detectPii } from '../pii/detect.js';
import { makeRedactor } from '../pii/redact.js';
import { tagDigest } from './digest.js';
import type { TagMasker } from './planner.js';

/** Masks a tag with the dictionary's PII settings (detectors, allow-lists): a PII tag becomes masked + digest. */
export function policyTagMasker(policy: Policy): TagMasker {
  if (!policy.pii.enabled) return (key, value) => ({ key, value });
  return (key, value) => {
    const hits = detectPii(key, value, policy.pii);
    if (hits.length === 0) return { key, value };
    const redact = makeRedactor(hits);
    return { key: redact(key), value: redact(value), digest: tagDigest(key, value) };
  };
}
