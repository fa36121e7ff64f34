import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import type { Resource } from '../../../src/inventory/resource.js';
import type { FixPlan, PlannedResource } from '../../../src/fix/plan.js';
import { readPlanFile, writePlanFile } from '../../../src/fix/plan-file.js';
import { printedPlan } from '../../../src/fix/printed-plan.js';
import { renderPlan } from '../../../src/fix/render-plan.js';
import type { FixType } from '../../../src/rules/types.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { DEV, planFromAudit, resource } from './helpers.js';
import { tempDir } from './run.js';

const policy = anycompanyPolicy();
const COST = 'anycompany:finance:cost-center';
const CLASS = 'anycompany:security:data-classification';

/** A running tuning job carrying `Sales-7000` and one training job of it, in `state` with `tags`: each test its own pair. */
function family(name: string, tags: Record<string, string>, state: string): { parent: Resource; child: Resource; all: Resource[] } {
  const parent = resource(`arn:aws:sagemaker:us-east-1:${DEV}:hyper-parameter-tuning-job/${name}`, tagsWith({ [COST]: 'Sales-7000' }), { state: 'InProgress' });
  const child = resource(`arn:aws:sagemaker:us-east-1:${DEV}:training-job/${name}-001`, tags, { state, parentArns: [parent.arn] });
  return { parent, child, all: [parent, child] };
}

function plannedOf(plan: FixPlan, arn: string): PlannedResource | undefined {
  return plan.resources.find((r) => r.arn === arn);
}

