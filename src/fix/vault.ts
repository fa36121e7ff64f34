import { constants as fsConstants, fchmodSync, openSync, readFileSync } from 'node:fs';
import { UsageError, formatLocation } from '../errors.js';
import type { TagDigest } from '../rules/types.js';
import { digestId, tagDigest, type SecretTags } from './digest.js';
import { GroupCommitFile, dropTornTailOf } from './journal.js';

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
  /** How many raw PII tags this run put in the file. */
  written(): number;
}

/**
 * The line telling where raw personal data went: a fix without --fix-pii also keeps the PII tags of the resources it
 * changes there (undo needs them), which the user did not ask for and must know to delete.
 */
export function vaultNote(vault: PiiVault): string | undefined {
  const n = vault.written();
  if (n === 0) return undefined;
  return `tagaudit: PII vault: ${vault.path} (mode 0600) holds the raw text of ${n} personal-data tag${n === 1 ? '' : 's'} of the resources changed, so that undo can restore them; delete it (shred -u) once the change is accepted\n`;
}

export function vaultPathFor(journalPath: string): string {
  return `${journalPath}.pii-vault.jsonl`;
}

// Never through a symbolic link: raw PII must land in this file, not wherever a link planted at its path points.
const APPEND = fsConstants.O_RDWR | fsConstants.O_APPEND | fsConstants.O_CREAT | fsConstants.O_NOFOLLOW;

/**
 * Opens (lazily creating) the vault of a journal; `known` are entries already in it. `create: 'new'` (a new journal)
 * creates the file exclusively at the first entry, so a file that appeared at the path meanwhile is never appended
 * to; 'append' (a resumed journal) continues the file there is.
 */
export function openVault(path: string, known: SecretTags = new Map(), options: { create?: 'new' | 'append' } = {}): PiiVault {
  const saved = new Set(known.keys());
  let file: GroupCommitFile | undefined;
  let written = 0;
  return {
    path,
    written: () => written,
    put(key, value) {
      const digest = tagDigest(key, value);
      const id = digestId(digest);
      if (!saved.has(id)) {
        saved.add(id);
        if (!file) {
          const fresh = options.create === 'new';
          const fd = openSync(path, fresh ? APPEND | fsConstants.O_EXCL : APPEND, 0o600);
          if (!fresh) {
            // After a kill, the vault may end in a cut-short entry: appending must start on a line of its own.
            dropTornTailOf(fd);
            // An older file keeps its mode on open: make it private (on the file opened, not on a path).
            fchmodSync(fd, 0o600);
          }
          file = new GroupCommitFile(path, fd);
        }
        file.push(`${JSON.stringify({ digest, key, value })}\n`);
        written += 1;
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

const HEX64 = /^[0-9a-f]{64}$/;

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

/**
 * Reads a vault into memory. A missing file is an empty vault (deleting it is how PII removals are made permanent).
 * Every line must be an entry whose digest is that of its own key and value, except a last line without its newline
 * (cut short by a kill: never flushed, so no journal record refers to it), which is ignored. Anything else is a
 * UsageError naming the vault and line; no message quotes the file, which holds raw PII.
 */
export function readVault(path: string): SecretTags {
  const out: SecretTags = new Map();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT') return out;
    const why = code === 'EISDIR' ? 'is a directory, not a vault file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'read error');
    throw new UsageError(`cannot read the PII vault: ${why}`, path);
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    // After the last newline: cut short by a kill (even if it parses), never flushed, and dropped before appending.
    if (i === lines.length - 1) break;
    const at = formatLocation(path, i + 1);
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      // No detail from JSON.parse: V8 quotes the text around the error, and this text is raw PII.
      throw new UsageError('not a PII vault entry (invalid JSON)', at);
    }
    if (!isEntry(e)) throw new UsageError('not a PII vault entry (expected {digest, key, value})', at);
    const digest = tagDigest(e.key, e.value);
    if (digest.keySha256 !== e.digest.keySha256 || digest.valueSha256 !== e.digest.valueSha256) {
      throw new UsageError("the entry's digest does not match its key and value (the vault was edited or damaged)", at);
    }
    out.set(digestId(digest), { key: e.key, value: e.value });
  }
  return out;
}

function isEntry(e: unknown): e is { digest: TagDigest; key: string; value: string } {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return false;
  const { digest, key, value } = e as Record<string, unknown>;
  if (typeof key !== 'string' || typeof value !== 'string' || typeof digest !== 'object' || digest === null) return false;
  const d = digest as Record<string, unknown>;
  return typeof d.keySha256 === 'string' && HEX64.test(d.keySha256) && typeof d.valueSha256 === 'string' && HEX64.test(d.valueSha256);
}
