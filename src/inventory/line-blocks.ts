import { isAscii } from 'node:buffer';

/** Complete lines decoded from one or more chunks, joined by '\n' (no trailing newline). */
export interface LineBlock {
  readonly text: string;
  /** 1-based number of the block's first line in the file. */
  readonly firstLine: number;
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

  constructor(
    private readonly maxLineBytes: number,
    private readonly onTooLong: (line: number) => void,
  ) {}

  push(chunk: Buffer): LineBlock | undefined {
    let data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    if (this.skipping) {
      const nl = data.indexOf(10);
      if (nl < 0) return undefined;
      this.skipping = false;
      this.linesBefore++;
      data = data.subarray(nl + 1);
    }
    const last = data.lastIndexOf(10);
    if (last < 0) {
      this.keep(data);
      return undefined;
    }
    if (last + 1 < data.length) this.keep(data.subarray(last + 1));
    return this.block(data.subarray(0, last));
  }

  /** The last line, when the file does not end with a newline. */
  end(): LineBlock | undefined {
    const rest = this.carry;
    this.carry = undefined;
    return rest && !this.skipping ? this.block(rest) : undefined;
  }

  private keep(bytes: Buffer): void {
    if (bytes.length > this.maxLineBytes) {
      this.onTooLong(this.linesBefore + 1);
      this.skipping = true;
      return;
    }
    // Copy: the remainder would otherwise pin the whole chunk it was cut from.
    this.carry = Buffer.from(bytes);
  }

  private block(bytes: Buffer): LineBlock {
    const text = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
    const firstLine = this.linesBefore + 1;
    let n = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    this.linesBefore += n;
    return { text, firstLine };
  }
}
