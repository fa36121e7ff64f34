import type { PiiHit } from './detect.js';
import type { PiiKind } from './kinds.js';

/** Kinds read from a value's digits and their layout alone. */
const LAYOUT_KINDS: ReadonlySet<PiiKind> = new Set<PiiKind>(['phone', 'ssn']);

/**
 * The hits left once a value is known to match its key's dictionary `pattern`: the dictionary declares that layout
 * for the key (cost centers written 510-200-1000, ledger codes 101-10-1000), so digits in it are not read as a phone
 * number or an SSN. E-mail addresses, names, card numbers and the rest are still found.
 */
export function withoutDeclaredLayouts(hits: readonly PiiHit[]): readonly PiiHit[] {
  if (!hits.some((h) => h.where === 'value' && LAYOUT_KINDS.has(h.kind))) return hits;
  return Object.freeze(hits.filter((h) => h.where !== 'value' || !LAYOUT_KINDS.has(h.kind)));
}
