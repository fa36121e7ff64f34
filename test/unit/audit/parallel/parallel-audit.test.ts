import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runParallelAudit } from '../../../../src/audit/parallel/parallel-audit.js';
import { inThreadPool, policyInputOf } from '../../../../src/audit/parallel/range-pool.js';
import { runAudit } from '../../../../src/audit/pipeline.js';
import { loadDictionaryWithWarnings } from '../../../../src/dictionary/load-dictionary.js';
import { compilePolicy, type Policy } from '../../../../src/dictionary/policy.js';
import { compileSuppression, type RawSuppression } from '../../../../src/dictionary/suppression.js';
import { readInventoryBatches } from '../../../../src/inventory/read-inventory.js';
import type { Resource } from '../../../../src/inventory/resource.js';
import { createJsonSink } from '../../../../src/report/json.js';
import type { ChunkWriter } from '../../../../src/report/sink.js';
import type { ScanError } from '../../../../src/report/types.js';
import { createAuditor } from '../../../../src/rules/engine.js';
import { prng } from '../../../../scripts/prng.mjs';

const CC = 'anycompany:finance:cost-center';
const ENV = 'anycompany:workload:environment';
const A = '111122223333';
const B = '444455556666';
const sm = (account: string, type: string, name: string): string => `arn:aws:sagemaker:us-east-1:${account}:${type}/${name}`;

/**
 * Lines of a drifted estate that exercises everything order-dependent: parents before and after their children,
 * children of a parent kind (endpoint config → models), a child whose parent is not a parent kind (a model naming its
 * training job, listed later), a parent that never comes, duplicates with other tags (the first must win), bad lines,
 * recorded gaps, get-resources pages and tag mappings, non-ASCII and PII values, CRLF and blank lines.
 */
function estateLines(seed: number): string[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const lines: string[] = [];
  const tags = (): Record<string, string> => {
    const t: Record<string, string> = {};
    const r = rand();
    if (r < 0.5) t[CC] = pick(['Sales-5045', 'Sales-7000', 'Eng-1234']);
    else if (r < 0.6) t.CostCenter = 'Sales-5045';
    else if (r < 0.7) t[CC] = '  ';
    if (rand() < 0.6) t[ENV] = pick(['production', 'prod', 'Production', 'dév', 'staging']);
    if (rand() < 0.1) t.owner = pick(['jane.doe@example.com', 'Zoë Ångström', '+1 415 555 0100']);
    if (rand() < 0.1) t['made-up'] = 'x';
    return t;
  };
  for (let i = 0; i < 400; i++) {
    const account = rand() < 0.5 ? A : B;
    const r = rand();
    if (r < 0.1) {
      const hpo = sm(account, 'hyper-parameter-tuning-job', `hpo-${i % 17}`);
      lines.push(JSON.stringify({ arn: sm(account, 'training-job', `job-${i}`), tags: tags(), state: pick(['Completed', 'InProgress']), parentArns: [hpo] }));
    } else if (r < 0.15) {
      lines.push(JSON.stringify({ arn: sm(account, 'hyper-parameter-tuning-job', `hpo-${i % 17}`), tags: tags() }));
    } else if (r < 0.2) {
      lines.push(JSON.stringify({ arn: sm(account, 'model', `m-${i % 23}`), tags: tags(), parentArns: [sm(account, 'training-job', `src-${i % 5}`)] }));
    } else if (r < 0.24) {
      lines.push(JSON.stringify({ arn: sm(account, 'training-job', `src-${i % 5}`), tags: tags() }));
    } else if (r < 0.28) {
      lines.push(JSON.stringify({ arn: sm(account, 'endpoint-config', `cfg-${i % 7}`), tags: tags(), parentArns: [sm(account, 'model', `m-${i % 23}`)] }));
    } else if (r < 0.3) {
      lines.push(JSON.stringify({ arn: sm(account, 'training-job', `orphan-${i}`), tags: tags(), parentArns: [sm(account, 'hyper-parameter-tuning-job', 'never')] }));
    } else if (r < 0.33) {
      lines.push(pick(['{"arn": 42}', '{not json', '"a string"', `{"arn":"arn:aws:lambda:us-east-1:${A}:function:f","tags":{"k":1}}`]));
    } else if (r < 0.35) {
      lines.push(JSON.stringify({ scanError: { source: 'sagemaker', message: 'ListModels throttled', accountId: account, region: 'us-east-1' } }));
    } else if (r < 0.38) {
      lines.push(
        JSON.stringify({
          ResourceTagMappingList: [0, 1, 2].map((k) => ({
            ResourceARN: `arn:aws:lambda:us-east-1:${account}:function:page-${i}-${k}`,
            Tags: Object.entries(tags()).map(([Key, Value]) => ({ Key, Value })),
          })),
        }),
      );
    } else if (r < 0.4) {
      lines.push('', '   ');
    } else if (r < 0.45) {
      // A duplicate of something listed earlier (or later), with other tags.
      lines.push(JSON.stringify({ arn: sm(account, 'model', `m-${i % 23}`), tags: tags() }));
    } else {
      lines.push(JSON.stringify({ arn: `arn:aws:lambda:us-east-1:${account}:function:fn-${i % 300}`, tags: tags() }) + (rand() < 0.1 ? '\r' : ''));
    }
    if (i % 97 === 50) {
      // A page of tagaudit records mixing children (of a tuning job and of a model), parent kinds and a resource naming none.
      const children = [0, 1].map((k) => ({ arn: sm(account, 'training-job', `paged-${i}-${k}`), tags: tags(), parentArns: [sm(account, 'hyper-parameter-tuning-job', `hpo-${(i + k) % 17}`)] }));
      const config = { arn: sm(account, 'endpoint-config', `paged-cfg-${i}`), tags: tags(), parentArns: [sm(account, 'model', `m-${i % 23}`)] };
      const models = [0, 1].map((k) => ({ arn: sm(account, 'model', `paged-m-${i}-${k}`), tags: tags() })); // parent kinds, one line
      lines.push(JSON.stringify({ ResourceTagMappingList: [children[0], models[0], { arn: sm(account, 'training-job', `paged-plain-${i}`), tags: tags() }, children[1], config, models[1]] }));
      // A child of a paged model, later: the model's line is read again.
      lines.push(JSON.stringify({ arn: sm(account, 'endpoint-config', `paged-cfg-m-${i}`), tags: {}, parentArns: [models[1]!.arn] }));
    }
  }
  return lines;
}

