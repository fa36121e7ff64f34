import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { ALL_RULE_META } from '../../src/rules/index.js';
import { extractRulesTable, renderRulesTable, replaceRulesTable, severityText, BEGIN, END } from '../../scripts/gen-readme-rules.mjs';

const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

describe('README rule table', () => {
  it('equals the table generated from the rule registry (run scripts/gen-readme-rules.mjs)', () => {
    expect(extractRulesTable(README)).toBe(renderRulesTable(ALL_RULE_META));
  });

  it('lists every rule, with its severity and fixability, linking its docs page', () => {
    const table = renderRulesTable(ALL_RULE_META);
    expect(table.split('\n')).toHaveLength(ALL_RULE_META.length + 2);
    for (const r of ALL_RULE_META) expect(table).toContain(`| [\`${r.id}\`](docs/rules/${r.id}.md) | ${severityText(r)} | ${r.fixable ? 'yes' : 'no'} |`);
  });

  it("says when a level is not simply the default: empty-tag-value on a mandatory key is reported at missing-tag's", () => {
    const row = extractRulesTable(README)
      ?.split('\n')
      .find((l) => l.startsWith('| [`empty-tag-value`]'));
    expect(row).toContain("| warning; missing-tag's level (error) on a key mandatory for the resource type |");
    expect(severityText({ defaultSeverity: 'warning' })).toBe('warning');
  });

  it('replaces only what is between the markers', () => {
    const doc = `intro\n${BEGIN}\nold\n${END}\noutro\n`;
    expect(replaceRulesTable(doc, 'new')).toBe(`intro\n${BEGIN}\nnew\n${END}\noutro\n`);
  });
});
