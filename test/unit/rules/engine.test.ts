import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAuditor } from '../../../src/rules/engine.js';
import { configuredSeverity } from '../../../src/rules/configured-severity.js';
import { ALL_RULES, ruleById } from '../../../src/rules/index.js';
import { compileSuppression } from '../../../src/dictionary/suppression.js';
import { createRule } from '../../../src/rules/create-rule.js';
import { fingerprint } from '../../../src/rules/fingerprint.js';
import type { Finding, Rule, TagEdit } from '../../../src/rules/types.js';
import { ACCOUNTS, ANYCOMPANY_TAGS, COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { applyEdits, auditSpec, makeResource } from '../../support/rule-tester.js';

const COST = 'anycompany:finance:cost-center';
const ENV = 'anycompany:workload:environment';
const OWNER = 'anycompany:finance:owner';
const CLASS = 'anycompany:security:data-classification';
const policy = anycompanyPolicy();

function fixedRule(id: string, edits: readonly TagEdit[]): Rule {
  return createRule({
    id,
    description: 'test rule',
    defaultSeverity: 'warning',
    fixable: true,
    rationale: 'test',
    check: () => [{ message: `${id} says so`, tag: { key: 'k' }, fix: edits }],
  });
}

describe('createAuditor', () => {
  it('finds nothing on a compliant resource, with or without a lookup', () => {
    const auditor = createAuditor(policy);
    expect(auditor.audit(makeResource({ tags: COMPLIANT_TAGS }))).toEqual([]);
    expect(auditor.audit(makeResource({ tags: COMPLIANT_TAGS }), () => undefined)).toEqual([]);
  });

  it('lists the enabled rules in registry order, without the ones turned off', () => {
    const all = createAuditor(anycompanyPolicy()).rules.map((r) => r.id);
    expect(all).toEqual(ALL_RULES.map((r) => r.meta.id));
    const some = createAuditor(anycompanyPolicy({ ruleSeverity: { 'tag-limit': 'off', 'missing-tag': 'off' } })).rules.map((r) => r.id);
    expect(some).not.toContain('tag-limit');
    expect(some).not.toContain('missing-tag');
    expect(some).toHaveLength(ALL_RULES.length - 2);
  });

  it("an 'off' rule produces nothing", () => {
    const off = anycompanyPolicy({ ruleSeverity: { 'missing-tag': 'off' } });
    expect(auditSpec(off, { tags: {} }).filter((f) => f.ruleId === 'missing-tag')).toEqual([]);
  });
});

describe('severity', () => {
  const rule = ruleById('missing-tag') as Rule;
  it('rule default, then the dictionary rules: entry', () => {
    expect(configuredSeverity(rule.meta, policy)).toBe('error');
    expect(configuredSeverity(rule.meta, anycompanyPolicy({ ruleSeverity: { 'missing-tag': 'warning' } }))).toBe('warning');
  });

  it("then the dictionary key's own severity, then the rule's explicit one", () => {
    const p = anycompanyPolicy({ ruleSeverity: { 'missing-tag': 'note' } });
    const findings = auditSpec(p, { tags: tagsWith({ [COST]: undefined, [CLASS]: undefined }) }, undefined, 'missing-tag');
    expect(findings.map((f) => [f.tag?.key, f.severity])).toEqual([
      [COST, 'note'], // rules: entry
      [CLASS, 'error'], // the key's severity: error
    ]);
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`x${i}`, 'v']));
    const limit = auditSpec(anycompanyPolicy({ ruleSeverity: { 'tag-limit': 'note' } }), { tags: tooMany }, undefined, 'tag-limit');
    expect(limit.map((f) => f.severity)).toEqual(['error']);
  });

  it('finished jobs: findings about cost-allocation keys become notes; running jobs and other types do not', () => {
    const tags = tagsWith({ [COST]: undefined });
    const sev = (spec: Parameters<typeof auditSpec>[1]) => auditSpec(policy, spec, undefined, 'missing-tag').map((f) => f.severity);
    expect(sev({ tags, state: 'Completed' })).toEqual(['note']);
    expect(sev({ tags, state: 'COMPLETED', resourceType: 'sagemaker:compilation-job' })).toEqual(['note']);
    expect(sev({ tags, state: 'Stopped', resourceType: 'sagemaker:processing-job' })).toEqual(['note']);
    expect(sev({ tags, state: 'InProgress' })).toEqual(['error']);
    expect(sev({ tags, state: 'InService', resourceType: 'sagemaker:endpoint' })).toEqual(['error']);
    expect(sev({ tags, state: 'Completed', resourceType: 'sagemaker:endpoint' })).toEqual(['error']);
  });
});

