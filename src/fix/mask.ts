import { maskDeep } from '../pii/mask-deep.js';
import type { Policy } from '../dictionary/policy.js';
import type { PiiHit } from '../pii/detect.js';
import { makeRedactor } from '../pii/redact.js';
import { policyIndex } from '../rules/policy-index.js';
import type { Finding } from '../rules/types.js';
import { tagDigest } from './digest.js';
import type { RecordedTag } from './plan.js';

/**
 * How the fixer may show the text of one resource: one redactor built from every PII hit on any of its tags (keys
 * and values), as the scan report masks a resource. A string detected on one tag is masked wherever it appears,
 * also in a tag where it alone would not count as PII (a bare 9-digit number under `ticket` beside the same number
 * under `ssn`).
 */
export interface ResourceMask {
  /** Masks every PII string found on the resource; identity when there is none. */
  readonly display: (text: string) => string;
  /** Whether the text holds PII found on the resource (`display` would change it). */
  carriesPii(text: string): boolean;
  /**
   * A tag as plans, journals and output may hold it: masked, with the digest of its raw key and value, when its key
   * or value holds PII found on the resource; as it is otherwise. The digest is how the applier, drift check and
   * undo recognise the tag without its text; the raw text goes only to the PII vault.
   */
  record(key: string, value: string): RecordedTag;
}

/** Builds the mask of a resource from its raw tags (and any other raw tags it may show, e.g. values undo restores). */
export type ResourceMasker = (tags: Iterable<readonly [string, string]>) => ResourceMask;

const identity = (text: string): string => text;

export function resourceMask(display: (text: string) => string): ResourceMask {
  const carriesPii = (text: string): boolean => display(text) !== text;
  return {
    display,
    carriesPii,
    record(key, value) {
      if (!carriesPii(key) && !carriesPii(value)) return { key, value };
      return { key: display(key), value: display(value), digest: tagDigest(key, value) };
    },
  };
}

/** Shows every text as it is (nothing is PII). */
export const NO_PII: ResourceMask = resourceMask(identity);

/**
 * Masks per the dictionary's PII settings (detectors, allow-lists, listed values, declared layouts), through the
 * same per-tag facts and redactor the scan report uses.
 */
export function policyResourceMasker(policy: Policy): ResourceMasker {
  const index = policyIndex(policy);
  if (!index.piiEnabled) return () => NO_PII;
  return (tags) => {
    let first: readonly PiiHit[] | undefined;
    let all: PiiHit[] | undefined;
    for (const [key, value] of tags) {
      const hits = index.facts(key, value).pii;
      if (hits.length === 0) continue;
      if (!first) first = hits;
      else (all ??= [...first]).push(...hits);
    }
    // One PII tag (the usual case): its hits array is shared, so the index memoises its redactor.
    return all ? resourceMask(makeRedactor(all)) : first ? resourceMask(index.redactor(first)) : NO_PII;
  };
}


/** A finding with every text it shows (message, tag, proposed edits, data) masked by a resource's redactor. */
export function maskFinding(f: Finding, display: (text: string) => string): Finding {
  return {
    ...f,
    message: display(f.message),
    ...(f.tag ? { tag: maskDeep(f.tag, display) as Finding['tag'] } : {}),
    ...(f.fix ? { fix: maskDeep(f.fix, display) as Finding['fix'] } : {}),
    ...(f.data ? { data: maskDeep(f.data, display) as Finding['data'] } : {}),
  };
}
