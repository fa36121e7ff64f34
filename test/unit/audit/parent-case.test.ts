import { describe, expect, it, vi } from 'vitest';
import { workerEntryAvailable } from '../../../src/audit/parallel/range-pool.js';
import { ParentIndex } from '../../../src/audit/parent-index.js';
import { canonicalArn, parentKey } from '../../../src/audit/parent-key.js';
import { parseArn } from '../../../src/inventory/arn.js';
import type { Resource } from '../../../src/inventory/resource.js';
import type { Finding } from '../../../src/rules/types.js';
import { toResource } from '../../../src/scan/merge.js';
import { auditInRanges, auditOnOneThread, hashPair as hashOf, scanOnThreads, useInventoryScratch, type AuditRun, type ScanFindings as JsonReport } from '../../support/parent-audit.js';
import type * as RangePoolModule from '../../../src/audit/parallel/range-pool.js';

// Counts the worker pools the CLI starts, so a --threads test can tell that worker threads really ran.
const pools = vi.hoisted(() => ({ started: 0 }));
vi.mock('../../../src/audit/parallel/range-pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof RangePoolModule>();
  return { ...real, workerPool: (...args: Parameters<typeof real.workerPool>) => (pools.started++, real.workerPool(...args)) };
});

const DICTIONARY = 'dictionaries/anycompany.yaml';
const CC = 'anycompany:finance:cost-center';
const A = '111122223333';
const sm = (type: string, name: string): string => `arn:aws:sagemaker:us-east-1:${A}:${type}/${name}`;
const lambdaArn = (name: string): string => `arn:aws:lambda:us-east-1:${A}:function:${name}`;

// The parents as their own list calls return them (mixed case); children may name them lower-cased (boto3#4606).
const HPO = sm('hyper-parameter-tuning-job', 'Churn-HPO-240512');
const SRC = sm('training-job', 'Src-Job-7'); // a model's source: no parent kind, kept only because a child asks
const DRIFTED = sm('training-job', 'churn-hpo-240512-001-1f2e3d4c');
const MISSING = sm('training-job', 'churn-hpo-240512-002-5a6b7c8d');
const MODEL = sm('model', 'churn-model');

const same = (arn: string): string => arn;
const lower = (arn: string): string => arn.toLowerCase();

/**
 * A small estate: a tuning job (Sales-7000) with a child that disagrees and one that lacks the key, and a model whose
 * source training job (Eng-1234) comes after it. `name` is how children name their parents; `parentsFirst` lists the
 * tuning job before its children (else after, so they wait for it).
 */
function estateLines(name: (arn: string) => string, parentsFirst: boolean): string[] {
  const hpo = JSON.stringify({ arn: HPO, tags: { [CC]: 'Sales-7000' } });
  const children = [
    JSON.stringify({ arn: DRIFTED, tags: { [CC]: 'Sales-5045' }, state: 'InProgress', parentArns: [name(HPO)] }),
    JSON.stringify({ arn: MISSING, tags: {}, state: 'InProgress', parentArns: [name(HPO)] }),
  ];
  const filler = [0, 1, 2].map((i) => JSON.stringify({ arn: lambdaArn(`fn-${i}`), tags: { [CC]: 'Sales-5045' } }));
  return [
    ...(parentsFirst ? [hpo, ...children] : [...children, hpo]),
    ...filler,
    JSON.stringify({ arn: MODEL, tags: {}, parentArns: [name(SRC)] }),
    JSON.stringify({ arn: SRC, tags: { [CC]: 'Eng-1234' } }),
  ];
}

const scratch = useInventoryScratch('parent-case', DICTIONARY);
const write = (lines: readonly string[]): string => scratch.write(lines);

const scan = (lines: readonly string[], threads: number): Promise<JsonReport> => scanOnThreads(write(lines), DICTIONARY, threads);

const about = (report: JsonReport, arn: string, ruleId: string): Finding[] => report.findings.filter((f) => f.resource.arn === arn && f.ruleId === ruleId);
const inheritedValue = (f: Finding | undefined): string | undefined => {
  const edit = f?.fix?.find((e) => e.type === 'inherit');
  return edit?.op === 'add' || edit?.op === 'set' ? edit.value : undefined;
};

/** What the estate's children must get from their parents, whichever way they name them. */
function expectInherited(report: JsonReport): void {
  const drift = about(report, DRIFTED, 'inherited-tag-drift');
  expect(drift).toHaveLength(1);
  // The parent is shown by its own ARN, as read.
  expect(drift[0]!.data).toMatchObject({ parentArn: HPO, parentValue: 'Sales-7000' });
  expect(inheritedValue(about(report, MISSING, 'missing-tag').find((f) => f.tag?.key === CC))).toBe('Sales-7000');
  expect(inheritedValue(about(report, MODEL, 'missing-tag').find((f) => f.tag?.key === CC))).toBe('Eng-1234');
}

