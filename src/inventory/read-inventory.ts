import { isUtf8 } from 'node:buffer';
import { constants } from 'node:fs';
import { access, open, stat, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError, formatLocation } from '../errors.js';
import { displayPath } from '../report/display-path.js';
import type { ScanError } from '../report/types.js';
import { BadRecord, type BadLineCode, type BadLineSink } from './bad-line.js';
import { resourcesFromDocument } from './json-document.js';
import { describeJsonError } from './json-error.js';
import { describeDuplicate, duplicateKeys, mayHaveDuplicateKeys, type DuplicateKey } from './duplicate-keys.js';
import { forEachLine, LineBlocks, type LineBlock } from './line-blocks.js';
import { sniffInventoryFormat } from './sniff-format.js';
import { packedInventoryMessage } from './packed-formats.js';
import { notAnInventoryMessage, otherTagauditFile } from './not-an-inventory.js';
import { invalidUtf8At, isUtf16Text, notUtf8Message, utf8LineCol } from './utf8.js';
import { partitionOfRegion } from './aws-regions.js';
import { resourceFromRecord } from './resource-from-json.js';
import type { Resource } from './resource.js';

export type BadLinePolicy = 'skip' | 'fail';

export interface ReadInventoryOptions {
  /** 'skip' (default): report a bad line through onError and go on. 'fail': throw a UsageError at the first one. */
  readonly onBadLine?: BadLinePolicy;
  /** Receives each skipped bad line as `{source: 'inventory', message: 'file:line: …', code}`. */
  readonly onError?: (error: ScanError) => void;
  /** Directory a relative path is resolved against (default: the process's). Messages show the path as given. */
  readonly cwd?: string;
}

/** A JSON Lines record longer than this many bytes is reported as a bad line without being buffered whole. */
export const MAX_LINE_BYTES = 4 << 20;
/** A JSON document (not JSON Lines) is read whole; beyond this size the user is told to convert it. */
export const MAX_DOCUMENT_BYTES = 256 << 20;
// Strings over ~128 KiB are allocated in V8's large-object space, which makes decoding bigger chunks several times slower.
const CHUNK_BYTES = 64 << 10;

export type Problem = BadLineSink;

/** How a skipped bad line is reported: `{source: 'inventory', message: 'file:line[:col]: why', code}` (code: its cause). */
export function badLineError(path: string, code: BadLineCode, message: string, line: number, col?: number): ScanError {
  return { source: 'inventory', message: `${at(path, line, col)}: ${message}`, code };
}

/** A gap recorded in the inventory by the partial live scan that saved it, reported with where it was read. */
export function recordedGapError(path: string, e: ScanError, line: number): ScanError {
  return { ...e, message: `${at(path, line)}: ${e.message} (a gap of the scan that wrote this inventory)` };
}

/** Where in an inventory, as messages name it: the file as given, with personal data in its name masked. */
function at(path: string, line?: number, col?: number): string {
  return formatLocation(displayPath(path), line, col);
}

/**
 * `-i -`: standard input (`aws … | jq -c … | tagaudit scan -i -`). Read from the process's stdin stream, not by
 * opening /dev/stdin, which fails (ENXIO) when stdin is a socket, as under Node's child_process and some CI runners.
 */
export const STDIN_INVENTORY = '-';

