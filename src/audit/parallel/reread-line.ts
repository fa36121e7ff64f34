import { closeSync, openSync, readSync } from 'node:fs';
import { MAX_LINE_BYTES, parseInventoryLine } from '../../inventory/read-inventory.js';
import type { Resource } from '../../inventory/resource.js';
import { hashArn, hashCanonicalArn } from '../seen-arns.js';
import { systemErrorText } from './system-error-text.js';

/** Most lines fit in the first read; longer ones are read on in larger pieces. */
const FIRST_READ_BYTES = 4 << 10;
const NEXT_READ_BYTES = 64 << 10;
const NOTHING = (): void => undefined;
const LINE_HASH = new Uint32Array(2);

/** 32 bits of hashArn over a whole line's text: tells whether a line read again is still the one read first. */
export function lineHash(line: string): number {
  hashArn(line, LINE_HASH, 0);
  return LINE_HASH[0]!;
}
/**
 * Files kept open between re-reads, the least recently used closed first: a scan of thousands of per-account files
 * must not hold a descriptor for each (the usual limit is 256 or 1,024 open files).
 */
const MAX_OPEN_FILES = 8;

/**
 * Reads again resources that worker threads read: a parent that a child names, known here only by the hash of its
 * ARN and the byte offset of its line. The last few files read stay open until close(). The line was read fine once,
 * so a resource that is not found means the file changed under the scan.
 */
export class LineRereader {
  private readonly fds = new Map<string, number>();
  private readonly hash = new Uint32Array(2);

  /**
   * The resource whose canonical ARN hashes to (h1, h2) (hashCanonicalArn) on the line at byte `offset` of `path`
   * (`display`: the name for messages); `expectedLine`, when given, is the lineHash the line had when it was first read.
   */
  resource(path: string, display: string, offset: number, h1: number, h2: number, expectedLine?: number): Resource {
    const found: Resource[] = [];
    let line: Buffer;
    try {
      line = this.line(path, offset);
    } catch (err) {
      throw new Error(`cannot read ${display} again (byte ${offset}): ${systemErrorText(err)}`, { cause: err });
    }
    const text = line.toString('utf8');
    if (expectedLine === undefined || lineHash(text) === expectedLine) {
      parseInventoryLine(text, 0, found, NOTHING, NOTHING, line.length);
      for (const r of found) {
        hashCanonicalArn(r.arn, this.hash, 0);
        if (this.hash[0] === h1 && this.hash[1] === h2) return r;
      }
    }
    throw new Error(`${display} changed while it was being scanned (byte ${offset} no longer holds the resource read there)`);
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  private line(path: string, offset: number): Buffer {
    let fd = this.fds.get(path);
    if (fd === undefined) {
      fd = openSync(path, 'r');
      if (this.fds.size >= MAX_OPEN_FILES) {
        const [oldest, oldestFd] = this.fds.entries().next().value as [string, number];
        this.fds.delete(oldest);
        closeSync(oldestFd);
      }
    } else this.fds.delete(path); // re-inserted below: a Map iterates in insertion order, oldest first
    this.fds.set(path, fd);
    const parts: Buffer[] = [];
    let size = 0;
    for (let pos = offset, want = FIRST_READ_BYTES; size <= MAX_LINE_BYTES; want = NEXT_READ_BYTES) {
      const buf = Buffer.allocUnsafe(want);
      const n = readSync(fd, buf, 0, want, pos);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(10);
      parts.push(buf.subarray(0, nl < 0 ? n : nl));
      size += nl < 0 ? n : nl;
      if (nl >= 0) break;
      pos += n;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}