describe('canonicalArn and parentKey', () => {
  it('are one function', () => {
    for (const arn of [HPO, lambdaArn('Billing'), 'not-an-arn']) expect(parentKey(arn)).toBe(canonicalArn(arn));
  });

  it('lower-cases SageMaker ARNs in every partition, and leaves every other ARN as it is', () => {
    expect(parentKey(HPO)).toBe(HPO.toLowerCase());
    expect(parentKey('arn:aws-cn:sagemaker:cn-north-1:111122223333:model/My-Model')).toBe('arn:aws-cn:sagemaker:cn-north-1:111122223333:model/my-model');
    expect(parentKey(lambdaArn('Billing'))).toBe(lambdaArn('Billing'));
    expect(parentKey('arn:aws:iam::111122223333:role/Admin')).toBe('arn:aws:iam::111122223333:role/Admin');
    expect(parentKey('arn:aws:s3:::Bucket-SageMaker:x')).toBe('arn:aws:s3:::Bucket-SageMaker:x');
    expect(parentKey('not-an-arn')).toBe('not-an-arn');
  });
});

describe('ParentIndex matches SageMaker parents in any case', () => {
  const resource = (arn: string, tags: Record<string, string> = {}): Resource => {
    const p = parseArn(arn);
    return { arn, accountId: p.accountId, region: p.region, service: p.service, resourceType: p.resourceType, tags, source: 'inventory' };
  };

  it('finds a mixed-case parent by its lower-cased ARN and the other way round, keeping it as read', () => {
    const index = new ParentIndex();
    index.remember(resource(HPO));
    expect(index.lookup(lower(HPO))?.arn).toBe(HPO);
    expect(index.has(HPO.replace('Churn-HPO', 'CHURN-hpo'))).toBe(true);
    const other = new ParentIndex();
    other.remember(resource(lower(HPO)));
    expect(other.lookup(HPO)?.arn).toBe(lower(HPO));
  });

  it('waits for a wanted parent by its key: the hash workers send is the key’s', () => {
    const index = new ParentIndex();
    index.want([lower(SRC)]);
    expect(index.mayWant(...hashOf(parentKey(SRC)))).toBe(true);
    expect(index.remember(resource(SRC))).toBe(parentKey(SRC));
    expect(index.mayWant(...hashOf(parentKey(SRC)))).toBe(false);
    expect(index.lookup(lower(SRC))?.arn).toBe(SRC);
  });

  it('reads a lazily kept parent named in another case, and keeps the first of two spellings', () => {
    const index = new ParentIndex();
    index.rememberLazy(...hashOf(parentKey(HPO)), () => resource(HPO, { v: 'first' }));
    index.rememberLazy(...hashOf(parentKey(HPO)), () => resource(lower(HPO), { v: 'second' }));
    expect(index.lookup(lower(HPO))?.tags.v).toBe('first');
    const eager = new ParentIndex();
    eager.remember(resource(HPO, { v: 'first' }));
    eager.remember(resource(lower(HPO), { v: 'second' }));
    expect(eager.lookup(HPO)?.tags.v).toBe('first');
  });

  it('still tells apart ARNs of other services that differ only in case', () => {
    const index = new ParentIndex();
    index.want([lambdaArn('billing')]);
    expect(index.remember(resource(lambdaArn('Billing')))).toBeUndefined();
    expect(index.has(lambdaArn('billing'))).toBe(false);
  });
});

describe('scan --inventory: a SageMaker parent named in another case', () => {
  it('is inherited from exactly as when named as listed, on one thread, parents before or after their children', async () => {
    for (const parentsFirst of [true, false]) {
      const reference = await scan(estateLines(same, parentsFirst), 1);
      expectInherited(reference);
      const lowered = await scan(estateLines(lower, parentsFirst), 1);
      expect(lowered).toEqual(reference);
      // Named in upper case, too: the case of either side does not matter.
      expect(await scan(estateLines((arn) => arn.replace(/\/(.*)$/u, (m) => m.toUpperCase()), parentsFirst), 1)).toEqual(reference);
    }
  });

  it('is inherited from across worker threads (--threads 2) as on one thread', async () => {
    expect(workerEntryAvailable(), 'worker threads run dist/: `npm run build` first').toBe(true);
    for (const parentsFirst of [true, false]) {
      const reference = await scan(estateLines(same, parentsFirst), 1);
      const started = pools.started;
      const lowered = await scan(estateLines(lower, parentsFirst), 2);
      expect(pools.started).toBe(started + 1); // worker threads really ran
      expect(lowered).toEqual(reference);
      expectInherited(lowered);
    }
  }, 60_000);

  it('of another service is no parent: ARNs outside SageMaker must match in case', async () => {
    const parent = lambdaArn('Billing-Parent');
    // The child first: a parent of no SageMaker parent kind is kept only when a child already waits for it.
    const lines = (named: string): string[] => [
      JSON.stringify({ arn: lambdaArn('billing-child'), tags: { [CC]: 'Sales-5045' }, parentArns: [named] }),
      JSON.stringify({ arn: parent, tags: { [CC]: 'Sales-7000' } }),
    ];
    for (const threads of [1, 2]) {
      const exact = await scan(lines(parent), threads);
      expect(about(exact, lambdaArn('billing-child'), 'inherited-tag-drift')).toHaveLength(1);
      const otherCase = await scan(lines(parent.toLowerCase()), threads);
      expect(about(otherCase, lambdaArn('billing-child'), 'inherited-tag-drift')).toHaveLength(0);
    }
  }, 60_000);
});

