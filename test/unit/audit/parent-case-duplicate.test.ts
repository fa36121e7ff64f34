import { describe, expect, it, vi } from 'vitest';
import { workerEntryAvailable } from '../../../src/audit/parallel/range-pool.js';
import { ParentIndex } from '../../../src/audit/parent-index.js';
import { parentKey } from '../../../src/audit/parent-key.js';
import { parseArn } from '../../../src/inventory/arn.js';
import type { Resource } from '../../../src/inventory/resource.js';
import { FINDING_SEPARATOR } from '../../../src/report/json.js';
import type { Finding } from '../../../src/rules/types.js';
import { auditInRanges, auditOnOneThread, hashPair as hashOf, scanOnThreads, useInventoryScratch } from '../../support/parent-audit.js';
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

const scratch = useInventoryScratch('parent-dup', DICTIONARY);
const write = (lines: readonly string[]): string => scratch.write(lines);

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
      const reference = await auditOnOneThread(file, scratch.policy);
      expect(reference.duplicates).toBe(1);
      expect(reference.orphans).toBe(0);
      expectFirstSpelling(findingsOf(reference.json));
      for (const rangeBytes of [60, 150, 400, 1 << 20]) {
        expect(await auditInRanges(file, scratch.policy, rangeBytes), `${filler} fillers, ranges of ${rangeBytes} bytes`).toEqual(reference);
      }
    }
  });

  it('scan --threads 2 (worker threads) reports what one thread does', async () => {
    expect(workerEntryAvailable(), 'worker threads run dist/: `npm run build` first').toBe(true);
    const file = write(lines(4));
    const scan = (threads: number) => scanOnThreads(file, DICTIONARY, threads);
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

  it('does not take the place of the first one (kept lazily by a worker)', () => {
    const index = new ParentIndex();
    index.rememberLazy(...hashOf(parentKey(MODEL)), () => resource(MODEL, 'Sales-7000'));
    expect(index.remember(resource(MODEL_AGAIN, 'Sales-1111'))).toBe(parentKey(MODEL));
    expect(index.lookup(MODEL_AGAIN)?.tags[CC]).toBe('Sales-7000');
    expect(index.lookup(MODEL)?.arn).toBe(MODEL);
  });
});
