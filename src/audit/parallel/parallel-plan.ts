import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { STDIN_INVENTORY } from '../../inventory/read-inventory.js';
import { resolve } from 'node:path';
import { sniffInventoryFormat } from '../../inventory/sniff-format.js';
import { otherTagauditFile } from '../../inventory/not-an-inventory.js';
import { isPackedData } from '../../inventory/packed-formats.js';
import { isUtf16Text } from '../../inventory/utf8.js';
import type { ReportSink } from '../../report/sink.js';
import { workerEntryAvailable } from './range-pool.js';
import { usableCpus } from './usable-cpus.js';

export interface ParallelPlanInput {
  /** Inventory paths as given, resolved against `cwd`. */
  readonly inventories: readonly string[];
  readonly cwd: string;
  /** --threads: a count (1: no worker threads), or 'auto' (the CLI's default); undefined: 1. */
  readonly threads?: number | 'auto';
  /** CPUs this process may use (default: usableCpus()), for 'auto'. */
  readonly cpus?: number;
  /** 'auto' needs inventories of this many bytes in all (default AUTO_MIN_BYTES). */
  readonly autoMinBytes?: number;
  /** Bytes of memory the process may use, 0 or undefined when unknown (default: process.constrainedMemory()), for 'auto'. */
  readonly memoryLimit?: number;
  /** --strict-inventory stops at the first bad line: read in one thread, where "first" is plain. */
  readonly strict: boolean;
  readonly sinks: readonly ReportSink[];
}

export interface ParallelPlan {
  readonly threads: number;
  readonly files: readonly { readonly path: string; readonly display: string }[];
}

/**
 * 'auto' uses worker threads only for inventories this large in all (~370 k resources of the benchmark's kind). Each
 * worker compiles and warms up its own copy of the code and caches, and the threads' GC and compiler work grows with
 * them: measured on 2 vCPUs, 2 workers were ~10 % slower than one thread at 106 MB and 25–35 % faster at 265 MB and
 * 530 MB (bench/RESULTS.md).
 */
export const AUTO_MIN_BYTES = 192 << 20;
/**
 * 'auto' runs at most this many workers: each holds its own heap (~100 MB at 1 M resources), and the main thread,
 * which replays their results in order, keeps up with about this many.
 */
export const AUTO_MAX_THREADS = 4;
/** 'auto' runs no workers under a smaller memory limit (a container's): they would add ~100 MB each. */
export const AUTO_MIN_MEMORY = 1 << 30;

/**
 * Whether this scan runs on worker threads, and how many. Only for regular JSON Lines files (a JSON document is parsed
 * whole anyway), only when every report is JSON (the table and SARIF need Finding objects, and hold them all anyway),
 * and only with the build's worker entry present. Anything else runs on this thread, with the same report.
 * 'auto' also needs 2 CPUs or more (a container's CPU quota counts), no memory limit under AUTO_MIN_MEMORY, and
 * inventories of AUTO_MIN_BYTES in all: on 2 vCPUs, 2 workers cut a 1 M-resource
 * scan's wall time by ~20–25 % for ~35 % more CPU time and ~230 MB more memory (bench/RESULTS.md).
 */
export function planParallelAudit(input: ParallelPlanInput): ParallelPlan | undefined {
  const auto = input.threads === 'auto';
  const threads = auto ? autoThreads(input) : (input.threads ?? 1);
  if (threads < 2 || input.inventories.length === 0 || input.strict) return undefined;
  if (!input.sinks.every((s) => typeof s.addEncoded === 'function')) return undefined;
  const files: { path: string; display: string }[] = [];
  let bytes = 0;
  for (const display of input.inventories) {
    if (display === STDIN_INVENTORY) return undefined;
    const path = resolve(input.cwd, display);
    const stat = statSync(path);
    if (!stat.isFile() || !startsAsJsonLines(path)) return undefined;
    files.push({ path, display });
    bytes += stat.size;
  }
  if (auto && bytes < (input.autoMinBytes ?? AUTO_MIN_BYTES)) return undefined;
  if (!workerEntryAvailable()) return undefined;
  return { threads, files };
}

function autoThreads(input: ParallelPlanInput): number {
  const memory = input.memoryLimit ?? process.constrainedMemory?.() ?? 0;
  if (memory > 0 && memory < AUTO_MIN_MEMORY) return 1;
  return Math.min(input.cpus ?? usableCpus(), AUTO_MAX_THREADS);
}

function startsAsJsonLines(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(64 << 10);
    const n = readSync(fd, head, 0, head.length, 0);
    const bytes = head.subarray(0, n);
    // UTF-16, a compressed file or one of tagaudit's own outputs goes the one-thread way, which refuses it with one
    // clear error (line by line, it would give an error per line).
    if (isUtf16Text(bytes) || isPackedData(bytes)) return false;
    const text = bytes.toString('utf8');
    return sniffInventoryFormat(text) === 'jsonl' && otherTagauditFile(text) === undefined;
  } finally {
    closeSync(fd);
  }
}
