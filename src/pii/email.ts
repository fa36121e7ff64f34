import { isCommonEnglishWord } from './common-words.js';
import { AT_SIGN_G, hasOtherAtSign, INVISIBLE_G, isAsciiRange, isInvisibleCode, UNICODE_TLD, unicodeWordUnits } from './email-chars.js';
import { K_EMAIL, K_LOGIN, K_PERSON } from './key-context.js';
import { isPersonHandle } from './person-name.js';
import type { Found, TextContext } from './text-context.js';

const isLocalChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 || c === 39 || c === 0x2019;
const isDomainChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45;

/** Code units of the local-part character ending before `i` ("o'brien", "jürgen", "用户"), 0 at its start. */
function localUnitsBefore(t: string, i: number): number {
  return isLocalChar(t.charCodeAt(i - 1)) ? 1 : unicodeWordUnits(t, i, true);
}

/** Code units of the domain character at `i` ("bücher", "пример", "例子"), 0 at its end. */
function domainUnitsAt(t: string, i: number): number {
  return isDomainChar(t.charCodeAt(i)) ? 1 : unicodeWordUnits(t, i, false);
}

/** What a local part may not start with: punctuation before the name, or something invisible. */
const isLocalLead = (c: number): boolean => c === 46 || c === 45 || c === 39 || c === 0x2019 || isInvisibleCode(c);

/** Accounts used as SSH / git transport users, never as mailboxes. */
const TRANSPORT_USERS = new Set([
  'git', 'ec2-user', 'ubuntu', 'centos', 'ssm-user', 'hadoop', 'azureuser', 'bitnami', 'opc', 'fedora', 'debian',
  'admin-user', 'rocky', 'almalinux', 'core', 'vagrant',
]);
/** Name parts joined the way mailboxes join them (john.doe, j.doe+ml), or an encoded address (jane%40…). */
const PERSONAL_MAILBOX = /\p{L}[.+]\p{L}|%40/iu;
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
  return /^(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9-]{1,59})$/.test(tld) || UNICODE_TLD.test(tld);
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

/** Generic top-level names after which digits are read as glued on ("example.com2024"); not "dev2", "eu1", "app3". */
const DIGIT_GLUED_TLD = /^(?:com|org|net|edu|gov)(?=\d)/i;

/**
 * The common top-level name a label starts with when the rest is glued on: digits after a generic one
 * ("com2024"), or letters past the 24 a top-level name may have ("comabcdefghijklmnopqrstuvwxyz").
 */
