import type { PiiHit } from '../pii/detect.js';
import type { PolicyIndex } from './policy-index.js';

/**
 * The redactor of a resource with these tags, built exactly as ResourceAnalysis builds `display` (every tag's PII
 * hits, in tag order, through the index's memoised redactor), or undefined when no tag holds PII. What it masks is
 * what every finding about that resource masks: PII found in a tag, and its copies in other layouts elsewhere
 * ("4155552671" beside "+1 415-555-2671").
 */
export function tagsDisplay(index: PolicyIndex, tags: Readonly<Record<string, string>>): ((text: string) => string) | undefined {
  if (!index.piiEnabled) return undefined;
  const keys = Object.keys(tags);
  let first: readonly PiiHit[] | undefined;
  let all: PiiHit[] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const hits = index.facts(key, tags[key] as string).pii;
    if (hits.length === 0) continue;
    if (!first) first = hits;
    else (all ??= [...first]).push(...hits);
  }
  return all ? index.redactor(all) : first ? index.redactor(first) : undefined;
}
