import { isCommonEnglishWord } from './common-words.js';
import { K_EMAIL, K_LOGIN, K_PERSON } from './key-context.js';
import type { Found, TextContext } from './text-context.js';

const isLocalChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
const isDomainChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45;

/** Accounts used as SSH / git transport users, never as mailboxes. */
const TRANSPORT_USERS = new Set([
  'git', 'ec2-user', 'ubuntu', 'centos', 'ssm-user', 'hadoop', 'azureuser', 'bitnami', 'opc', 'fedora', 'debian',
  'admin-user', 'rocky', 'almalinux', 'core', 'vagrant',
]);
/** Name parts joined the way mailboxes join them (john.doe, j.doe+ml), or an encoded address (jane%40…). */
const PERSONAL_MAILBOX = /[A-Za-z][.+][A-Za-z]|%40/i;
/** URL schemes with no login in them: whatever stands before an `@` there is an address (s3://jdoe@example.com/…). */
const NO_LOGIN_SCHEMES = new Set(['s3', 's3a', 's3n', 'gs', 'gcs', 'file']);
/** Private-use top-level names: "user@host.internal" is a login target, not an address. */
const HOST_TLDS = new Set(['internal', 'local', 'localdomain', 'lan', 'localhost', 'intranet', 'home', 'corp', 'private']);

function validDomain(d: string): boolean {
  const labels = d.split('.');
  if (labels.length < 2) return false;
  for (const l of labels) {
    if (l.length === 0 || l.length > 63 || l.startsWith('-') || l.endsWith('-')) return false;
  }
  const tld = labels[labels.length - 1] as string;
  if (HOST_TLDS.has(tld.toLowerCase())) return false;
  return /^(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9-]{1,59})$/.test(tld);
}

/** The scheme of a URL whose user part starts at `s` (`ssh` for `ssh://deploy@…`), else undefined. */
function urlSchemeBefore(t: string, s: number): string | undefined {
  if (s < 3 || t.slice(s - 3, s) !== '://') return undefined;
  let b = s - 3;
  while (b > 0 && /[A-Za-z0-9+.-]/.test(t[b - 1] as string)) b--;
  return t.slice(b, s - 3).toLowerCase();
}

/**
 * A URL's user part is a login (ssh://deploy@bastion, https://ci_bot@git…) unless the scheme has no logins, or it
 * reads like a person's mailbox and the tag is not about where to log in.
 */
function urlUserIsAddress(ctx: TextContext, scheme: string, local: string): boolean {
  if (NO_LOGIN_SCHEMES.has(scheme)) return true;
  return PERSONAL_MAILBOX.test(local) && !(ctx.key(K_LOGIN) && !ctx.key(K_EMAIL) && !ctx.key(K_PERSON));
}

function emailAt(ctx: TextContext, t: string, at: number): Found | undefined {
  let s = at;
  while (s > 0 && isLocalChar(t.charCodeAt(s - 1))) s--;
  while (s < at && (t[s] === '.' || t[s] === '-')) s++;
  let e = at + 1;
  while (e < t.length && isDomainChar(t.charCodeAt(e))) e++;
  while (e > at + 1 && (t[e - 1] === '.' || t[e - 1] === '-')) e--;
  const local = t.slice(s, at);
  const domain = t.slice(at + 1, e);
  if (local.length === 0 || local.length > 64 || local.includes('..') || !validDomain(domain)) return undefined;
  // git@github.com:org/repo — scp-style remote
  if (t[e] === ':' && e + 1 < t.length && t[e + 1] !== ' ') return undefined;
  const scheme = urlSchemeBefore(t, s);
  if (scheme !== undefined && !urlUserIsAddress(ctx, scheme, local)) return undefined;
  if (TRANSPORT_USERS.has(local.toLowerCase())) return undefined;
  return { kind: 'email', start: s, end: e };
}

// "jane.doe [at] example [dot] com", "jane(at)example.com"
const OBFUSCATED = /[A-Za-z0-9._%+-]+\s*[[({]\s*at\s*[\])}]\s*[A-Za-z0-9-]+(?:(?:\.|\s*[[({]\s*dot\s*[\])}]\s*)[A-Za-z0-9-]+)+/gi;

// "jane.doe at example dot com": with no brackets, only when the name ends in a widespread top-level domain and the
// mailbox is not a plain English word or verb form ("meet at example dot com", "hosted at acme dot io" stay text).
const SPELLED = /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]{2,64}) +at +((?:[A-Za-z0-9-]{1,63}(?: +dot +|\.)){1,6})([A-Za-z]{2,6})(?![A-Za-z0-9-])/gi;
const SPELLED_TLDS = new Set(
  ('com org net edu gov mil int io co ai dev app info biz me us uk de fr es it nl be ch at se no dk fi pl cz ie pt ca au nz ' +
    'jp cn in br mx ar za sg hk kr ru eu tech cloud').split(' '),
);

function spelledMailbox(local: string): boolean {
  if (/[._%+\d-]/.test(local)) return true;
  const word = local.toLowerCase();
  return !isCommonEnglishWord(word) && !/(?:ed|ing)$/.test(word);
}

/** Under an ssh / bastion / host key, a value that is nothing but user@host is where to log in. */
function isLoginTarget(ctx: TextContext, f: Found): boolean {
  if (!ctx.key(K_LOGIN) || ctx.key(K_EMAIL) || ctx.key(K_PERSON)) return false;
  const t = ctx.text;
  if (t.slice(0, f.start).trim() !== '') return false;
  const rest = t.slice(f.end);
  return rest.trim() === '' || /^:[\w./~-]*\s*$/.test(rest);
}

export function detectEmail(ctx: TextContext, out: Found[]): void {
  const t = ctx.text;
  if (ctx.p.at > 0) {
    for (let at = t.indexOf('@'); at !== -1; at = t.indexOf('@', at + 1)) {
      const f = emailAt(ctx, t, at);
      if (f !== undefined && !isLoginTarget(ctx, f)) out.push(f);
    }
  }
  if (ctx.p.spaces >= 4 && ctx.p.len >= 14 && / dot /i.test(t)) {
    SPELLED.lastIndex = 0;
    for (let m = SPELLED.exec(t); m !== null; m = SPELLED.exec(t)) {
      if (!/ dot /i.test(m[2] as string) || !SPELLED_TLDS.has((m[3] as string).toLowerCase())) continue;
      if (spelledMailbox(m[1] as string)) out.push({ kind: 'email', start: m.index, end: m.index + m[0].length });
    }
  }
  if (ctx.p.brackets > 0 && ctx.p.len >= 10 && /at\s*[\])}]/i.test(t)) {
    OBFUSCATED.lastIndex = 0;
    for (let m = OBFUSCATED.exec(t); m !== null; m = OBFUSCATED.exec(t)) {
      const tld = /([A-Za-z]+)$/.exec(m[0]);
      if (tld !== null && (tld[1] as string).length >= 2) out.push({ kind: 'email', start: m.index, end: m.index + m[0].length });
    }
  }
}