describe('a rule that throws', () => {
  const boom = createRule({
    id: 'boom',
    description: 'always fails',
    defaultSeverity: 'note',
    fixable: false,
    rationale: 'test',
    check: () => {
      throw new Error('cannot read tag jane.doe@example.com\nsecond line');
    },
  });

  it('becomes an error finding about the resource, never a silent pass, and the other rules still run', () => {
    const auditor = createAuditor(policy, { rules: [boom, ...ALL_RULES] });
    const resource = makeResource({ tags: tagsWith({ [COST]: undefined, contact: 'jane.doe@example.com' }) });
    const findings = auditor.audit(resource);
    const failed = findings.find((f) => f.ruleId === 'boom');
    expect(failed).toMatchObject({ ruleId: 'boom', severity: 'error', resource: { arn: resource.arn } });
    expect(failed?.message).toMatch(/^rule boom failed to evaluate: cannot read tag /);
    expect(failed?.message).not.toContain('second line');
    expect(failed?.message).not.toContain('jane.doe@example.com');
    expect(failed?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(findings.some((f) => f.ruleId === 'missing-tag')).toBe(true);
  });

  it('is never hidden by a suppression of its rule (a crash is not a finding anyone accepted)', () => {
    const suppressed = anycompanyPolicy({
      suppressions: [compileSuppression({ rules: ['boom', 'missing-tag'], accounts: [ACCOUNTS.prod], reason: 'accepted' })],
    });
    const resource = makeResource({ accountId: ACCOUNTS.prod, tags: tagsWith({ [COST]: undefined }) });
    const counted: number[] = [];
    const findings = createAuditor(suppressed, { rules: [boom, ...ALL_RULES] }).audit(resource, undefined, (s) => counted.push(s));
    expect(findings.filter((f) => f.ruleId === 'boom')).toHaveLength(1);
    expect(findings.some((f) => f.ruleId === 'missing-tag')).toBe(false);
    expect(counted).toEqual([0]);
  });

  it('a non-Error throw is reported too', () => {
    const odd = createRule({ ...boom.meta, id: 'odd', check: () => { throw 42; } });
    const [f] = createAuditor(policy, { rules: [odd] }).audit(makeResource({ tags: {} }));
    expect(f?.message).toBe('rule odd failed to evaluate: 42');
  });
});

describe('fix guards', () => {
  const audit = (edits: readonly TagEdit[], tags: Record<string, string> = {}): Finding | undefined =>
    createAuditor(policy, { rules: [fixedRule('t', edits)] }).audit(makeResource({ tags }))[0];

  it('keeps a sound fix', () => {
    expect(audit([{ op: 'add', type: 'add-default', key: 'anycompany:a', value: 'b' }])?.fix).toHaveLength(1);
  });
  it('never targets aws: tags (any casing)', () => {
    const f = audit([{ op: 'set', type: 'normalize-value', key: 'AWS:x', expected: 'a', value: 'b' }]);
    expect(f?.fix).toBeUndefined();
    expect(f?.message).toContain('no fix proposed: it would touch an aws: tag');
    expect(audit([{ op: 'rename', type: 'rename-key', from: 'x', to: 'aws:x', expected: 'a', value: 'a' }])?.fix).toBeUndefined();
  });
  it('never writes a key or value AWS would reject', () => {
    expect(audit([{ op: 'add', type: 'add-default', key: 'a', value: 'semi;colon' }])?.message).toContain("the value it would write contains ';'");
    expect(audit([{ op: 'add', type: 'add-default', key: 'k'.repeat(129), value: 'v' }])?.message).toContain('longer than 128');
    expect(audit([{ op: 'add', type: 'add-default', key: 'k', value: 'v'.repeat(257) }])?.fix).toBeUndefined();
    expect(audit([{ op: 'add', type: 'add-default', key: '', value: 'v' }])?.fix).toBeUndefined();
  });
  it('never exceeds 50 user tags: adds share the room left, in finding order', () => {
    const filler = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`anycompany:extra:k${i}`, 'x']));
    // 45 + application-id and owner present = 47 user tags; three mandatory keys missing, all with defaults.
    const p = anycompanyPolicy({
      tags: [
        { key: 'a:one', mandatory: true, default: '1' },
        { key: 'a:two', mandatory: true, default: '2' },
        { key: 'a:three', mandatory: true, default: '3' },
        { key: 'a:four', mandatory: true, default: '4' },
      ],
    });
    const findings = auditSpec(p, { tags: { ...filler, x1: 'a', x2: 'b' } }, undefined, 'missing-tag');
    expect(findings.map((f) => Boolean(f.fix))).toEqual([true, true, true, false]);
    expect(findings[3]?.message).toContain('carries 47 of 50 user tags and its other fixes take the room left');
  });
  it('a rename needs one free slot while it runs (added before the old key is removed)', () => {
    const filler = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`anycompany:extra:k${i}`, 'x']));
    const findings = auditSpec(anycompanyPolicy({ ruleSeverity: { 'missing-tag': 'off' } }), { tags: { ...filler, CostCenter: '5045' } }, undefined, 'deprecated-tag-key');
    expect(findings[0]?.fix).toBeUndefined();
  });
  it('renames share the room left with each other: every new key is written before any old one is removed', () => {
    const filler = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`anycompany:extra:k${i}`, 'x']));
    const policy = anycompanyPolicy({ ruleSeverity: { 'missing-tag': 'off' } });
    // 49 user tags, one free slot, two deprecated keys: one rename fits, the second would make 51 for a moment.
    const findings = auditSpec(policy, { tags: { ...filler, CostCenter: '5045', Environment: 'production' } }, undefined, 'deprecated-tag-key');
    expect(findings.map((f) => Boolean(f.fix))).toEqual([true, false]);
    expect(findings[1]?.message).toContain('carries 49 of 50 user tags and its other fixes take the room left');
  });

  it('the last free slot goes to a rename before an add, as the planner chooses; findings keep the rules\' order', () => {
    const filler = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`anycompany:extra:k${i}`, 'x']));
    const policy = anycompanyPolicy();
    // 49 user tags, one free slot: missing-tag would add data-classification (it has a default),
    // deprecated-tag-key would rename Environment.
    const tags = { ...tagsWith({ 'anycompany:security:data-classification': undefined, 'anycompany:workload:environment': undefined }), ...filler, Environment: 'production' };
    const findings = createAuditor(policy).audit(makeResource({ tags }));
    const missing = findings.find((f) => f.ruleId === 'missing-tag');
    const deprecated = findings.find((f) => f.ruleId === 'deprecated-tag-key');
    expect(findings.indexOf(missing!)).toBeLessThan(findings.indexOf(deprecated!));
    expect(deprecated?.fix?.[0]?.op).toBe('rename');
    expect(missing?.fix).toBeUndefined();
    expect(missing?.message).toContain('carries 49 of 50 user tags and its other fixes take the room left');
  });
});

