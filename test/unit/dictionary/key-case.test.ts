import { describe, it, expect } from 'vitest';
import { keyMatchesCase, describeKeyCase, KEY_CASES } from '../../../src/dictionary/key-case.js';
import type { KeyCase } from '../../../src/dictionary/policy.js';

const cases: Array<[KeyCase, string[], string[]]> = [
  ['kebab', ['cost-center', 'anycompany:finance:cost-center', 'env', 'tier2', 'a:b'], ['CostCenter', 'cost_center', 'cost--center', '-cost', 'cost-', 'a::b', 'a:', 'Cost-center', '']],
  ['snake', ['cost_center', 'acme:cost_center', 'env'], ['cost-center', 'CostCenter', 'cost__center', '_x', 'a::b']],
  ['camel', ['costCenter', 'acme:costCenter', 'env', 'ab1C'], ['CostCenter', 'cost-center', 'cost_center', '1abc', 'a:']],
  ['pascal', ['CostCenter', 'Acme:CostCenter', 'Env', 'ML2Phase'], ['costCenter', 'Cost-Center', 'Cost_Center', 'acme:CostCenter']],
  ['lower', ['cost-center', 'cost_center', 'coût:centre', 'a b'], ['CostCenter', 'Coût', 'a::b', 'a:']],
  ['any', ['ANY thing', 'ML-Phase', 'a::b', ''], []],
];

describe('keyMatchesCase', () => {
  for (const [keyCase, good, bad] of cases) {
    it.each(good)(`${keyCase} accepts %j`, (key) => expect(keyMatchesCase(key, keyCase)).toBe(true));
    if (bad.length) it.each(bad)(`${keyCase} rejects %j`, (key) => expect(keyMatchesCase(key, keyCase)).toBe(false));
  }

  it('describes every style', () => {
    for (const keyCase of KEY_CASES) expect(describeKeyCase(keyCase).length).toBeGreaterThan(2);
    expect(describeKeyCase('kebab')).toBe('lowercase words joined by hyphens (cost-center)');
  });
});