/** Throws the UsageError reading would throw if the file cannot be opened, so a run can fail before it writes anything. */
export async function assertInventoryReadable(path: string, cwd?: string): Promise<void> {
  if (path === STDIN_INVENTORY) return;
  const file = resolve(cwd ?? process.cwd(), path);
  try {
    // Opening a named pipe to check it would take its writer's data and close it: the real read then waits for ever.
    const info = await stat(file);
    if (info.isFIFO() || info.isSocket()) return await access(file, constants.R_OK);
    const handle = await open(file, 'r');
    try {
      if ((await handle.stat()).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw unreadable(path, err);
  }
}

/** Every Resource of an inventory file, one at a time. See readInventoryBatches. */
export async function* readInventory(path: string, options: ReadInventoryOptions = {}): AsyncGenerator<Resource> {
  for await (const batch of readInventoryBatches(path, options)) yield* batch;
}

/**
 * Reads an inventory file as batches of Resources (one batch per chunk read, so a million-line file streams in
 * constant memory). The format is sniffed: JSON Lines (one Resource, AWS tag mapping or get-resources page per line)
 * or a JSON document as `aws resourcegroupstaggingapi get-resources` prints it (pages may be concatenated).
 * A missing, unreadable, empty or syntactically broken file throws a UsageError naming it.
 */
export async function* readInventoryBatches(path: string, options: ReadInventoryOptions = {}): AsyncGenerator<Resource[]> {
  const failFast = options.onBadLine === 'fail';
  const bad: Problem = (code, message, line, col) => {
    if (failFast) throw new UsageError(message, at(path, line, col));
    options.onError?.(badLineError(path, code, message, line, col));
  };
  const recorded = (e: ScanError, line: number): void => options.onError?.(recordedGapError(path, e, line));

  let handle: FileHandle | undefined;
  if (path !== STDIN_INVENTORY) {
    try {
      handle = await open(resolve(options.cwd ?? process.cwd(), path), 'r');
    } catch (err) {
      throw unreadable(path, err);
    }
  }
  const stream: AsyncIterable<Buffer> = handle ? handle.createReadStream({ highWaterMark: CHUNK_BYTES }) : process.stdin;
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    const first = await nextChunk(chunks, path);
    if (first !== undefined && isUtf16Text(first)) throw new UsageError(UTF16_MESSAGE, at(path));
    const packed = first && packedInventoryMessage(first, path === STDIN_INVENTORY ? undefined : displayPath(path));
    if (packed) throw new UsageError(packed, at(path));
    let format = first === undefined ? 'empty' : sniffInventoryFormat(first.toString('utf8'));
    const head: Buffer[] = first === undefined ? [] : [first];
    while (format === 'empty') {
      // Blank so far: a file that never shows a record is empty, which is not the same as an empty estate.
      const next = await nextChunk(chunks, path);
      if (next === undefined) {
        // Usually the command piped in failed (`aws … | tagaudit scan -i -`): say it was standard input.
        throw new UsageError(path === STDIN_INVENTORY ? 'standard input is empty (did the command feeding it fail?)' : 'inventory file is empty', at(path));
      }
      head.push(next);
      format = sniffInventoryFormat(next.toString('utf8'));
    }
    const other = otherTagauditFile(Buffer.concat(head).subarray(0, 1024).toString('utf8'));
    if (other) throw new UsageError(notAnInventoryMessage(other), at(path));
    if (format === 'document') yield await readDocument(head, chunks, path, bad);
    else yield* readJsonLines(head, chunks, path, bad, recorded);
  } finally {
    await chunks.return?.();
    await handle?.close();
  }
}

const UTF16_MESSAGE = 'inventory file is UTF-16 text; save it as UTF-8 (in PowerShell: | Out-File -Encoding utf8)';

async function readDocument(head: Buffer[], chunks: AsyncIterator<Buffer>, path: string, bad: Problem): Promise<Resource[]> {
  const parts = [...head];
  let size = parts.reduce((n, b) => n + b.length, 0);
  for (let c = await nextChunk(chunks, path); c !== undefined; c = await nextChunk(chunks, path)) {
    size += c.length;
    if (size > MAX_DOCUMENT_BYTES)
      throw new UsageError(
        `JSON document larger than ${MAX_DOCUMENT_BYTES >> 20} MiB; convert it to JSON Lines (jq -c '.ResourceTagMappingList[]' FILE > FILE.jsonl), which streams`,
        at(path),
      );
    parts.push(c);
  }
  const bytes = Buffer.concat(parts);
  if (!isUtf8(bytes)) {
    const bad8 = utf8LineCol(bytes, invalidUtf8At(bytes) ?? 0);
    throw new UsageError(notUtf8Message('inventory'), at(path, bad8.line, bad8.col));
  }
  return resourcesFromDocument(bytes.toString('utf8'), bad, (message, line, col) => {
    throw new UsageError(message, at(path, line, col));
  });
}

async function* readJsonLines(
  head: Buffer[],
  chunks: AsyncIterator<Buffer>,
  path: string,
  bad: Problem,
  recordedError: (e: ScanError, line: number) => void,
): AsyncGenerator<Resource[]> {
  const tooLong = `line longer than ${MAX_LINE_BYTES} bytes`;
  const splitter = new LineBlocks(MAX_LINE_BYTES, (line) => bad('line-too-long', tooLong, line));
  const parseBlock = (block: LineBlock | undefined): Resource[] => {
    const out: Resource[] = [];
    if (block) forEachLine(block, (line, lineNo, _offset, bytes, badUtf8) => parseInventoryLine(line, lineNo, out, bad, recordedError, bytes, badUtf8));
    return out;
  };
  for (const chunk of head) {
    const out = parseBlock(splitter.push(chunk));
    if (out.length > 0) yield out;
  }
  for (let chunk = await nextChunk(chunks, path); chunk !== undefined; chunk = await nextChunk(chunks, path)) {
    const out = parseBlock(splitter.push(chunk));
    if (out.length > 0) yield out;
  }
  const out = parseBlock(splitter.end());
  if (out.length > 0) yield out;
}

/**
 * One JSON Lines record: a Resource, an AWS tag mapping, or a whole get-resources page, appended to `out`.
 * Blank lines are skipped; a line over MAX_LINE_BYTES (`byteLength`: its length in the file), one that is not UTF-8
 * (`invalidUtf8Col`: where its first bad byte is, as forEachLine tells), or one that is not a record, goes to `bad`.
 */
export function parseInventoryLine(
  line: string,
  lineNo: number,
  out: Resource[],
  bad: Problem,
  recordedError: (e: ScanError, line: number) => void,
  byteLength = Buffer.byteLength(line, 'utf8'),
  invalidUtf8Col?: number,
): void {
  // In bytes, as LineBlocks counts a line it never buffers whole: the same line is too long however it was read.
  if (byteLength > MAX_LINE_BYTES) {
    bad('line-too-long', `line longer than ${MAX_LINE_BYTES} bytes`, lineNo);
    return;
  }
  // Decoding turned the bad bytes into U+FFFD: a value read so would go back to AWS garbled with the next rename.
  if (invalidUtf8Col !== undefined) {
    bad('not-utf8', notUtf8Message('inventory'), lineNo, invalidUtf8Col);
    return;
  }
  let text = line;
  if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
  if (text.length === 0) return;
  // Characters cut from the start, so that a column counts from the start of the line as written.
  let cut = 0;
  const c0 = text.charCodeAt(0);
  if (c0 <= 32 || c0 === 0xfeff) {
    const trimmed = text.replace(/^\uFEFF/, '').trim();
    if (trimmed.length === 0) return;
    cut = text.indexOf(trimmed.charAt(0));
    text = trimmed;
  }
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (err) {
    const { message, offset } = describeJsonError(err, text);
    bad('invalid-json', message, lineNo, offset === undefined ? undefined : cut + offset + 1);
    return;
  }
  // JSON.parse keeps the last of two members of one name: the first "arn", or a tag's first value, would be lost.
  let inElement: ReadonlyMap<number, DuplicateKey> | undefined;
  if (mayHaveDuplicateKeys(text, record)) {
    const dups = duplicateKeys(text);
    const outside = dups.find((d) => !isPageElementPath(d.path, record));
    if (outside) {
      bad('duplicate-key', describeDuplicate(outside), lineNo, cut + outside.offset + 1);
      return;
    }
    // In a get-resources page, only the elements that repeat a name are skipped.
    if (dups.length > 0) inElement = new Map(dups.reverse().map((d) => [d.path[1] as number, d]));
  }
  const recorded = scanErrorRecord(record);
  if (typeof recorded === 'string') {
    bad('bad-scan-error', recorded, lineNo);
    return;
  }
  if (recorded) {
    recordedError(recorded, lineNo);
    return;
  }
  const page = (record as { ResourceTagMappingList?: unknown } | null)?.ResourceTagMappingList;
  if (Array.isArray(page)) {
    for (let i = 0; i < page.length; i++) {
      const dup = inElement?.get(i);
      if (dup) {
        bad('duplicate-key', `ResourceTagMappingList[${i}]: ${describeDuplicate(dup, 2)}`, lineNo, cut + dup.offset + 1);
        continue;
      }
      const r = resourceFromRecord(page[i]);
      if (r instanceof BadRecord) bad(r.code, `ResourceTagMappingList[${i}]: ${r.message}`, lineNo);
      else out.push(r);
    }
    return;
  }
  const r = resourceFromRecord(record);
  if (r instanceof BadRecord) bad(r.code, r.message, lineNo);
  else out.push(r);
}

/** Whether a repeated name is inside an element of a get-resources page (`ResourceTagMappingList[i]…`). */
function isPageElementPath(path: readonly (string | number)[], record: unknown): boolean {
  return path[0] === 'ResourceTagMappingList' && typeof path[1] === 'number' && Array.isArray((record as { ResourceTagMappingList?: unknown } | null)?.ResourceTagMappingList);
}

async function nextChunk(chunks: AsyncIterator<Buffer>, path: string): Promise<Buffer | undefined> {
  try {
    const r = await chunks.next();
    return r.done ? undefined : r.value;
  } catch (err) {
    throw unreadable(path, err);
  }
}

const SOURCE_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const ACCOUNT_ID = /^\d{12}$/;
const ERROR_CODE = /^[A-Za-z0-9][A-Za-z0-9 ._:()-]{0,99}$/;

/**
 * `{"scanError": {source, message, accountId?, region?, code?}}`: a gap that a partial live scan recorded in the
 * inventory it saved (--save-inventory), so that auditing the file offline is incomplete too.
 */
function scanErrorRecord(record: unknown): ScanError | string | undefined {
  if (typeof record !== 'object' || record === null || !('scanError' in record)) return undefined;
  const e = (record as { scanError?: unknown }).scanError;
  if (typeof e !== 'object' || e === null) return '"scanError" must be {source, message, accountId?, region?, code?}';
  const { source, message, accountId, region, code } = e as Record<string, unknown>;
  // Checked as tightly as a resource's fields: the gap is echoed on stderr and in every report.
  if (typeof source !== 'string' || !SOURCE_NAME.test(source)) return '"scanError.source" must be a source name such as tagging-api';
  if (typeof message !== 'string') return '"scanError.message" must be a string';
  if (accountId !== undefined && (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId))) return '"scanError.accountId" must be a 12-digit AWS account id';
  if (region !== undefined && (typeof region !== 'string' || !(region === 'global' || partitionOfRegion(region) !== undefined)))
    return '"scanError.region" must be an AWS region name';
  if (code !== undefined && (typeof code !== 'string' || !ERROR_CODE.test(code))) return '"scanError.code" must be an AWS error code';
  return {
    source,
    message,
    ...(typeof accountId === 'string' ? { accountId } : {}),
    ...(typeof region === 'string' ? { region } : {}),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a parent of it is not a directory',
  ELOOP: 'too many symbolic links',
};

function unreadable(path: string, err: unknown): UsageError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && REASONS[code]) ?? (err instanceof Error ? err.message : String(err));
  return new UsageError(`cannot read inventory: ${reason}`, at(path), { cause: err });
}