describe('user-tag slots: the planner and the engine count them one way (TagSlots)', () => {
  const PROJECT = 'anycompany:finance:project';
  // A cost-allocation key no resource type makes mandatory: its absence under a parent that has it is drift.
  const policy = anycompanyPolicy({ tags: [...ANYCOMPANY_TAGS, { key: PROJECT, category: 'financial', costAllocation: true }] });
  const parent = makeResource({ resourceType: 'sagemaker:hyper-parameter-tuning-job', tags: { ...COMPLIANT_TAGS, [PROJECT]: 'churn' } });
  const filler = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`anycompany:extra:k${i}`, 'x']));

  it("a fix the engine withholds because the others took the last slots says so, as the planner's do", () => {
    // 49 user tags (4 mandatory + 45), one free slot: missing-tag's add of data-classification (it has a default)
    // takes it, so inherited-tag-drift's add of the parent's project has none left.
    const tags = { ...tagsWith({ [CLASS]: undefined }), ...filler(45), 'aws:cloudformation:stack-name': 's' };
    const findings = auditSpec(policy, { parentArns: [parent.arn], others: [parent], tags });
    const missing = findings.find((f) => f.ruleId === 'missing-tag');
    const drift = findings.find((f) => f.ruleId === 'inherited-tag-drift');
    expect(missing?.fix?.[0]).toMatchObject({ op: 'add', key: CLASS });
    expect(drift?.fix).toBeUndefined();
    expect(drift?.message).toContain('no fix proposed: the resource carries 49 of 50 user tags and its other fixes take the room left');
  });

  it('a resource already full says so; aws: tags take no slot', () => {
    const full = { ...tagsWith({}), ...filler(45), 'aws:cloudformation:stack-name': 's' };
    const drift = auditSpec(policy, { parentArns: [parent.arn], others: [parent], tags: full }, undefined, 'inherited-tag-drift');
    expect(drift[0]?.message).toContain('no fix proposed: the resource already carries 50 of 50 user tags');
    const roomy = { ...tagsWith({}), ...filler(44), 'aws:cloudformation:stack-name': 's', 'aws:cloudformation:stack-id': 'i' };
    expect(auditSpec(policy, { parentArns: [parent.arn], others: [parent], tags: roomy }, undefined, 'inherited-tag-drift')[0]?.fix).toHaveLength(1);
  });
});

