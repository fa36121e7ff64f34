import { describe, expect, it, vi } from 'vitest';
import { workerEntryAvailable } from '../../../src/audit/parallel/range-pool.js';
import type { Finding } from '../../../src/rules/types.js';
import { auditInRanges, auditOnOneThread, scanOnThreads, useInventoryScratch, type ScanFindings } from '../../support/parent-audit.js';
import { runCli } from '../../support/cli.js';
import type * as RangePoolModule from '../../../src/audit/parallel/range-pool.js';

// Counts the worker pools the CLI starts, so a --threads test can tell that worker threads really ran.
const pools = vi.hoisted(() => ({ started: 0 }));
vi.mock('../../../src/audit/parallel/range-pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof RangePoolModule>();
  return { ...real, workerPool: (...args: Parameters<typeof real.workerPool>) => (pools.started++, real.workerPool(...args)) };
});

/*
 * An offline inventory that carries only the tags SageMaker records (no parentArns, as a get-resources export holds
 * them) must give the findings a live scan gives: the parents come from those tags, on every audit path.
 */
const DICTIONARY = 'dictionaries/anycompany.yaml';
const CC = 'anycompany:finance:cost-center';
const A = '111122223333';
const sm = (type: string, name: string): string => `arn:aws:sagemaker:us-east-1:${A}:${type}/${name}`;

const PIPELINE = sm('pipeline', 'Churn-Pipeline');
// SageMaker writes the execution ARN lower-cased in the tag.
const EXECUTION = `${PIPELINE.toLowerCase()}/execution/e1abc`;
const MISSING = sm('training-job', 'pipelines-e1abc-train');
const DRIFTED = sm('training-job', 'pipelines-e1abc-eval');
const NAMED = sm('training-job', 'pipelines-e1abc-tune');
const SPACE = sm('space', 'd-1/shared');
const APP = sm('app', 'd-1/shared/jupyterlab/default');

/** The pipeline before or after its jobs; the job NAMED names the execution in parentArns instead of in a tag. */
function estate(parentsFirst: boolean): string[] {
  const pipeline = JSON.stringify({ arn: PIPELINE, tags: { [CC]: 'Sales-7000' } });
  const jobs = [
    JSON.stringify({ arn: MISSING, tags: { 'sagemaker:pipeline-execution-arn': EXECUTION }, state: 'InProgress' }),
    JSON.stringify({ arn: DRIFTED, tags: { 'sagemaker:pipeline-execution-arn': EXECUTION, [CC]: 'Sales-5045' }, state: 'InProgress' }),
    JSON.stringify({ arn: NAMED, tags: {}, state: 'InProgress', parentArns: [EXECUTION] }),
  ];
  const filler = [0, 1, 2].map((i) => JSON.stringify({ arn: `arn:aws:lambda:us-east-1:${A}:function:fn-${i}`, tags: { [CC]: 'Sales-5045' } }));
  // A space listed before the app whose tag names it: it must still be the app's parent.
  const studio = [JSON.stringify({ arn: SPACE, tags: { [CC]: 'Eng-1234' } }), ...filler, JSON.stringify({ arn: APP, tags: { 'sagemaker:space-arn': SPACE } })];
  return [...(parentsFirst ? [pipeline, ...jobs] : [...jobs, pipeline]), ...studio];
}

const about = (findings: readonly Finding[], arn: string, ruleId: string): Finding[] => findings.filter((f) => f.resource.arn === arn && f.ruleId === ruleId);
const inherited = (findings: readonly Finding[], arn: string): string | undefined => {
  const edit = about(findings, arn, 'missing-tag')
    .find((f) => f.tag?.key === CC)
    ?.fix?.find((e) => e.type === 'inherit');
  return edit?.op === 'add' || edit?.op === 'set' ? edit.value : undefined;
};

function expectParentsFound(report: ScanFindings): void {
  expect(inherited(report.findings, MISSING)).toBe('Sales-7000');
  expect(inherited(report.findings, NAMED)).toBe('Sales-7000');
  expect(about(report.findings, DRIFTED, 'inherited-tag-drift')[0]?.data).toMatchObject({ parentArn: PIPELINE, parentValue: 'Sales-7000' });
  expect(inherited(report.findings, APP)).toBe('Eng-1234');
}

const scratch = useInventoryScratch('tag-parents', DICTIONARY);

describe('parents SageMaker records in tags, read from an inventory', () => {
  it('are found on one thread and in ranges audited apart, parents before or after their children', async () => {
    for (const parentsFirst of [true, false]) {
      const file = scratch.write(estate(parentsFirst));
      const report = await scanOnThreads(file, DICTIONARY, 1);
      expectParentsFound(report);
      const reference = await auditOnOneThread(file, scratch.policy);
      for (const rangeBytes of [60, 400, 1 << 20]) expect(await auditInRanges(file, scratch.policy, rangeBytes), `ranges of ${rangeBytes} bytes`).toEqual(reference);
    }
  });

  it('are found across worker threads (--threads 2) as on one thread', async () => {
    expect(workerEntryAvailable(), 'worker threads run dist/: `npm run build` first').toBe(true);
    for (const parentsFirst of [true, false]) {
      const file = scratch.write(estate(parentsFirst));
      const reference = await scanOnThreads(file, DICTIONARY, 1);
      const started = pools.started;
      const threaded = await scanOnThreads(file, DICTIONARY, 2);
      expect(pools.started).toBe(started + 1); // worker threads really ran
      expect(threaded).toEqual(reference);
      expectParentsFound(threaded);
    }
  }, 60_000);

  it('are found in a get-resources export (the tester’s case: the pipeline’s cost center is proposed for its job)', async () => {
    const tags = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
    const doc = {
      ResourceTagMappingList: [
        { ResourceARN: PIPELINE, Tags: tags({ [CC]: 'Sales-7000' }) },
        { ResourceARN: MISSING, Tags: tags({ 'sagemaker:pipeline-execution-arn': EXECUTION }) },
      ],
    };
    const file = scratch.write([JSON.stringify(doc, null, 2)]);
    const r = await runCli(['scan', '-i', file, '-d', DICTIONARY, '--format', 'json', '--fail-on', 'none']);
    expect(r.code).toBe(0);
    const missing = about((JSON.parse(r.stdout) as ScanFindings).findings, MISSING, 'missing-tag').find((f) => f.tag?.key === CC);
    expect(missing?.message).toContain(`copied from its parent ${PIPELINE}`);
  });
});
