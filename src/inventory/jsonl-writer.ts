import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { openOutputFile } from '../report/output-file.js';
import type { Resource } from './resource.js';

export interface InventoryWriter {
  /** Queues one Resource as one line; the promise resolves when the writer can take more (back-pressure). */
  write(resource: Resource): Promise<void>;
  /** Appends one raw JSON line that is not a Resource (a partial scan's `{"scanError": …}` records). */
  writeLine(json: string): Promise<void>;
  /** Flushes and puts the file in place. Until then the data sits in a temporary file beside it. */
  close(): Promise<void>;
  /** Stops and removes the unfinished file (the scan failed). */
  abort(): Promise<void>;
  readonly count: number;
}

/** One Resource as one JSON line, fields in a fixed order (what the JSON Lines inventory reader takes back). */
export function resourceToJsonLine(r: Resource): string {
  const out: Record<string, unknown> = {
    arn: r.arn,
    accountId: r.accountId,
    region: r.region,
    service: r.service,
    resourceType: r.resourceType,
    tags: r.tags,
    source: r.source,
  };
  if (r.state !== undefined) out.state = r.state;
  if (r.createdAt !== undefined) out.createdAt = r.createdAt;
  if (r.parentArns !== undefined && r.parentArns.length > 0) out.parentArns = r.parentArns;
  return `${JSON.stringify(out)}\n`;
}

/**
 * `--save-inventory FILE`: the scanned Resources as JSON Lines, one per line, so the audit can be re-run offline
 * with `--inventory FILE` and give the same findings. Written beside FILE and renamed over it on close, so a scan
 * that dies never leaves a file that looks whole.
 */
export function writeInventoryJsonl(path: string): InventoryWriter {
  // Written beside the file and renamed over it on close (devices and pipes directly): see openOutputFile.
  const file = openOutputFile(path, { mode: 0o600 });
  const stream = createWriteStream('', { fd: file.fd, autoClose: false, encoding: 'utf8' });
  let failure: Error | undefined;
  let count = 0;
  stream.on('error', (err) => (failure ??= err));

  const put = async (line: string): Promise<void> => {
    if (failure) throw failure;
    if (!stream.write(line)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          stream.off('drain', done);
          stream.off('error', done);
          resolve();
        };
        stream.once('drain', done);
        stream.once('error', done);
      });
      if (failure) throw failure;
    }
  };

  const settled = async (): Promise<void> => {
    await finished(stream).catch((err: Error) => (failure ??= err));
    if (failure) throw failure;
  };

  return {
    get count() {
      return count;
    },
    async write(resource) {
      count++;
      await put(resourceToJsonLine(resource));
    },
    writeLine: (json) => put(`${json}\n`),
    async close() {
      stream.end();
      try {
        await settled();
      } catch (err) {
        file.discard();
        throw err;
      }
      file.commit();
    },
    async abort() {
      stream.destroy();
      await settled().catch(() => undefined);
      file.discard();
    },
  };
}