describe('personal data never leaves the engine', () => {
  const RAW = ['jane.doe@example.com', 'Jane Doe', '+1 206 555 0143', '4111 1111 1111 1111', 'john.roe@example.org'];
  const tags = {
    ...tagsWith({ [OWNER]: undefined }),
    Owner: 'jane.doe@example.com', // deprecated key + PII value: rename withheld
    contact: '+1 206 555 0143',
    'anycompany:finance:approver': 'Jane Doe',
    note: 'card 4111 1111 1111 1111',
    'john.roe@example.org': 'reviewer', // PII in a key
    COST_CENTER: 'john.roe@example.org', // conflicting + miscased key, PII value
    'aws:createdBy': 'arn:aws:sts::444455556666:assumed-role/Admin/jane.doe@example.com',
  };

  it('masks messages, tags, edits and data of every finding', () => {
    const findings = createAuditor(policy).audit(makeResource({ tags }));
    expect(findings.filter((f) => f.ruleId === 'pii-in-tag').length).toBeGreaterThanOrEqual(5);
    const json = JSON.stringify(findings);
    for (const raw of RAW) expect(json).not.toContain(raw);
    expect(json.toLowerCase()).not.toContain('jane.doe');
    // Only pii-* edits touch a PII-bearing tag.
    for (const f of findings) for (const e of f.fix ?? []) if (f.ruleId !== 'pii-in-tag') expect(e.type).not.toMatch(/^pii-/);
  });

  it('a PII key gets a stable fingerprint computed from its masked form', () => {
    const resource = makeResource({ tags: { 'john.roe@example.org': 'reviewer' } });
    const a = createAuditor(policy).audit(resource).find((f) => f.ruleId === 'pii-in-tag');
    const b = createAuditor(anycompanyPolicy()).audit(resource).find((f) => f.ruleId === 'pii-in-tag');
    expect(a?.fingerprint).toBe(b?.fingerprint);
    expect(a?.fingerprint).toBe(fingerprint('pii-in-tag', resource.arn, a?.tag?.key ?? ''));
    expect(a?.tag?.key).not.toContain('john.roe');
  });
});

