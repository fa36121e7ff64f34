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

export function detectSecretKey(ctx: TextContext, out: Found[], accessKeyFound: boolean): void {
  // A random 40-character base64 token is a secret key only where the key, an access key id or a cue word says so:
  // on its own it is as likely a cache key, a digest or an opaque id.
  if (!ctx.key(K_SECRET) && !accessKeyFound && !ctx.cue(SECRET_CUE)) return;
  const t = ctx.text;
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
    if (classChanges(s) >= 10) out.push({ kind: 'aws-secret-key', start: m.index, end: m.index + 40 });
  }
}