/** Collects what a sink writes; `bytes` false makes it a writer without writeBytes (encoded findings are decoded). */
function collector(bytes: boolean): ChunkWriter & { text: () => string } {
  const parts: string[] = [];
  const w: ChunkWriter & { text: () => string } = {
    write: (chunk) => void parts.push(chunk),
    close: async () => undefined,
    text: () => parts.join(''),
  };
  if (bytes) w.writeBytes = (b) => void parts.push(Buffer.from(b).toString('utf8'));
  return w;
}

interface Outcome {
  readonly json: string;
  readonly errors: ScanError[];
  readonly summary: unknown;
  /** Findings each of the policy's suppressions took. */
  readonly suppressedBy: number[];
  readonly duplicates: number;
  readonly orphans: number;
}

let policy: Policy;
let dir: string;
beforeAll(async () => {
  policy = (await loadDictionaryWithWarnings('dictionaries/anycompany.yaml', {})).policy;
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-parallel-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function oneThread(files: string[], maxDeferred: number, p: Policy = policy): Promise<Outcome> {
  const out = collector(true);
  const sink = createJsonSink(out);
  const errors: ScanError[] = [];
  async function* all(): AsyncGenerator<Resource[]> {
    for (const f of files) yield* readInventoryBatches(f, { onError: (e) => errors.push(e) });
  }
  const r = await runAudit({ resources: all(), auditor: createAuditor(p), sinks: [sink], maxDeferred });
  return { json: out.text(), errors, summary: r.summary.result(), suppressedBy: r.summary.suppressedBy(p.suppressions.length), duplicates: r.duplicates, orphans: r.orphans };
}

async function ranged(files: string[], rangeBytes: number, maxDeferred: number, bytes = true, p: Policy = policy): Promise<Outcome> {
  const out = collector(bytes);
  const sink = createJsonSink(out);
  const errors: ScanError[] = [];
  const r = await runParallelAudit({
    files: files.map((f) => ({ path: f, display: f })),
    pool: inThreadPool(p),
    auditor: createAuditor(p),
    sink,
    onError: (e) => errors.push(e),
    maxDeferred,
    rangeBytes,
  });
  return { json: out.text(), errors, summary: r.summary.result(), suppressedBy: r.summary.suppressedBy(p.suppressions.length), duplicates: r.duplicates, orphans: r.orphans };
}

/** The test dictionary with these suppressions. */
function withSuppressions(raws: readonly Omit<RawSuppression, 'reason'>[]): Policy {
  return compilePolicy({ ...policyInputOf(policy), suppressions: raws.map((raw, i) => compileSuppression({ reason: 'test', ...raw }, i + 1)) });
}

function write(name: string, lines: string[], trailingNewline = true): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + (trailingNewline ? '\n' : ''));
  return path;
}

