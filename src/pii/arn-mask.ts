import { detectPii } from './detect.js';
import { makePiiPolicy, type PiiPolicy } from './policy.js';

/**
 * Masks the e-mail addresses that ARNs quoted in a text carry (an IAM user named `jane.doe@example.com`, an
 * assumed-role session named after its user): `arn:aws:iam::123456789012:user/j***@e*****e.com`. Everything else in
 * the text is left as it is. Identity when the dictionary's PII settings say not to mask addresses.
 */
export type ArnMask = (text: string) => string;

const same: ArnMask = (text) => text;

/**
 * An ARN as it may be quoted in output: `arn:partition:…` up to white space, a quote, a backslash (a JSON escape)
 * or an angle bracket. Only the ones holding an '@' are matched. Not preceded by a word character, so "learn:" is no
 * ARN. A comma ends nothing here (IAM names may hold one): the e-mail check finds the address inside the token.
 */
const ARN_WITH_AT = /(?<![A-Za-z0-9_-])arn:[A-Za-z0-9-]+:[^\s"'`<>\\@]*@[^\s"'`<>\\]*/g;

const MEMO_MAX = 10_000;

const maskers = new WeakMap<PiiPolicy, ArnMask>();

/**
 * The ARN mask for a dictionary's PII settings (memoised per settings object, so every output of a run shares one):
 * only the e-mail detector runs, with the dictionary's allow-list, so an ARN reads as a tag value holding the same
 * address would (`pii.enabled: false`, or no `email` among the detectors: shown as it is; an allowed address:
 * shown). Never the phone or number detectors: job names with timestamps, account and instance ids are not PII.
 * Costs one `includes('@')` for a text without an address.
 */
export function arnMasker(pii: PiiPolicy): ArnMask {
  let mask = maskers.get(pii);
  if (mask === undefined) {
    mask = pii.enabled && pii.detectors.has('email') ? buildMask(pii) : same;
    maskers.set(pii, mask);
  }
  return mask;
}

/** Whether `mask` changes nothing (PII off, or no e-mail detector): callers may skip work. */
export function isIdentityMask(mask: ArnMask): boolean {
  return mask === same;
}

function buildMask(pii: PiiPolicy): ArnMask {
  const emailOnly = makePiiPolicy({ enabled: true, detectors: ['email'], allowValues: pii.allowValues, allowPatterns: pii.allowPatterns });
  // The same ARN comes back for every finding of its resource and in several outputs.
  const memo = new Map<string, string>();
  const maskToken = (arn: string): string => {
    let masked = memo.get(arn);
    if (masked === undefined) {
      masked = arn;
      for (const hit of detectPii('', arn, emailOnly)) masked = masked.split(hit.match).join(hit.masked);
      if (memo.size >= MEMO_MAX) memo.clear();
      memo.set(arn, masked);
    }
    return masked;
  };
  return (text) => {
    if (typeof text !== 'string' || !text.includes('@') || !text.includes('arn:')) return text;
    return text.replace(ARN_WITH_AT, maskToken);
  };
}
