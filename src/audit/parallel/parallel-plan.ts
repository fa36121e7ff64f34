import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { sniffInventoryFormat } from '../../inventory/sniff-format.js';
import type { ReportSink } from '../../report/sink.js';
import { workerEntryAvailable } from './range-pool.js';

export interface ParallelPlanInput {
  /** Inventory paths as given, resolved against `cwd`. */
  readonly inventories: readonly string[];
  readonly cwd: string;
  /** --threads; undefined or 1: no worker threads. */
  readonly threads?: number;
  /** --strict-inventory stops at the first bad line: read in one thread, where "first" is plain. */
  readonly strict: boolean;
  readonly sinks: readonly ReportSink[];
}

export interface ParallelPlan {
  readonly threads: number;
  readonly files: readonly { readonly path: string; readonly display: string }[];
}

/**
 * Whether this scan runs on the worker threads --threads asks for. Opt-in: on 2 vCPUs they cut a 1 M-resource scan's
 * wall time by ~17 % for ~50 % more CPU and ~2.7× the memory (bench/RESULTS.md). Only for regular JSON Lines files
 * (a JSON document is parsed whole anyway), only when every report is JSON (the table and SARIF need Finding objects, and hold them all
 * anyway), and only with the build's worker entry present. Anything else runs on this thread, with the same report.
 */
export function planParallelAudit(input: ParallelPlanInput): ParallelPlan | undefined {
  const threads = input.threads ?? 1;
  if (threads < 2 || input.inventories.length === 0 || input.strict) return undefined;
  if (!input.sinks.every((s) => typeof s.addEncoded === 'function')) return undefined;
  const files: { path: string; display: string }[] = [];
  for (const display of input.inventories) {
    const path = resolve(input.cwd, display);
    const stat = statSync(path);
    if (!stat.isFile() || !startsAsJsonLines(path)) return undefined;
    files.push({ path, display });
  }
  if (!workerEntryAvailable()) return undefined;
  return { threads, files };
}

function startsAsJsonLines(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(64 << 10);
    const n = readSync(fd, head, 0, head.length, 0);
    return sniffInventoryFormat(head.subarray(0, n).toString('utf8')) === 'jsonl';
  } finally {
    closeSync(fd);
  }
}
