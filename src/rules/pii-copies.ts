import type { PiiHit } from '../pii/detect.js';
import { locatorOf, makePiiLocator, type PiiLocator } from '../pii/redact.js';
import type { ResourceAnalysis } from './resource-analysis.js';

/**
 * Where the resource's redactor (`analysis.display`) finds PII: the same locator, so a text it would mask always
 * has spans here. Built from the tags' hits only for a display that makeRedactor did not make.
 */
export function resourcePiiLocator(a: ResourceAnalysis): PiiLocator {
  const own = locatorOf(a.display);
  if (own !== undefined) return own;
  const hits: PiiHit[] = [];
  for (let i = 0; i < a.keys.length; i++) hits.push(...a.piiAt(i));
  return makePiiLocator(hits);
}

/**
 * PII that another tag of the resource holds and that this tag's key or value repeats in a spelling no detector
 * flags on its own but the redactor masks: "ping 4155552671" beside "+1 415-555-2671", "jane.doe%40acme.io" beside
 * "jane.doe@acme.io". Each hit is masked in the tag's own layout. Empty when the tag holds none. What the dictionary's
 * pii.allow accepts (the whole text, or the repeated part) is no copy: a team mailbox stays allowed when another tag
 * holds it in a spelling the allow-list does not cover.
 */
export function copiedPii(locate: PiiLocator, key: string, value: string, allowed: (text: string) => boolean): PiiHit[] {
  const out: PiiHit[] = [];
  for (const [where, text] of [['key', key], ['value', value]] as const) {
    const spans = locate(text);
    if (spans.length === 0 || allowed(text)) continue;
    for (const s of spans) {
      const match = text.slice(s.start, s.end);
      if (!allowed(match)) out.push({ kind: s.kind, where, match, masked: s.masked });
    }
  }
  return out;
}
