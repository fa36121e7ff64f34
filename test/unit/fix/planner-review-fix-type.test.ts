import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planResource } from '../../../src/fix/planner.js';
import type { FixType, TagEdit } from '../../../src/rules/types.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { runCli } from '../../support/cli.js';
import { finding, lambda, planFromAudit, plannerOptions, resource } from './helpers.js';

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';
const COST = 'anycompany:finance:cost-center';

const types = (...t: FixType[]): { fixTypes: Set<FixType> } => ({ fixTypes: new Set(t) });

describe('--fix-type and a rename that also changes the value (A)', () => {
  // A tuning job and its training job: the child's deprecated CostCenter differs from the parent's cost center.
  const parent = resource('arn:aws:sagemaker:us-east-1:111122223333:hyper-parameter-tuning-job/hpo-1', tagsWith({ [COST]: 'Sales-7000' }));
  const child = resource('arn:aws:sagemaker:us-east-1:111122223333:training-job/hpo-1-002', tagsWith({ [COST]: undefined, CostCenter: 'Sales-5045' }), {
    parentArns: [parent.arn],
  });

  it('rename-key alone renames the key keeping its old value; the parent value is left out, under the finding that reports it', () => {
    const plan = planFromAudit(policy, [parent, child], types('rename-key'));
    const planned = plan.resources.find((r) => r.arn === child.arn);
    expect(planned?.edits).toEqual([{ op: 'rename', type: 'rename-key', from: 'CostCenter', to: COST, expected: 'Sales-5045', value: 'Sales-5045' }]);
    expect(planned?.ruleIds).toEqual(['deprecated-tag-key']);
    expect(plan.skipped).toContainEqual({
      arn: child.arn,
      ruleId: 'inherited-tag-drift',
      key: 'CostCenter',
      reason: 'fix-type-filtered',
      detail: `inherit edits were not requested (--fix-type): CostCenter is renamed to ${COST} keeping its value "Sales-5045", not "Sales-7000"`,
    });
    expect(JSON.stringify(plan.resources)).not.toContain('Sales-7000');
  });

  it('inherit alone sets the parent value under the old key, credited to inherited-tag-drift; the rename is left out', () => {
    const plan = planFromAudit(policy, [parent, child], types('inherit'));
    const planned = plan.resources.find((r) => r.arn === child.arn);
    expect(planned?.edits).toEqual([{ op: 'set', type: 'inherit', key: 'CostCenter', expected: 'Sales-5045', value: 'Sales-7000', parentArn: parent.arn }]);
    expect(planned?.ruleIds).toEqual(['inherited-tag-drift']);
    expect(plan.skipped).toContainEqual(expect.objectContaining({ arn: child.arn, ruleId: 'deprecated-tag-key', reason: 'fix-type-filtered' }));
  });

  it('both types: one rename with the parent value; the plan edit says so (valueType), for the preview and its counts', () => {
    const plan = planFromAudit(policy, [parent, child], types('rename-key', 'inherit'));
    const planned = plan.resources.find((r) => r.arn === child.arn);
    expect(planned?.edits).toEqual([
      { op: 'rename', type: 'rename-key', from: 'CostCenter', to: COST, expected: 'Sales-5045', value: 'Sales-7000', valueType: 'inherit', parentArn: parent.arn },
    ]);
    expect(plan.skipped.filter((s) => s.arn === child.arn)).toEqual([]);
  });

  it('neither type: the whole fix is skipped, naming both', () => {
    const plan = planFromAudit(policy, [parent, child], types('add-default'));
    expect(plan.resources.find((r) => r.arn === child.arn)).toBeUndefined();
    expect(plan.skipped).toContainEqual(
      expect.objectContaining({ arn: child.arn, ruleId: 'deprecated-tag-key', detail: 'rename-key and inherit edits were not requested (--fix-type)' }),
    );
  });

  it('a normalised value: rename-key alone keeps "prod"; normalize-value alone sets "production" under env', () => {
    const a = lambda('a', tagsWith({ [ENV]: undefined, env: 'prod' }));
    expect(planFromAudit(policy, [a], types('rename-key')).resources[0]?.edits).toEqual([
      { op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod', value: 'prod' },
    ]);
    const valueOnly = planFromAudit(policy, [a], types('normalize-value'));
    expect(valueOnly.resources[0]?.edits).toEqual([{ op: 'set', type: 'normalize-value', key: 'env', expected: 'prod', value: 'production' }]);
    expect(valueOnly.resources[0]?.ruleIds).toEqual(['miscased-tag-value']);
  });

  it('an empty value cannot be kept: rename-key without the fill is skipped, with why', () => {
    const a = lambda('a', tagsWith({ [ENV]: undefined }));
    const b = { ...a, tags: { ...a.tags, env: '' } };
    const rename: TagEdit = { op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: '', value: 'development', valueType: 'add-default' };
    const r = planResource(b, [finding(b, 'deprecated-tag-key', [rename], { dictionaryKey: ENV })], plannerOptions(policy, types('rename-key')));
    expect(r.planned).toBeUndefined();
    expect(r.skipped).toEqual([
      expect.objectContaining({
        ruleId: 'deprecated-tag-key',
        reason: 'fix-type-filtered',
        detail: 'add-default edits were not requested (--fix-type), and without the value "development" the rename would write an empty one',
      }),
    ]);
  });
});

describe('the dry run says which part of a rename --fix-type left out (A)', () => {
  it('shows the rename keeping its old value and lists the value change as skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagaudit-planner-review-'));
    try {
      writeFileSync(
        join(dir, 'd.yaml'),
        [
          'version: 1',
          'name: t5',
          'tags:',
          '  - key: anycompany:finance:cost-center',
          '    category: financial',
          '    purpose: cost center',
          '    mandatory: [sagemaker:*]',
          '    costAllocation: true',
          "    pattern: '^([A-Z][A-Za-z]*-)?[0-9]{4}$'",
          '    aliases: [CostCenter]',
          '',
        ].join('\n'),
      );
      const job = 'arn:aws:sagemaker:us-east-1:111122223333:hyper-parameter-tuning-job/hpo-1';
      writeFileSync(
        join(dir, 'i.jsonl'),
        [
          { arn: job, tags: { [COST]: 'Sales-7000' } },
          { arn: 'arn:aws:sagemaker:us-east-1:111122223333:training-job/hpo-1-002', state: 'InProgress', parentArns: [job], tags: { CostCenter: 'Sales-5045' } },
        ]
          .map((l) => JSON.stringify(l))
          .join('\n') + '\n',
      );
      const r = await runCli(['fix', '-d', 'd.yaml', '-i', 'i.jsonl', '--fix-type', 'rename-key'], { cwd: dir });
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`rename-key  CostCenter="Sales-5045" → ${COST}="Sales-5045"`);
      expect(r.stdout).not.toMatch(/→ [^\n]*"Sales-7000"/);
      expect(r.stdout).toContain(`inherited-tag-drift "CostCenter": inherit edits were not requested (--fix-type): CostCenter is renamed to ${COST} keeping its value "Sales-5045", not "Sales-7000"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
