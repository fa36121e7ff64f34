import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUTO_MIN_BYTES, planParallelAudit, type ParallelPlanInput } from '../../../src/audit/parallel/parallel-plan.js';
import { workerEntryAvailable, workerPool } from '../../../src/audit/parallel/range-pool.js';
import { loadDictionaryWithWarnings } from '../../../src/dictionary/load-dictionary.js';
import { createJsonSink } from '../../../src/report/json.js';
import { runCli } from '../../support/cli.js';
import type * as ParallelPlanModule from '../../../src/audit/parallel/parallel-plan.js';
import type * as RangePoolModule from '../../../src/audit/parallel/range-pool.js';

// Counts the worker pools the CLI starts, gives it 2 CPUs whatever the machine has, and lowers auto's size bar to
// 1 MiB unless a call names its own, so a test can tell that the default really ran on worker threads.
const TEST_AUTO_MIN_BYTES = 1 << 20;
const pools = vi.hoisted(() => ({ started: 0 }));
vi.mock('../../../src/audit/parallel/range-pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof RangePoolModule>();
  return { ...real, workerPool: (...args: Parameters<typeof real.workerPool>) => (pools.started++, real.workerPool(...args)) };
});
vi.mock('../../../src/audit/parallel/usable-cpus.js', () => ({ usableCpus: () => 2 }));
vi.mock('../../../src/audit/parallel/parallel-plan.js', async (importOriginal) => {
  const real = await importOriginal<typeof ParallelPlanModule>();
  return { ...real, planParallelAudit: (input: ParallelPlanInput) => real.planParallelAudit({ autoMinBytes: TEST_AUTO_MIN_BYTES, ...input }) };
});

