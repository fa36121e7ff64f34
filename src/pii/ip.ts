import { K_IP, K_NETWORK, K_VERSION } from './key-context.js';
import type { Found, TextContext } from './text-context.js';

// A dotted quad not glued to other dots/digits/letters, with an optional /prefix.
// A '/' after it is either the prefix length or a URL path ("https://10.0.3.17/api").
const IPV4 = /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/\d{1,2})?(?!\w|\/\d|\.\d)/g;

function octet(s: string | undefined): number {
  if (s === undefined || (s.length > 1 && s[0] === '0')) return -1;
  const v = +s;
  return v <= 255 ? v : -1;
}

/** A unicast host address: not unspecified, loopback, link-local, multicast/reserved, network or broadcast. */
function isHostV4(a: number, b: number, _c: number, d: number): boolean {
  if (a <= 0 || a === 127 || a >= 224) return false;
  if (a === 169 && b === 254) return false;
  return d !== 0 && d !== 255;
}

const VERSION_BEFORE = /\b(?:version|ver|v|release|build|firmware|agent|kernel|driver|sdk|upgraded? to|updated? to|patch(?:ed)?(?: to)?)[\s:=]*$/i;
const VERSION_AFTER = /^[\s:=]*(?:version|release|build|firmware|agent|kernel|driver|sdk)\b/i;

function versionNearby(t: string, start: number, end: number): boolean {
  return VERSION_BEFORE.test(t.slice(Math.max(0, start - 24), start)) || VERSION_AFTER.test(t.slice(end, end + 12));
}

export function detectIpv4(ctx: TextContext, out: Found[]): void {
  if (ctx.key(K_VERSION) && !ctx.key(K_IP)) return;
  const t = ctx.text;
  IPV4.lastIndex = 0;
  for (let m = IPV4.exec(t); m !== null; m = IPV4.exec(t)) {
    const a = octet(m[1]), b = octet(m[2]), c = octet(m[3]), d = octet(m[4]);
    if (a < 0 || b < 0 || c < 0 || d < 0) continue;
    const prefix = m[5];
    if (prefix !== undefined && prefix !== '/32') continue;
    if (prefix === undefined && ctx.key(K_NETWORK)) continue;
    if (!isHostV4(a, b, c, d)) continue;
    // "v1.2.3.4": a version
    const before = m.index > 0 ? t[m.index - 1] : '';
    if (before === 'v' || before === 'V') continue;
    // "agent 3.3.40.0", "upgraded to 10.4.2.1 firmware": a version word right next to it
    if (ctx.p.spaces > 0 && versionNearby(t, m.index, m.index + m[0].length)) continue;
    out.push({ kind: 'ip-address', start: m.index, end: m.index + m[0].length });
  }
}

/** Parses an IPv6 address into 8 16-bit groups, or undefined. Accepts "::" compression and an IPv4 tail. */
export function parseIpv6(s: string): number[] | undefined {
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return undefined;
  const parsePart = (p: string): number[] | undefined => {
    if (p === '') return [];
    const out: number[] = [];
    const parts = p.split(':');
    for (let i = 0; i < parts.length; i++) {
      const g = parts[i] as string;
      if (i === parts.length - 1 && g.includes('.')) {
        const q = g.split('.');
        if (q.length !== 4) return undefined;
        const o = q.map(octet);
        if (o.some((x) => x < 0)) return undefined;
        out.push(((o[0] as number) << 8) | (o[1] as number), ((o[2] as number) << 8) | (o[3] as number));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  if (dbl === -1) {
    const g = parsePart(s);
    return g !== undefined && g.length === 8 ? g : undefined;
  }
  const head = parsePart(s.slice(0, dbl));
  const tail = parsePart(s.slice(dbl + 2));
  if (head === undefined || tail === undefined || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

function isHostV6(g: readonly number[], raw: string): boolean {
  const g0 = g[0] as number;
  if (g.every((x) => x === 0)) return false; // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return false; // ::1
  if ((g0 & 0xffc0) === 0xfe80) return false; // link-local
  if ((g0 & 0xff00) === 0xff00) return false; // multicast
  if (g0 === 0xfd00 && g[1] === 0x0ec2) return false; // fd00:ec2::/32, the EC2 metadata/DNS/NTP services
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return isHostV4(g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff); // IPv4-mapped
  }
  return !raw.endsWith('::'); // "2001:db8::" written without a length is a prefix
}

const isHexOrColon = (c: number): boolean => (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 46;
const isWord = (c: number): boolean => (c >= 48 && c <= 58) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

export function detectIpv6(ctx: TextContext, out: Found[]): void {
  const t = ctx.text;
  const n = t.length;
  let i = 0;
  while (i < n) {
    if (!isHexOrColon(t.charCodeAt(i)) || (i > 0 && isWord(t.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    let j = i;
    let colons = 0;
    while (j < n && isHexOrColon(t.charCodeAt(j))) {
      if (t.charCodeAt(j) === 58) colons++;
      j++;
    }
    let raw = t.slice(i, j);
    while (raw.endsWith('.')) raw = raw.slice(0, -1);
    let end = i + raw.length;
    if (colons >= 2 && !(end < n && isWord(t.charCodeAt(end)))) {
      let prefix = '';
      const pm = /^\/(\d{1,3})/.exec(t.slice(end, end + 4));
      if (pm !== null) prefix = pm[1] as string;
      const g = parseIpv6(raw);
      // at least three written groups: "::a" or "a::b" in prose is not an address anyone assigned
      const written = raw.split(':').filter((x) => x !== '').length + (raw.includes('.') ? 1 : 0);
      const host = g !== undefined && written >= 3 && isHostV6(g, raw) && (prefix === '' || prefix === '128');
      if (host && !(prefix === '' && ctx.key(K_NETWORK))) {
        if (prefix !== '') end += 4;
        out.push({ kind: 'ip-address', start: i, end });
      }
    }
    i = j + 1;
  }
}
