import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runParallelAudit } from '../../../src/audit/parallel/parallel-audit.js';
import { inThreadPool, workerEntryAvailable } from '../../../src/audit/parallel/range-pool.js';
import { ParentIndex } from '../../../src/audit/parent-index.js';
import { parentKey } from '../../../src/audit/parent-key.js';
import { runAudit } from '../../../src/audit/pipeline.js';
import { hashArn } from '../../../src/audit/seen-arns.js';
import { loadDictionaryWithWarnings } from '../../../src/dictionary/load-dictionary.js';
import type { Policy } from '../../../src/dictionary/policy.js';
import { parseArn } from '../../../src/inventory/arn.js';
import { readInventoryBatches } from '../../../src/inventory/read-inventory.js';
import type { Resource } from '../../../src/inventory/resource.js';
import { createJsonSink, FINDING_SEPARATOR } from '../../../src/report/json.js';
import { createAuditor } from '../../../src/rules/engine.js';
import type { Finding } from '../../../src/rules/types.js';
import { runCli } from '../../support/cli.js';
import type * as RangePoolModule from '../../../src/audit/parallel/range-pool.js';

// Counts the worker pools the CLI starts, so that a --threads test can tell worker threads really ran.
const pools = vi.hoisted(() => ({ started: 0 }));
vi.mock('../../../src/audit/parallel/range-pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof RangePoolModule>();
  return { ...real, workerPool: (...args: Parameters<typeof real.workerPool>) => (pools.started++, real.workerPool(...args)) };
});

const DICTIONARY = 'dictionaries/anycompany.yaml';
const CC = 'anycompany:finance:cost-center';
const sm = (type: string, name: string): string => `arn:aws:sagemaker:us-east-1:111122223333:${type}/${name}`;
const lambdaArn = (name: string): string => `arn:aws:lambda:us-east-1:111122223333:function:${name}`;

// One model listed twice: as ListModels gives it, then lower-cased (GetResources, another inventory) with a parent
// that never comes. The endpoint config names it lower-cased. The first spelling is the resource; the second is a
// duplicate, which must never be the config's parent, whichever thread audits what.
const MODEL = sm('model', 'Churn-Model');
const MODEL_AGAIN = sm('model', 'churn-model');
const CONFIG = sm('endpoint-config', 'ec1');
const lines = (filler: number): string[] => [
  JSON.stringify({ arn: MODEL, tags: { [CC]: 'Sales-7000' } }),
  JSON.stringify({ arn: MODEL_AGAIN, tags: { [CC]: 'Sales-1111' }, parentArns: [sm('training-job', 'x')] }),
  ...Array.from({ length: filler }, (_, i) => JSON.stringify({ arn: lambdaArn(`fn-${i}`), tags: { [CC]: 'Sales-5045' } })),
  JSON.stringify({ arn: CONFIG, tags: {}, parentArns: [MODEL_AGAIN] }),
];

let dir: string;
let policy: Policy;
let files = 0;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-parent-dup-'));
  policy = (await loadDictionaryWithWarnings(DICTIONARY, {})).policy;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(content: readonly string[]): string {
  const path = join(dir, `inventory-${files++}.jsonl`);
  writeFileSync(path, `${content.join('\n')}\n`);
  return path;
}

function jsonSink(parts: string[]) {
  return createJsonSink({ write: (c) => void parts.push(c), writeBytes: (b) => void parts.push(Buffer.from(b).toString('utf8')), close: async () => undefined });
}

interface Run {
  readonly json: string;
  readonly duplicates: number;
  readonly orphans: number;
}

async function oneThread(file: string): Promise<Run> {
  const parts: string[] = [];
  const r = await runAudit({ resources: readInventoryBatches(file, { onError: () => undefined }), auditor: createAuditor(policy), sinks: [jsonSink(parts)] });
  return { json: parts.join(''), duplicates: r.duplicates, orphans: r.orphans };
}