describe('fingerprints', () => {
  it('are stable for (rule, ARN, key) and differ when any changes', () => {
    const fp = fingerprint('missing-tag', 'arn:aws:s3:::b', 'k');
    expect(fp).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint('missing-tag', 'arn:aws:s3:::b', 'k')).toBe(fp);
    // Pinned to its definition: changing the function changes every baseline users have.
    expect(fp).toBe(createHash('sha256').update('missing-tag\u0000arn:aws:s3:::b\u0000k', 'utf8').digest('hex').slice(0, 32));
    const others = [fingerprint('missing-tag', 'arn:aws:s3:::b', 'K'), fingerprint('missing-tag', 'arn:aws:s3:::c', 'k'), fingerprint('empty-tag-value', 'arn:aws:s3:::b', 'k'), fingerprint('missing-tag', 'arn:aws:s3:::bk', '')];
    expect(new Set([fp, ...others]).size).toBe(5);
  });
  it('do not collide over 200k similar inputs', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(fingerprint('missing-tag', `arn:aws:sagemaker:us-east-1:444455556666:training-job/job-${i}`, i % 2 ? COST : ENV));
    expect(seen.size).toBe(200_000);
  });
  it('are the same across audits of the same resource', () => {
    const resource = makeResource({ tags: { CostCenter: '5045' } });
    const a = createAuditor(policy).audit(resource).map((f) => f.fingerprint);
    const b = createAuditor(anycompanyPolicy()).audit(resource).map((f) => f.fingerprint);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length);
  });
});

