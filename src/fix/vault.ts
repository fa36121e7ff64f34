import { chmodSync, existsSync, openSync, readFileSync } from 'node:fs';
import type { TagDigest } from '../rules/types.js';
import { digestId, tagDigest, type SecretTags } from './digest.js';
import { GroupCommitFile } from './journal.js';

/**
 * The PII vault: the raw text of every PII tag the fixer removes, overwrites or restores, kept beside the journal
 * (mode 0600) so that undo can put it back. It is the only file tagaudit writes raw PII to; the journal itself
 * holds only masked text and digests. Deleting the vault makes PII removals permanent (that is its purpose once
 * the change is accepted).
 */
export interface PiiVault {
  readonly path: string;
  /** Remembers a raw PII tag (idempotent); written at the next flush. */
  put(key: string, value: string): TagDigest;
  /** Writes pending entries and fsyncs; creates the file (0600) on first use. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function vaultPathFor(journalPath: string): string {
  return `${journalPath}.pii-vault.jsonl`;
}

/** Opens (lazily creating) the vault of a journal; `known` are entries already in it. */
export function openVault(path: string, known: SecretTags = new Map()): PiiVault {
  const saved = new Set(known.keys());
  let file: GroupCommitFile | undefined;
  return {
    path,
    put(key, value) {
      const digest = tagDigest(key, value);
      const id = digestId(digest);
      if (!saved.has(id)) {
        saved.add(id);
        if (!file) {
          const existed = existsSync(path);
          file = new GroupCommitFile(path, openSync(path, 'a', 0o600));
          if (existed) chmodSync(path, 0o600);
        }
        file.push(`${JSON.stringify({ digest, key, value })}\n`);
      }
      return digest;
    },
    flush() {
      return file ? file.flush() : Promise.resolve();
    },
    async close() {
      await file?.close();
      file = undefined;
    },
  };
}

/** Reads a vault into memory; a missing file is an empty vault. A line cut short by a kill is ignored. */
export function readVault(path: string): SecretTags {
  const out: SecretTags = new Map();
  if (!existsSync(path)) return out;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const e = JSON.parse(line) as { key?: unknown; value?: unknown };
      if (typeof e.key !== 'string' || typeof e.value !== 'string') continue;
      out.set(digestId(tagDigest(e.key, e.value)), { key: e.key, value: e.value });
    } catch {
      // an incomplete last line: its entry was never flushed, so no write depended on it
    }
  }
  return out;
}
