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
  /**
   * Remembers a raw PII tag of `resource` (idempotent: one entry per key and value, however many resources carry
   * it); written at the next flush.
   */
  put(key: string, value: string, resource?: string): TagDigest;
  /** Writes pending entries and fsyncs; creates the file (0600) on first use. */
  flush(): Promise<void>;
  /** Writes nothing more (the journal could not be written): see GroupCommitFile. */
  abandon(): void;
  close(): Promise<void>;
  /** How many raw PII values (entries) this run put in the file. */
  written(): number;
  /** How many PII tags (one per resource and value) those entries hold the raw text of. */
  tags(): number;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The line telling where raw personal data went: a fix without --fix-pii also keeps the PII tags of the resources it
 * changes there (undo needs them), which the user did not ask for and must know to delete. It counts tags (one
 * address on 400 resources is 400 tags), and the distinct values when fewer.
 */
export function vaultNote(vault: PiiVault): string | undefined {
  const values = vault.written();
  if (values === 0) return undefined;
  const tags = Math.max(values, vault.tags());
  const distinct = tags > values ? ` (${plural(values, 'distinct value')})` : '';
  return `tagaudit: PII vault: ${vault.path} (mode 0600) holds the raw text of ${plural(tags, 'personal-data tag')} of the resources changed${distinct}, so that undo can restore them; delete it (shred -u) once the change is accepted\n`;
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
  let abandoned = false;
  // Ids this run wrote, and the resources carrying each (the tags the note counts).
  const mine = new Set<string>();
  const tags = new Set<string>();
  return {
    path,
    written: () => mine.size,
    tags: () => tags.size,
    put(key, value, resource) {
      const digest = tagDigest(key, value);
      const id = digestId(digest);
      if (mine.has(id) && resource !== undefined) tags.add(`${resource}\u0000${id}`);
      if (!saved.has(id) && !abandoned) {
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
        mine.add(id);
        if (resource !== undefined) tags.add(`${resource}\u0000${id}`);
      }
      return digest;
    },
    flush() {
      return file ? file.flush() : Promise.resolve();
    },
    abandon() {
      abandoned = true;
      file?.abandon();
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
 * UsageError naming the vault and line (an edited entry also by the tag as the journal shows it, with `advice`); no
 * message quotes the file, which holds raw PII.
 */
/** What a reader of a vault says of an entry that was edited or damaged (see readVault). */
export interface VaultReadOptions {
  /** The tag an entry is for as the journal shows it (masked), found by the digest the entry gives. */
  readonly shownAs?: (digest: TagDigest) => string | undefined;
  /** How to go on (what the run can do without the vault). */
  readonly advice?: string;
}

export function readVault(path: string, options: VaultReadOptions = {}): SecretTags {
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
      // Named as the journal shows that tag (masked), never by the entry's own text: it is raw PII.
      const shown = options.shownAs?.(e.digest);
      const which = shown === undefined ? "the entry's" : `the entry for ${shown}: its`;
      const advice = options.advice ?? 'restore the vault from a backup';
      throw new UsageError(`${which} digest does not match its key and value (the vault was edited or damaged); ${advice}`, at);
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
