import { createHash } from 'node:crypto';
import { isAwsReservedKey } from '../inventory/resource.js';
import { PII_KIND_LABEL } from '../pii/kinds.js';
import type { PiiHit } from '../pii/detect.js';
import type { PiiLocator } from '../pii/redact.js';
import { compilePolicy, isAllowed, type PiiPolicy } from '../pii/policy.js';
import { createRule, NO_REPORTS } from './create-rule.js';
import { copiedPii, resourcePiiLocator } from './pii-copies.js';
import { analysisOf } from './resource-analysis.js';
import { MESSAGES } from './messages.js';
import type { RuleReport, TagEdit } from './types.js';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function allowedBy(policy: PiiPolicy): (text: string) => boolean {
  const compiled = compilePolicy(policy);
  return (text) => isAllowed(compiled, text);
}

/** Said of a tag that holds PII only as a copy of what another tag of the resource holds. */
const COPIED_NOTE = ', the same as another tag of this resource holds';

export const piiInTag = createRule({
  id: 'pii-in-tag',
  description: 'A tag key or value contains personal data (PII).',
  defaultSeverity: 'error',
  severityNote: 'set by pii.severity; off with pii.enabled: false',
  fixable: true,
  rationale:
    'Tags are not encrypted and are readable by anyone with broad read or billing access; AWS says to keep personal ' +
    'data out of them. Findings show the data masked. The proposed edit removes the tag (or, with --fix-pii redact, ' +
    'replaces it with the masked text) and is applied only when the user opts in with --fix-pii; the plan identifies ' +
    'the tag by a SHA-256 digest, never by its raw text.',
  check(ctx) {
    const a = analysisOf(ctx);
    if (a.piiTagCount === 0) return NO_REPORTS;
    const out: RuleReport[] = [];
    let locate: PiiLocator | undefined;
    let allowed: ((text: string) => boolean) | undefined;
    for (let i = 0; i < a.keys.length; i++) {
      const rawKey = a.keys[i] as string;
      const rawValue = a.valueAt(i);
      let hits: readonly PiiHit[] = a.piiAt(i);
      let copied = false;
      if (hits.length === 0) {
        // A tag no detector flags may still repeat what another tag holds ("4155552671" beside "+1 415-555-2671"):
        // every finding masks it there, and it must be removed with the original, or the next scan shows it raw.
        locate ??= resourcePiiLocator(a);
        allowed ??= allowedBy(a.index.policy.pii);
        hits = copiedPii(locate, rawKey, rawValue, allowed);
        if (hits.length === 0) continue;
        copied = true;
      }
      const key = ctx.display(rawKey);
      const value = ctx.display(rawValue);
      const inKey = hits.some((h) => h.where === 'key');
      const inValue = hits.some((h) => h.where === 'value');
      const where = inKey && inValue ? 'key and value' : inKey ? 'key' : 'value';
      const found = hits.map((h) => MESSAGES.piiKindShown(PII_KIND_LABEL[h.kind], h.masked));
      const first = hits[0] as (typeof hits)[number];
      const data: Record<string, unknown> = {
        piiKind: first.kind,
        where: first.where,
        hits: hits.map((h) => ({ kind: h.kind, where: h.where, masked: h.masked })),
        redactTo: value,
      };
      if (inKey) data.redactKeyTo = key;
      let message = MESSAGES.piiFound(where, key, found);
      if (copied) message += COPIED_NOTE;
      if (isAwsReservedKey(rawKey)) {
        out.push({ message: message + MESSAGES.piiAwsTag, tag: { key: rawKey, value: rawValue }, data });
        continue;
      }
      message += MESSAGES.piiFixHint;
      const edit: TagEdit = {
        op: 'remove',
        type: 'pii-remove',
        key,
        expected: value,
        digest: { keySha256: sha256(rawKey), valueSha256: sha256(rawValue) },
      };
      // The tag raw, like every rule's report: the engine masks what it shows and fingerprints the key.
      out.push({ message, tag: { key: rawKey, value: rawValue }, fix: [edit], data });
    }
    return out;
  },
});
