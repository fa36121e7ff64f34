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

/**
 * Top-level names common enough that a domain cut short at them is read as an address with text glued on after it
 * ("jane.doe@example.com-x", "…@acme.io.1"); any two letters are a country code. Not "prod" or "example": a host
 * name like "db.prod-2" is not "db.prod" plus "-2".
 */
const COMMON_TLDS = new Set(
  ('com org net edu gov mil int io co ai dev app info biz me tech cloud online site xyz email mail name pro eu asia ' +
    'global digital solutions agency company group systems network').split(' '),
);
/** An AWS region written as a host's last label ("node.us-east-1"): a name in its own right, never "node.us" plus "-east-1". */
const REGION_LABEL = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/i;

function isCommonTld(label: string): boolean {
  const l = label.toLowerCase();
  return /^[a-z]{2}$/.test(l) || COMMON_TLDS.has(l);
}

const validLabel = (l: string): boolean => l.length > 0 && l.length <= 63 && !l.startsWith('-') && !l.endsWith('-');

/**
 * Where the domain of an address starting at `from` ends in t[from, end): the whole run of domain characters when it
 * is a valid domain; otherwise the longest prefix of whole labels followed by a common top-level name, cut before a
 * '.' or a '-'. A top-level name holds no hyphen (only "xn--…"), so "example.com-x" is "example.com" with "-x" glued
 * on. None when the run holds a private-use name ("db.acme.com.internal-2" is a host) or ends in an AWS region.
 * One pass over the labels: linear in the run, whatever its length.
 */
function domainEnd(t: string, from: number, end: number): number | undefined {
  const whole = t.slice(from, end);
  if (validDomain(whole)) return end;
  const labels = whole.split('.');
  if (REGION_LABEL.test(labels[labels.length - 1] as string)) return undefined;
  if (labels.some((l) => HOST_TLDS.has((l.split('-')[0] as string).toLowerCase()))) return undefined;
  let best: number | undefined;
  let offset = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as string;
    if (i > 0 && !/^xn--/i.test(label)) {
      const hyphen = label.indexOf('-');
      const head = hyphen === -1 ? label : label.slice(0, hyphen);
      if (/^[A-Za-z]+$/.test(head) && isCommonTld(head)) best = from + offset + head.length;
    }
    if (!validLabel(label)) break;
    offset += label.length + 1;
  }
  return best;
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
  return NO_LOGIN_SCHEMES.has(scheme) || userIsAddress(ctx, local);
}

/** A login's user part that is still an address: it reads like a person's mailbox and the tag is not about logins. */
function userIsAddress(ctx: TextContext, local: string): boolean {
  return PERSONAL_MAILBOX.test(local) && !(ctx.key(K_LOGIN) && !ctx.key(K_EMAIL) && !ctx.key(K_PERSON));
}

/**
 * What follows a login's host: a path (scp-style "git@github.com:org/repo.git", "deploy@host.example.com:/srv/app",
 * ":~/x") or a port (":2222"), up to white space or punctuation that ends a token.
 */
const LOGIN_TAIL = /^:(?:[~/][^\s"'`<>,;|()[\]{}]*|[^\s"'`<>,;|()[\]{}:]*\/[^\s"'`<>,;|()[\]{}]*|[\w.-]+\.git|\d{1,5})(?=$|[\s"'`<>,;|()[\]{}])/;

/**
 * user@host:path or user@host:port standing as a token of its own, the way an scp remote or a host to log in to is
 * written. Not when the address continues something (an ARN field, "mailto:"), nor when the text after the colon is a
 * word ("jane.doe@example.com:primary"): those are addresses with text glued on.
 */
function isScpLogin(t: string, s: number, e: number): boolean {
  if (s > 0 && /[:/@\\]/.test(t[s - 1] as string)) return false;
  return hasLoginTail(t, e);
}

const hasLoginTail = (t: string, e: number): boolean => t[e] === ':' && LOGIN_TAIL.test(t.slice(e, e + 512));

function emailAt(ctx: TextContext, t: string, at: number): Found | undefined {
  let s = at;
  while (s > 0 && isLocalChar(t.charCodeAt(s - 1))) s--;
  while (s < at && (t[s] === '.' || t[s] === '-')) s++;
  let run = at + 1;
  while (run < t.length && isDomainChar(t.charCodeAt(run))) run++;
  while (run > at + 1 && (t[run - 1] === '.' || t[run - 1] === '-')) run--;
  const local = t.slice(s, at);
  if (local.length === 0 || local.length > 64 || local.includes('..')) return undefined;
  const e = domainEnd(t, at + 1, run);
  if (e === undefined) return undefined;
  if (TRANSPORT_USERS.has(local.toLowerCase())) return undefined;
  const scheme = urlSchemeBefore(t, s);
  if (scheme !== undefined) {
    // postgresql://app.reader@orders-db.example.com:5432/orders: a host with a port or path is where to connect
    if (hasLoginTail(t, e) || !urlUserIsAddress(ctx, scheme, local)) return undefined;
  } else if (isScpLogin(t, s, e) && !userIsAddress(ctx, local)) return undefined;
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
