import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../../src/dictionary/policy.js';
import type { Resource } from '../../../src/inventory/resource.js';
import { DEFAULT_PII_POLICY } from '../../../src/pii/policy.js';
import { createAuditor } from '../../../src/rules/engine.js';
import { inheritedTagDrift } from '../../../src/rules/inherited-tag-drift.js';
import { missingTag } from '../../../src/rules/missing-tag.js';
import type { Finding } from '../../../src/rules/types.js';
import { makeResource, ruleTester } from '../../support/rule-tester.js';

// A parent's cost-allocation value that is personal data only because another tag of the parent holds it
// (`cc=4155552671` beside `oncall=+1 415-555-2671`, `cc=078051120` beside `ssn=078-05-1120`): the parent's own audit
// masks it (pii-in-tag, "the same as another tag of this resource holds"), so its children must neither quote it nor
// be given it (acceptance s14, D1).

const P = 'arn:aws:sagemaker:us-east-1:111122223333:';
const TAGS = [
  { key: 'cc', costAllocation: true, mandatory: true },
  { key: 'team', costAllocation: true, mandatory: true },
];
const policy = compilePolicy({ pii: DEFAULT_PII_POLICY, tags: TAGS });
const offPolicy = (rule: string) => compilePolicy({ pii: DEFAULT_PII_POLICY, ruleSeverity: { [rule]: 'off' }, tags: TAGS });

const phoneParent = makeResource({
  arn: `${P}hyper-parameter-tuning-job/r1`,
  resourceType: 'sagemaker:hyper-parameter-tuning-job',
  tags: { cc: '4155552671', team: 'ml', oncall: '+1 415-555-2671' },
});
const ssnParent = makeResource({
  arn: `${P}hyper-parameter-tuning-job/r3`,
  resourceType: 'sagemaker:hyper-parameter-tuning-job',
  tags: { cc: '078051120', team: 'ml', ssn: '078-05-1120' },
});
// The same value on a parent with nothing saying it is personal data.
const plainParent = makeResource({ arn: `${P}pipeline/plain`, resourceType: 'sagemaker:pipeline', tags: { cc: '4155552671', team: 'ml' } });
const RAW = ['4155552671', '415-555-2671', '078051120', '078-05-1120'];

const under = (parent: Resource) => ({ parentArns: [parent.arn], others: [parent] });

function audit(spec: { tags: Record<string, string>; parents: readonly Resource[] }, p = policy): Finding[] {
  const others = new Map(spec.parents.map((r) => [r.arn, r]));
  const child = makeResource({ tags: spec.tags, parentArns: spec.parents.map((r) => r.arn) });
  return createAuditor(p).audit(child, (arn) => others.get(arn));
}

function inheritEdits(findings: readonly Finding[]) {
  return findings.flatMap((f) => f.fix ?? []).filter((e) => e.type === 'inherit' || (e.op === 'rename' && e.valueType === 'inherit'));
}

/** The mask the parent's own pii-in-tag finding shows for its `cc`. */
function parentMask(parent: Resource): string {
  const f = createAuditor(policy).audit(parent).find((x) => x.ruleId === 'pii-in-tag' && x.tag?.key === 'cc');
  expect(f?.message).toContain('the same as another tag of this resource holds');
  const hits = f?.data?.hits as { masked: string }[];
  return hits[0]!.masked;
}

ruleTester(inheritedTagDrift, {
  policy,
  valid: [
    { name: 'a parent value that is a phone number on the parent is no reference', ...under(phoneParent), tags: { cc: '9999', team: 'ml' } },
    { name: 'a parent value that is an SSN on the parent is no reference', ...under(ssnParent), tags: { cc: '9999', team: 'ml' } },
    { name: 'nor under a miscased key', ...under(phoneParent), tags: { CC: '9999', team: 'ml' } },
  ],
  invalid: [
    {
      name: 'the same value on a parent where nothing says it is personal data is a reference',
      ...under(plainParent),
      tags: { cc: '9999', team: 'ml' },
      findings: [{ fixable: true, data: { parentValue: '4155552671' } }],
    },
  ],
});

ruleTester(inheritedTagDrift, {
  policy: offPolicy('missing-tag'),
  valid: [{ name: 'with missing-tag off, a missing key is not reported against a PII parent value', ...under(phoneParent), tags: { team: 'ml' } }],
  invalid: [],
});

ruleTester(missingTag, {
  policy,
  valid: [],
  invalid: [
    {
      name: 'a phone number on the parent is not proposed, and is shown as the parent shows it',
      ...under(phoneParent),
      tags: { team: 'ml' },
      findings: [{ messageIncludes: [`its parent ${phoneParent.arn} carries "*******671", which holds personal data and is not copied`], fixable: false }],
    },
    {
      name: 'an SSN on the parent is not proposed',
      ...under(ssnParent),
      tags: { team: 'ml' },
      findings: [{ messageIncludes: ['which holds personal data and is not copied'], fixable: false }],
    },
  ],
});

describe('a parent value that is personal data on the parent, through the whole engine', () => {
  const children: [string, Record<string, string>][] = [
    ['drifted', { cc: '9999', team: 'ml' }],
    ['missing', { team: 'ml' }],
    ['blank', { cc: '', team: 'ml' }],
    ['miscased key', { CC: '9999', team: 'ml' }],
    ['missing, with a PII tag of its own', { team: 'ml', owner: 'jane.doe@example.com' }],
  ];
  for (const parent of [phoneParent, ssnParent]) {
    it.each(children)(`${parent.arn.split('/')[1]}: %s child: nothing copied, nothing quoted raw`, (_name, tags) => {
      const findings = audit({ tags, parents: [parent] });
      expect(inheritEdits(findings)).toEqual([]);
      const text = JSON.stringify(findings);
      for (const raw of RAW) expect(text).not.toContain(raw);
    });

    it(`${parent.arn.split('/')[1]}: the child's findings mask the value as the parent's own findings do`, () => {
      const missing = audit({ tags: { team: 'ml' }, parents: [parent] }).find((f) => f.ruleId === 'missing-tag');
      expect(missing?.message).toContain(`carries "${parentMask(parent)}", which holds personal data and is not copied`);
      expect(missing?.fix).toBeUndefined();
      const blank = audit({ tags: { cc: '', team: 'ml' }, parents: [parent] }).find((f) => f.ruleId === 'empty-tag-value');
      expect(blank?.message).toContain(`carries "${parentMask(parent)}", which holds personal data and is not copied`);
      expect(blank?.fix).toBeUndefined();
    });
  }

  it.each([
    ['the PII parent first', [phoneParent, plainParent]],
    ['the PII parent second', [plainParent, phoneParent]],
  ])('two parents with one value, personal data on one of them (%s): never copied', (_name, parents) => {
    const variants: Record<string, string>[] = [{ team: 'ml' }, { cc: '9999', team: 'ml' }, { cc: '', team: 'ml' }];
    for (const tags of variants) {
      const findings = audit({ tags, parents });
      expect(inheritEdits(findings)).toEqual([]);
      for (const raw of RAW) expect(JSON.stringify(findings)).not.toContain(raw);
    }
  });

  it('with PII detection off, the value is an ordinary reference', () => {
    const plain = compilePolicy({ pii: { ...DEFAULT_PII_POLICY, enabled: false }, tags: TAGS });
    const findings = audit({ tags: { team: 'ml' }, parents: [phoneParent] }, plain);
    expect(inheritEdits(findings)).toEqual([{ op: 'add', type: 'inherit', key: 'cc', value: '4155552671' }]);
  });
});
