/**
 * A slice of one JSON Lines file. It owns the lines that start at a byte in [start, end): the reader of a range
 * skips the line in progress at `start` (the previous range owns it) and finishes the line in progress at `end`.
 */
export interface ByteRange {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  /** The file's size: the last range reads to the end, newline or not. */
  readonly size: number;
}

/** Cuts a file of `size` bytes into ranges of about `rangeBytes` (the last one may be shorter). */
export function planRanges(path: string, size: number, rangeBytes: number): ByteRange[] {
  const step = Math.max(1, Math.floor(rangeBytes));
  const ranges: ByteRange[] = [];
  for (let start = 0; start < size; start += step) ranges.push({ path, start, end: Math.min(size, start + step), size });
  return ranges;
}
