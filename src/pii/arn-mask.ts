import { detectPii } from './detect.js';
import { compilePolicy, isAllowed, makePiiPolicy, type PiiPolicy } from './policy.js';

/**
 * Masks the personal data that ARNs quoted in a text carry: an e-mail address (an IAM user named
 * `jane.doe@example.com`, an assumed-role session named after its user) and a phone number written in international
 * form with its `+` (`user/+14155552671`): `arn:aws:iam::123456789012:user/j***@e*****e.com`. Everything else in the
 * text is left as it is. Identity when the dictionary's PII settings say not to mask either.
 */
export type ArnMask = (text: string) => string;

const same: ArnMask = (text) => text;

/**
 * Whether `text` may hold something an ARN mask changes (an '@' or a '+'): callers on hot paths test this inline
 * before calling the mask, and every text without either character costs them nothing more.
 */
export function mayHoldArnPii(text: string): boolean {
  return text.includes('@') || text.includes('+');
}

/**
 * An ARN as it may be quoted in output: `arn:partition:…` up to white space, a quote, a backslash (a JSON escape)
 * or an angle bracket. Only the ones holding an '@' or a '+' are matched. Not preceded by a word character, so
 * "learn:" is no ARN. A comma ends nothing here (IAM names may hold one): the checks find the data inside the token.
 */
const ARN_WITH_PII_CHAR = /(?<![A-Za-z0-9_-])arn:[A-Za-z0-9-]+:[^\s"'`<>\\@+]*[@+][^\s"'`<>\\]*/g;

/** The resource part of an ARN: what follows `arn:partition:service:region:account:`. */
const RESOURCE_PART = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:/;

/** ARN path and field separators, read as a neutral character (see phoneText). */
const PATH_SEPS = /[/:]/g;

const MEMO_MAX = 10_000;

const maskers = new WeakMap<PiiPolicy, ArnMask>();

/**
 * The ARN mask for a dictionary's PII settings (memoised per settings object, so every output of a run shares one).
 * Only the e-mail and phone detectors run, with the dictionary's allow-list, so an ARN reads as a tag value holding
 * the same address or number would (`pii.enabled: false`, or the detector not among `detectors`: shown as it is; an
 * allowed value: shown). Of the phone detector's finds only numbers written with a leading '+' count: bare digit
 * runs (account ids, instance ids, job names with timestamps) are how ARNs name things, not personal data. Costs
 * one `includes('@')` and one `includes('+')` for a text without either.
 */
export function arnMasker(pii: PiiPolicy): ArnMask {
  let mask = maskers.get(pii);
  if (mask === undefined) {
    const email = pii.enabled && pii.detectors.has('email');
    const phone = pii.enabled && pii.detectors.has('phone');
    mask = email || phone ? buildMask(pii, email, phone) : same;
    maskers.set(pii, mask);
  }
  return mask;
}

/** Whether `mask` changes nothing (PII off, or neither the e-mail nor the phone detector): callers may skip work. */
export function isIdentityMask(mask: ArnMask): boolean {
  return mask === same;
}

/**
 * The text the phone detector reads for an ARN: its resource part, with '/' and ':' as ';'. A '/' right after a
 * word glues what follows to it for the detector (`ops/+14155552671` would read as an id), and a '/' between two
 * numbers joins them into one run (`+14155552671/20240115`): in an ARN both separate names, as ';' does.
 * One character for one, so every number found reads the same in the ARN. Cue words in other path parts count
 * (`assumed-role/oncall/+447700900123`), as other words of a tag value do.
 */
function phoneText(arn: string): string {
  const m = RESOURCE_PART.exec(arn);
  return (m === null ? arn : arn.slice(m[0].length)).replace(PATH_SEPS, ';');
}

function buildMask(pii: PiiPolicy, email: boolean, phone: boolean): ArnMask {
  const allow = { allowValues: pii.allowValues, allowPatterns: pii.allowPatterns };
  const emailOnly = makePiiPolicy({ enabled: true, detectors: ['email'], ...allow });
  const phoneOnly = makePiiPolicy({ enabled: true, detectors: ['phone'], ...allow });
  const allowed = compilePolicy(phoneOnly);
  // The same ARN comes back for every finding of its resource and in several outputs.
  const memo = new Map<string, string>();
  const maskToken = (arn: string): string => {
    let masked = memo.get(arn);
    if (masked === undefined) {
      masked = arn;
      if (email && arn.includes('@')) for (const hit of detectPii('', arn, emailOnly)) masked = masked.split(hit.match).join(hit.masked);
      // An ARN pii.allow accepts as a whole is shown, as for an address (detectPii checks that for its own text).
      if (phone && arn.includes('+') && !isAllowed(allowed, arn)) {
        for (const hit of detectPii('', phoneText(arn), phoneOnly)) {
          if (hit.match.startsWith('+')) masked = masked.split(hit.match).join(hit.masked);
        }
      }
      if (memo.size >= MEMO_MAX) memo.clear();
      memo.set(arn, masked);
    }
    return masked;
  };
  return (text) => {
    if (typeof text !== 'string' || !((email && text.includes('@')) || (phone && text.includes('+'))) || !text.includes('arn:')) return text;
    return text.replace(ARN_WITH_PII_CHAR, maskToken);
  };
}