describe('a finished job in the plan (defect 5): marked, and never given a parent value over its own', () => {
  it('a missing cost-allocation key is still added, marked noPastCost, with the job state on the resource', () => {
    const { parent, child, all } = family('add', tagsWith({ [COST]: undefined, [CLASS]: undefined }), 'Completed');
    const planned = plannedOf(planFromAudit(policy, all), child.arn);
    expect(planned?.finishedJob).toBe('Completed');
    expect(planned?.edits).toEqual([
      { op: 'add', type: 'inherit', key: COST, value: 'Sales-7000', parentArn: parent.arn, noPastCost: true },
      // Not a cost-allocation key: it matters on a finished job too, so it is not marked.
      { op: 'add', type: 'add-default', key: CLASS, value: 'internal' },
    ]);
  });

  it("a blank cost-allocation value is filled with the parent's, marked", () => {
    const { parent, child, all } = family('blank', tagsWith({ [COST]: '' }), 'Stopped');
    const planned = plannedOf(planFromAudit(policy, all), child.arn);
    expect(planned?.edits).toEqual([{ op: 'set', type: 'inherit', key: COST, expected: '', value: 'Sales-7000', parentArn: parent.arn, noPastCost: true }]);
  });

  it("the parent's value over the job's own is skipped (finished-job), not planned", () => {
    const { child, all } = family('set', tagsWith({ [COST]: 'Sales-5045' }), 'Completed');
    const plan = planFromAudit(policy, all);
    expect(plannedOf(plan, child.arn)).toBeUndefined();
    expect(plan.skipped).toEqual([
      {
        arn: child.arn,
        ruleId: 'inherited-tag-drift',
        key: COST,
        reason: 'finished-job',
        detail:
          `the job has finished (Completed): its parent's "Sales-7000" written over its ${COST} "Sales-5045" would attribute none of its past ` +
          'cost, and its tags would no longer match the cost and usage lines it produced; change it by hand if it is wrong',
      },
    ]);
    expect(renderPlan(plan)).toContain('; 1 skipped (finished-job 1)');
  });

  it('a rename carrying the parent value renames the key keeping the old value, marked; the value change is skipped', () => {
    const { child, all } = family('rename', tagsWith({ [COST]: undefined, CostCenter: 'Sales-5045' }), 'Failed');
    const plan = planFromAudit(policy, all);
    expect(plannedOf(plan, child.arn)?.edits).toEqual([
      { op: 'rename', type: 'rename-key', from: 'CostCenter', to: COST, expected: 'Sales-5045', value: 'Sales-5045', noPastCost: true },
    ]);
    expect(plan.skipped).toEqual([
      expect.objectContaining({
        arn: child.arn,
        ruleId: 'inherited-tag-drift',
        reason: 'finished-job',
        detail: expect.stringMatching(new RegExp(`^CostCenter is renamed to ${COST} keeping its value: the job has finished \\(Failed\\)`)),
      }),
    ]);
  });

  it('with rename-key not requested, the rename carrying the parent value is skipped whole, saying both', () => {
    const { child, all } = family('rename-only-inherit', tagsWith({ [COST]: undefined, CostCenter: 'Sales-5045' }), 'Completed');
    const plan = planFromAudit(policy, all, { fixTypes: new Set<FixType>(['inherit']) });
    expect(plannedOf(plan, child.arn)).toBeUndefined();
    expect(plan.skipped).toContainEqual(
      expect.objectContaining({
        ruleId: 'deprecated-tag-key',
        reason: 'fix-type-filtered',
        detail: expect.stringMatching(/^rename-key edits were not requested \(--fix-type\), and its value is not set in place either: the job has finished/),
      }),
    );
  });

  it('a running job gets the same edits unmarked (no finishedJob)', () => {
    const { parent, child, all } = family('running', tagsWith({ [COST]: 'Sales-5045' }), 'InProgress');
    const plan = planFromAudit(policy, all);
    const planned = plannedOf(plan, child.arn);
    expect(planned).not.toHaveProperty('finishedJob');
    expect(planned?.edits).toEqual([{ op: 'set', type: 'inherit', key: COST, expected: 'Sales-5045', value: 'Sales-7000', parentArn: parent.arn }]);
    expect(plan.skipped).toEqual([]);
  });

  it('shows the marks in the dry run: a note under the job, [no past cost] per edit, and a count in the last line', () => {
    const a = family('shown', tagsWith({ [COST]: undefined, [CLASS]: undefined }), 'Completed');
    const b = family('live', tagsWith({ [COST]: 'Sales-5045' }), 'InProgress');
    const text = renderPlan(planFromAudit(policy, [...a.all, ...b.all]), { title: 'Plan' });
    const lines = text.trimEnd().split('\n');
    const header = lines.findIndex((l) => l.startsWith(a.child.arn));
    expect(lines.slice(header + 1, header + 5)).toEqual([
      '  finished job (Completed): AWS never applies tags retroactively, so an edit marked',
      '    [no past cost] attributes none of the cost the job already incurred',
      `  inherit      (no ${COST}) → ${COST}="Sales-7000" (from ${a.parent.arn}) [no past cost]`,
      `  add-default  (no ${CLASS}) → ${CLASS}="internal"`,
    ]);
    const live = lines.findIndex((l) => l.startsWith(b.child.arn));
    expect(lines[live + 1]).toBe(`  inherit      ${COST}="Sales-5045" → ${COST}="Sales-7000" (from ${b.parent.arn})`);
    expect(lines.at(-1)).toBe('Plan: 2 resources to change, 3 edits (add-default 1, inherit 2; 1 of them on finished jobs [no past cost]); 0 conflicts; 0 skipped');
    for (const l of lines.filter((x) => x.startsWith('  finished job') || x.startsWith('    [no past cost]'))) expect(l.length).toBeLessThanOrEqual(100);
  });

  it('says nothing of finished jobs when no edit is marked', () => {
    const { all } = family('plain', tagsWith({ [COST]: 'Sales-5045' }), 'InProgress');
    const text = renderPlan(planFromAudit(policy, all));
    expect(text).not.toContain('finished');
    expect(text).not.toContain('no past cost');
  });
});

