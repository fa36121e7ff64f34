/**
 * The audit paths a parent (and a child that inherits from it) may take: runAudit on one thread, runParallelAudit
 * with ranges audited apart in this thread, and `scan --threads N` (worker threads). Tests run one inventory through
 * each and compare.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { runParallelAudit } from '../../src/audit/parallel/parallel-audit.js';
import { inThreadPool } from '../../src/audit/parallel/range-pool.js';
import { runAudit } from '../../src/audit/pipeline.js';
import { hashArn } from '../../src/audit/seen-arns.js';
import { loadDictionaryWithWarnings } from '../../src/dictionary/load-dictionary.js';
import type { Policy } from '../../src/dictionary/policy.js';
import { readInventoryBatches } from '../../src/inventory/read-inventory.js';
import { createJsonSink } from '../../src/report/json.js';
import { createAuditor } from '../../src/rules/engine.js';
import type { Finding } from '../../src/rules/types.js';
import { runCli } from './cli.js';

export interface InventoryScratch {
  /** The dictionary's policy (once the file's beforeAll ran). */
  readonly policy: Policy;
  /** Writes an inventory file of these lines to the scratch directory and returns its path. */
  write(lines: readonly string[]): string;
}

/** A scratch directory for the file's inventories (removed after its tests) and `dictionary` loaded before them. */
export function useInventoryScratch(name: string, dictionary: string): InventoryScratch {
  let dir: string | undefined;
  let policy: Policy | undefined;
  let files = 0;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `tagaudit-${name}-`));
    policy = (await loadDictionaryWithWarnings(dictionary, {})).policy;
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    get policy() {
      if (!policy) throw new Error('the policy is there only once the beforeAll ran');
      return policy;
    },
    write(lines) {
      if (!dir) throw new Error('the scratch directory is there only once the beforeAll ran');
      const path = join(dir, `inventory-${files++}.jsonl`);
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    },
  };
}

/** What a JSON sink was sent (its head and findings, as the pipeline leaves sinks open), and the run's counts. */
export interface AuditRun {
  readonly json: string;
  readonly duplicates: number;
  readonly orphans: number;
}

function collectingJsonSink(parts: string[]) {
  return createJsonSink({ write: (c) => void parts.push(c), writeBytes: (b) => void parts.push(Buffer.from(b).toString('utf8')), close: async () => undefined });
}

/** runAudit of an inventory file, on one thread. */
export async function auditOnOneThread(file: string, policy: Policy): Promise<AuditRun> {
  const parts: string[] = [];
  const r = await runAudit({ resources: readInventoryBatches(file, { onError: () => undefined }), auditor: createAuditor(policy), sinks: [collectingJsonSink(parts)] });
  return { json: parts.join(''), duplicates: r.duplicates, orphans: r.orphans };
}

/** runParallelAudit of an inventory file cut in ranges of `rangeBytes`, each audited apart (in this thread). */
export async function auditInRanges(file: string, policy: Policy, rangeBytes: number): Promise<AuditRun> {
  const parts: string[] = [];
  const r = await runParallelAudit({
    files: [{ path: file, display: file }],
    pool: inThreadPool(policy),
    auditor: createAuditor(policy),
    sink: collectingJsonSink(parts),
    onError: () => undefined,
    maxDeferred: 100_000,
    rangeBytes,
  });
  return { json: parts.join(''), duplicates: r.duplicates, orphans: r.orphans };
}

export interface ScanFindings {
  readonly findings: Finding[];
  readonly summary: unknown;
}

/** `tagaudit scan -i <inventory> -d <dictionary> --format json --threads <threads>`, which must not fall back to one thread. */
export async function scanOnThreads(inventory: string, dictionary: string, threads: number): Promise<ScanFindings> {
  const r = await runCli(['scan', '-i', inventory, '-d', dictionary, '--format', 'json', '--threads', String(threads)]);
  expect(r.stderr).not.toContain('runs on one thread');
  const report = JSON.parse(r.stdout) as ScanFindings;
  return { findings: report.findings, summary: report.summary };
}

/** The two words of the hash workers send for `text` (an ARN's parent key). */
export function hashPair(text: string): [number, number] {
  const h = new Uint32Array(2);
  hashArn(text, h, 0);
  return [h[0]!, h[1]!];
}
