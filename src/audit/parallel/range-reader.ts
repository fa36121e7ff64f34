import { closeSync, openSync, readSync } from 'node:fs';
import { LineBlocks, type LineBlock } from '../../inventory/line-blocks.js';
import type { ByteRange } from './range-plan.js';

const CHUNK_BYTES = 64 << 10;

export interface RangeLines {
  /** Lines the range owns (its line numbers run 1..lines). */
  readonly lines: number;
}

/**
 * Reads the lines a range owns (see ByteRange) as LineBlocks, line numbers counted from 1 at the range's first
 * line and byte offsets absolute. Synchronous: it runs in a worker thread, which has nothing else to do meanwhile.
 */
export function readRangeBlocks(range: ByteRange, maxLineBytes: number, onTooLong: (line: number) => void, onBlock: (block: LineBlock) => void): RangeLines {
  const fd = openSync(range.path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    const bounded = range.end < range.size;
    // The owned lines end at the first newline at or after end - 1 (the next range's first line starts after it).
    const stopAt = range.end - 1;
    let pos = range.start > 0 ? range.start - 1 : 0;
    let splitter = range.start === 0 ? new LineBlocks(maxLineBytes, onTooLong, 0) : undefined;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, pos);
      if (n === 0) break;
      let chunk = buf.subarray(0, n);
      let chunkStart = pos;
      pos += n;
      if (!splitter) {
        // The byte before `start` begins the search: when it is a newline, the range's first line starts at `start`.
        const nl = chunk.indexOf(10);
        if (nl < 0) continue;
        if (bounded && chunkStart + nl >= stopAt) return { lines: 0 };
        splitter = new LineBlocks(maxLineBytes, onTooLong, chunkStart + nl + 1);
        chunk = chunk.subarray(nl + 1);
        chunkStart += nl + 1;
      }
      if (bounded) {
        const nl = chunk.indexOf(10, Math.max(0, stopAt - chunkStart));
        if (nl >= 0) {
          push(splitter, chunk.subarray(0, nl + 1), onBlock);
          return { lines: splitter.lines };
        }
      }
      push(splitter, chunk, onBlock);
    }
    if (!splitter) return { lines: 0 };
    const last = splitter.end();
    if (last) onBlock(last);
    return { lines: splitter.lines };
  } finally {
    closeSync(fd);
  }
}

function push(splitter: LineBlocks, chunk: Buffer, onBlock: (block: LineBlock) => void): void {
  const block = splitter.push(chunk);
  if (block) onBlock(block);
}
