import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredSeverity } from '../../../src/rules/configured-severity.js';
import { createAuditor } from '../../../src/rules/engine.js';
import { ALL_RULES } from '../../../src/rules/index.js';
import { everyNamedRuleOff, ruleLevel } from '../../../src/rules/rule-levels.js';
import { compileSuppression } from '../../../src/dictionary/suppression.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { auditSpec } from '../../support/rule-tester.js';

const SRC = join(import.meta.dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'vendor' ? [] : sourceFiles(join(dir, e.name))) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('configuredSeverity: the one way to know a rule’s configured level', () => {
  it('is the only code that reads a level out of the dictionary’s rules: (no rule re-derives one)', () => {
    const readers = sourceFiles(SRC)
      .filter((f) => /\bruleSeverity\s*\[/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(readers).toEqual(['rules/configured-severity.ts']);
  });

  it('imports no rule and not the registry, so every rule can import it without a cycle', () => {
    const text = readFileSync(join(SRC, 'rules/configured-severity.ts'), 'utf8');
    const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    for (const rule of ALL_RULES) expect(imports).not.toContain(`./${rule.meta.id}.js`);
    expect(imports).not.toContain('./index.js');
    expect(imports).not.toContain('./engine.js');
  });

  it('decides which rules the engine runs, and what ruleLevel reports for every rule', () => {
    const policies = [
      anycompanyPolicy(),
      anycompanyPolicy({ ruleSeverity: { 'tag-limit': 'off', 'unknown-tag-key': 'note' } }),
      anycompanyPolicy({ conventions: { unknownKeys: 'off' }, pii: { ...anycompanyPolicy().pii, enabled: false } }),
    ];
    for (const policy of policies) {
      const on = ALL_RULES.filter((r) => configuredSeverity(r.meta, policy) !== 'off').map((r) => r.meta.id);
      expect(createAuditor(policy).rules.map((r) => r.id)).toEqual(on);
      for (const r of ALL_RULES) expect(ruleLevel(policy, r.meta.id)).toBe(configuredSeverity(r.meta, policy));
    }
    expect(ruleLevel(anycompanyPolicy(), 'no-such-rule')).toBe('off');
  });

  it("empty-tag-value on a mandatory key follows missing-tag's configured level", () => {
    const emptyCost = { tags: tagsWith({ 'anycompany:finance:cost-center': '' }) };
    const level = (ruleSeverity: Record<string, 'error' | 'warning' | 'note' | 'off'>) =>
      auditSpec(anycompanyPolicy({ ruleSeverity }), emptyCost, undefined, 'empty-tag-value')[0]?.severity;
    expect(level({})).toBe('error');
    expect(level({ 'missing-tag': 'warning' })).toBe('warning');
    expect(level({ 'missing-tag': 'off' })).toBe('warning');
    expect(level({ 'empty-tag-value': 'note', 'missing-tag': 'error' })).toBe('error');
    expect(level({ 'empty-tag-value': 'error', 'missing-tag': 'note' })).toBe('error');
  });
});

describe('everyNamedRuleOff', () => {
  const sup = (rules: string[]) => compileSuppression({ rules, tags: ['Name'], reason: 'x' });

  it('is true only when every rule the suppression names runs at no level', () => {
    const policy = anycompanyPolicy({ ruleSeverity: { 'tag-limit': 'off' }, conventions: { unknownKeys: 'off' } });
    expect(everyNamedRuleOff(sup(['tag-limit']), policy)).toBe(true);
    expect(everyNamedRuleOff(sup(['tag-limit', 'unknown-tag-key']), policy)).toBe(true);
    expect(everyNamedRuleOff(sup(['tag-limit', 'missing-tag']), policy)).toBe(false);
    expect(everyNamedRuleOff(sup([]), policy)).toBe(false);
  });
});
