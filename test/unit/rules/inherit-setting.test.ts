import { describe, expect, it } from 'vitest';
import { compilePolicy, type TagPolicyInput } from '../../../src/dictionary/policy.js';
import { DEFAULT_PII_POLICY } from '../../../src/pii/policy.js';
import { inheritedTagDrift } from '../../../src/rules/inherited-tag-drift.js';
import { missingTag } from '../../../src/rules/missing-tag.js';
import { auditSpec, makeResource, ruleTester } from '../../support/rule-tester.js';

// The dictionary's `inherit` (which parents a key's value comes from), and the rule that every parent found that
// counts for a key must carry the same usable value.

const COST = 'cost-center';
const PHASE = 'ml-phase';
const OFF = 'owner';
const TEAM = 'team';
const CLASS = 'data-class';

const TAGS: readonly TagPolicyInput[] = [
  { key: COST, costAllocation: true, pattern: /^CC-[0-9]{4}$/u },
  {
    key: PHASE,
    costAllocation: true,
    inherit: ['sagemaker:hyper-parameter-tuning-job', 'sagemaker:endpoint-config'],
    values: ['Preprocessing', 'Training', 'Inference'],
  },
  { key: OFF, costAllocation: true, inherit: false },
  // Not a cost-allocation key, but opted into inheritance.
  { key: TEAM, inherit: true },
  { key: CLASS },
];
const policy = compilePolicy({ pii: DEFAULT_PII_POLICY, tags: TAGS });

const ACCOUNT = '444455556666';
const sm = (type: string, name: string) => `arn:aws:sagemaker:us-east-1:${ACCOUNT}:${type}/${name}`;
const PARENT_TAGS = { [COST]: 'CC-1000', [PHASE]: 'Training', [OFF]: 'ml-platform', [TEAM]: 'nlp', [CLASS]: 'internal' };
const pipeline = makeResource({ arn: sm('pipeline', 'p'), resourceType: 'sagemaker:pipeline', tags: PARENT_TAGS });
const hpo = makeResource({ arn: sm('hyper-parameter-tuning-job', 'hpo'), resourceType: 'sagemaker:hyper-parameter-tuning-job', tags: PARENT_TAGS });
const modelA = makeResource({ arn: sm('model', 'a'), resourceType: 'sagemaker:model', tags: { [COST]: 'CC-1000' } });
const modelA2 = makeResource({ arn: sm('model', 'a2'), resourceType: 'sagemaker:model', tags: { [COST]: 'CC-1000' } });
const untagged = makeResource({ arn: sm('model', 'untagged'), resourceType: 'sagemaker:model', tags: {} });
const invalid = makeResource({ arn: sm('model', 'invalid'), resourceType: 'sagemaker:model', tags: { [COST]: 'marketing' } });
const under = (...parents: ReturnType<typeof makeResource>[]) => ({ parentArns: parents.map((p) => p.arn), others: parents });
const CHILD = { [COST]: 'CC-1000', [PHASE]: 'Training', [OFF]: 'ml-platform', [TEAM]: 'nlp', [CLASS]: 'internal' };

