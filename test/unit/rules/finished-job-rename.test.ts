import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../../src/dictionary/policy.js';
import { DEFAULT_PII_POLICY } from '../../../src/pii/policy.js';
import { fixHint } from '../../../src/report/table.js';
import { auditSpec, makeResource } from '../../support/rule-tester.js';

// Review s14, item 5: on a finished job's cost-allocation key, a rename proposed by the scan brought in the parent's
// value (CostCenter: 9999 → cost-center: 1234) that `tagaudit fix` never writes. The proposal now keeps the job's
// own value, as the planner does, so the table, JSON, SARIF and the plan agree.

const policy = compilePolicy({
  pii: DEFAULT_PII_POLICY,
  tags: [
    { key: 'cost-center', costAllocation: true, mandatory: true, pattern: /^[0-9]{4}$/u, aliases: ['CostCenter'], valueAliases: { 'cc-9999': '9999' } },
    { key: 'team', costAllocation: false, inherit: true, mandatory: false, aliases: ['Team'] },
  ],
});
const hpo = makeResource({ resourceType: 'sagemaker:hyper-parameter-tuning-job', tags: { 'cost-center': '1234', team: 'ml' } });
const job = (tags: Record<string, string>, state = 'Failed') => auditSpec(policy, { state, parentArns: [hpo.arn], others: [hpo], tags });

describe('a deprecated cost-allocation key on a finished job whose parent carries another value', () => {
  it("the rename keeps the job's own value, and inherited-tag-drift proposes nothing", () => {
    const findings = job({ CostCenter: '9999', team: 'ml' });
    const rename = findings.find((f) => f.ruleId === 'deprecated-tag-key');
    expect(rename?.fix).toEqual([{ op: 'rename', type: 'rename-key', from: 'CostCenter', to: 'cost-center', expected: '9999', value: '9999' }]);
    expect(rename?.message).not.toContain('1234');
    const drift = findings.find((f) => f.ruleId === 'inherited-tag-drift');
    expect(drift?.fix).toBeUndefined();
    expect(drift?.message).not.toContain('rename also copies');
    expect(fixHint(findings)).toBe('1 finding can be fixed with tagaudit fix.');
  });

  it('a value alias is still normalised by the rename', () => {
    const rename = job({ CostCenter: 'cc-9999' }).find((f) => f.ruleId === 'deprecated-tag-key');
    expect(rename?.fix).toEqual([
      { op: 'rename', type: 'rename-key', from: 'CostCenter', to: 'cost-center', expected: 'cc-9999', value: '9999', valueType: 'normalize-value' },
    ]);
  });

  it("a running job's rename still brings the parent's value", () => {
    const rename = job({ CostCenter: '9999' }, 'InProgress').find((f) => f.ruleId === 'deprecated-tag-key');
    expect(rename?.fix).toEqual([
      { op: 'rename', type: 'rename-key', from: 'CostCenter', to: 'cost-center', expected: '9999', value: '1234', valueType: 'inherit' },
    ]);
  });

  it('a key that is not a cost-allocation key (inherit: true) is renamed with the parent value on a finished job too', () => {
    const rename = job({ CostCenter: '1234', Team: 'data' }).find((f) => f.ruleId === 'deprecated-tag-key' && f.tag?.key === 'Team');
    expect(rename?.fix).toEqual([{ op: 'rename', type: 'rename-key', from: 'Team', to: 'team', expected: 'data', value: 'ml', valueType: 'inherit' }]);
  });
});
