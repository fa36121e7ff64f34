import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import type { Resource } from '../../../src/inventory/resource.js';
import type { ResourceOutcome } from '../../../src/fix/apply.js';
import type { TagBackend } from '../../../src/fix/backend.js';
import type { FixPlan } from '../../../src/fix/plan.js';
import { checkPlan } from '../../../src/fix/plan-file.js';
import { createPlanner } from '../../../src/fix/planner.js';
import { verifyApplied } from '../../../src/fix/verify.js';
import { parentKey } from '../../../src/audit/parent-key.js';
import { createAuditor } from '../../../src/rules/engine.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { plannerOptions, resource } from './helpers.js';
import { MemoryCloud } from './memory-cloud.js';

const policy = anycompanyPolicy();
const CC = 'anycompany:finance:cost-center';
const ENV = 'anycompany:workload:environment';
const P = 'arn:aws:sagemaker:us-east-1:111122223333:';
// The tuning job as its own list call returns it; its training job names it lower-cased (boto3#4606).
const HPO = `${P}hyper-parameter-tuning-job/Churn-HPO-240512`;
const JOB = `${P}training-job/churn-hpo-240512-001-1f2e3d4c`;

/** A clean tuning job: nothing to fix, so it is not in the plan (the usual case). */
const parent = resource(HPO, tagsWith({ [CC]: 'Sales-7000' }));
/** Its training job: a key rename to apply, and a cost center that disagrees with its parent. */
const child = (named: string): Resource => resource(JOB, tagsWith({ [CC]: 'Sales-5045', [ENV]: undefined, env: 'prod' }), { parentArns: [named] });

/** Audits and plans as `tagaudit fix` does: the run's parent index finds a SageMaker parent named in any case. */
function planOf(resources: readonly Resource[]): FixPlan {
  const byKey = new Map(resources.map((r) => [parentKey(r.arn), r]));
  const auditor = createAuditor(policy);
  const planner = createPlanner(plannerOptions(policy));
  for (const r of resources) planner.add(r, auditor.audit(r, (arn) => byKey.get(parentKey(arn))));
  return planner.finish({ createdAt: '2024-06-01T12:00:00.000Z', toolVersion: '0.0.0-test' });
}

/** SageMaker's answer to an ARN in the wrong case: the resource "does not exist" (the reader files it as missing). */
function sageMakerLike(cloud: MemoryCloud): TagBackend {
  const inner = cloud.backend();
  return async (accountId, region) => {
    const backend = await inner(accountId, region);
    return {
      ...backend,
      readTags: async (resources) => {
        const read = await backend.readTags(resources);
        return { ...read, missing: new Set(resources.filter((r) => !cloud.tags.has(r.arn)).map((r) => r.arn)) };
      },
    };
  };
}

async function verify(plan: FixPlan, touched: readonly string[]) {
  const cloud = new MemoryCloud({ [HPO]: { ...parent.tags }, [JOB]: { ...child(HPO).tags } });
  const auditor = createAuditor(policy);
  const outcomes: ResourceOutcome[] = touched.map((arn) => {
    const r = plan.resources.find((x) => x.arn === arn)!;
    return { arn, accountId: r.accountId, region: r.region, resourceType: r.resourceType, status: 'fixed' };
  });
  const verified = await verifyApplied({
    plan,
    outcomes,
    backend: sageMakerLike(cloud),
    secrets: new Map(),
    audit: (r, lookup) => auditor.audit(r, lookup),
  });
  const reads = cloud.calls.filter((c) => c.api === 'read').flatMap((c) => c.arns);
  const drift = verified.find((v) => v.arn === JOB)!.findings.filter((f) => f.ruleId === 'inherited-tag-drift');
  return { drift, reads };
}

