import { existsSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../errors.js';
import type { TextOut } from '../cli/deps.js';
import { displayPath } from './display-path.js';
import { openOutputFile, type OutputFile } from './output-file.js';
import { discardOutput, type ChunkWriter } from './sink.js';

/** Chunks are gathered up to this many bytes (UTF-16 units for streams) before one write: streaming 500 k findings stays cheap. */
const FLUSH_AT = 64 * 1024;

/** Room for a few flushes' worth, so most chunks are encoded in place (up to 3 bytes per UTF-16 unit). */
const BUFFER_BYTES = 4 * FLUSH_AT;

/**
 * Writes to a file, buffered. The file is opened right away, so a bad `--output-*` path fails before a long scan
 * starts, as a UsageError naming the file (exit 2). Parent directories are not created. A regular file is replaced
 * only by close(): discard() (a scan that failed) leaves the previous file as it was (see openOutputFile).
 */
export function fileWriter(path: string): ChunkWriter {
  let file: OutputFile;
  try {
    file = openOutputFile(path, { throughDanglingLink: true });
  } catch (err) {
    throw openError(path, err);
  }
  return bytesWriter([fileTarget(fdTarget(file.fd, path, file, false), path)]);
}

/**
 * An output file that could not be written or put in place once the scan had run (ENOSPC, /dev/full, EIO): exit 2,
 * as one that cannot be opened, since the fix is the same (another path, room on the disk). The scan itself was
 * complete, so 3 ("incomplete") would send a CI job looking for gaps the reports do not have. The previous file is
 * kept (see openOutputFile). stdout that cannot be written stays a runtime error (3), as documented.
 */
export class OutputWriteError extends UsageError {}

function fileTarget(target: FdTarget, path: string): FdTarget {
  const failed = (err: unknown): OutputWriteError => {
    const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
    const why = cause instanceof Error ? cause.message : String(cause);
    return new OutputWriteError(`cannot write output file: ${why}`, displayPath(path), { cause });
  };
  return {
    write(bytes) {
      try {
        target.write(bytes);
      } catch (err) {
        throw failed(err);
      }
    },
    close() {
      try {
        target.close();
      } catch (err) {
        throw failed(err);
      }
    },
    discard: () => target.discard(),
  };
}

/**
 * stdout as a ChunkWriter. When it is the process's own stdout and not a terminal (a file, a pipe, /dev/null),
 * chunks go straight to fd 1 with writeSync, as files do: Node's stream machinery (a Buffer per write, the
 * Writable state) costs seconds on a 270 MB report. A reader that goes away (EPIPE: `… | head`) is not an error:
 * the rest of the report is dropped and the scan finishes (its --output-* files and exit code stay right).
 * A terminal, or any other TextOut (tests), goes through streamWriter.
 */
export function stdoutWriter(out: TextOut): ChunkWriter {
  if (out !== process.stdout || out.isTTY) return streamWriter(out);
  return bytesWriter([fdTarget(1, 'stdout', STAYS_OPEN, true)]);
}

/**
 * One writer that hands every chunk to several (stdout and --output-json receive the same JSON report). When all
 * of them write to descriptors, the text is encoded once into one buffer that each descriptor receives; otherwise
 * each writer gets every chunk.
 */
export function teeWriter(writers: readonly ChunkWriter[]): ChunkWriter {
  const targets: FdTarget[] = [];
  for (const w of writers) {
    const own = FD_TARGETS.get(w);
    if (!own) return fanOut(writers);
    targets.push(...own);
  }
  return bytesWriter(targets);
}

function fanOut(writers: readonly ChunkWriter[]): ChunkWriter {
  return {
    write(chunk) {
      for (const w of writers) w.write(chunk);
    },
    writeBytes(bytes) {
      for (const w of writers) {
        if (w.writeBytes) w.writeBytes(bytes);
        else w.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
      }
    },
    async close() {
      await settleAll(writers.map((w) => w.close()));
    },
    async discard() {
      await settleAll(writers.map((w) => discardOutput(w)));
    },
  };
}

async function settleAll(promises: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

interface FdTarget {
  write(bytes: Buffer): void;
  /** Publishes what was written (a file: renamed into place). */
  close(): void;
  /** Drops it, where it can be dropped (a file: its temporary copy is removed). */
  discard(): void;
}

/** The process's stdout: nothing to publish or drop. */
const STAYS_OPEN: Pick<OutputFile, 'commit' | 'discard'> = { commit: () => undefined, discard: () => undefined };

/** The descriptors behind a bytesWriter, so a tee can write to them directly. */
const FD_TARGETS = new WeakMap<ChunkWriter, readonly FdTarget[]>();

function fdTarget(fd: number, name: string, file: Pick<OutputFile, 'commit' | 'discard'>, quietOnBrokenPipe: boolean): FdTarget {
  let broken = false;
  return {
    write(bytes) {
      if (broken) return;
      try {
        writeBytes(fd, bytes, name);
      } catch (err) {
        if (!quietOnBrokenPipe || errnoCode((err as Error).cause) !== 'EPIPE') throw err;
        broken = true;
      }
    },
    close() {
      file.commit();
    },
    discard() {
      file.discard();
    },
  };
}

/**
 * Encodes chunks straight into one reused buffer and writes it out when full. Gathering the text as one long
 * concatenated string instead costs more than the writes: flattening that rope before each write was measured at
 * ~10 ns a byte, against ~1 ns to encode each small chunk while it is fresh.
 */
function bytesWriter(targets: readonly FdTarget[]): ChunkWriter {
  const buf = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  let closed = false;
  const flush = (): void => {
    if (used === 0) return;
    const bytes = buf.subarray(0, used);
    used = 0;
    for (const t of targets) t.write(bytes);
  };
  const writer: ChunkWriter = {
    write(chunk) {
      if (closed) throw new Error('internal error: write after close');
      // At most 3 bytes per UTF-16 unit: a chunk that surely fits is encoded in place.
      if (chunk.length * 3 > BUFFER_BYTES - used) {
        flush();
        if (chunk.length * 3 > BUFFER_BYTES) {
          const bytes = Buffer.from(chunk, 'utf8');
          for (const t of targets) t.write(bytes);
          return;
        }
      }
      used += buf.write(chunk, used, 'utf8');
      if (used >= FLUSH_AT) flush();
    },
    writeBytes(bytes) {
      if (closed) throw new Error('internal error: write after close');
      if (bytes.length > BUFFER_BYTES - used) {
        flush();
        if (bytes.length >= FLUSH_AT) {
          const direct = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          for (const t of targets) t.write(direct);
          return;
        }
      }
      buf.set(bytes, used);
      used += bytes.length;
      if (used >= FLUSH_AT) flush();
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        flush();
      } catch (err) {
        // A report that could not be written whole is not published.
        for (const t of targets) t.discard();
        throw err;
      }
      let failure: unknown;
      for (const t of targets) {
        try {
          t.close();
        } catch (err) {
          failure ??= err;
        }
      }
      if (failure !== undefined) throw failure;
    },
    async discard() {
      closed = true;
      used = 0;
      for (const t of targets) t.discard();
    },
  };
  FD_TARGETS.set(writer, targets);
  return writer;
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

function writeBytes(fd: number, bytes: Buffer, path: string): void {
  // A pipe can take less than asked for: go on from where it stopped.
  for (let written = 0; written < bytes.length; ) written += write(fd, written === 0 ? bytes : bytes.subarray(written), path);
}

function write(fd: number, data: Buffer, path: string): number {
  for (;;) {
    try {
      return writeSync(fd, data, 0, data.length);
    } catch (err) {
      // A non-blocking pipe (e.g. /dev/stdout) can be momentarily full; wait a little and retry.
      if (errnoCode(err) === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      throw new Error(`cannot write ${displayPath(path)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
}

function openError(path: string, err: unknown): UsageError {
  const code = errnoCode(err);
  const why =
    code === 'ENOENT'
      ? missingDirectory(dirname(errnoPath(err) ?? path))
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : err instanceof Error
            ? err.message
            : String(err);
  return new UsageError(`cannot write output file: ${why}`, displayPath(path), { cause: err });
}

/** ENOENT on creating a file: its directory is missing, or is one where no file can be made (/proc, /sys). */
function missingDirectory(dir: string): string {
  return existsSync(dir) ? `no file can be created in directory ${displayPath(dir)}` : `directory ${displayPath(dir)} does not exist (create it first)`;
}

/** The file a system call failed on: the temporary file beside the target, in the folder that a symlink leads to. */
function errnoPath(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'path' in err && typeof err.path === 'string' ? err.path : undefined;
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
