import { describe, expect, it } from 'vitest';
import { compileSuppression } from '../../../src/dictionary/suppression.js';
import type { Policy, PolicyInput } from '../../../src/dictionary/policy.js';
import type { Resource } from '../../../src/inventory/resource.js';
import { createAuditor } from '../../../src/rules/engine.js';
import type { Finding, TagEdit } from '../../../src/rules/types.js';
import { COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { makeResource } from '../../support/rule-tester.js';

const ENV = 'anycompany:workload:environment';
const COST = 'anycompany:finance:cost-center';
const VERSION = 'anycompany:workload:version';

/** The test dictionary with `env` (an alias of the environment key) given a global default. */
function policyWith(overrides: Partial<PolicyInput> = {}): Policy {
  const base = anycompanyPolicy();
  const tags = base.tags.map((t) => (t.key === ENV ? { ...t, default: 'development' } : t));
  return anycompanyPolicy({ tags, ...overrides });
}

const suppressRename = { suppressions: [compileSuppression({ rules: ['deprecated-tag-key'], tags: ['env'], reason: 'migration scheduled' })] };

function audit(policy: Policy, resource: Resource, others: readonly Resource[] = []): Finding[] {
  const byArn = new Map(others.map((r) => [r.arn, r]));
  const findings = createAuditor(policy).audit(resource, (arn) => byArn.get(arn));
  expectProposalsBacked(findings);
  return findings;
}

const of = (findings: readonly Finding[], ruleId: string): Finding[] => findings.filter((f) => f.ruleId === ruleId);

/** The keys an edit touches. */
function touched(e: TagEdit): string[] {
  return e.op === 'rename' ? [e.from, e.to] : [e.key];
}

/**
 * The report invariant: a message that says something is proposed ("proposed: …", "the proposed key rename …",
 * "… proposes …") names an edit that some finding of the same resource carries, on the same tag. "no fix proposed"
 * says the opposite and is not a claim.
 */
function expectProposalsBacked(findings: readonly Finding[]): void {
  const edits = findings.flatMap((f) => f.fix ?? []);
  for (const f of findings) {
    const claims = f.message.replace(/no fix proposed/g, '').match(/proposed|proposes/g);
    if (!claims) continue;
    const keys = [f.tag?.key, f.data?.dictionaryKey].filter((k): k is string => typeof k === 'string');
    expect(
      edits.some((e) => touched(e).some((k) => keys.includes(k))),
      `"${f.message}" claims a proposal no finding carries`,
    ).toBe(true);
  }
}

/** A resource with `tags` plus filler tags up to `userTags` user tags in all. */
function crowded(userTags: number, tags: Record<string, string>): Resource {
  const filler = Object.fromEntries(Array.from({ length: userTags - Object.keys(tags).length }, (_, i) => [`k${i}`, 'v']));
  return makeResource({ resourceType: 'lambda:function', tags: { ...filler, ...tags } });
}

describe('a suppressed rename still lets the value be fixed (B)', () => {
  const policy = policyWith(suppressRename);

  it('an aliased value under a suppressed deprecated key is normalised in place, and the message says nothing of a rename', () => {
    const findings = audit(policy, makeResource({ tags: tagsWith({ [ENV]: undefined, env: 'prod' }) }));
    expect(of(findings, 'deprecated-tag-key')).toEqual([]);
    const [value] = of(findings, 'miscased-tag-value');
    expect(value?.fix).toEqual([{ op: 'set', type: 'normalize-value', key: 'env', expected: 'prod', value: 'production' }]);
    expect(value?.message).not.toContain('rename');
  });

  it('an empty value under a suppressed deprecated key is filled in place with the default the message names', () => {
    const findings = audit(policy, makeResource({ tags: tagsWith({ [ENV]: undefined, env: '' }) }));
    const [empty] = of(findings, 'empty-tag-value');
    expect(empty?.message).toContain('proposed: the dictionary\'s default "development"');
    expect(empty?.fix).toEqual([{ op: 'set', type: 'add-default', key: 'env', expected: '', value: 'development' }]);
  });

  it('the suppression still counts as used (the rename report exists until it takes it)', () => {
    const used: number[] = [];
    createAuditor(policy).audit(makeResource({ tags: tagsWith({ [ENV]: undefined, env: 'prod' }) }), undefined, (s) => used.push(s));
    expect(used).toEqual([0]);
  });

  it("a parent's value for a suppressed deprecated key is copied in place by inherited-tag-drift", () => {
    const p = policyWith({ suppressions: [compileSuppression({ rules: ['deprecated-tag-key'], tags: ['CostCenter'], reason: 'scheduled' })] });
    const parent = makeResource({ tags: tagsWith({ [COST]: 'Sales-7000' }) });
    const child = makeResource({ tags: tagsWith({ [COST]: undefined, CostCenter: 'Sales-5045' }), parentArns: [parent.arn] });
    const [drift] = of(audit(p, child, [parent]), 'inherited-tag-drift');
    expect(drift?.fix).toEqual([{ op: 'set', type: 'inherit', key: 'CostCenter', expected: 'Sales-5045', value: 'Sales-7000' }]);
    expect(drift?.message).not.toContain('rename');
  });

  it('a suppressed value rule is not folded into the rename: the key moves with its value as it is', () => {
    const p = policyWith({ suppressions: [compileSuppression({ rules: ['miscased-tag-value'], tags: [ENV], reason: 'accepted' })] });
    const findings = audit(p, makeResource({ tags: tagsWith({ [ENV]: undefined, env: 'prod' }) }));
    const [rename] = of(findings, 'deprecated-tag-key');
    expect(rename?.fix).toEqual([{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod', value: 'prod' }]);
    expect(rename?.message).not.toContain('also changes its value');
  });
});

describe('the 50-tag limit: the value is fixed in place when the rename has no room (B)', () => {
  const policy = policyWith({ ruleSeverity: { 'tag-limit': 'note' } });

  it('at 50 tags a deprecated key with an aliased value: no rename, a set under the old key, and each message says so', () => {
    const findings = audit(policy, crowded(50, { env: 'prod' }));
    const [rename] = of(findings, 'deprecated-tag-key');
    expect(rename?.fix).toBeUndefined();
    expect(rename?.message).toContain('no fix proposed: the resource already carries 50 of 50 user tags');
    expect(rename?.message).toContain('its value is fixed under the old key instead: see miscased-tag-value');
    const [value] = of(findings, 'miscased-tag-value');
    expect(value?.fix).toEqual([{ op: 'set', type: 'normalize-value', key: 'env', expected: 'prod', value: 'production' }]);
    expect(value?.message).not.toContain('rename');
  });

  it('at 50 tags an empty deprecated key is filled in place', () => {
    const findings = audit(policy, crowded(50, { env: '' }));
    expect(of(findings, 'empty-tag-value')[0]?.fix).toEqual([{ op: 'set', type: 'add-default', key: 'env', expected: '', value: 'development' }]);
    expect(of(findings, 'deprecated-tag-key')[0]?.fix).toBeUndefined();
  });

  it('at 49 tags the one free slot goes to the first rename; the second key has its value fixed in place', () => {
    const findings = audit(policy, crowded(49, { CostCentre: '5045', env: 'prod' }));
    const renames = of(findings, 'deprecated-tag-key');
    expect(renames.map((f) => f.tag?.key)).toEqual(['CostCentre', 'env']);
    expect(renames.map((f) => f.fix?.[0]?.op)).toEqual(['rename', undefined]);
    expect(renames[1]?.message).toContain('carries 49 of 50 user tags and its other fixes take the room left');
    expect(of(findings, 'miscased-tag-value')[0]?.fix?.[0]).toMatchObject({ op: 'set', key: 'env', value: 'production' });
  });

  it('a missing key with a default at 50 tags: the message does not say "proposed" without a fix', () => {
    const findings = audit(policy, crowded(50, {}));
    const [missing] = of(findings, 'missing-tag').filter((f) => f.tag?.key === ENV);
    expect(missing?.fix).toBeUndefined();
    expect(missing?.message).not.toMatch(/; proposed: |default "development"/);
    expect(missing?.message).toContain('no fix proposed: the resource already carries 50 of 50 user tags');
  });
});

describe('why an empty deprecated key is not renamed (B)', () => {
  it('with empty-tag-value off, the reason is that rule, not a missing default', () => {
    const findings = audit(policyWith({ ruleSeverity: { 'empty-tag-value': 'off' } }), makeResource({ tags: tagsWith({ [ENV]: undefined, env: '' }) }));
    const [rename] = of(findings, 'deprecated-tag-key');
    expect(rename?.fix).toBeUndefined();
    expect(rename?.message).toContain('no fix proposed: its value is empty and empty-tag-value, which would fill it, is turned off');
    expect(rename?.message).not.toContain('gives none');
  });

  it('with empty-tag-value suppressed for the tag, the reason says so', () => {
    const p = policyWith({ suppressions: [compileSuppression({ rules: ['empty-tag-value'], tags: ['env'], reason: 'known' })] });
    const [rename] = of(audit(p, makeResource({ tags: tagsWith({ [ENV]: undefined, env: '' }) })), 'deprecated-tag-key');
    expect(rename?.message).toContain('is suppressed for this tag');
  });

  it('without any default, the reason is the missing default', () => {
    const [rename] = of(audit(anycompanyPolicy(), makeResource({ tags: tagsWith({ [COST]: undefined, CostCenter: '' }) })), 'deprecated-tag-key');
    expect(rename?.message).toContain('the dictionary gives none to fill it');
  });
});

describe('a rename that keeps a value the dictionary rejects (C)', () => {
  it('is proposed, and says the value stays invalid', () => {
    const findings = audit(anycompanyPolicy(), makeResource({ tags: { ...COMPLIANT_TAGS, version: 'latest' } }));
    const [rename] = of(findings, 'miscased-tag-key');
    expect(rename?.fix).toEqual([{ op: 'rename', type: 'rename-key', from: 'version', to: VERSION, expected: 'latest', value: 'latest' }]);
    expect(rename?.message).toContain('the rename keeps its value "latest", which stays invalid: see invalid-tag-value');
    expect(of(findings, 'invalid-tag-value')).toHaveLength(1);
  });

  it('a valid value moved as it is gets no such note', () => {
    const [rename] = of(audit(anycompanyPolicy(), makeResource({ tags: { ...COMPLIANT_TAGS, version: '1.2' } })), 'miscased-tag-key');
    expect(rename?.fix).toHaveLength(1);
    expect(rename?.message).not.toContain('stays invalid');
  });
});

describe('the value finding names what the rename writes', () => {
  it("an aliased value whose parent carries another value: the rename writes the parent's, and miscased-tag-value says so", () => {
    const parent = makeResource({ tags: tagsWith({ [ENV]: 'staging' }) });
    const child = makeResource({ tags: tagsWith({ [ENV]: undefined, env: 'prod' }), parentArns: [parent.arn] });
    const findings = audit(anycompanyPolicy(), child, [parent]);
    expect(of(findings, 'deprecated-tag-key')[0]?.fix?.[0]).toMatchObject({ op: 'rename', value: 'staging', valueType: 'inherit' });
    expect(of(findings, 'miscased-tag-value')[0]?.message).toContain("the proposed key rename writes the parent's value instead");
  });
});

describe('a rename names the type of the value change it carries (A)', () => {
  it('normalize-value, add-default and inherit; none when the value is kept', () => {
    const policy = policyWith();
    const rename = (resource: Resource, others: Resource[] = []): TagEdit | undefined =>
      of(audit(policy, resource, others), 'deprecated-tag-key')[0]?.fix?.[0];
    expect(rename(makeResource({ tags: tagsWith({ [ENV]: undefined, env: 'prod' }) }))).toMatchObject({ value: 'production', valueType: 'normalize-value' });
    expect(rename(makeResource({ tags: tagsWith({ [ENV]: undefined, env: '' }) }))).toMatchObject({ value: 'development', valueType: 'add-default' });
    const parent = makeResource({ tags: tagsWith({ [COST]: 'Sales-7000' }) });
    const child = makeResource({ tags: tagsWith({ [COST]: undefined, CostCenter: 'Sales-5045' }), parentArns: [parent.arn] });
    expect(rename(child, [parent])).toMatchObject({ value: 'Sales-7000', valueType: 'inherit' });
    expect(rename(makeResource({ tags: tagsWith({ [ENV]: undefined, env: 'production' }) }))).not.toHaveProperty('valueType');
  });
});
