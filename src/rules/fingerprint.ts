import * as crypto from 'node:crypto';
import { canonicalArn } from '../audit/parent-key.js';

// crypto.hash (Node ≥ 20.12) is the one-shot digest, about twice as fast as createHash().update().digest().
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256Hex: (text: string) => string = oneShot
  ? (text) => oneShot('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A finding's fingerprint: the first 32 hex characters (128 bits) of SHA-256 over `ruleId NUL canonicalArn(arn) NUL
 * tagKey` (UTF-8). Stable across runs and machines for the same rule, resource and tag, so SARIF viewers and baselines
 * can match a finding between scans; treat the format as fixed, since changing it changes every baselined fingerprint.
 *
 * The ARN is hashed in its canonical form (a SageMaker ARN lower-cased; any other as it is): SageMaker gives one
 * resource's ARN in either case depending on the API that listed it, and an alert must not move when a scan meets the
 * other spelling. (Hashing the canonical form changed, once, the fingerprints of SageMaker ARNs with capitals only.)
 *
 * The key passed in must already be masked when it holds PII (the engine passes the finding's shown key).
 */
export function fingerprint(ruleId: string, arn: string, tagKey: string): string {
  return sha256Hex(`${ruleId}\u0000${canonicalArn(arn)}\u0000${tagKey}`).slice(0, 32);
}
