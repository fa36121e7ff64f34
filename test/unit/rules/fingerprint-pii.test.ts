import { describe, expect, it } from 'vitest';
import { createAuditor } from '../../../src/rules/engine.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { makeResource } from '../../support/rule-tester.js';

const auditor = createAuditor(anycompanyPolicy());
const ARN = 'arn:aws:sagemaker:us-east-1:444455556666:training-job/pii-keys';
const audit = (tags: Record<string, string>) => auditor.audit(makeResource({ arn: ARN, tags: tagsWith(tags) }), () => undefined);

describe('fingerprints of findings about keys holding personal data', () => {
  it('two keys that mask alike keep one alert each, never the raw key in the report', () => {
    const findings = audit({ 'john.doe@example.com': 'owner', 'jane.roe@example.com': 'owner2' }).filter((f) => f.tag?.key.includes('@'));
    const byRule = new Map<string, string[]>();
    for (const f of findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f.fingerprint]);
    expect(byRule.get('pii-in-tag')).toHaveLength(2);
    for (const prints of byRule.values()) expect(new Set(prints).size).toBe(prints.length);
    expect(JSON.stringify(findings)).not.toMatch(/john\.doe|jane\.roe/);
  });

  it('are the same from run to run, and a key with no look-alike keeps the plain masked-key fingerprint', () => {
    const tags = { 'john.doe@example.com': 'owner', 'jane.roe@example.com': 'owner2' };
    expect(audit(tags).map((f) => f.fingerprint)).toEqual(audit(tags).map((f) => f.fingerprint));
    const alone = audit({ 'john.doe@example.com': 'owner' }).find((f) => f.ruleId === 'pii-in-tag')!;
    const pair = audit(tags).filter((f) => f.ruleId === 'pii-in-tag');
    expect(pair.map((f) => f.fingerprint)).not.toContain(undefined);
    expect(alone.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });
});
