import { arnMasker, isIdentityMask, mayHoldArnPii, type ArnMask } from '../pii/arn-mask.js';
import { maskDeep } from '../pii/mask-deep.js';
import { DEFAULT_PII_POLICY } from '../pii/policy.js';
import type { Finding } from '../rules/types.js';
import type { ScanError } from './types.js';

export type { ArnMask } from '../pii/arn-mask.js';

/**
 * What a report masks ARNs with when its caller names no dictionary: the default PII settings (every address
 * masked). Callers with a dictionary pass `arnMasker(policy.pii)` so that `pii.enabled` and `pii.allow` apply.
 */
export const DEFAULT_ARN_MASK: ArnMask = arnMasker(DEFAULT_PII_POLICY);

/** Whether any string in a JSON-like value holds an '@' or a '+' (bounded depth, as maskDeep). */
function hasPiiChar(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return mayHoldArnPii(value);
  if (depth > 6 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasPiiChar(v, depth + 1));
  return Object.values(value).some((v) => hasPiiChar(v, depth + 1));
}

/**
 * A finding as an output shows it: e-mail addresses inside the ARNs it quotes (its resource; a parent in its message
 * or data) masked, as findingJson masks them. Its tag and edits are tag and dictionary text, already masked by the
 * rules engine under the same settings. The fingerprint is left alone: it hashes the raw ARN, so alerts and
 * baselines keep their identity. Returns the finding itself when nothing changes. For outputs only: the planner and
 * the fixer need the real ARN.
 */
export function showFinding(f: Finding, show: ArnMask): Finding {
  if (isIdentityMask(show)) return f;
  const arn = show(f.resource.arn);
  const message = show(f.message);
  const data = f.data !== undefined && hasPiiChar(f.data) ? (maskDeep(f.data, show) as Finding['data']) : f.data;
  if (arn === f.resource.arn && message === f.message && data === f.data) return f;
  return {
    ...f,
    message,
    resource: arn === f.resource.arn ? f.resource : { ...f.resource, arn },
    ...(data !== undefined ? { data } : {}),
  };
}

/** A scan gap as an output shows it (an error message may quote an ARN). */
export function showError(e: ScanError, show: ArnMask): ScanError {
  const message = show(e.message);
  return message === e.message ? e : { ...e, message };
}