ruleTester(inheritedTagDrift, {
  policy,
  valid: [
    // The tester saw a pipeline's Training written over its preprocessing step's phase.
    { name: 'a list: a parent of another type is no reference', resourceType: 'sagemaker:processing-job', ...under(pipeline), tags: { ...CHILD, [PHASE]: 'Preprocessing' } },
    { name: 'false: the key is never compared with a parent', ...under(hpo), tags: { ...CHILD, [OFF]: 'data-eng' } },
    { name: 'a key neither cost allocation nor inherited is not compared', ...under(hpo), tags: { ...CHILD, [CLASS]: 'public' } },
    // The tester saw a two-variant endpoint config billed to the one tenant whose model was tagged.
    { name: 'a second parent without the key makes the value a guess', resourceType: 'sagemaker:endpoint-config', ...under(modelA, untagged), tags: { [COST]: 'CC-2000' } },
    { name: 'so does one whose value is invalid', resourceType: 'sagemaker:endpoint-config', ...under(modelA, invalid), tags: { [COST]: 'CC-2000' } },
    { name: 'nor is a missing key reported then', resourceType: 'sagemaker:endpoint-config', ...under(untagged, modelA), tags: {} },
  ],
  invalid: [
    {
      name: 'a list: a parent of a listed type is compared',
      ...under(hpo),
      tags: { ...CHILD, [PHASE]: 'Inference' },
      findings: [{ fixable: true, data: { dictionaryKey: PHASE, parentArn: hpo.arn, parentValue: 'Training' } }],
      fixed: CHILD,
    },
    {
      name: 'a list: of two parents, only the listed one counts for the key (the others still count for theirs)',
      ...under(pipeline, hpo),
      tags: { ...CHILD, [PHASE]: 'Inference', [COST]: 'CC-3000' },
      findings: [{ tag: { key: COST, value: 'CC-3000' }, fixable: true }, { tag: { key: PHASE, value: 'Inference' }, fixable: true, data: { parentArn: hpo.arn } }],
      fixed: CHILD,
    },
    {
      name: 'true on a key that is not cost allocation: compared like one',
      ...under(hpo),
      tags: { ...CHILD, [TEAM]: 'vision' },
      findings: [{ tag: { key: TEAM, value: 'vision' }, fixable: true }],
      fixed: CHILD,
    },
    {
      name: 'two parents that both carry the value: it is the reference',
      resourceType: 'sagemaker:endpoint-config',
      ...under(modelA, modelA2),
      tags: { [COST]: 'CC-2000' },
      findings: [{ fixable: true, data: { parentArn: modelA.arn, parentValue: 'CC-1000' } }],
      fixed: { [COST]: 'CC-1000' },
    },
    {
      name: 'a parent not found in the scan stays ignored',
      resourceType: 'sagemaker:endpoint-config',
      parentArns: [modelA.arn, sm('model', 'gone')],
      others: [modelA],
      tags: { [COST]: 'CC-2000' },
      findings: [{ fixable: true }],
      fixed: { [COST]: 'CC-1000' },
    },
  ],
});

const mandatoryPolicy = compilePolicy({
  pii: DEFAULT_PII_POLICY,
  tags: TAGS.map((t) => ({ ...t, mandatory: ['sagemaker:processing-job', 'sagemaker:training-job', 'sagemaker:endpoint-config'] })),
});

ruleTester(missingTag, {
  policy: mandatoryPolicy,
  valid: [{ name: 'all present', ...under(hpo), tags: CHILD }],
  invalid: [
    {
      name: 'a list: no proposal from a parent of another type',
      resourceType: 'sagemaker:processing-job',
      ...under(pipeline),
      tags: withoutKeys(CHILD, PHASE),
      findings: [{ tag: { key: PHASE }, fixable: false, messageIncludes: 'must be set by hand' }],
    },
    {
      name: 'a list: the value of a parent of a listed type is proposed',
      ...under(hpo),
      tags: withoutKeys(CHILD, PHASE),
      findings: [{ tag: { key: PHASE }, fixable: true, messageIncludes: `copied from its parent ${hpo.arn}` }],
      fixed: CHILD,
    },
    {
      name: 'false: no proposal, whatever the parent carries',
      ...under(hpo),
      tags: withoutKeys(CHILD, OFF),
      findings: [{ tag: { key: OFF }, fixable: false }],
    },
    {
      name: 'true on a key that is not cost allocation: proposed like one',
      ...under(hpo),
      tags: withoutKeys(CHILD, TEAM),
      findings: [{ tag: { key: TEAM }, fixable: true }],
      fixed: CHILD,
    },
    {
      name: 'a second parent without the key: no proposal',
      resourceType: 'sagemaker:endpoint-config',
      ...under(modelA, untagged),
      tags: withoutKeys(CHILD, COST),
      findings: [{ tag: { key: COST }, fixable: false, messageIncludes: 'must be set by hand' }],
    },
  ],
});

describe('finished jobs', () => {
  it('an opted-in key that is not cost allocation keeps its level on a finished job (only cost-allocation keys become notes)', () => {
    const [drift] = auditSpec(policy, { ...under(hpo), state: 'Completed', tags: { ...CHILD, [TEAM]: 'vision' } }, undefined, 'inherited-tag-drift');
    expect(drift?.severity).toBe('warning');
    const [cost] = auditSpec(policy, { ...under(hpo), state: 'Completed', tags: { ...CHILD, [COST]: 'CC-3000' } }, undefined, 'inherited-tag-drift');
    expect(cost?.severity).toBe('note');
  });
});

describe('compiled inherit', () => {
  it('defaults to costAllocation', () => {
    const p = compilePolicy({ pii: DEFAULT_PII_POLICY, tags: [{ key: 'a', costAllocation: true }, { key: 'b' }] });
    expect(p.tags.map((t) => t.inherit)).toEqual([true, false]);
  });
});

function withoutKeys(tags: Readonly<Record<string, string>>, ...keys: string[]): Record<string, string> {
  const out = { ...tags };
  for (const k of keys) delete out[k];
  return out;
}
