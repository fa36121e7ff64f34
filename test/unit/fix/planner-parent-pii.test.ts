import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../../src/dictionary/policy.js';
import type { Resource } from '../../../src/inventory/resource.js';
import { DEFAULT_PII_POLICY } from '../../../src/pii/policy.js';
import { planResource } from '../../../src/fix/planner.js';
import { keepingParents } from '../../../src/fix/parent-capture.js';
import type { TagEdit } from '../../../src/rules/types.js';
import { finding, planFromAudit, plannerOptions, resource } from './helpers.js';

// The fixer never copies a parent's value that holds personal data, also when that value is PII only because another
// tag of the parent holds it (`cc=4155552671` beside `oncall=+1 415-555-2671`): acceptance s14, D1.

const P = 'arn:aws:sagemaker:us-east-1:111122223333:';
const TAGS = [
  { key: 'cc', costAllocation: true, mandatory: true },
  { key: 'team', costAllocation: true, mandatory: true },
];
const policy = compilePolicy({ pii: DEFAULT_PII_POLICY, tags: TAGS });
const RAW = ['4155552671', '415-555-2671', '078051120', '078-05-1120'];

const phoneParent = resource(`${P}hyper-parameter-tuning-job/r1`, { cc: '4155552671', team: 'ml', oncall: '+1 415-555-2671' });
const ssnParent = resource(`${P}hyper-parameter-tuning-job/r3`, { cc: '078051120', team: 'ml', ssn: '078-05-1120' });
const plainParent = resource(`${P}hyper-parameter-tuning-job/plain`, { cc: '4155552671', team: 'ml' });
const child = (name: string, parent: Resource, tags: Record<string, string>): Resource =>
  resource(`${P}training-job/${name}`, tags, { parentArns: [parent.arn] });
const lookupOf = (...rs: Resource[]) => {
  const byArn = new Map(rs.map((r) => [r.arn, r]));
  return (arn: string) => byArn.get(arn);
};