const DEMO = 'examples/demo-estate.jsonl';
let dir: string;
let extra: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-threads-'));
  // The demo estate again (every ARN a duplicate), a few bad lines, and parents listed after their children.
  const demo = readFileSync(DEMO, 'utf8').trim().split('\n');
  const lines = [...demo.slice(100), '{oops', ...demo.slice(0, 100), '{"arn":"not-an-arn"}'];
  extra = join(dir, 'extra.jsonl');
  writeFileSync(extra, `${lines.reverse().join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan --threads', () => {
  it('needs the build: worker threads run dist/audit/parallel/range-worker.js', () => {
    expect(workerEntryAvailable(), 'run `npm run build` first').toBe(true);
  });

  it('plans worker threads only for JSON Lines files reported as JSON', () => {
    const json = [createJsonSink({ write: () => undefined, close: async () => undefined })];
    const base = { inventories: [DEMO, extra], cwd: process.cwd(), strict: false, sinks: json };
    expect(planParallelAudit({ ...base, threads: 3 })?.threads).toBe(3);
    expect(planParallelAudit({ ...base, threads: 1 })).toBeUndefined();
    expect(planParallelAudit({ ...base })).toBeUndefined(); // undefined: one thread
    expect(planParallelAudit({ ...base, threads: 3, strict: true })).toBeUndefined();
    expect(planParallelAudit({ ...base, threads: 3, inventories: ['examples/get-resources.json'] })).toBeUndefined();
    expect(planParallelAudit({ ...base, threads: 3, sinks: [{ add: () => undefined, finish: async () => undefined }] })).toBeUndefined();
  });

  it('auto (the default) uses one worker per CPU, at most 4, only for inventories of 192 MiB or more', () => {
    const json = [createJsonSink({ write: () => undefined, close: async () => undefined })];
    const big = join(dir, 'big.jsonl');
    writeFileSync(big, readFileSync(DEMO));
    truncateSync(big, AUTO_MIN_BYTES); // sparse: only the size and the first lines matter to the plan
    const base = { inventories: [big], cwd: process.cwd(), strict: false, sinks: json, threads: 'auto' as const, autoMinBytes: AUTO_MIN_BYTES };
    expect(planParallelAudit({ ...base, cpus: 2 })?.threads).toBe(2);
    expect(planParallelAudit({ ...base, cpus: 16 })?.threads).toBe(4);
    expect(planParallelAudit({ ...base, cpus: 1 })).toBeUndefined();
    expect(planParallelAudit({ ...base, cpus: 2, inventories: [DEMO] })).toBeUndefined(); // too small
    expect(planParallelAudit({ ...base, cpus: 2, autoMinBytes: AUTO_MIN_BYTES + 1 })).toBeUndefined();
    expect(planParallelAudit({ ...base, cpus: 2, inventories: [DEMO, big] })?.threads).toBe(2); // counted in all
    expect(planParallelAudit({ ...base, cpus: 2, strict: true })).toBeUndefined();
    expect(planParallelAudit({ ...base, cpus: 2, memoryLimit: 512 << 20 })).toBeUndefined(); // a small container
    expect(planParallelAudit({ ...base, cpus: 2, memoryLimit: 4 << 30 })?.threads).toBe(2);
    expect(planParallelAudit({ ...base, cpus: 2, memoryLimit: 0 })?.threads).toBe(2); // 0: no known limit
    expect(planParallelAudit({ ...base, memoryLimit: 0 })?.threads).toBe(2); // the CPUs counted: 2 in this file
  });

  it('by default audits an inventory past the size bar on worker threads with the report of one thread, and no note', async () => {
    // Copies of the demo estate under other names (ARNs and parent ARNs suffixed), past the bar (lowered here).
    const demo = readFileSync(DEMO, 'utf8').trim().split('\n');
    const lines: string[] = [];
    let bytes = 0;
    for (let copy = 0; bytes < 2 * TEST_AUTO_MIN_BYTES; copy++) {
      for (const line of demo) {
        const r = JSON.parse(line) as { arn: string; parentArns?: string[] };
        r.arn += `-c${copy}`;
        if (r.parentArns) r.parentArns = r.parentArns.map((p) => `${p}-c${copy}`);
        const text = JSON.stringify(r);
        lines.push(text);
        bytes += text.length + 1;
      }
    }
    const big = join(dir, 'copies.jsonl');
    writeFileSync(big, `${lines.join('\n')}\n`);
    const json = [createJsonSink({ write: () => undefined, close: async () => undefined })];
    const plan = { inventories: [big], cwd: process.cwd(), strict: false, sinks: json, threads: 'auto' as const, cpus: 2 };
    expect(planParallelAudit(plan)?.threads).toBe(2);
    expect(planParallelAudit({ ...plan, autoMinBytes: AUTO_MIN_BYTES })).toBeUndefined(); // the real bar

    const started = pools.started;
    const one = await runCli(['scan', '-i', big, '--format', 'json', '--threads', '1']);
    expect(pools.started).toBe(started);
    const auto = await runCli(['scan', '-i', big, '--format', 'json']);
    expect(pools.started).toBe(started + 1); // the default started worker threads
    expect(one.code).toBe(1);
    expect(auto).toEqual(one);
    expect(JSON.parse(one.stdout).summary.resources).toBe(lines.length);
  }, 60_000);

  it('writes the same JSON report, stderr and exit code on 3 worker threads as on one', async () => {
    const out = (t: string): string => join(dir, `report-${t}.json`);
    const run = (t: string) => runCli(['scan', '-i', DEMO, '-i', extra, '--format', 'json', '--output-json', out(t), '--threads', t]);
    const one = await run('1');
    const three = await run('3');
    expect(one.code).toBe(3); // the bad lines make the run incomplete
    expect(three).toEqual(one);
    expect(readFileSync(out('3'), 'utf8')).toBe(readFileSync(out('1'), 'utf8'));
    const report = JSON.parse(one.stdout) as { summary: { resources: number; findings: number }; errors: unknown[] };
    expect(report.summary.resources).toBe(333);
    expect(report.summary.findings).toBeGreaterThan(100);
    expect(report.errors).toHaveLength(2);
  });

  it('gives the table report unchanged, on one thread, and says so', async () => {
    const one = await runCli(['scan', '-i', DEMO, '--threads', '1']);
    const four = await runCli(['scan', '-i', DEMO, '--threads', '4']);
    expect({ ...four, stderr: '' }).toEqual({ ...one, stderr: '' });
    expect(four.stderr).toBe(`${one.stderr}tagaudit: --threads applies to JSON Lines files (not pipes) reported only as JSON (no table, SARIF or --strict-inventory); this scan runs on one thread\n`);
  });

  it('names the file as the user gave it when a worker fails on it, and stops its workers', async () => {
    const { policy } = await loadDictionaryWithWarnings('dictionaries/anycompany.yaml', {});
    const pool = workerPool(1, policy);
    try {
      const gone = join(dir, 'gone.jsonl');
      await expect(pool.run({ index: 0, range: { path: gone, start: 0, end: 10, size: 10 }, display: 'inventories/gone.jsonl' })).rejects.toThrow(
        /^auditing inventories\/gone\.jsonl \(bytes 0–10\): ENOENT: no such file or directory$/, // no absolute path
      );
    } finally {
      await pool.close();
    }
  });

  it('rejects a thread count that is not a whole number from 1 to 64 (exit 2, one line)', async () => {
    for (const bad of ['0', '65', 'two', '1.5']) {
      const r = await runCli(['scan', '-i', DEMO, '--threads', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^tagaudit: .*--threads.*whole number of threads from 1 to 64.*\n$/);
    }
  });
});