describe('fix plans name parents by the ARN they were read under', () => {
  it('a parent the child names lower-cased is recorded by its own ARN', () => {
    const plan = planOf([parent, child(HPO.toLowerCase())]);
    expect(plan.resources.map((r) => r.arn)).toEqual([JOB]);
    expect(plan.resources[0]!.parentArns).toEqual([HPO]);
  });

  it('a parent the audit did not find stays as the child names it', () => {
    const orphan = `${P}hyper-parameter-tuning-job/gone-hpo`;
    const plan = planOf([child(orphan)]);
    expect(plan.resources[0]!.parentArns).toEqual([orphan]);
  });
});

describe('tagaudit fix --plan-out', () => {
  it('saves the parent by its own ARN when the child names it lower-cased', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagaudit-parent-as-read-'));
    try {
      const line = (r: Resource): string => JSON.stringify({ arn: r.arn, tags: r.tags, ...(r.parentArns ? { parentArns: r.parentArns } : {}) });
      writeFileSync(join(dir, 'estate.jsonl'), `${[line(child(HPO.toLowerCase())), line(parent)].join('\n')}\n`);
      const dictionary = fileURLToPath(new URL('../../../dictionaries/anycompany.yaml', import.meta.url));
      const r = await runCli(['fix', '-d', dictionary, '-i', 'estate.jsonl', '--plan-out', 'plan.json'], { cwd: dir });
      expect(r.stderr).toBe('tagaudit: plan saved to plan.json\n');
      const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as FixPlan;
      expect(plan.resources.map((x) => [x.arn, x.parentArns])).toEqual([[JOB, [HPO]]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('verifyApplied re-reads a parent outside the plan by the ARN it was read under', () => {
  it('finds the drift against a parent the child names lower-cased', async () => {
    const plan = planOf([parent, child(HPO.toLowerCase())]);
    const { drift, reads } = await verify(plan, [JOB]);
    expect(reads).toContain(HPO);
    expect(reads).not.toContain(HPO.toLowerCase());
    expect(drift.map((f) => f.data)).toEqual([expect.objectContaining({ parentArn: HPO, parentValue: 'Sales-7000' })]);
  });

  it('a plan saved before parents were recorded so still loads, and reads the parent as the child named it', async () => {
    // An older plan: the child's spelling, as the planner stored it then. Read as named (the one name it has).
    const saved = planOf([parent, child(HPO.toLowerCase())]);
    const old = JSON.parse(JSON.stringify({ ...saved, resources: saved.resources.map((r) => ({ ...r, parentArns: [HPO.toLowerCase()] })) })) as unknown;
    checkPlan(old);
    const { reads } = await verify(old, [JOB]);
    expect(reads).toContain(HPO.toLowerCase());
    // Named as listed, an older plan finds the drift as before.
    const exact = planOf([parent, child(HPO)]);
    expect(exact.resources[0]!.parentArns).toEqual([HPO]);
    const asListed = await verify(exact, [JOB]);
    expect(asListed.drift.map((f) => f.data?.parentArn)).toEqual([HPO]);
  });

  it('of two planned resources sharing a parent key, reads the first (as the audit keeps the first)', async () => {
    // The parent planned twice, as listed then lower-cased (a plan written by hand, or from before the duplicate check
    // ignored case); the child names it lower-cased. The first is the parent, as ParentIndex has it.
    const base = planOf([resource(HPO, tagsWith({ [CC]: 'Sales-7000', [ENV]: undefined, env: 'prod' })), child(HPO.toLowerCase())]);
    const planned = base.resources.find((r) => r.arn === HPO)!;
    const job = base.resources.find((r) => r.arn === JOB)!;
    const plan: FixPlan = { ...base, resources: [planned, { ...planned, arn: HPO.toLowerCase() }, { ...job, parentArns: [HPO.toLowerCase()] }] };
    const { drift, reads } = await verify(plan, [JOB]);
    expect(reads).toContain(HPO);
    expect(reads).not.toContain(HPO.toLowerCase());
    expect(drift.map((f) => f.data?.parentArn)).toEqual([HPO]);
  });
});