async function ranged(file: string, rangeBytes: number): Promise<Run> {
  const parts: string[] = [];
  const r = await runParallelAudit({
    files: [{ path: file, display: file }],
    pool: inThreadPool(policy),
    auditor: createAuditor(policy),
    sink: jsonSink(parts),
    onError: () => undefined,
    maxDeferred: 100_000,
    rangeBytes,
  });
  return { json: parts.join(''), duplicates: r.duplicates, orphans: r.orphans };
}

/** The findings a JSON sink streamed (its head, then one finding a line; no tail, as the pipeline leaves sinks open). */
const findingsOf = (json: string): Finding[] =>
  json === '' ? [] : json.slice(json.indexOf('\n') + 1).split(FINDING_SEPARATOR).map((line) => JSON.parse(line) as Finding);

const inherited = (findings: readonly Finding[]): string | undefined => {
  const f = findings.find((x) => x.resource.arn === CONFIG && x.ruleId === 'missing-tag' && x.tag?.key === CC);
  const edit = f?.fix?.find((e) => e.type === 'inherit');
  return edit?.op === 'add' || edit?.op === 'set' ? edit.value : undefined;
};

/** What every path must report: the config inherits the first spelling's value; the second is never audited. */
function expectFirstSpelling(findings: readonly Finding[]): void {
  expect(inherited(findings)).toBe('Sales-7000');
  expect(findings.some((f) => f.resource.arn === MODEL_AGAIN)).toBe(false);
  expect(JSON.stringify(findings)).not.toContain('Sales-1111');
}

describe('one SageMaker parent listed twice in different case, the second naming a parent of its own', () => {
  it('runAudit and runParallelAudit (ranges audited apart) report the first spelling as the parent', async () => {
    for (const filler of [0, 4]) {
      const file = write(lines(filler));
      const reference = await oneThread(file);
      expect(reference.duplicates).toBe(1);
      expect(reference.orphans).toBe(0);
      expectFirstSpelling(findingsOf(reference.json));
      for (const rangeBytes of [60, 150, 400, 1 << 20]) {
        expect(await ranged(file, rangeBytes), `${filler} fillers, ranges of ${rangeBytes} bytes`).toEqual(reference);
      }
    }
  });

  it('scan --threads 2 (worker threads) reports what one thread does', async () => {
    expect(workerEntryAvailable(), 'worker threads run dist/: `npm run build` first').toBe(true);
    const file = write(lines(4));
    const scan = async (threads: number) => {
      const r = await runCli(['scan', '-i', file, '-d', DICTIONARY, '--format', 'json', '--threads', String(threads)]);
      expect(r.stderr).not.toContain('runs on one thread');
      const report = JSON.parse(r.stdout) as { findings: Finding[]; summary: unknown };
      return { findings: report.findings, summary: report.summary };
    };
    const reference = await scan(1);
    expectFirstSpelling(reference.findings);
    const started = pools.started;
    const threaded = await scan(2);
    expect(pools.started).toBe(started + 1);
    expect(threaded).toEqual(reference);
  }, 60_000);
});

describe('ParentIndex: a resource remembered after a lazily kept one of the same key', () => {
  const resource = (arn: string, value: string): Resource => {
    const p = parseArn(arn);
    return { arn, accountId: p.accountId, region: p.region, service: p.service, resourceType: p.resourceType, tags: { [CC]: value }, source: 'inventory' };
  };
  const hashOf = (text: string): [number, number] => {
    const h = new Uint32Array(2);
    hashArn(text, h, 0);
    return [h[0]!, h[1]!];
  };

  it('does not take the place of the first one (kept lazily by a worker)', () => {
    const index = new ParentIndex();
    index.rememberLazy(...hashOf(parentKey(MODEL)), () => resource(MODEL, 'Sales-7000'));
    expect(index.remember(resource(MODEL_AGAIN, 'Sales-1111'))).toBe(parentKey(MODEL));
    expect(index.lookup(MODEL_AGAIN)?.tags[CC]).toBe('Sales-7000');
    expect(index.lookup(MODEL)?.arn).toBe(MODEL);
  });
});