describe('ranges audited apart (in one thread), SageMaker parents in any case', () => {

  it('gives the one-thread report, the first of two spellings of one parent being the parent', async () => {
    for (const parentsFirst of [true, false]) {
      // The same tuning job listed again later in lower case (another source): one resource, so audited once (a
      // duplicate), and the first one listed is the parent, on one thread as across ranges.
      const lines = [...estateLines(lower, parentsFirst), JSON.stringify({ arn: lower(HPO), tags: { [CC]: 'Sales-1111' } })];
      const file = write(lines);
      const reference = await auditOnOneThread(file, scratch.policy);
      expect(reference.orphans).toBe(0);
      expect(reference.duplicates).toBe(1);
      expect(reference.json).not.toContain(`"arn":"${lower(HPO)}"`);
      expect(reference.json).toContain(`while its parent ${HPO} carries \\"Sales-7000\\"`);
      expect(reference.json).not.toContain('carries \\"Sales-1111\\"');
      for (const rangeBytes of [60, 400, 1 << 20]) expect(await auditInRanges(file, scratch.policy, rangeBytes), `ranges of ${rangeBytes} bytes`).toEqual(reference);
    }
  });
});

describe('one SageMaker resource listed under two spellings', () => {
  // As ListModels lists it, then as GetResources gives it lower-cased (another inventory, or a merge of sources).
  const NEVER = sm('model', 'Never-Tagged');
  const JOB = sm('training-job', 'Churn-HPO-240512-003-9f8e7d6c');
  const lines = (): string[] => [
    JSON.stringify({ arn: NEVER, tags: {} }),
    // A child (audited on the main thread) first, then itself again without parents (audited in a range): the two
    // paths must agree on what a duplicate is.
    JSON.stringify({ arn: JOB, tags: {}, state: 'InProgress', parentArns: [HPO] }),
    ...[0, 1, 2, 3].map((i) => JSON.stringify({ arn: lambdaArn(`fn-${i}`), tags: { [CC]: 'Sales-5045' } })),
    JSON.stringify({ arn: lower(NEVER), tags: { [CC]: 'Sales-1111' } }),
    JSON.stringify({ arn: lower(JOB), tags: { [CC]: 'Sales-2222' } }),
    JSON.stringify({ arn: HPO, tags: { [CC]: 'Sales-7000' } }),
  ];
  const arnsOf = (report: JsonReport): Set<string> => new Set(report.findings.map((f) => f.resource.arn));

  it('is audited once, as first listed, on one thread and across worker threads (--threads 2)', async () => {
    expect(workerEntryAvailable(), 'worker threads run dist/: `npm run build` first').toBe(true);
    const reference = await scan(lines(), 1);
    expect(arnsOf(reference)).toEqual(new Set([NEVER, JOB, HPO, ...[0, 1, 2, 3].map((i) => lambdaArn(`fn-${i}`))]));
    expect(reference.summary).toMatchObject({ resources: 7 });
    expect(JSON.stringify(reference)).not.toMatch(/Sales-1111|Sales-2222/);
    const started = pools.started;
    expect(await scan(lines(), 2)).toEqual(reference);
    expect(pools.started).toBe(started + 1);
  }, 60_000);

  it('is audited once across ranges audited apart, whichever range each spelling falls in', async () => {
    // Compared on the report and the duplicates only.
    const jsonAndDuplicates = ({ json, duplicates }: AuditRun): { json: string; duplicates: number } => ({ json, duplicates });
    const file = write(lines());
    const reference = jsonAndDuplicates(await auditOnOneThread(file, scratch.policy));
    expect(reference.duplicates).toBe(2);
    expect(reference.json).not.toMatch(/Sales-1111|Sales-2222/);
    for (const rangeBytes of [60, 200, 400, 1 << 20])
      expect(jsonAndDuplicates(await auditInRanges(file, scratch.policy, rangeBytes)), `ranges of ${rangeBytes} bytes`).toEqual(reference);
  });
});

describe('toResource (live scan merge)', () => {
  it('names each parent once, whatever its case, and never the resource itself', () => {
    const domain = sm('domain', 'd-AbC123');
    const space = sm('space', 'd-AbC123/My-Space');
    const r = toResource(
      {
        arn: space,
        tags: { 'sagemaker:domain-arn': lower(domain), 'sagemaker:space-arn': lower(space) },
        source: 'tagging-api',
        parentArns: [domain],
      },
      { accountId: A, region: 'us-east-1' },
    );
    expect(r?.parentArns).toEqual([domain]);
  });
});
