import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { detectPii } from '../../../src/pii/detect.js';

// docs/dictionary.md says allow.values are compared case-insensitively and allow.patterns case-sensitively, and shows
// how to accept any case with character classes. This holds it to that.

const doc = readFileSync(new URL('../../../docs/dictionary.md', import.meta.url), 'utf8');

async function policyWith(allow: string) {
  const text = `version: 1\nname: t\npii:\n  allow:\n${allow}tags:\n  - {key: team, category: c, purpose: p, mandatory: true, costAllocation: true}\n`;
  return (await parseDictionary(text, 'd.yaml')).policy.pii;
}

const reported = (value: string, pii: Awaited<ReturnType<typeof policyWith>>): boolean => detectPii('contact', value, pii).length > 0;

describe('pii.allow: values ignore case, patterns do not', () => {
  it('allow.values', async () => {
    const pii = await policyWith('    values: ["ml-platform@anycompany.com"]\n');
    expect(reported('ml-platform@anycompany.com', pii)).toBe(false);
    expect(reported('ML-Platform@AnyCompany.com', pii)).toBe(false);
  });

  it("allow.patterns, and the docs' character-class example for any case", async () => {
    const lower = await policyWith("    patterns: ['^[a-z0-9-]+@lists\\.anycompany\\.com$']\n");
    expect(reported('data-eng@lists.anycompany.com', lower)).toBe(false);
    expect(reported('DATA-ENG@LISTS.ANYCOMPANY.COM', lower)).toBe(true);

    const section = doc.slice(doc.indexOf('\n## PII\n'), doc.indexOf('\n## Tag entries\n'));
    expect(section).toContain('**Case-sensitive**, unlike `allow.values`');
    const example = /```yaml\n {2}allow:\n {4}patterns: \['(.+)'\]\n```/.exec(section)?.[1];
    expect(example).toBeDefined();
    const anyCase = await policyWith(`    patterns: ['${example!}']\n`);
    expect(reported('DATA-ENG@LISTS.ANYCOMPANY.COM', anyCase)).toBe(false);
    expect(reported('data-eng@lists.anycompany.com', anyCase)).toBe(false);
    expect(reported('jane.doe@anycompany.com', anyCase)).toBe(true);
  });
});
