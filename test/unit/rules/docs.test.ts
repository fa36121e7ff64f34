import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES, ruleById } from '../../../src/rules/index.js';
import { ruleDocsUrl } from '../../../src/rules/create-rule.js';
import { KNOWN_RULE_IDS } from '../../../src/dictionary/rule-ids.js';
import { SEVERITIES } from '../../../src/rules/types.js';

const DOCS = join(import.meta.dirname, '../../../docs/rules');

/** The title and first paragraph of a markdown page (lines up to the first blank line, joined). */
function firstParagraph(markdown: string): { title: string; paragraph: string } {
  const lines = markdown.split('\n');
  const title = (lines[0] ?? '').replace(/^# /, '');
  let i = 1;
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  const para: string[] = [];
  while (i < lines.length && (lines[i] ?? '').trim() !== '') para.push((lines[i++] ?? '').trim());
  return { title, paragraph: para.join(' ') };
}

describe('rule registry', () => {
  it('holds exactly the ids the dictionary knows, in the same order', () => {
    expect(ALL_RULES.map((r) => r.meta.id)).toEqual([...KNOWN_RULE_IDS]);
  });

  it('has unique ids and consistent metadata', () => {
    const ids = ALL_RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { meta } of ALL_RULES) {
      expect(meta.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(meta.docsUrl).toBe(ruleDocsUrl(meta.id));
      expect(SEVERITIES).toContain(meta.defaultSeverity);
      expect(meta.description).toMatch(/^[A-Z].*\.$/);
      expect(meta.rationale.length).toBeGreaterThan(40);
      if (meta.severityNote !== undefined) expect(meta.severityNote).toMatch(/^[^A-Z].*[^.]$/);
      expect(ruleById(meta.id)?.meta).toBe(meta);
    }
    expect(ruleById('no-such-rule')).toBeUndefined();
  });
});

describe('docs/rules', () => {
  const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md'));

  for (const { meta } of ALL_RULES) {
    it(`${meta.id}: has a page titled with its id whose first paragraph is its description`, () => {
      expect(pages).toContain(`${meta.id}.md`);
      const text = readFileSync(join(DOCS, `${meta.id}.md`), 'utf8');
      const { title, paragraph } = firstParagraph(text);
      expect(title).toBe(meta.id);
      expect(paragraph).toBe(meta.description);
      expect(meta.docsUrl.endsWith(`/docs/rules/${meta.id}.md`)).toBe(true);
      // The summary table under the description: | severity | fixable | fix type |
      const row = text.split('\n').find((l, i, all) => all[i - 1]?.startsWith('|---'));
      const [severityCell = '', fixableCell = ''] = (row ?? '').split('|').slice(1).map((c) => c.trim());
      // The default severity, then what else decides the level (severityNote), as the README table and `rules` say.
      expect(severityCell.startsWith(`\`${meta.defaultSeverity}\``)).toBe(true);
      expect(severityCell.replace(/`/g, '')).toBe(meta.severityNote === undefined ? meta.defaultSeverity : `${meta.defaultSeverity}; ${meta.severityNote}`);
      expect(fixableCell.startsWith('no')).toBe(!meta.fixable);
      expect(text).toContain('## Fix');
      expect(text).toContain('## Configuration');
    });
  }

  it('has no page without a rule', () => {
    const ids = new Set(ALL_RULES.map((r) => `${r.meta.id}.md`));
    expect(pages.filter((p) => !ids.has(p))).toEqual([]);
  });

  it('pages link only to pages that exist', () => {
    for (const page of pages) {
      const text = readFileSync(join(DOCS, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([a-z-]+\.md)\)/g)) expect(pages, `${page} → ${target}`).toContain(target);
    }
  });
});
