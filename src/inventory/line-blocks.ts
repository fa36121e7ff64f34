import { isAscii, isUtf8 } from 'node:buffer';
import { invalidUtf8At } from './utf8.js';

/** Complete lines decoded from one or more chunks, joined by '\n' (no trailing newline). */
export interface LineBlock {
  readonly text: string;
  /** 1-based number of the block's first line, counted from where the splitter started. */
  readonly firstLine: number;
  /** Byte offset of the block's first line in the file. */
  readonly firstByte: number;
  /** Pure ASCII: character offsets in `text` are byte offsets. */
  readonly ascii: boolean;
  /** The raw bytes of a non-ASCII block (valid only while the block is being read: a reader may reuse them). */
  readonly bytes?: Buffer;
  /** Some line of the block is not valid UTF-8 (its text holds U+FFFD where the bad bytes were). */
  readonly invalidUtf8?: boolean;
}

/**
 * Cuts a byte stream into blocks of whole lines. Lines are cut on bytes ('\n' never occurs inside a UTF-8 sequence),
 * so a chunk is decoded once, and pure-ASCII chunks — nearly all of an inventory — take the cheap latin1 copy
 * instead of UTF-8 decoding. A line longer than `maxLineBytes` is never buffered whole: `onTooLong` gets its number
 * and its bytes are dropped up to its newline.
 */
export class LineBlocks {
  private carry: Buffer | undefined;
  private linesBefore = 0;
  private skipping = false;
  /** Byte offset of the first byte not yet handed out in a block or dropped (the start of `carry`). */
  private offset: number;

  /** `startByte`: the file offset of the first byte pushed (line numbers still count from 1 there). */
  constructor(
    private readonly maxLineBytes: number,
    private readonly onTooLong: (line: number) => void,
    startByte = 0,
  ) {
    this.offset = startByte;
  }

  push(chunk: Buffer): LineBlock | undefined {
    let data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    if (this.skipping) {
      const nl = data.indexOf(10);
      if (nl < 0) {
        this.offset += data.length;
        return undefined;
      }
      this.skipping = false;
      this.linesBefore++;
      this.offset += nl + 1;
      data = data.subarray(nl + 1);
    }
    const last = data.lastIndexOf(10);
    if (last < 0) {
      this.keep(data);
      return undefined;
    }
    if (last + 1 < data.length) this.keep(data.subarray(last + 1));
    return this.block(data.subarray(0, last), last + 1);
  }

  /** The last line, when the file does not end with a newline. */
  end(): LineBlock | undefined {
    const rest = this.carry;
    this.carry = undefined;
    return rest && !this.skipping ? this.block(rest, rest.length) : undefined;
  }

  /** Lines started so far (the number of the next line is this + 1). */
  get lines(): number {
    return this.linesBefore;
  }

  private keep(bytes: Buffer): void {
    if (bytes.length > this.maxLineBytes) {
      this.onTooLong(this.linesBefore + 1);
      this.skipping = true;
      this.offset += bytes.length;
      return;
    }
    // Copy: the remainder would otherwise pin the whole chunk it was cut from.
    this.carry = bytes.length > 0 ? Buffer.from(bytes) : undefined;
  }

  private block(bytes: Buffer, consumed: number): LineBlock {
    const ascii = isAscii(bytes);
    const text = bytes.toString(ascii ? 'latin1' : 'utf8');
    const firstLine = this.linesBefore + 1;
    const firstByte = this.offset;
    let n = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    this.linesBefore += n;
    this.offset += consumed;
    if (ascii) return { text, firstLine, firstByte, ascii };
    return isUtf8(bytes) ? { text, firstLine, firstByte, ascii, bytes } : { text, firstLine, firstByte, ascii, bytes, invalidUtf8: true };
  }
}

/**
 * Calls `each` for every line of a block with its number, the byte offset where it starts in the file and its length
 * in bytes — counted on the raw bytes, so a malformed UTF-8 sequence (decoded to one U+FFFD) does not shift them —
 * and, for a line that is not valid UTF-8, the 1-based column of its first bad byte (see parseInventoryLine).
 * Lines are not trimmed; empty lines are passed too.
 */
export function forEachLine(
  block: LineBlock,
  each: (line: string, lineNo: number, byteOffset: number, byteLength: number, invalidUtf8Col?: number) => void,
): void {
  const { text, bytes } = block;
  let lineNo = block.firstLine;
  let start = 0;
  let byteStart = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    let byteEnd = end;
    if (bytes) {
      const b = bytes.indexOf(10, byteStart);
      byteEnd = b < 0 ? bytes.length : b;
    }
    const bad = block.invalidUtf8 && bytes ? invalidUtf8At(bytes, byteStart, byteEnd) : undefined;
    const line = text.slice(start, end);
    const byteOffset = block.firstByte + (bytes ? byteStart : start);
    const byteLength = bytes ? byteEnd - byteStart : end - start;
    if (bad === undefined) each(line, lineNo, byteOffset, byteLength);
    else each(line, lineNo, byteOffset, byteLength, bytes!.toString('utf8', byteStart, bad).length + 1);
    if (nl < 0) return;
    start = nl + 1;
    byteStart = byteEnd + 1;
    lineNo++;
  }
}
