import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../../src/dictionary/policy.js';
import { loadDictionary } from '../../../src/dictionary/load-dictionary.js';
import { DEFAULT_PII_POLICY } from '../../../src/pii/policy.js';
import { inheritedTagDrift } from '../../../src/rules/inherited-tag-drift.js';
import { auditSpec, makeResource, ruleTester } from '../../support/rule-tester.js';
import { runCli } from '../../support/cli.js';

const REPO = resolve(import.meta.dirname, '../../..');
const TENANT = 'mlaas:tenant-id';
const policy = compilePolicy({
  pii: DEFAULT_PII_POLICY,
  tags: [{ key: TENANT, costAllocation: true, pattern: /^(t-[0-9a-f]{8}|shared)$/u, valueAliases: { pool: 'shared' }, aliases: ['TenantId'], sharedValues: ['shared'] }],
});

const sharedPipeline = makeResource({
  arn: 'arn:aws:sagemaker:us-east-1:444455556666:pipeline/mlaas-build',
  resourceType: 'sagemaker:pipeline',
  tags: { [TENANT]: 'shared' },
});
const tenantHpo = makeResource({
  arn: 'arn:aws:sagemaker:us-east-1:444455556666:hyper-parameter-tuning-job/acme-hpo',
  resourceType: 'sagemaker:hyper-parameter-tuning-job',
  tags: { [TENANT]: 't-0a1b2c3d' },
});

ruleTester(inheritedTagDrift, {
  policy,
  valid: [
    // The tester found the shared pipeline's `shared` written over a tenant's id: the job would bill the pool.
    { name: "a tenant's job under the shared pipeline keeps its tenant id", parentArns: [sharedPipeline.arn], others: [sharedPipeline], tags: { [TENANT]: 't-0a1b2c3d' } },
    { name: 'nor is `shared` proposed for a job without one', parentArns: [sharedPipeline.arn], others: [sharedPipeline], tags: {} },
    {
      name: "a shared parent beside a tenant's parent: the tenant's parent agrees",
      parentArns: [sharedPipeline.arn, tenantHpo.arn],
      others: [sharedPipeline, tenantHpo],
      tags: { [TENANT]: 't-0a1b2c3d' },
    },
    // The tester found a pooled endpoint config's `shared` overwritten with the tenant id of one of its models.
    { name: "a resource carrying `shared` itself is pooled: not compared with its tenant's parent", parentArns: [tenantHpo.arn], others: [tenantHpo], tags: { [TENANT]: 'shared' } },
    { name: 'nor when it says so with an alias (`pool`)', parentArns: [tenantHpo.arn], others: [tenantHpo], tags: { [TENANT]: 'pool' } },
    { name: 'nor in another case (`Shared`)', parentArns: [tenantHpo.arn], others: [tenantHpo], tags: { [TENANT]: 'Shared' } },
    { name: 'nor under a deprecated key', parentArns: [tenantHpo.arn], others: [tenantHpo], tags: { TenantId: 'shared' } },
  ],
  invalid: [
    // Review s14, item 6: a shared parent is no reference, so it is ignored and the owning parent decides.
    {
      name: "a shared parent beside a tenant's parent is ignored: another tenant id is drift from the tenant's parent",
      parentArns: [sharedPipeline.arn, tenantHpo.arn],
      others: [sharedPipeline, tenantHpo],
      tags: { [TENANT]: 't-99999999' },
      findings: [{ fixable: true, data: { dictionaryKey: TENANT, parentArn: tenantHpo.arn, parentValue: 't-0a1b2c3d' } }],
      fixed: { [TENANT]: 't-0a1b2c3d' },
    },
    {
      name: "a shared parent beside a tenant's parent is ignored: a job without one gets the tenant's id (either order)",
      parentArns: [tenantHpo.arn, sharedPipeline.arn],
      others: [sharedPipeline, tenantHpo],
      tags: {},
      findings: [{ fixable: true, data: { dictionaryKey: TENANT, parentArn: tenantHpo.arn, parentValue: 't-0a1b2c3d' } }],
      fixed: { [TENANT]: 't-0a1b2c3d' },
    },
    {
      name: "a tenant's id under another tenant's tuning job is still drift",
      parentArns: [tenantHpo.arn],
      others: [tenantHpo],
      tags: { [TENANT]: 't-99999999' },
      findings: [{ fixable: true, data: { dictionaryKey: TENANT, parentArn: tenantHpo.arn, parentValue: 't-0a1b2c3d' } }],
      fixed: { [TENANT]: 't-0a1b2c3d' },
    },
  ],
});

describe('a pooled resource under a tenant parent', () => {
  const pooled = (value: string) => auditSpec(policy, { resourceType: 'sagemaker:endpoint-config', parentArns: [tenantHpo.arn], others: [tenantHpo], tags: { [TENANT]: value } });
  it('gets its alias or miscased shared value normalised to the canonical one, never the parent’s tenant', () => {
    for (const value of ['pool', 'Shared']) {
      const findings = pooled(value);
      expect(findings.map((f) => f.ruleId)).toEqual(['miscased-tag-value']);
      expect(findings[0]?.fix).toEqual([{ op: 'set', type: 'normalize-value', key: TENANT, expected: value, value: 'shared' }]);
      expect(findings[0]?.message).not.toContain('inherited-tag-drift');
    }
    expect(pooled('shared')).toEqual([]);
  });
});

describe('sharedValues without the setting', () => {
  it('a parent carrying `shared` is a reference like any other (the behaviour the setting turns off)', () => {
    const plain = compilePolicy({ pii: DEFAULT_PII_POLICY, tags: [{ key: TENANT, costAllocation: true, pattern: /^(t-[0-9a-f]{8}|shared)$/u }] });
    const found = auditSpec(plain, { parentArns: [sharedPipeline.arn], others: [sharedPipeline], tags: { [TENANT]: 't-0a1b2c3d' } }, [inheritedTagDrift], 'inherited-tag-drift');
    expect(found).toHaveLength(1);
  });
});

describe('the shipped mlaas-tenant dictionary', () => {
  it('declares `shared` on the tenant id as a shared value', async () => {
    const p = await loadDictionary(join(REPO, 'dictionaries/mlaas-tenant.yaml'));
    expect(p.byKey.get(TENANT)?.sharedValues).toEqual(['shared']);
  });
});

describe('validation', () => {
  it('a shared value the key itself rejects is an error at its position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagaudit-shared-'));
    writeFileSync(
      join(dir, 'd.yaml'),
      ['version: 1', 'name: t', 'tags:', '  - key: tenant', '    category: business', '    purpose: p', '    mandatory: false', '    costAllocation: true', "    values: [acme, shared]", '    sharedValues: [pooled]', ''].join('\n'),
    );
    const r = await runCli(['validate', 'd.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^d\.yaml:10:20: tags\[0\]\.sharedValues\[0\]: .*pooled/m);
  });
});
