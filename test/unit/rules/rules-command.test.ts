import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../../src/rules/index.js';
import { formatRulesTable } from '../../../src/rules/rules-listing.js';
import { runCli } from '../../support/cli.js';

describe('tagaudit rules', () => {
  it('prints one row per rule: id, default severity, fixable, description', async () => {
    const { code, stdout, stderr } = await runCli(['rules']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RULE\s+SEVERITY\s+FIXABLE\s+DESCRIPTION$/);
    expect(lines).toHaveLength(ALL_RULES.length + 1);
    for (const [i, { meta }] of ALL_RULES.entries()) {
      const cells = (lines[i + 1] ?? '').split(/\s{2,}/);
      const description = meta.severityNote === undefined ? meta.description : `${meta.description} Severity: ${meta.severityNote}.`;
      expect(cells).toEqual([meta.id, meta.defaultSeverity, meta.fixable ? 'yes' : 'no', description]);
    }
  });

  it("says when a rule's level is not simply its default (empty-tag-value on a mandatory key)", async () => {
    const { stdout } = await runCli(['rules']);
    const row = stdout.split('\n').find((l) => l.startsWith('empty-tag-value '));
    expect(row).toMatch(/^empty-tag-value\s+warning\s+yes\s+A dictionary tag is present with an empty or blank value\. Severity: missing-tag's level \(error\) on a key mandatory for the resource type\.$/);
    const json = JSON.parse((await runCli(['rules', '--format', 'json'])).stdout) as { id: string; severityNote?: string }[];
    expect(json.find((r) => r.id === 'empty-tag-value')?.severityNote).toBe("missing-tag's level (error) on a key mandatory for the resource type");
    expect(json.find((r) => r.id === 'missing-tag')).not.toHaveProperty('severityNote');
  });

  it('--format json prints the metadata array', async () => {
    const { code, stdout } = await runCli(['rules', '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(ALL_RULES.map((r) => ({ ...r.meta })));
  });

  it('rejects an unknown format with a usage error', async () => {
    const { code, stderr } = await runCli(['rules', '--format', 'yaml']);
    expect(code).toBe(2);
    expect(stderr).toContain('yaml');
  });

  it('wraps descriptions to a terminal width, keeping the columns aligned', () => {
    const text = formatRulesTable(ALL_RULES.map((r) => r.meta), 80);
    for (const line of text.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    const continuation = text.split('\n').find((l) => l.startsWith(' '));
    expect(continuation).toBeDefined();
  });
});
