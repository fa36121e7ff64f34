import type { PiiHit } from './detect.js';
import { classifyKey, K_PHONE, K_SSN } from './key-context.js';
import type { PiiKind } from './kinds.js';

/** Kinds read from a value's digits and their layout alone. */
const LAYOUT_KINDS: ReadonlySet<PiiKind> = new Set<PiiKind>(['phone', 'ssn']);

/**
 * Values a pattern that declares a code layout refuses: text around the digits, or a number written the way
 * people write phone numbers. A free-text or phone-shaped pattern accepts one of them and declares nothing.
 */
const PROBES = ['a 415-555-2671', '415-555-2671 a', '+1 (415) 555-2671', '415 555 2671', '(415) 555-2671'];
const declaresLayout = new WeakMap<RegExp, boolean>();

function isLayoutPattern(pattern: RegExp): boolean {
  let verdict = declaresLayout.get(pattern);
  if (verdict === undefined) {
    verdict = PROBES.every((probe) => {
      if (pattern.global || pattern.sticky) pattern.lastIndex = 0;
      return !pattern.test(probe);
    });
    declaresLayout.set(pattern, verdict);
  }
  return verdict;
}

/**
 * The hits left for a value that matches its key's dictionary `pattern`, when that pattern declares a code layout:
 * cost centers written 510-200-1000, ledger codes 101-10-1000 are codes there, not a phone number or an SSN. Only a
 * hit that is the whole value is dropped, only under a key whose name does not say phone or SSN, and only when the
 * pattern refuses text and phone-style numbers (PROBES): a free-text pattern such as AWS's allowed-characters one
 * declares nothing. E-mail addresses, names, card numbers and the rest are always kept.
 */
export function withoutDeclaredLayouts(key: string, value: string, pattern: RegExp, hits: readonly PiiHit[]): readonly PiiHit[] {
  const dropped = (h: PiiHit): boolean => h.where === 'value' && LAYOUT_KINDS.has(h.kind) && h.match === value;
  if (!hits.some(dropped)) return hits;
  if ((classifyKey(key) & (K_PHONE | K_SSN)) !== 0 || !isLayoutPattern(pattern)) return hits;
  return Object.freeze(hits.filter((h) => !dropped(h)));
}
