import { describe, expect, it } from 'vitest';
import { planResource } from '../../../src/fix/planner.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { auditAll, finding, lambda, planFromAudit, plannerOptions } from './helpers.js';

const policy = anycompanyPolicy();
const CC = 'anycompany:finance:cost-center';

describe('fix: empty values', () => {
  it('the rules propose no rename of an empty or blank deprecated key with nothing to fill it, and say why', () => {
    const fn = lambda('empty', tagsWith({ [CC]: undefined, CostCenter: '' }));
    const blank = lambda('blank', tagsWith({ [CC]: undefined, CostCenter: '  ' }));
    const findings = [...auditAll(policy, [fn, blank]).values()].flat().filter((f) => f.ruleId === 'deprecated-tag-key');
    expect(findings).toHaveLength(2);
    for (const f of findings) {
      expect(f.fix).toBeUndefined();
      expect(f.message).toContain('no fix proposed: its value is empty and the dictionary gives none to fill it');
    }
    const plan = planFromAudit(policy, [fn, blank]);
    expect(plan.resources.flatMap((r) => r.edits).filter((e) => e.op !== 'remove' && e.value.trim() === '')).toEqual([]);
  });

  it('the planner never writes an empty value, whatever a finding proposes', () => {
    const fn = lambda('empty', tagsWith({ [CC]: undefined, CostCenter: '' }));
    const f = finding(fn, 'deprecated-tag-key', [{ op: 'rename', type: 'rename-key', from: 'CostCenter', to: CC, expected: '', value: '' }]);
    const out = planResource(fn, [f], plannerOptions(policy));
    expect(out.planned).toBeUndefined();
    expect(out.skipped).toEqual([expect.objectContaining({ reason: 'unsupported-edit', detail: expect.stringContaining('empty value') })]);
  });
});