describe('runParallelAudit (ranges audited apart, replayed in order)', () => {
  it('gives the one-thread report byte for byte, whatever the range size', async () => {
    const file = write('estate.jsonl', estateLines(1));
    const reference = await oneThread([file], 100_000);
    // The estate really exercises what it claims to.
    expect(reference.duplicates).toBeGreaterThan(5);
    expect(reference.orphans).toBeGreaterThan(0);
    expect(reference.errors.some((e) => e.message.includes('a gap of the scan'))).toBe(true);
    expect(reference.errors.some((e) => e.source === 'inventory' && !e.message.includes('gap'))).toBe(true);
    expect(reference.json).toContain('inherited-tag-drift');
    for (const rangeBytes of [40, 173, 1000, 4096, 1 << 30]) {
      expect(await ranged([file], rangeBytes, 100_000), `ranges of ${rangeBytes} bytes`).toEqual(reference);
    }
  });

  it('matches across several files, a file without a final newline, and a writer that takes no bytes', async () => {
    const files = [write('a.jsonl', estateLines(2), false), write('b.jsonl', estateLines(3)), write('c.jsonl', estateLines(2))];
    const reference = await oneThread(files, 100_000);
    for (const rangeBytes of [97, 2048]) expect(await ranged(files, rangeBytes, 100_000, false)).toEqual(reference);
  });

  it('matches when the bound on waiting children forces some out early', async () => {
    const file = write('bounded.jsonl', estateLines(4));
    const reference = await oneThread([file], 3);
    expect(reference.orphans).toBeGreaterThan(3);
    expect(await ranged([file], 300, 3)).toEqual(reference);
  });

  it('reads again a resource audited in a range when a child asks for it as a parent, also after non-ASCII lines', async () => {
    const source = `arn:aws:sagemaker:us-east-1:${A}:training-job/src-ü`;
    const lines = [
      JSON.stringify({ arn: sm(A, 'model', 'm'), tags: {}, parentArns: [source] }),
      JSON.stringify({ arn: `arn:aws:lambda:us-east-1:${A}:function:f`, tags: { note: 'Ünïcödé everywhere ✓' } }),
      JSON.stringify({ arn: source, tags: { [CC]: 'Sales-5045', name: 'Zoë' } }),
    ];
    const file = write('reread.jsonl', lines);
    const reference = await oneThread([file], 100_000);
    expect(reference.orphans).toBe(0);
    expect(reference.json).toContain('copied from its parent arn:aws:sagemaker:us-east-1:111122223333:training-job/src-ü');
    for (const rangeBytes of [10, 150, 1 << 20]) expect(await ranged([file], rangeBytes, 100_000)).toEqual(reference);
  });

  it('locates lines by their raw bytes: malformed UTF-8 earlier in a block does not shift the re-read', async () => {
    const parent = `arn:aws:lambda:us-east-1:${A}:function:parent`;
    const path = join(dir, 'latin1.jsonl');
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from(`${JSON.stringify({ arn: sm(A, 'model', 'm'), tags: {}, parentArns: [parent] })}\n`),
        // A CP1252 "é" (one byte, not UTF-8): decoded as U+FFFD, three bytes once re-encoded.
        Buffer.from(`{"arn":"arn:aws:lambda:us-east-1:${A}:function:f","tags":{"${CC}":"Caf`),
        Buffer.from([0xe9]),
        Buffer.from(`"}}\n${JSON.stringify({ arn: parent, tags: { [CC]: 'Sales-5045' } })}\n`),
      ]),
    );
    const reference = await oneThread([path], 100_000);
    expect(reference.json).toContain(`copied from its parent ${parent}`);
    for (const rangeBytes of [30, 1 << 20]) expect(await ranged([path], rangeBytes, 100_000)).toEqual(reference);
  });

  it('numbers the lines of a file given twice from 1 again', async () => {
    const file = write('twice.jsonl', ['{"arn":"arn:aws:lambda:us-east-1:111122223333:function:f"}', '{oops', '']);
    const reference = await oneThread([file, file], 100_000);
    expect(reference.errors.map((e) => e.message.split(': ')[0])).toEqual([`${file}:2:2`, `${file}:2:2`]);
    expect(await ranged([file, file], 20, 100_000)).toEqual(reference);
  });

  it('judges a line too long by its bytes, wherever the reads fall', async () => {
    // ~4.2 MB of two-byte characters: over the 4 MiB limit in bytes, under it in characters.
    const long = JSON.stringify({ arn: `arn:aws:lambda:us-east-1:${A}:function:long`, tags: { note: 'é'.repeat(2_105_000) } });
    const file = write('long.jsonl', [...estateLines(6).slice(0, 50), long, ...estateLines(7).slice(0, 50)]);
    const reference = await oneThread([file], 100_000);
    expect(reference.errors.filter((e) => e.message.includes('line longer than'))).toHaveLength(1);
    for (const rangeBytes of [20_000, 50_000, 1 << 22]) expect(await ranged([file], rangeBytes, 100_000), `ranges of ${rangeBytes}`).toEqual(reference);
  });

  it('counts suppressed findings per suppression as one thread does, in ranges and in children audited here', async () => {
    const suppressing = withSuppressions([
      { rules: ['miscased-tag-value'], accounts: [A] }, // audited in ranges
      { rules: ['inherited-tag-drift'], resourceTypes: ['sagemaker:training-job'] }, // children: audited on this thread
      { rules: ['deprecated-tag-key', 'empty-tag-value'], resources: [`arn:aws:lambda:us-east-1:${B}:function:*`] },
      { rules: ['miscased-tag-value'], accounts: [A], resourceTypes: ['lambda:function'] }, // all taken by the first
      { rules: ['tag-limit'], accounts: ['999999999999'] }, // matches nothing
    ]);
    const file = write('suppressed.jsonl', estateLines(8));
    const reference = await oneThread([file], 100_000, suppressing);
    const [ranges, children, lambdas, shadowed, nothing] = reference.suppressedBy;
    expect(ranges).toBeGreaterThan(0);
    expect(children).toBeGreaterThan(0);
    expect(lambdas).toBeGreaterThan(0);
    expect([shadowed, nothing]).toEqual([0, 0]);
    expect((reference.summary as { suppressed: number }).suppressed).toBe(ranges! + children! + lambdas!);
    for (const rangeBytes of [61, 1500, 1 << 30]) {
      expect(await ranged([file], rangeBytes, 100_000, true, suppressing), `ranges of ${rangeBytes} bytes`).toEqual(reference);
    }
  });

  it('keeps the index of a suppression past 16 bits of codes', async () => {
    // 20 000 suppressions that match nothing, then one that takes every miscased value.
    const fillers = Array.from({ length: 20_000 }, (_, i) => ({ rules: ['tag-limit'], accounts: [String(100000000000 + i)] }));
    const suppressing = withSuppressions([...fillers, { rules: ['miscased-tag-value'], accounts: [A, B] }]);
    const file = write('many.jsonl', estateLines(9).slice(0, 60));
    const reference = await oneThread([file], 100_000, suppressing);
    expect(reference.suppressedBy[20_000]).toBeGreaterThan(0);
    expect(reference.suppressedBy.slice(0, 20_000).every((n) => n === 0)).toBe(true);
    expect(await ranged([file], 500, 100_000, true, suppressing)).toEqual(reference);
  });

  it('stops with an error when a parent kept for later is rewritten in place before a child asks for it', async () => {
    const hpo = sm(A, 'hyper-parameter-tuning-job', 'h1');
    const lambdas = Array.from({ length: 20 }, (_, i) => JSON.stringify({ arn: `arn:aws:lambda:us-east-1:${A}:function:f${i}`, tags: {} }));
    const child = JSON.stringify({ arn: sm(A, 'training-job', 't1'), tags: {}, parentArns: [hpo] });
    const file = write('rewritten.jsonl', [JSON.stringify({ arn: hpo, tags: { [CC]: 'Sales-5045' } }), ...lambdas, child]);
    const inner = inThreadPool(policy);
    let ranges = 0;
    const pool = {
      ...inner,
      run: async (task: Parameters<typeof inner.run>[0]) => {
        const result = await inner.run(task);
        // The same length, so only the line's content tells: the parent was audited with 5045.
        if (ranges++ === 0) writeFileSync(file, readFileSync(file, 'utf8').replace('Sales-5045', 'Sales-7000'));
        return result;
      },
    };
    const sink = createJsonSink(collector(true));
    const run = runParallelAudit({ files: [{ path: file, display: 'rewritten.jsonl' }], pool, auditor: createAuditor(policy), sink, onError: () => undefined, maxDeferred: 10, rangeBytes: 200 });
    await expect(run).rejects.toThrow('rewritten.jsonl changed while it was being scanned (byte 0 no longer holds the resource read there)');
  });

  it('stops with the error of a range that fails, leaving no range in flight', async () => {
    const file = write('fail.jsonl', estateLines(5));
    let started = 0;
    const pool = inThreadPool(policy);
    const failing = {
      size: 2,
      run: async (task: Parameters<typeof pool.run>[0]) => {
        started++;
        if (task.index === 3) throw new Error('worker died');
        return pool.run(task);
      },
      recycle: () => undefined,
      close: async () => undefined,
    };
    const sink = createJsonSink(collector(true));
    await expect(
      runParallelAudit({ files: [{ path: file, display: file }], pool: failing, auditor: createAuditor(policy), sink, onError: () => undefined, maxDeferred: 10, rangeBytes: 500 }),
    ).rejects.toThrow('worker died');
    expect(started).toBeGreaterThan(3);
  });
});
