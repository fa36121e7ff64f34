import { describe, expect, it } from 'vitest';
import { dictionaryProblem, planResource } from '../../../src/fix/planner.js';
import { tagDigest } from '../../../src/fix/digest.js';
import { ACCOUNTS, COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { DEV, finding, lambda, planFromAudit, plannerOptions, resource } from './helpers.js';

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';
const OWNER = 'anycompany:finance:owner';
const CLASS = 'anycompany:security:data-classification';
const BACKUP = 'anycompany:operations:backup';
const EMAIL = 'jane.doe@example.com';

describe('planner: from real findings', () => {
  it('renames a deprecated key with its value normalised, adds an account default, normalises a value', () => {
    const a = lambda('a', tagsWith({ [ENV]: undefined, env: 'prod' }));
    const b = lambda('b', tagsWith({ [ENV]: undefined }));
    const c = lambda('c', tagsWith({ [ENV]: 'Prod' }));
    const plan = planFromAudit(policy, [a, b, c]);
    expect(plan.resources.map((r) => [r.arn, r.edits])).toEqual([
      [a.arn, [{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod', value: 'production', valueType: 'normalize-value' }]],
      [b.arn, [{ op: 'add', type: 'add-default', key: ENV, value: 'development' }]],
      [c.arn, [{ op: 'set', type: 'normalize-value', key: ENV, expected: 'Prod', value: 'production' }]],
    ]);
    expect(plan.resources[0]!.expectedTags).toContainEqual({ key: 'env', value: 'prod' });
    expect(plan.conflicts).toEqual([]);
    expect(plan.fixTypes).toEqual(['rename-key', 'normalize-value', 'add-default', 'inherit']);
  });

  it("plans the scan's re-spelling of a pattern key's value (case, spaces), under its key and through a rename", () => {
    const APP = 'anycompany:workload:application-id';
    const COST = 'anycompany:finance:cost-center';
    const a = lambda('a', tagsWith({ [APP]: 'APP-1234', [COST]: ' 5045' }));
    const b = lambda('b', tagsWith({ [APP]: undefined, ApplicationId: 'APP-1234' }));
    const plan = planFromAudit(policy, [a, b]);
    expect(plan.skipped).toEqual([]);
    expect(plan.resources.map((r) => [r.arn, r.edits])).toEqual([
      [
        a.arn,
        expect.arrayContaining([
          { op: 'set', type: 'normalize-value', key: APP, expected: 'APP-1234', value: 'app-1234' },
          { op: 'set', type: 'normalize-value', key: COST, expected: ' 5045', value: '5045' },
        ]),
      ],
      [b.arn, [expect.objectContaining({ op: 'rename', from: 'ApplicationId', to: APP, expected: 'APP-1234', value: 'app-1234' })]],
    ]);
  });

  it('a value the pattern accepts is still refused when it is not the old one re-spelt (a hand-edited plan)', () => {
    const APP = 'anycompany:workload:application-id';
    const edit = { op: 'set', type: 'normalize-value', key: APP, expected: 'APP-1234', value: 'app-9999' } as const;
    expect(dictionaryProblem(policy, ACCOUNTS.prod, edit)).toMatch(/not a canonical value/);
    expect(dictionaryProblem(policy, ACCOUNTS.prod, { ...edit, value: 'app-1234' })).toBeUndefined();
  });

  it('--fix-type limits the kinds of edit planned; the others are reported as skipped', () => {
    const a = lambda('a', tagsWith({ [ENV]: undefined, env: 'prod' }));
    const b = lambda('b', tagsWith({ [ENV]: undefined }));
    const plan = planFromAudit(policy, [a, b], { fixTypes: new Set(['add-default']) });
    expect(plan.resources.map((r) => r.arn)).toEqual([b.arn]);
    expect(plan.skipped).toEqual([expect.objectContaining({ arn: a.arn, ruleId: 'deprecated-tag-key', reason: 'fix-type-filtered' })]);
  });

  it('never guesses: a missing key without a dictionary default gets no edit', () => {
    const a = lambda('a', tagsWith({ [OWNER]: undefined }));
    const plan = planFromAudit(policy, [a]);
    expect(plan.resources).toEqual([]);
  });

  it('PII is left alone without --fix-pii, and the plan holds it only masked with a digest', () => {
    const a = lambda('a', { ...COMPLIANT_TAGS, owner_email: EMAIL });
    const plan = planFromAudit(policy, [a]);
    expect(plan.resources).toEqual([]);
    expect(plan.skipped).toEqual([expect.objectContaining({ ruleId: 'pii-in-tag', reason: 'pii-not-opted-in' })]);
    expect(JSON.stringify(plan)).not.toContain(EMAIL);
  });

  it('--fix-pii remove removes the PII tag by digest; nothing raw in the plan', () => {
    const a = lambda('a', { ...COMPLIANT_TAGS, owner_email: EMAIL });
    const plan = planFromAudit(policy, [a], { fixPii: 'remove' });
    const r = plan.resources[0]!;
    expect(r.edits).toEqual([
      { op: 'remove', type: 'pii-remove', key: 'owner_email', expected: 'j***@e*****e.com', digest: tagDigest('owner_email', EMAIL) },
    ]);
    expect(r.expectedTags).toContainEqual({ key: 'owner_email', value: 'j***@e*****e.com', digest: tagDigest('owner_email', EMAIL) });
    expect(plan.fixTypes).toContain('pii-remove');
    expect(JSON.stringify(plan)).not.toContain(EMAIL);
  });

  it('--fix-pii redact writes the mask with characters AWS accepts', () => {
    const a = lambda('a', { ...COMPLIANT_TAGS, owner_email: EMAIL });
    const plan = planFromAudit(policy, [a], { fixPii: 'redact' });
    expect(plan.resources[0]!.edits).toEqual([
      {
        op: 'set',
        type: 'pii-redact',
        key: 'owner_email',
        expected: 'j***@e*****e.com',
        value: 'j___@e_____e.com',
        digest: tagDigest('owner_email', EMAIL),
      },
    ]);
  });

  it('PII in a key cannot be redacted in place', () => {
    const a = lambda('a', { ...COMPLIANT_TAGS, [EMAIL]: 'owner' });
    const plan = planFromAudit(policy, [a], { fixPii: 'redact' });
    expect(plan.resources).toEqual([]);
    expect(plan.skipped).toContainEqual(expect.objectContaining({ ruleId: 'pii-in-tag', reason: 'unsupported-edit' }));
    expect(JSON.stringify(plan)).not.toContain(EMAIL);
  });
});

describe('planner: conflicts', () => {
  it('two fixes that disagree on one key: no edit, both values reported', () => {
    const r = lambda('a', { [BACKUP]: 'nightly' });
    const out = planResource(
      r,
      [
        finding(r, 'rule-a', [{ op: 'set', type: 'normalize-value', key: BACKUP, expected: 'nightly', value: 'daily' }]),
        finding(r, 'rule-b', [{ op: 'set', type: 'normalize-value', key: BACKUP, expected: 'nightly', value: 'weekly' }]),
      ],
      plannerOptions(policy),
    );
    expect(out.planned).toBeUndefined();
    expect(out.conflicts).toEqual([
      {
        arn: r.arn,
        key: BACKUP,
        reason: 'fixes disagree on this key',
        proposals: [
          { source: 'rule-a', value: 'daily' },
          { source: 'rule-b', value: 'weekly' },
        ],
      },
    ]);
  });

  it('a conflict drops the whole finding but leaves unrelated fixes in place', () => {
    const r = lambda('a', { [BACKUP]: 'nightly', Environment: 'prod' });
    const out = planResource(
      r,
      [
        finding(r, 'rule-a', [{ op: 'set', type: 'normalize-value', key: BACKUP, expected: 'nightly', value: 'daily' }]),
        finding(r, 'rule-b', [{ op: 'set', type: 'normalize-value', key: BACKUP, expected: 'nightly', value: 'weekly' }]),
        finding(r, 'rule-c', [{ op: 'rename', type: 'rename-key', from: 'Environment', to: ENV, expected: 'prod', value: 'production' }]),
      ],
      plannerOptions(policy),
    );
    expect(out.planned?.edits).toEqual([{ op: 'rename', type: 'rename-key', from: 'Environment', to: ENV, expected: 'prod', value: 'production' }]);
    expect(out.conflicts).toHaveLength(1);
  });

  it('a rename onto a key that holds a different value is a conflict, with both values (masked when PII)', () => {
    const r = lambda('a', { Owner: 'ml-platform', [OWNER]: EMAIL });
    const out = planResource(
      r,
      [finding(r, 'deprecated-tag-key', [{ op: 'rename', type: 'rename-key', from: 'Owner', to: OWNER, expected: 'ml-platform', value: 'ml-platform' }])],
      plannerOptions(policy),
    );
    expect(out.planned).toBeUndefined();
    expect(out.conflicts).toEqual([
      {
        arn: r.arn,
        key: OWNER,
        reason: 'rename onto a key that already holds a different value',
        proposals: [
          { source: 'current value', value: 'j***@e*****e.com' },
          { source: 'deprecated-tag-key', value: 'ml-platform' },
        ],
      },
    ]);
    expect(JSON.stringify(out)).not.toContain(EMAIL);
  });

  it('the same fix from two rules is one edit; a value fix the rename already makes is folded into it', () => {
    const r = lambda('a', { env: 'prod' });
    const rename = { op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod', value: 'production' } as const;
    const out = planResource(
      r,
      [
        finding(r, 'deprecated-tag-key', [rename]),
        finding(r, 'miscased-tag-key', [rename]),
        finding(r, 'miscased-tag-value', [{ op: 'set', type: 'normalize-value', key: 'env', expected: 'prod', value: 'production' }]),
      ],
      plannerOptions(policy),
    );
    expect(out.conflicts).toEqual([]);
    expect(out.planned?.edits).toEqual([rename]);
    expect(out.planned?.ruleIds).toEqual(['deprecated-tag-key', 'miscased-tag-key', 'miscased-tag-value']);
  });

  it('a value fix on the old key that disagrees with the rename is a conflict', () => {
    const r = lambda('a', { env: 'prod' });
    const out = planResource(
      r,
      [
        finding(r, 'deprecated-tag-key', [{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod', value: 'prod' }]),
        finding(r, 'miscased-tag-value', [{ op: 'set', type: 'normalize-value', key: 'env', expected: 'prod', value: 'production' }]),
      ],
      plannerOptions(policy),
    );
    expect(out.planned).toBeUndefined();
    expect(out.conflicts[0]?.key).toBe('env');
  });
});

describe('planner: limits and safety', () => {
  it('never touches aws: tags', () => {
    const r = lambda('a', { 'aws:cloudformation:stack-name': 'x' });
    const out = planResource(
      r,
      [
        finding(r, 'x', [{ op: 'rename', type: 'rename-key', from: 'aws:cloudformation:stack-name', to: ENV, expected: 'x', value: 'x' }]),
        finding(r, 'y', [{ op: 'add', type: 'add-default', key: 'AWS:foo', value: 'internal' }]),
      ],
      plannerOptions(policy),
    );
    expect(out.planned).toBeUndefined();
    expect(out.skipped.map((s) => s.reason)).toEqual(['aws-reserved', 'aws-reserved']);
  });

  it('writes only values the dictionary gives', () => {
    const r = lambda('a', { env: 'prod' });
    const out = planResource(
      r,
      [
        finding(r, 'a', [{ op: 'add', type: 'add-default', key: CLASS, value: 'secret' }]),
        finding(r, 'b', [{ op: 'add', type: 'add-default', key: 'NotInDictionary', value: 'x' }]),
        finding(r, 'c', [{ op: 'rename', type: 'rename-key', from: 'env', to: 'Env2', expected: 'prod', value: 'prod' }]),
        finding(r, 'd', [{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod', value: 'guess' }]),
        finding(r, 'e', [{ op: 'set', type: 'normalize-value', key: 'env', expected: 'prod', value: 'Production!' }]),
      ],
      plannerOptions(policy),
    );
    expect(out.planned).toBeUndefined();
    expect(out.skipped.map((s) => [s.ruleId, s.reason])).toEqual([
      ['a', 'not-from-dictionary'],
      ['b', 'not-from-dictionary'],
      ['c', 'not-from-dictionary'],
      ['d', 'not-from-dictionary'],
      ['e', 'invalid-tag-text'],
    ]);
  });

  it("respects the service's character rules: '#' cannot move to a new key on Lambda, but can on EC2", () => {
    const lam = lambda('a', { env: 'prod#1' });
    const ec2 = resource(`arn:aws:ec2:us-east-1:${DEV}:instance/i-1`, { env: 'prod#1' });
    const fix = [{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod#1', value: 'prod#1' }] as const;
    expect(planResource(lam, [finding(lam, 'r', [...fix])], plannerOptions(policy)).skipped[0]?.reason).toBe('invalid-tag-text');
    expect(planResource(ec2, [finding(ec2, 'r', [...fix])], plannerOptions(policy)).planned?.edits).toEqual(fix);
  });

  it('rejects keys and values over the length limits', () => {
    const long = 'x'.repeat(257);
    const r = lambda('a', { env: long });
    const out = planResource(r, [finding(r, 'r', [{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: long, value: long }])], plannerOptions(policy));
    expect(out.skipped[0]).toMatchObject({ reason: 'invalid-tag-text' });
    expect(out.skipped[0]?.detail).toContain('at most 256');
  });

  it('never plans more than 50 user tags: adds are dropped first', () => {
    const tags: Record<string, string> = { 'aws:x': '1' };
    for (let i = 0; i < 49; i++) tags[`k${i}`] = 'v';
    const r = lambda('a', tags);
    const out = planResource(
      r,
      [
        finding(r, 'missing-class', [{ op: 'add', type: 'add-default', key: CLASS, value: 'internal' }]),
        finding(r, 'missing-env', [{ op: 'add', type: 'add-default', key: ENV, value: 'development' }]),
      ],
      plannerOptions(policy),
    );
    expect(out.planned?.edits).toHaveLength(1);
    expect(out.skipped).toEqual([expect.objectContaining({ reason: 'tag-limit' })]);
  });

  it('a rename at 50 tags would need 51 for a moment: skipped, not done by removing first', () => {
    const tags: Record<string, string> = { env: 'prod' };
    for (let i = 0; i < 49; i++) tags[`k${i}`] = 'v';
    const r = lambda('a', tags);
    const out = planResource(
      r,
      [finding(r, 'deprecated-tag-key', [{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod', value: 'production' }])],
      plannerOptions(policy),
    );
    expect(out.planned).toBeUndefined();
    expect(out.skipped[0]?.reason).toBe('tag-limit');
  });

  it('a finding that no longer matches the resource is stale', () => {
    const r = lambda('a', { env: 'staging' });
    const out = planResource(
      r,
      [finding(r, 'r', [{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod', value: 'production' }])],
      plannerOptions(policy),
    );
    expect(out.skipped[0]?.reason).toBe('stale-finding');
  });

  it('only PII is ever removed', () => {
    const r = lambda('a', { junk: 'x' });
    const out = planResource(r, [finding(r, 'unknown-tag-key', [{ op: 'remove', type: 'normalize-value', key: 'junk', expected: 'x' }])], plannerOptions(policy));
    expect(out.skipped[0]?.reason).toBe('unsupported-edit');
  });

  it('a rename onto its own key is refused: written then removed, it would drop the tag', () => {
    const r = lambda('a', { [ENV]: 'production' });
    const out = planResource(
      r,
      [finding(r, 'r', [{ op: 'rename', type: 'rename-key', from: ENV, to: ENV, expected: 'production', value: 'production' }])],
      plannerOptions(policy),
    );
    expect(out.planned).toBeUndefined();
    expect(out.skipped[0]?.reason).toBe('unsupported-edit');
  });

  it('orders edits: renames, sets, adds, removes', () => {
    const r = resource(`arn:aws:sagemaker:us-east-1:${ACCOUNTS.dev}:model/m`, {
      ...tagsWith({ [ENV]: undefined, [CLASS]: undefined }),
      env: 'prod',
      [BACKUP]: 'nightly',
      contact: EMAIL,
    });
    const plan = planFromAudit(policy, [r], { fixPii: 'remove' });
    expect(plan.resources[0]!.edits.map((e) => e.op)).toEqual(['rename', 'set', 'add', 'remove']);
  });
});
