import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';
import type { TextOut } from '../cli/deps.js';
import type { ChunkWriter } from './sink.js';

/** Chunks are gathered up to this many UTF-16 units before one write: streaming 500 k findings stays cheap. */
const FLUSH_AT = 64 * 1024;

/**
 * Writes to a file, buffered. The file is opened (and truncated) right away, so a bad `--output-*` path fails
 * before a long scan starts, as a UsageError naming the file (exit 2). Parent directories are not created.
 */
export function fileWriter(path: string): ChunkWriter {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw openError(path, err);
  }
  let pending = '';
  let closed = false;
  const flush = (): void => {
    if (pending.length === 0) return;
    const text = pending;
    pending = '';
    writeAll(fd, text, path);
  };
  return {
    write(chunk) {
      if (closed) throw new Error(`internal error: write to ${path} after close`);
      pending += chunk;
      if (pending.length >= FLUSH_AT) flush();
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        flush();
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Writes to stdout (or any TextOut), buffered the same way. close() flushes and waits for a drain; it never ends the stream. */
export function streamWriter(out: TextOut): ChunkWriter {
  let pending = '';
  let closed = false;
  const flush = (): void => {
    if (pending.length === 0) return;
    const text = pending;
    pending = '';
    out.write(text);
  };
  return {
    write(chunk) {
      if (closed) throw new Error('internal error: write to stdout after close');
      pending += chunk;
      if (pending.length >= FLUSH_AT) flush();
    },
    async close() {
      if (closed) return;
      closed = true;
      flush();
      await drained(out);
    },
  };
}

function drained(out: TextOut): Promise<void> {
  const stream = out as TextOut & { writableNeedDrain?: boolean; once?: (event: string, fn: () => void) => unknown };
  if (!stream.writableNeedDrain || typeof stream.once !== 'function') return Promise.resolve();
  return new Promise((resolve) => {
    stream.once?.('drain', resolve);
  });
}

function writeAll(fd: number, text: string, path: string): void {
  // Writing the string directly is several times cheaper than Buffer.from() on a concatenated (rope) string.
  let written = write(fd, text, path);
  const total = Buffer.byteLength(text, 'utf8');
  if (written >= total) return;
  // A partial write (a full pipe): finish byte-exactly from a buffer.
  const buf = Buffer.from(text, 'utf8');
  while (written < buf.length) written += write(fd, buf.subarray(written), path);
}

function write(fd: number, data: string | Buffer, path: string): number {
  for (;;) {
    try {
      return typeof data === 'string' ? writeSync(fd, data) : writeSync(fd, data, 0, data.length);
    } catch (err) {
      // A non-blocking pipe (e.g. /dev/stdout) can be momentarily full; wait a little and retry.
      if (errnoCode(err) === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      throw new Error(`cannot write ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
}

function openError(path: string, err: unknown): UsageError {
  const code = errnoCode(err);
  const why =
    code === 'ENOENT'
      ? `directory ${dirname(path)} does not exist (create it first)`
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : err instanceof Error
            ? err.message
            : String(err);
  return new UsageError(`cannot write output file: ${why}`, path, { cause: err });
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
