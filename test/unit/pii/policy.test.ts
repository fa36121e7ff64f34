import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';
import { PII_KINDS } from '../../../src/pii/kinds.js';
import { DEFAULT_PII_POLICY, makePiiPolicy } from '../../../src/pii/policy.js';

describe('PII policy', () => {
  it('defaults to every detector on and nothing allowed', () => {
    expect(DEFAULT_PII_POLICY.enabled).toBe(true);
    expect([...DEFAULT_PII_POLICY.detectors].sort()).toEqual([...PII_KINDS].sort());
    expect(DEFAULT_PII_POLICY.allowValues.size).toBe(0);
    expect(DEFAULT_PII_POLICY.allowPatterns).toEqual([]);
  });

  it('finds nothing when disabled', () => {
    expect(detectPii('owner', 'jane.doe@example.com', makePiiPolicy({ enabled: false }))).toEqual([]);
  });

  it('runs only the configured detectors', () => {
    const onlyPhone = makePiiPolicy({ detectors: ['phone'] });
    expect(detectPii('owner', 'jane.doe@example.com', onlyPhone)).toEqual([]);
    expect(detectPii('oncall', '+1 206 555 0142', onlyPhone).map((h) => h.kind)).toEqual(['phone']);
    expect(detectPii('jane.doe@example.com', 'x', onlyPhone)).toEqual([]);
    const noNames = makePiiPolicy({ detectors: PII_KINDS.filter((k) => k !== 'person-name') });
    expect(detectPii('owner', 'Jane Doe <jane.doe@example.com>', noNames).map((h) => h.kind)).toEqual(['email']);
  });

  it('accepts allow-listed values case-insensitively, whole value or matched part', () => {
    const p = makePiiPolicy({ allowValues: ['ML-Platform@AnyCompany.com'] });
    expect(detectPii('owner', 'ml-platform@anycompany.com', p)).toEqual([]);
    expect(detectPii('notes', 'mail ml-platform@anycompany.com or jane@example.com', p).map((h) => h.match)).toEqual(['jane@example.com']);
    expect(detectPii('ml-platform@anycompany.com', 'owner', p)).toEqual([]);
  });

  it('accepts values matching an allow pattern, also with stateful /g patterns', () => {
    const p = makePiiPolicy({ allowPatterns: [/@anycompany\.com$/g] });
    for (let i = 0; i < 3; i++) expect(detectPii('owner', 'ml-platform@anycompany.com', p)).toEqual([]);
    expect(detectPii('owner', 'jane@example.com', p)).toHaveLength(1);
    expect(detectPii('notes', 'ask finops@anycompany.com', p)).toEqual([]);
  });

  it('caches per policy object, so a new policy takes effect at once', () => {
    expect(detectPii('owner', 'jane@example.com')).toHaveLength(1);
    expect(detectPii('owner', 'jane@example.com', makePiiPolicy({ allowValues: ['jane@example.com'] }))).toEqual([]);
    expect(detectPii('owner', 'jane@example.com')).toHaveLength(1);
  });
});