describe('where an inherited value comes from (defect 7)', () => {
  it('names the parent the finding compared with when there are several', () => {
    const models = ['m1', 'm2'].map((m) => resource(`arn:aws:sagemaker:us-east-1:${DEV}:model/${m}`, tagsWith({ [COST]: 'Sales-7000' })));
    const config = resource(`arn:aws:sagemaker:us-east-1:${DEV}:endpoint-config/cfg`, tagsWith({ [COST]: 'Sales-5045' }), {
      parentArns: models.map((m) => m.arn),
    });
    const edit = plannedOf(planFromAudit(policy, [...models, config]), config.arn)?.edits[0];
    expect(edit).toMatchObject({ type: 'inherit', value: 'Sales-7000' });
    expect(models.map((m) => m.arn)).toContain(edit && 'parentArn' in edit ? edit.parentArn : undefined);
  });

  it('masks an e-mail address in the parent ARN in the dry run, as in every ARN it shows', () => {
    const parentArn = `arn:aws:iam::${DEV}:role/jane.doe@example.com`;
    const plan: FixPlan = {
      kind: 'tagaudit-fix-plan',
      version: 1,
      createdAt: '2024-06-01T12:00:00.000Z',
      tool: { name: 'tagaudit', version: '0' },
      dictionary: { path: 'd.yaml', sha256: '0'.repeat(64) },
      fixTypes: ['inherit'],
      resources: [
        {
          arn: `arn:aws:sagemaker:us-east-1:${DEV}:training-job/j`,
          accountId: DEV,
          region: 'us-east-1',
          resourceType: 'sagemaker:training-job',
          expectedTags: [],
          edits: [{ op: 'add', type: 'inherit', key: COST, value: 'Sales-7000', parentArn }],
          ruleIds: ['missing-tag'],
        },
      ],
      conflicts: [],
      skipped: [],
    };
    const text = renderPlan(plan);
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).toMatch(/\(from arn:aws:iam::111122223333:role\/j\*+@e\*+e\.com\)/);
    // The printed JSON plan keeps the field (fix --format json masks the ARNs of the whole text).
    expect(printedPlan(plan).resources[0]?.edits[0]).toHaveProperty('parentArn', parentArn);
  });
});

describe('saved plans with the new fields', () => {
  async function loadError(file: string): Promise<string> {
    try {
      await readPlanFile(file);
    } catch (err) {
      if (err instanceof UsageError) return err.toLine().replace(file, 'plan.json');
      throw err;
    }
    throw new Error('no error');
  }

  const base = (): FixPlan => {
    const { all } = family('saved', tagsWith({ [COST]: undefined }), 'Completed');
    return planFromAudit(policy, all);
  };

  it('round-trip, with the dictionary checks too', async () => {
    const plan = base();
    expect(JSON.stringify(plan)).toContain('"noPastCost":true');
    const file = join(tempDir(), 'plan.json');
    await writePlanFile(file, plan);
    expect(await readPlanFile(file, async () => ({ policy, sameDictionary: true }))).toEqual(plan);
  });

  it('a plan from before the fields existed loads and shows no marks', async () => {
    const p = JSON.parse(JSON.stringify(base())) as { resources: { finishedJob?: string; edits: Record<string, unknown>[] }[] };
    for (const r of p.resources) {
      delete r.finishedJob;
      for (const e of r.edits) {
        delete e.parentArn;
        delete e.noPastCost;
      }
    }
    const file = join(tempDir(), 'plan.json');
    writeFileSync(file, JSON.stringify(p, null, 2));
    const text = renderPlan(await readPlanFile(file));
    expect(text).not.toContain('no past cost');
    expect(text).not.toContain('(from ');
  });

  it('refuses malformed fields', async () => {
    const write = (edit: (p: { resources: Record<string, unknown>[] }) => void): string => {
      const p = JSON.parse(JSON.stringify(base())) as { resources: Record<string, unknown>[] };
      edit(p);
      const file = join(tempDir(), 'plan.json');
      writeFileSync(file, JSON.stringify(p, null, 2));
      return file;
    };
    const edit0 = (p: { resources: Record<string, unknown>[] }): Record<string, unknown> => (p.resources[0]!.edits as Record<string, unknown>[])[0]!;
    expect(await loadError(write((p) => (edit0(p).noPastCost = false)))).toContain('"noPastCost" must be true when present (at resources.0.edits.0.noPastCost)');
    expect(await loadError(write((p) => delete p.resources[0]!.finishedJob))).toContain(
      '"noPastCost" marks an edit of a finished job: the resource has no "finishedJob" (at resources.0.edits.0.noPastCost)',
    );
    expect(await loadError(write((p) => (p.resources[0]!.finishedJob = 3)))).toContain('"finishedJob" must be a string');
    expect(await loadError(write((p) => (edit0(p).parentArn = 7)))).toContain('"parentArn" must be a string');
    expect(await loadError(write((p) => (edit0(p).type = 'add-default')))).toContain(
      `"parentArn" is only for an edit that copies its parent's value (inherit) (at resources.0.edits.0.parentArn)`,
    );
  });
});
