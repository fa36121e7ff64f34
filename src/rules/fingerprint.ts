import * as crypto from 'node:crypto';

// crypto.hash (Node ≥ 20.12) is the one-shot digest, about twice as fast as createHash().update().digest().
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256Hex: (text: string) => string = oneShot
  ? (text) => oneShot('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A finding's fingerprint: the first 32 hex characters (128 bits) of SHA-256 over `ruleId NUL arn NUL tagKey`
 * (UTF-8). Stable across runs and machines for the same rule, resource and tag, so SARIF viewers and baselines can
 * match a finding between scans; treat the format as fixed, since changing it changes every baselined fingerprint.
 *
 * The key passed in must already be masked when it holds PII (the engine passes the finding's shown key).
 */
export function fingerprint(ruleId: string, arn: string, tagKey: string): string {
  return sha256Hex(`${ruleId}\u0000${arn}\u0000${tagKey}`).slice(0, 32);
}