describe('planner: a parent value that is personal data on the parent', () => {
  it("plans no inherit edit from the scan's findings, and the plan quotes no raw value (the tester's inventory)", () => {
    const resources = [
      phoneParent,
      child('r1-001', phoneParent, { cc: '9999', team: 'ml' }),
      child('r2-001', phoneParent, { team: 'ml' }),
      child('r2-002', phoneParent, { cc: '', team: 'ml' }),
      child('r1-002', phoneParent, { CC: '9999', team: 'ml' }),
      ssnParent,
      child('r3-001', ssnParent, { team: 'ml' }),
    ];
    const plan = planFromAudit(policy, resources);
    const edits = plan.resources.flatMap((r) => r.edits);
    expect(edits.filter((e) => e.type === 'inherit' || (e.op === 'rename' && e.valueType === 'inherit'))).toEqual([]);
    const text = JSON.stringify(plan);
    for (const raw of RAW) expect(text).not.toContain(raw);
  });

  const edits: [string, Resource, TagEdit, string][] = [
    ['add (missing-tag)', child('a', phoneParent, { team: 'ml' }), { op: 'add', type: 'inherit', key: 'cc', value: '4155552671' }, 'missing-tag'],
    ['set (inherited-tag-drift)', child('b', phoneParent, { cc: '9999', team: 'ml' }), { op: 'set', type: 'inherit', key: 'cc', expected: '9999', value: '4155552671' }, 'inherited-tag-drift'],
    [
      'rename carrying it (miscased-tag-key)',
      child('c', phoneParent, { CC: '9999', team: 'ml' }),
      { op: 'rename', type: 'rename-key', from: 'CC', to: 'cc', expected: '9999', value: '4155552671', valueType: 'inherit' },
      'miscased-tag-key',
    ],
  ];

  it.each(edits)('a finding from elsewhere proposing it is skipped: %s', (_name, r, edit, ruleId) => {
    const f = finding(r, ruleId, [edit], { dictionaryKey: 'cc', parentArn: phoneParent.arn, parentValue: '4155552671' });
    const plan = planResource(r, [f], plannerOptions(policy), lookupOf(phoneParent));
    expect(plan.planned).toBeUndefined();
    expect(plan.skipped).toEqual([expect.objectContaining({ arn: r.arn, ruleId, reason: 'unsupported-edit', detail: expect.stringContaining('holds personal data') })]);
    for (const raw of RAW) expect(JSON.stringify(plan)).not.toContain(raw);
  });

  it('the same value from a parent where nothing says it is personal data is planned', () => {
    const r = resource(`${P}training-job/d`, { team: 'ml' }, { parentArns: [plainParent.arn] });
    const f = finding(r, 'missing-tag', [{ op: 'add', type: 'inherit', key: 'cc', value: '4155552671' }], { dictionaryKey: 'cc', parentArn: plainParent.arn });
    const plan = planResource(r, [f], plannerOptions(policy), lookupOf(plainParent));
    expect(plan.planned?.edits).toEqual([{ op: 'add', type: 'inherit', key: 'cc', value: '4155552671', parentArn: plainParent.arn }]);
  });

  it('any parent of the resource on which the value is personal data refuses it (one of two parents)', () => {
    const r = resource(`${P}training-job/e`, { team: 'ml' }, { parentArns: [plainParent.arn, phoneParent.arn] });
    const f = finding(r, 'missing-tag', [{ op: 'add', type: 'inherit', key: 'cc', value: '4155552671' }], { dictionaryKey: 'cc', parentArn: plainParent.arn });
    const plan = planResource(r, [f], plannerOptions(policy), lookupOf(plainParent, phoneParent));
    expect(plan.planned).toBeUndefined();
    expect(plan.skipped).toEqual([expect.objectContaining({ reason: 'unsupported-edit' })]);
  });

  it('a parent value that is personal data by itself is refused even when the parent is not at hand', () => {
    const r = child('f', ssnParent, { team: 'ml' });
    const f = finding(r, 'missing-tag', [{ op: 'add', type: 'inherit', key: 'cc', value: '+1 415-555-2671' }], { dictionaryKey: 'cc', parentArn: ssnParent.arn });
    const plan = planResource(r, [f], plannerOptions(policy));
    expect(plan.planned).toBeUndefined();
    expect(plan.skipped).toEqual([expect.objectContaining({ reason: 'unsupported-edit', detail: expect.stringContaining('holds personal data') })]);
  });
});

describe('fix keeps the parents the planner checks (keepingParents)', () => {
  it('holds, as the audit looked them up, the parents of a resource whose findings copy a parent value, and only those', () => {
    const copying = child('g', phoneParent, { team: 'ml' });
    const other = resource(`${P}training-job/h`, { team: 'ml' }, { parentArns: [ssnParent.arn] });
    const inherit: TagEdit = { op: 'add', type: 'inherit', key: 'cc', value: '4155552671' };
    const { auditor, parentOf } = keepingParents({
      rules: [],
      audit: (r) => (r === copying ? [finding(r, 'missing-tag', [inherit])] : [finding(r, 'missing-tag', [])]),
    });
    const lookup = lookupOf(phoneParent, ssnParent);
    expect(auditor.audit(copying, lookup)).toHaveLength(1);
    auditor.audit(other, lookup);
    // A SageMaker parent is found whatever the case of the ARN the child names it by.
    expect(parentOf(phoneParent.arn.replace('/r1', '/R1'))).toBe(phoneParent);
    expect(parentOf(ssnParent.arn)).toBeUndefined();
    const plan = planResource(copying, [finding(copying, 'missing-tag', [inherit], { dictionaryKey: 'cc' })], plannerOptions(policy), parentOf);
    expect(plan.skipped).toEqual([expect.objectContaining({ reason: 'unsupported-edit' })]);
  });
});