function gluedTldHead(label: string): string | undefined {
  const digits = DIGIT_GLUED_TLD.exec(label);
  if (digits !== null) return digits[0];
  if (label.length <= 24 || !/^[A-Za-z]+$/.test(label)) return undefined;
  for (let n = 6; n >= 2; n--) if (COMMON_TLDS.has(label.slice(0, n).toLowerCase())) return label.slice(0, n);
  return undefined;
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
      // the letters before a hyphen or a change of script: "com" in "com-x" and in "comは"
      const head = /^[A-Za-z]+(?=$|-|\P{ASCII})/u.exec(label)?.[0];
      const tld = head !== undefined && isCommonTld(head) ? head : gluedTldHead(label);
      if (tld !== undefined) best = from + offset + tld.length;
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

/**
 * Where the local part ending at `at` starts. A non-ASCII one is cut to 64 characters: text in a script written
 * without spaces may run on before it ("请联系用户@例子.广告"), and what is cut is masked with it, never shown. Reads
 * at most 66 characters back: "a%40a%40…" is all local-part characters, and must not be read again per sign.
 */
function localStart(t: string, at: number): number {
  let s = at;
  while (s > 0 && at - s <= 65) {
    const n = localUnitsBefore(t, s);
    if (n === 0) break;
    s -= n;
  }
  // "%40" is made of local-part characters, but no local part holds an encoded '@': "a%40jane.doe%40example.com"
  const before = t.slice(s, at);
  if (before.includes('%')) {
    ENCODED_AT_G.lastIndex = 0;
    for (let m = ENCODED_AT_G.exec(before); m !== null; m = ENCODED_AT_G.exec(before)) s = at - before.length + m.index + m[0].length;
  }
  // Longer than a local part may be: text glued on before the mailbox ("…-pipeline-is-jane.doe@…", "请联系用户@…").
  // The longest local part within the limit that starts a word (after a '.', '-', '_' or '+' among its first 16
  // characters); else the last 64 characters, so that a name glued to a long run ("xxx…xjane.doe@") is never cut
  // at its own dot and shown. What is cut is masked with it.
  if (at - s > 64) {
    let cut = at - 64;
    while (cut < at - 48 && !isLocalBreak(t.charCodeAt(cut - 1))) cut++;
    s = cut < at - 48 ? cut : at - 64;
    if (isLowSurrogate(t.charCodeAt(s))) s++;
  }
  while (s < at && isLocalLead(t.charCodeAt(s))) s++;
  return s;
}

const ENCODED_AT_G = /%(?:25)?40/gi;
/** Where words join inside a local part: '.', '-', '_', '+'. */
const isLocalBreak = (c: number): boolean => c === 46 || c === 45 || c === 95 || c === 43;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** domainEnd over t[from, end) read without its invisible characters ("example\u200b.com"). */
function visibleDomainEnd(t: string, from: number, end: number): number | undefined {
  if (isAsciiRange(t, from, end) || !INVISIBLE.test(t.slice(from, end))) return domainEnd(t, from, end);
  const at: number[] = [];
  let clean = '';
  for (let i = from; i < end; i++) {
    if (isInvisibleCode(t.charCodeAt(i))) continue;
    at.push(i);
    clean += t[i] as string;
  }
  const e = domainEnd(clean, 0, clean.length);
  return e === undefined || e === 0 ? undefined : (at[e - 1] as number) + 1;
}

/**
 * "jane.doe@corp.local", "jane.doe@example.com.internal.corp": a private-use domain is a host to log in to, except
 * when the mailbox names a person (an Active Directory UPN, an internal mail host): a "first.last" handle with a known
 * given name, or name parts joined by '.' or '_' under a person or e-mail key. The whole run of labels is the domain.
 */
function internalDomainEnd(ctx: TextContext, t: string, from: number, end: number, local: string): number | undefined {
  if (end - from < 3 || !isAsciiRange(t, from, end)) return undefined;
  const labels = t.slice(from, end).split('.');
  if (labels.length < 2 || !HOST_TLDS.has((labels[labels.length - 1] as string).toLowerCase()) || !labels.every(validLabel)) return undefined;
  if (!NAME_MAILBOX.test(local) || FILE_NAME.test(local)) return undefined;
  return isPersonHandle(local) || ctx.key(K_PERSON) || ctx.key(K_EMAIL) ? end : undefined;
}

/** The address around the '@' written as t[at, after) (an '@' or one of the other ways, see AT_SIGN_G). */
function emailAt(ctx: TextContext, t: string, at: number, after: number): Found | undefined {
  const s = localStart(t, at);
  let run = after;
  while (run < t.length) {
    const n = domainUnitsAt(t, run);
    if (n === 0) break;
    run += n;
  }
  while (run > after && (t[run - 1] === '.' || t[run - 1] === '-' || isInvisibleCode(t.charCodeAt(run - 1)))) run--;
  const local = isAsciiRange(t, s, at) ? t.slice(s, at) : t.slice(s, at).replace(INVISIBLE_G, '');
  if (local.length === 0 || local.length > 64 || local.includes('..')) return undefined;
  const e = visibleDomainEnd(t, after, run) ?? internalDomainEnd(ctx, t, after, run, local);
  if (e === undefined) return undefined;
  if (TRANSPORT_USERS.has(local.toLowerCase())) return undefined;
  const scheme = urlSchemeBefore(t, s);
  if (scheme !== undefined) {
    // postgresql://app.reader@orders-db.example.com:5432/orders: a host with a port or path is where to connect
    if (hasLoginTail(t, e) || !urlUserIsAddress(ctx, scheme, local)) return undefined;
  } else if (isScpLogin(t, s, e) && !userIsAddress(ctx, local)) return undefined;
  return { kind: 'email', start: s, end: e };
}

/** A mailbox that reads as a person's name parts joined by '.' or '_' ("zoe.space"). */
const NAME_MAILBOX = /^\p{L}[\p{L}\p{M}]*(?:[._]\p{L}[\p{L}\p{M}]*)+$/u;
/** …and not a file name ("README.md @ github.com", "deploy.sh @ build.example.com"). */
const FILE_NAME = /\.(?:sh|py|md|txt|ya?ml|json|js|ts|html?|conf|cfg|ini|log|csv|xml|toml|lock|zip|gz|tgz|tar|jar|war|exe|dll|so|ps1|bat|rb|go|rs|java|sql|tf|pem|key|crt|env|png|jpe?g|gif|pdf|docx?|xlsx?|git)$/i;

/**
 * "zoe.space @ example.com": one space on each side of an '@', or on one side ("jane.doe @example.com"). Prose writes "X @ Y" for many things ("pandas @
 * pypi.org", "README.md @ github.com"), so only a mailbox of name parts, with nothing glued to the domain, and only
 * when it is the whole value or the key is about a person or an address.
 */
function spacedEmailAt(ctx: TextContext, t: string, at: number, after: number): Found | undefined {
  const before = t[at - 1] === ' ';
  const behind = t[after] === ' ';
  if (after !== at + 1 || !(before || behind)) return undefined;
  if (ctx.key(K_LOGIN) && !ctx.key(K_EMAIL) && !ctx.key(K_PERSON)) return undefined;
  const f = emailAt(ctx, t, before ? at - 1 : at, behind ? after + 1 : after);
  if (f === undefined) return undefined;
  const alone = t.slice(0, f.start).trim() === '' && t.slice(f.end).trim() === '';
  if (!alone && !ctx.key(K_EMAIL) && !ctx.key(K_PERSON)) return undefined;
  if (/[\w-]/.test(t[f.end] ?? '')) return undefined;
  const local = t.slice(f.start, before ? at - 1 : at);
  return NAME_MAILBOX.test(local) && !FILE_NAME.test(local) ? f : undefined;
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

function addAt(ctx: TextContext, t: string, at: number, after: number, out: Found[]): void {
  const f = emailAt(ctx, t, at, after) ?? spacedEmailAt(ctx, t, at, after);
  if (f === undefined || isLoginTarget(ctx, f)) return;
  // "https://jane.doe%40example.com@feeds.example.org": the address after the encoded one goes on over it; one span
  const last = out[out.length - 1];
  if (last !== undefined && last.kind === 'email' && f.start < last.end) {
    out[out.length - 1] = { kind: 'email', start: Math.min(last.start, f.start), end: Math.max(last.end, f.end) };
  } else out.push(f);
}

/** A full-width full stop (U+FF0E): full-width text ("ｊａｎｅ．ｄｏｅ＠ｅｘａｍｐｌｅ．ｃｏｍ") comes whole, dots included. */
const FULLWIDTH_DOT_G = /\uff0e/g;

export function detectEmail(ctx: TextContext, out: Found[]): void {
  // read as '.', one code unit for one, so that every span stays where it is in the text
  const t = ctx.p.nonAscii > 0 && ctx.text.includes('\uff0e') ? ctx.text.replace(FULLWIDTH_DOT_G, '.') : ctx.text;
  if (hasOtherAtSign(ctx.text, ctx.p)) {
    AT_SIGN_G.lastIndex = 0;
    for (let m = AT_SIGN_G.exec(t); m !== null; m = AT_SIGN_G.exec(t)) addAt(ctx, t, m.index, m.index + m[0].length, out);
  } else if (ctx.p.at > 0) {
    for (let at = t.indexOf('@'); at !== -1; at = t.indexOf('@', at + 1)) addAt(ctx, t, at, at + 1, out);
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