describe('who carries a shared edit', () => {
  it('with deprecated-tag-key off, miscased-tag-value rewrites the value in place', () => {
    const p = anycompanyPolicy({ ruleSeverity: { 'deprecated-tag-key': 'off' } });
    const [f] = auditSpec(p, { tags: tagsWith({ [ENV]: undefined, env: 'prod' }) }, undefined, 'miscased-tag-value');
    expect(f?.fix).toEqual([{ op: 'set', type: 'normalize-value', key: 'env', expected: 'prod', value: 'production' }]);
  });
  it('with miscased-tag-value off, the rename keeps the value as it is', () => {
    const p = anycompanyPolicy({ ruleSeverity: { 'miscased-tag-value': 'off' } });
    const [f] = auditSpec(p, { tags: tagsWith({ [ENV]: undefined, env: 'prod' }) }, undefined, 'deprecated-tag-key');
    expect(f?.fix).toEqual([{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod', value: 'prod' }]);
  });
});

describe('scenario: after applying every proposed edit, no fixable finding remains', () => {
  const hpo = makeResource({
    arn: 'arn:aws:sagemaker:us-east-1:111122223333:hyper-parameter-tuning-job/hpo-9',
    resourceType: 'sagemaker:hyper-parameter-tuning-job',
    accountId: ACCOUNTS.dev,
    tags: { ...COMPLIANT_TAGS, [COST]: 'Sales-7000', [ENV]: 'development' },
  });
  const messy: Record<string, string>[] = [
    { CostCenter: '5045', Environment: 'Prod', 'anycompany:finance:owner': 'ml-platform', ApplicationId: 'APP-1234', DataClassification: '' },
    { cost_center: 'Sales-1', ENV: 'prd', Owner: 'team-a', 'anycompany:workload:application-id': 'app-0001', Backup: 'nightly', name: 'svc-1' },
    { 'anycompany:finance:cost-center': '', 'anycompany:workload:environment': ' development ', Team: 'ops', AppId: 'app-0002', contact: 'jane.doe@example.com' },
    {},
  ];
  for (const [n, tags] of messy.entries()) {
    it(`messy resource #${n + 1}`, () => {
      const auditor = createAuditor(policy);
      const lookup = (arn: string) => (arn === hpo.arn ? hpo : undefined);
      const spec = { accountId: ACCOUNTS.dev, parentArns: [hpo.arn] };
      const before = auditor.audit(makeResource({ ...spec, tags }), lookup);
      expect(before.some((f) => f.fix)).toBe(true);
      const after = applyEdits(tags, before.flatMap((f) => f.fix ?? []));
      const again = auditor.audit(makeResource({ ...spec, tags: after }), lookup);
      expect(again.filter((f) => f.fix).map((f) => f.message)).toEqual([]);
    });
  }
});

describe('a resource the engine cannot analyse', () => {
  it('yields one error finding per enabled rule, quoting no tag text', () => {
    const broken = { ...makeResource({ tags: {} }), tags: { 'anycompany:finance:owner': 42 as unknown as string } };
    const findings = createAuditor(policy).audit(broken);
    expect(findings.map((f) => f.ruleId)).toEqual(createAuditor(policy).rules.map((r) => r.id));
    for (const f of findings) {
      expect(f.severity).toBe('error');
      expect(f.message).toMatch(/^rule [a-z-]+ failed to evaluate: could not analyse the resource's tags \(TypeError\)$/);
    }
  });
});

describe('the clean-resource shortcut', () => {
  // The same rules as new objects: the engine does not recognise them as built-in, so it never takes the shortcut.
  const fullPath = createAuditor(policy, { rules: ALL_RULES.map((r) => ({ meta: r.meta, check: r.check })) });
  const shortcut = createAuditor(policy);
  const parent = makeResource({ resourceType: 'sagemaker:hyper-parameter-tuning-job', tags: tagsWith({ [COST]: 'Eng-1000' }) });
  const lookup = (arn: string) => (arn === parent.arn ? parent : undefined);
  const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`aws:cloudformation:x${i}`, 'v']));
  const userTags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`anycompany:extra:k${i}`, 'v']));
  const cases: Record<string, Parameters<typeof makeResource>[0]> = {
    compliant: { tags: COMPLIANT_TAGS },
    'compliant with aws: tags': { tags: { ...COMPLIANT_TAGS, ...many } },
    'missing a mandatory key': { tags: tagsWith({ [OWNER]: undefined }) },
    'blank value': { tags: tagsWith({ [OWNER]: '  ' }) },
    'miscased value': { tags: tagsWith({ [ENV]: 'Production' }) },
    'invalid value': { tags: tagsWith({ [CLASS]: 'top-secret' }) },
    'aliased key': { tags: { ...tagsWith({ [COST]: undefined }), CostCenter: 'Sales-5045' } },
    'unknown key': { tags: { ...COMPLIANT_TAGS, team: 'ml' } },
    'PII in a value': { tags: { ...COMPLIANT_TAGS, [OWNER]: 'jane.doe@example.com' } },
    'PII in an aws: tag': { tags: { ...COMPLIANT_TAGS, 'aws:createdBy': 'jane.doe@example.com' } },
    'at the tag-limit threshold': { tags: { ...COMPLIANT_TAGS, ...userTags(40) } },
    'compliant child of a drifted parent': { tags: COMPLIANT_TAGS, parentArns: [parent.arn] },
    'compliant, parent not found': { tags: COMPLIANT_TAGS, parentArns: ['arn:aws:sagemaker:us-east-1:444455556666:hyper-parameter-tuning-job/gone'] },
    'S3 bucket': { resourceType: 's3:bucket', tags: COMPLIANT_TAGS },
  };

  for (const [name, spec] of Object.entries(cases)) {
    it(`reports exactly what the full path reports: ${name}`, () => {
      const r = makeResource(spec);
      expect(shortcut.audit(r, lookup)).toEqual(fullPath.audit(r, lookup));
    });
  }

  it('finds something in the cases meant to have findings (so the comparison above means something)', () => {
    const withFindings = Object.entries(cases).filter(([, spec]) => fullPath.audit(makeResource(spec), lookup).length > 0).map(([n]) => n);
    expect(withFindings).toEqual(Object.keys(cases).filter((n) => !['compliant', 'compliant with aws: tags', 'compliant, parent not found', 'S3 bucket'].includes(n)));
  });

  it('still runs a rule from outside the registry on a compliant resource', () => {
    const auditor = createAuditor(policy, { rules: [...ALL_RULES, fixedRule('always', [])] });
    expect(auditor.audit(makeResource({ tags: COMPLIANT_TAGS })).map((f) => f.ruleId)).toEqual(['always']);
  });
});
