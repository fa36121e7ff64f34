import { describe, it, expect } from 'vitest';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { DictionaryError } from '../../../src/dictionary/dictionary-error.js';
import { createHash } from 'node:crypto';

const TEXT = `# yaml-language-server: $schema=../schema/dictionary.schema.json
version: 1
name: sample
description: A sample
conventions:
  keyCase: kebab
  requiredPrefix: "acme:"
  unknownKeys: note
rules:
  tag-limit: off
  missing-tag: warning
pii:
  enabled: true
  severity: warning
  detectors: [email, phone]
  allow:
    values: [ops@acme.example]
    patterns: ['^[a-z]+@lists\\.acme\\.example$']
tags:
  - key: acme:cost-center
    category: financial
    purpose: Who pays
    mandatory: [sagemaker:*, s3:bucket]
    costAllocation: true
    pattern: '^\\p{Lu}{2}-[0-9]{4}$'
    aliases: [CostCenter]
    accountDefaults: { "123456789012": "IT-0001" }
    severity: error

  - key: acme:env
    category: workload
    purpose: Stage
    mandatory: false
    costAllocation: false
    values: [dev, prod]
    valueAliases: { production: prod }
    default: dev
`;

describe('dictionary → Policy', () => {
  it('carries every field, compiled', async () => {
    const { policy } = await parseDictionary(TEXT, 'sample.yaml');
    expect(policy.path).toBe('sample.yaml');
    expect(policy.sha256).toBe(createHash('sha256').update(TEXT).digest('hex'));
    expect(policy.name).toBe('sample');
    expect(policy.description).toBe('A sample');
    expect(policy.conventions).toEqual({ keyCase: 'kebab', requiredPrefix: 'acme:', unknownKeys: 'note' });
    expect(policy.ruleSeverity).toEqual({ 'tag-limit': 'off', 'missing-tag': 'warning' });
    expect(policy.piiSeverity).toBe('warning');
    expect(policy.pii.enabled).toBe(true);
    expect([...policy.pii.detectors]).toEqual(['email', 'phone']);
    expect([...policy.pii.allowValues]).toEqual(['ops@acme.example']);
    expect(policy.pii.allowPatterns.map((r) => r.test('ml@lists.acme.example'))).toEqual([true]);

    const cc = policy.byKey.get('acme:cost-center')!;
    expect(cc).toMatchObject({ category: 'financial', mandatory: ['sagemaker:*', 's3:bucket'], costAllocation: true, severity: 'error', line: 20 });
    expect(cc.accountDefaults).toEqual({ '123456789012': 'IT-0001' });
    expect(policy.byAlias.get('CostCenter')).toBe(cc);
    // Compiled with the u flag: \p{Lu} is a Unicode property class, not a literal "p{Lu}".
    expect(cc.pattern!.flags).toBe('u');
    expect(cc.pattern!.test('ÉT-1234')).toBe(true);
    expect(cc.pattern!.test('et-1234')).toBe(false);

    const env = policy.byKey.get('acme:env')!;
    expect(env).toMatchObject({ values: ['dev', 'prod'], default: 'dev', valueAliases: { production: 'prod' }, line: 30 });
    expect(env.pattern).toBeUndefined();
    expect(Object.isFrozen(env)).toBe(true);
  });

  it('defaults: keyCase any, unknown keys off, PII on with every detector at severity error', async () => {
    const { policy } = await parseDictionary('version: 1\nname: x\ntags:\n  - {key: a, category: c, purpose: p, mandatory: false, costAllocation: false}\n', 'x.yaml');
    expect(policy.conventions).toEqual({ keyCase: 'any', requiredPrefix: undefined, unknownKeys: 'off' });
    expect(policy.ruleSeverity).toEqual({});
    expect(policy.piiSeverity).toBe('error');
    expect(policy.pii.enabled).toBe(true);
    expect(policy.pii.detectors.size).toBe(12);
    expect(policy.tags[0]).toMatchObject({ key: 'a', line: 4 });
  });

  it('YAML anchors and aliases are resolved', async () => {
    const text = 'version: 1\nname: x\ntags:\n  - &base {key: a, category: c, purpose: p, mandatory: false, costAllocation: false, values: &v [x, y]}\n  - {key: b, category: c, purpose: p, mandatory: false, costAllocation: false, values: *v}\n';
    const { policy } = await parseDictionary(text, 'x.yaml');
    expect(policy.byKey.get('b')!.values).toEqual(['x', 'y']);
  });

  it('YAML merge keys let entries share fields', async () => {
    const text = [
      'version: 1',
      'name: x',
      'tags:',
      '  - &jobs {key: a, category: c, purpose: p, mandatory: [sagemaker:training-job, sagemaker:processing-job], costAllocation: true}',
      '  - <<: *jobs',
      '    key: b',
      '    costAllocation: false',
      '',
    ].join('\n');
    const { policy } = await parseDictionary(text, 'x.yaml');
    expect(policy.byKey.get('b')).toMatchObject({ mandatory: ['sagemaker:training-job', 'sagemaker:processing-job'], costAllocation: false, line: 5 });
  });

  it('an alias bomb is refused, not expanded', async () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 12; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`);
    const err = await parseDictionary(`${lines.join('\n')}\n`, 'bomb.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DictionaryError);
    // b repeats 9 × 10 nodes, c 9 × 91, d 9 × 820: 8289 in all; the first *d of e passes 10000.
    expect((err as DictionaryError).toLine()).toBe(
      'bomb.yaml:5:8: too many alias expansions (more than 10000 YAML nodes repeated by the aliases up to this one); a dictionary repeats a few hundred at most',
    );
  });
});
