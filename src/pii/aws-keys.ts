import { K_SECRET } from './key-context.js';
import type { Found, TextContext } from './text-context.js';

// AKIA (long-term) / ASIA (temporary) + 16 upper-case alphanumerics. Real ids are base32, but pasted examples
// often contain 0/1/8/9, so the tail is not restricted to A-Z2-7.
const ACCESS_KEY = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
const SECRET_TOKEN = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const SECRET_CUE = /secret|password|passwd|credential|creds|\bkey\b|token/;

export function detectAccessKey(ctx: TextContext, out: Found[]): void {
  const t = ctx.text;
  if (!t.includes('AKIA') && !t.includes('ASIA')) return;
  ACCESS_KEY.lastIndex = 0;
  for (let m = ACCESS_KEY.exec(t); m !== null; m = ACCESS_KEY.exec(t)) {
    out.push({ kind: 'aws-access-key', start: m.index, end: m.index + m[0].length });
  }
}

/** Adjacent characters of different classes (upper/lower/digit/symbol): random base64 has ~25 in 40 chars, words far fewer. */
function classChanges(s: string): number {
  let prev = -1;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const k = c >= 97 ? 0 : c >= 65 ? 1 : c >= 48 ? 2 : 3;
    if (prev !== -1 && k !== prev) n++;
    prev = k;
  }
  return n;
}

/**
 * A token that reads as a secret access key with nothing around it saying so: upper and lower case, a digit, and a
 * '/' or '+' (what base64 has and identifiers do not), and not a path. Lower-case hex (a SHA-1, a git commit) has no
 * upper case; base64 digests are 28 or 44 characters ('=' padded), so never exactly 40.
 */
export function isBareSecretShape(s: string): boolean {
  // A path ("/models/2024/Run7/..."): starts or ends at a separator, or has an empty segment.
  if (s.startsWith('/') || s.endsWith('/') || s.includes('//')) return false;
  let upper = false;
  let lower = false;
  let digit = false;
  let symbol = false;
  let lowerRun = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      // A lower-case word ("checkpoint", "training") is a path segment or a name, not base64 (under 4% of keys have one).
      if (++lowerRun >= LOWER_WORD) return false;
      lower = true;
      continue;
    }
    lowerRun = 0;
    if (c >= 65 && c <= 90) upper = true;
    else if (c >= 48 && c <= 57) digit = true;
    else if (c === 47 || c === 43) symbol = true;
  }
  return upper && lower && digit && symbol;
}

const LOWER_WORD = 7;

export function detectSecretKey(ctx: TextContext, out: Found[], accessKeyFound: boolean): void {
  // A random 40-character base64 token is a secret key only where the key, an access key id or a cue word says so:
  // a value that is the token alone is as likely a cache key, a digest or an opaque id. In prose (an error message
  // quoting a flag, a note) one of the shape isBareSecretShape describes stands out, and is taken as a key.
  const cued = ctx.key(K_SECRET) || accessKeyFound || ctx.cue(SECRET_CUE);
  const t = ctx.text;
  if (!cued && !/\s/.test(t)) return;
  SECRET_TOKEN.lastIndex = 0;
  for (let m = SECRET_TOKEN.exec(t); m !== null; m = SECRET_TOKEN.exec(t)) {
    const s = m[0];
    let up = 0, lo = 0, other = 0;
    for (let i = 0; i < 40; i++) {
      const c = s.charCodeAt(i);
      if (c >= 97) lo++;
      else if (c >= 65) up++;
      else other++;
    }
    if (up === 0 || lo === 0 || other === 0) continue;
    if (classChanges(s) >= 10 && (cued || isBareSecretShape(s))) out.push({ kind: 'aws-secret-key', start: m.index, end: m.index + 40 });
  }
}
