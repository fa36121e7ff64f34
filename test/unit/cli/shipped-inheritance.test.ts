import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

// Acceptance test s13's reproductions (SageMaker spend attribution), against the shipped dictionaries: what the
// scan reports and the fix plans when a parent's value is not the child's.

const REPO = resolve(import.meta.dirname, '../../..');
const ML = join(REPO, 'dictionaries/ml-lifecycle.yaml');
const MLAAS = join(REPO, 'dictionaries/mlaas-tenant.yaml');

interface Finding {
  readonly ruleId: string;
  readonly severity: string;
  readonly resource: { readonly arn: string };
  readonly tag?: { readonly key: string; readonly value?: string };
  readonly fix?: readonly { readonly type: string; readonly value?: string }[];
}
interface PlanEdit {
  readonly op: string;
  readonly type: string;
  readonly key?: string;
  readonly to?: string;
  readonly value?: string;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-s13-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function inventory(lines: readonly object[]): string {
  const file = join(dir, `inv-${++n}.jsonl`);
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return file;
}

async function scan(dictionary: string, inv: string): Promise<Finding[]> {
  const r = await runCli(['scan', '-d', dictionary, '-i', inv, '--format', 'json', '--fail-on', 'none'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
}

/** Every planned edit, as `name: type key=value` (the ARN's last part names the resource). */
async function plan(dictionary: string, inv: string): Promise<string[]> {
  const r = await runCli(['fix', '-d', dictionary, '-i', inv, '--format', 'json'], { cwd: dir });
  expect(r.stderr).not.toMatch(/^\s+at /m);
  const parsed = JSON.parse(r.stdout) as { resources: { arn: string; edits: PlanEdit[] }[] };
  return parsed.resources.flatMap((res) =>
    res.edits.map((e) => `${res.arn.slice(res.arn.lastIndexOf('/') + 1)}: ${e.type} ${e.key ?? e.to}=${e.value ?? ''}`),
  );
}

const rules = (findings: readonly Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);

const NLP = { Project: 'Alpha-NLP', Owner: 'NLP-Research', CostCenter: 'RND-4100' };
const sm = (account: string, path: string) => `arn:aws:sagemaker:us-east-1:${account}:${path}`;

describe('defect 1: ml-lifecycle ML-Phase is not copied across phases', () => {
  const a = '111122223333';
  const pipeline = sm(a, 'pipeline/nlp-train');
  const model = sm(a, 'model/nlp-model');
  const cfg = sm(a, 'endpoint-config/nlp-cfg');
  const dev = { ...NLP, Environment: 'Development' };
  const prod = { ...NLP, Environment: 'Production' };
  const lines = [
    { arn: pipeline, tags: { ...dev, 'ML-Phase': 'Training' }, state: 'Active' },
    { arn: sm(a, 'processing-job/pipelines-x1-preprocess'), tags: { ...dev, 'ML-Phase': 'Preprocessing' }, state: 'InProgress', parentArns: [pipeline] },
    { arn: sm(a, 'processing-job/pipelines-x1-evaluate'), tags: dev, state: 'InProgress', parentArns: [pipeline] },
    { arn: sm(a, 'transform-job/pipelines-x1-batch'), tags: { ...dev, 'ML-Phase': 'Batch-Transform' }, state: 'InProgress', parentArns: [pipeline] },
    { arn: model, tags: { ...prod, 'ML-Phase': 'Training' } },
    { arn: cfg, tags: { ...prod, 'ML-Phase': 'Inference' }, parentArns: [model] },
    { arn: sm(a, 'endpoint/nlp-live'), tags: { ...prod, 'ML-Phase': 'Inference' }, state: 'InService', parentArns: [cfg] },
  ];

  it('the plan only normalises Batch-Transform to Inference: no step, config or endpoint becomes Training', async () => {
    const inv = inventory(lines);
    expect(await plan(ML, inv)).toEqual(['pipelines-x1-batch: normalize-value ML-Phase=Inference']);
    const findings = await scan(ML, inv);
    expect(rules(findings, 'inherited-tag-drift')).toEqual([]);
    const [missing] = rules(findings, 'missing-tag');
    expect(missing?.resource.arn).toBe(sm(a, 'processing-job/pipelines-x1-evaluate'));
    expect(missing?.fix).toBeUndefined();
  });

  it("a tuning job's training jobs and an endpoint config's endpoints still take its phase", async () => {
    const hpo = sm(a, 'hyper-parameter-tuning-job/nlp-hpo');
    const inv = inventory([
      { arn: hpo, tags: { ...dev, 'ML-Phase': 'Training' }, state: 'InProgress' },
      { arn: sm(a, 'training-job/nlp-hpo-001'), tags: { ...dev, 'ML-Phase': 'Inference' }, state: 'InProgress', parentArns: [hpo] },
      { arn: sm(a, 'training-job/nlp-hpo-002'), tags: dev, state: 'InProgress', parentArns: [hpo] },
      { arn: cfg, tags: { ...prod, 'ML-Phase': 'Inference' } },
      { arn: sm(a, 'endpoint/nlp-live'), tags: prod, state: 'InService', parentArns: [cfg] },
    ]);
    expect((await plan(ML, inv)).sort()).toEqual([
      'nlp-hpo-001: inherit ML-Phase=Training',
      'nlp-hpo-002: inherit ML-Phase=Training',
      'nlp-live: inherit ML-Phase=Inference',
    ]);
  });
});

describe('mlaas-tenant: the tenant id', () => {
  const a = '123456789012';
  const svc = { 'mlaas:service': 'churn-detection', 'mlaas:environment': 'prod' };
  const tenantModel = sm(a, 'model/t-b-model');

  it('defect 2: a pooled endpoint config keeps `shared` (pool and Shared are only normalised to it)', async () => {
    const inv = inventory([
      { arn: tenantModel, tags: { 'mlaas:tenant-id': 't-0000000b', ...svc }, state: 'Created' },
      { arn: sm(a, 'endpoint-config/shared-cfg'), tags: { 'mlaas:tenant-id': 'shared', ...svc }, parentArns: [tenantModel] },
      { arn: sm(a, 'endpoint-config/pool-cfg'), tags: { 'mlaas:tenant-id': 'pool', ...svc }, parentArns: [tenantModel] },
      { arn: sm(a, 'endpoint-config/Shared-cfg3'), tags: { 'mlaas:tenant-id': 'Shared', ...svc }, parentArns: [tenantModel] },
    ]);
    expect(rules(await scan(MLAAS, inv), 'inherited-tag-drift')).toEqual([]);
    expect((await plan(MLAAS, inv)).sort()).toEqual(['Shared-cfg3: normalize-value mlaas:tenant-id=shared', 'pool-cfg: normalize-value mlaas:tenant-id=shared']);
  });

  it("defect 3: a tenant id on the shared pipeline is no reference for the tenants' jobs", async () => {
    const pipeline = sm(a, 'pipeline/mlaas-build');
    const job = (run: string, tenant: string, tier: string, service: string) => ({
      arn: sm(a, `training-job/pipelines-${run}-train`),
      tags: { 'mlaas:tenant-id': tenant, 'mlaas:tier': tier, 'mlaas:service': service, 'mlaas:environment': 'prod' },
      state: 'InProgress',
      parentArns: [pipeline],
    });
    const inv = inventory([
      { arn: pipeline, tags: { 'mlaas:tenant-id': 't-0000000a', 'mlaas:tier': 'premium', 'mlaas:environment': 'prod' } },
      job('e1', 't-0000000b', 'basic', 'churn-detection'),
      job('e2', 't-0000000c', 'premium', 'fraud-scoring'),
      job('e3', 't-0000000d', 'standard', 'sales-forecast'),
      { ...job('e4', 't-0000000e', 'basic', 'churn-detection'), tags: { 'mlaas:environment': 'prod' } },
    ]);
    expect(await scan(MLAAS, inv).then((f) => rules(f, 'inherited-tag-drift'))).toEqual([]);
    // e4 lacks its tenant, tier and service: nothing from the pipeline is proposed for them.
    expect(await plan(MLAAS, inv)).toEqual([]);
  });

  it('a tuning job still gives its training jobs its tenant, and a model its endpoint config', async () => {
    const hpo = sm(a, 'hyper-parameter-tuning-job/t-a-churn-hpo');
    const cfg = sm(a, 'endpoint-config/t-b-cfg');
    const inv = inventory([
      { arn: hpo, tags: { 'mlaas:tenant-id': 't-0000000a', 'mlaas:tier': 'premium', ...svc }, state: 'InProgress' },
      { arn: sm(a, 'training-job/t-a-churn-hpo-001'), tags: { 'mlaas:tier': 'premium', ...svc }, state: 'InProgress', parentArns: [hpo] },
      { arn: tenantModel, tags: { 'mlaas:tenant-id': 't-0000000b', ...svc } },
      { arn: cfg, tags: svc, parentArns: [tenantModel] },
      { arn: sm(a, 'endpoint/t-b-ep'), tags: { ...svc, 'mlaas:tenant-id': 't-0000000c' }, state: 'InService', parentArns: [cfg] },
    ]);
    expect((await plan(MLAAS, inv)).sort()).toEqual(['t-a-churn-hpo-001: inherit mlaas:tenant-id=t-0000000a', 't-b-cfg: inherit mlaas:tenant-id=t-0000000b']);
  });

  it('defect 4: a second model without a tenant makes the endpoint config’s tenant a guess', async () => {
    const cfg = sm(a, 'endpoint-config/two-variant-cfg');
    const inv = inventory([
      { arn: sm(a, 'model/t-a-model'), tags: { 'mlaas:tenant-id': 't-0000000a', ...svc } },
      { arn: sm(a, 'model/untagged-model'), tags: {} },
      { arn: cfg, tags: { 'mlaas:environment': 'prod' }, parentArns: [sm(a, 'model/t-a-model'), sm(a, 'model/untagged-model')] },
      { arn: sm(a, 'endpoint/two-variant-ep'), tags: svc, state: 'InService', parentArns: [cfg] },
    ]);
    const edits = await plan(MLAAS, inv);
    expect(edits.filter((e) => e.includes('tenant-id'))).toEqual([]);
    expect(rules(await scan(MLAAS, inv), 'inherited-tag-drift')).toEqual([]);
  });
});

describe('defect 8: ml-lifecycle reports every other casing of a key as miscased-tag-key, at error', () => {
  it('project and PrOjEcT alike', async () => {
    const tags = { Environment: 'Development', Owner: 'NLP-Research', CostCenter: 'RND-4100', 'ML-Phase': 'Training' };
    const inv = inventory([
      { arn: sm('111122223333', 'training-job/k1'), tags: { project: 'Alpha-NLP', ...tags }, state: 'InProgress' },
      { arn: sm('111122223333', 'training-job/k2'), tags: { PROJECT: 'Alpha-NLP', ...tags }, state: 'InProgress' },
      { arn: sm('111122223333', 'training-job/k3'), tags: { PrOjEcT: 'Alpha-NLP', ...tags }, state: 'InProgress' },
      { arn: sm('111122223333', 'training-job/k4'), tags: { ...NLP, 'Environment': 'Development', 'ml-phase': 'Training', 'cost-center': 'RND-4100' }, state: 'InProgress' },
    ]);
    const findings = await scan(ML, inv);
    expect(rules(findings, 'deprecated-tag-key')).toEqual([]);
    expect(rules(findings, 'miscased-tag-key').map((f) => `${f.tag?.key} ${f.severity}`)).toEqual([
      'project error',
      'PROJECT error',
      'PrOjEcT error',
      'ml-phase error',
      'cost-center error',
    ]);
  });
});
