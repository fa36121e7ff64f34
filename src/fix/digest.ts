import { createHash } from 'node:crypto';
import type { TagDigest } from '../rules/types.js';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function tagDigest(key: string, value: string): TagDigest {
  return { keySha256: sha256Hex(key), valueSha256: sha256Hex(value) };
}

/** A map key for a digest. */
export function digestId(d: TagDigest): string {
  return `${d.keySha256}:${d.valueSha256}`;
}

/** The raw key of the tag in `tags` that a digest names, or undefined when no such tag is present. */
export function findByDigest(tags: Readonly<Record<string, string>>, d: TagDigest): string | undefined {
  for (const [key, value] of Object.entries(tags)) {
    if (sha256Hex(key) === d.keySha256 && sha256Hex(value) === d.valueSha256) return key;
  }
  return undefined;
}

/** Raw text of PII tags, by digest id: the only place a raw PII value lives in memory outside a Resource. */
export type SecretTags = Map<string, { readonly key: string; readonly value: string }>;
