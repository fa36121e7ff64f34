import { closeSync, openSync, readSync } from 'node:fs';
import { MAX_LINE_BYTES, parseInventoryLine } from '../../inventory/read-inventory.js';
import type { Resource } from '../../inventory/resource.js';
import { hashArn } from '../seen-arns.js';

const CHUNK_BYTES = 64 << 10;
const NOTHING = (): void => undefined;

/**
 * Reads again the resource with ARN hash (h1, h2) from the line at `offset` of `path` — a resource a worker audited
 * that a waiting child has since named as its parent (rare: parents are mostly SageMaker parent kinds, which come
 * along anyway). The line was read fine once, so a failure here means the file changed under the scan.
 */
export function rereadResource(path: string, display: string, offset: number, h1: number, h2: number): Resource {
  const fd = openSync(path, 'r');
  try {
    const parts: Buffer[] = [];
    let size = 0;
    for (let pos = offset; size <= MAX_LINE_BYTES; ) {
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      const n = readSync(fd, buf, 0, CHUNK_BYTES, pos);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(10);
      parts.push(buf.subarray(0, nl < 0 ? n : nl));
      size += nl < 0 ? n : nl;
      if (nl >= 0) break;
      pos += n;
    }
    const found: Resource[] = [];
    const line = Buffer.concat(parts);
    parseInventoryLine(line.toString('utf8'), 0, found, NOTHING, NOTHING, line.length);
    const hash = new Uint32Array(2);
    for (const r of found) {
      hashArn(r.arn, hash, 0);
      if (hash[0] === h1 && hash[1] === h2) return r;
    }
  } finally {
    closeSync(fd);
  }
  throw new Error(`${display} changed while it was being scanned (byte ${offset} no longer holds the resource read there)`);
}
