import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadDictionaryWithWarnings, loadDictionary } from '../../../src/dictionary/load-dictionary.js';
import { defaultValueFor, isMandatoryFor } from '../../../src/dictionary/policy.js';
import { detectPii } from '../../../src/pii/detect.js';

const path = (name: string): string => fileURLToPath(new URL(`../../../dictionaries/${name}`, import.meta.url));
const SHIPPED = ['anycompany.yaml', 'ml-lifecycle.yaml', 'mlaas-tenant.yaml'];

describe('shipped dictionaries', () => {
  it.each(SHIPPED)('%s loads with no problem and no warning, and points editors at the schema', async (name) => {
    const { policy, warnings } = await loadDictionaryWithWarnings(path(name), { displayPath: `dictionaries/${name}` });
    expect(warnings).toEqual([]);
    expect(policy.path).toBe(`dictionaries/${name}`);
    expect(policy.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(policy.tags.every((t) => t.purpose.length > 10)).toBe(true);
    expect(readFileSync(path(name), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/dictionary.schema.json');
  });

  it("anycompany.yaml reproduces seed 001's table: keys, categories, purposes, cost allocation and mandatory flags", async () => {
    const policy = await loadDictionary(path('anycompany.yaml'));
    // Tag Type | Tag Key | Purpose (start) | Cost Allocation | Mandatory — from the AWS blog post's dictionary.
    const table: Array<[string, string, string, boolean, boolean]> = [
      ['workload', 'anycompany:workload:application-id', 'Identifies disparate resources that are related to a specific application', true, true],
      ['workload', 'anycompany:workload:environment', 'Distinguishes between dev, test, and production', true, true],
      ['financial', 'anycompany:finance:owner', 'Indicates who is responsible for the resource', true, true],
      ['financial', 'anycompany:finance:business-unit', 'Identifies the business unit the resource belongs to', true, true],
      ['financial', 'anycompany:finance:cost-center', 'Indicates cost allocation and tracking', true, true],
      ['security', 'anycompany:security:data-classification', 'Indicates data confidentiality that the resource supports', false, true],
      ['automation', 'anycompany:automation:encryption', 'Indicates if the resource needs to store encrypted data', false, false],
      ['workload', 'anycompany:workload:name', 'Identifies an individual resource', false, false],
      ['workload', 'anycompany:workload:cluster', 'Identifies resources that share a common configuration', false, false],
      ['workload', 'anycompany:workload:version', 'Distinguishes between different versions of a resource', false, false],
      ['operations', 'anycompany:operations:backup', 'Identifies if the resource needs to be backed up', false, false],
      ['regulatory', 'anycompany:regulatory:framework', 'Requirements for compliance to specific standards and frameworks', false, false],
    ];
    expect(policy.tags.map((t) => t.key)).toEqual(table.map((row) => row[1]));
    for (const [category, key, purpose, costAllocation, mandatory] of table) {
      const tag = policy.byKey.get(key)!;
      expect({ key, category: tag.category, costAllocation: tag.costAllocation, mandatory: tag.mandatory }).toEqual({ key, category, costAllocation, mandatory });
      expect(tag.purpose.startsWith(purpose), `${key} purpose`).toBe(true);
    }
    expect(policy.conventions).toEqual({ keyCase: 'kebab', requiredPrefix: 'anycompany:', unknownKeys: 'warning' });
  });

  it('anycompany.yaml gives the fixer values to add: a default and per-account defaults', async () => {
    const policy = await loadDictionary(path('anycompany.yaml'));
    const env = policy.byKey.get('anycompany:workload:environment')!;
    expect(defaultValueFor(env, '444455556666')).toBe('production');
    expect(defaultValueFor(env, '999999999999')).toBeUndefined();
    const classification = policy.byKey.get('anycompany:security:data-classification')!;
    expect(defaultValueFor(classification, '111122223333')).toBe('internal');
    expect(policy.byAlias.get('Environment')).toBe(env);
    expect(policy.byAlias.get('CostCenter')?.key).toBe('anycompany:finance:cost-center');
    expect(env.valueAliases.prod).toBe('production');
    const costCenter = policy.byKey.get('anycompany:finance:cost-center')!;
    for (const ok of ['5045', 'Sales-5045', 'HR-2045']) expect(costCenter.pattern!.test(ok), ok).toBe(true);
    for (const bad of ['504', 'sales-5045', '5045-HR']) expect(costCenter.pattern!.test(bad), bad).toBe(false);
  });

  it("anycompany.yaml's allow list takes team lists, not a person's address on the lists domain (acceptance s14 D16)", async () => {
    const { pii } = await loadDictionary(path('anycompany.yaml'));
    const reported = (value: string): boolean => detectPii('owner', value, pii).length > 0;
    // The demo estate's contact, and the IAM user the ARN masking tests name after a list.
    for (const team of ['ml-oncall@lists.anycompany.com', 'ml-platform@lists.anycompany.com', 'fraud-ml-team@lists.anycompany.com']) {
      expect(reported(team), team).toBe(false);
    }
    for (const person of ['jane-doe@lists.anycompany.com', 'jane.doe@lists.anycompany.com', 'jdoe@lists.anycompany.com', 'ml-oncall@anycompany.com']) {
      expect(reported(person), person).toBe(true);
    }
  });

  it("ml-lifecycle.yaml: seed 003's ML phases, mandatory only where a phase runs", async () => {
    const policy = await loadDictionary(path('ml-lifecycle.yaml'));
    const phase = policy.byKey.get('ML-Phase')!;
    expect(phase.values).toEqual(['Preprocessing', 'Training', 'Inference']);
    expect(phase.valueAliases).toMatchObject({ Preproc: 'Preprocessing', Train: 'Training', Infer: 'Inference' });
    expect(isMandatoryFor(phase, 'sagemaker:training-job')).toBe(true);
    expect(isMandatoryFor(phase, 'sagemaker:endpoint')).toBe(true);
    expect(isMandatoryFor(phase, 'sagemaker:domain')).toBe(false);
    expect(isMandatoryFor(phase, 's3:bucket')).toBe(false);
    for (const key of ['Project', 'Environment', 'Owner', 'CostCenter']) {
      expect(policy.byKey.get(key)).toMatchObject({ mandatory: true, costAllocation: true });
    }
    expect(policy.byKey.get('Project')!.pattern!.test('Alpha-NLP')).toBe(true);
    expect(policy.ruleSeverity['miscased-tag-key']).toBe('error');
  });

  it('mlaas-tenant.yaml: tenant keys on what a tenant run creates, not on the shared pipeline', async () => {
    const policy = await loadDictionary(path('mlaas-tenant.yaml'));
    const tenant = policy.byKey.get('mlaas:tenant-id')!;
    expect(tenant.costAllocation).toBe(true);
    for (const type of ['sagemaker:training-job', 'sagemaker:processing-job', 's3:bucket', 'events:rule']) {
      expect(isMandatoryFor(tenant, type), type).toBe(true);
    }
    expect(isMandatoryFor(tenant, 'sagemaker:pipeline')).toBe(false);
    expect(tenant.pattern!.test('t-0a1b2c3d')).toBe(true);
    expect(tenant.pattern!.test('shared')).toBe(true);
    expect(tenant.pattern!.test('acme')).toBe(false);
    expect(policy.byKey.get('mlaas:tier')!.values).toEqual(['basic', 'standard', 'premium']);
    expect(policy.pii.detectors.has('person-name')).toBe(false);
    expect(policy.pii.detectors.has('email')).toBe(true);
  });
});
