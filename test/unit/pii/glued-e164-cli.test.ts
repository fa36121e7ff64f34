import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

// Acceptance s12 L3, through the CLI: an E.164 number with a word glued before or after it, in tag values (under a
// phone key and not) and in tag keys, is reported as pii-in-tag and shown masked in every format and in fix JSON.
const DICTIONARY = 'dictionaries/anycompany.yaml';
const RAW = /4155552671|4155552999|7700900123|415-555-2671/;

const resources = [
  { arn: 'arn:aws:s3:::glued-0', tags: { oncall: 'cell-+14155552671', 'anycompany:workload:environment': 'cell-+14155552671' } },
  { arn: 'arn:aws:s3:::glued-1', tags: { oncall: 'mobile_+447700900123', 'anycompany:workload:name': 'x+14155552671' } },
  { arn: 'arn:aws:s3:::glued-2', tags: { Notes: '+14155552671x', Contact: 'call+1-415-555-2671' } },
  { arn: 'arn:aws:s3:::glued-3', tags: { 'call-+14155552999': 'a', 'mobile_+447700900123': 'b', 'anycompany:workload:environment': 'production' } },
];

interface JsonReport {
  findings: { ruleId: string; resource: { arn: string }; tag?: { key: string } }[];
}

describe('an international number with a word glued to it, through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagaudit-pii-glued-e164-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const inventory = join(dir, 'inv.jsonl');
  writeFileSync(inventory, resources.map((r) => JSON.stringify(r)).join('\n') + '\n');

  it('reports every resource as pii-in-tag and shows no number raw in the JSON report', async () => {
    const r = await runCli(['scan', '-d', DICTIONARY, '-i', inventory, '--format', 'json', '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(RAW);
    expect(r.stdout).toContain('cell-+********671');
    const pii = (JSON.parse(r.stdout) as JsonReport).findings.filter((f) => f.ruleId === 'pii-in-tag');
    expect(new Set(pii.map((f) => f.resource.arn))).toEqual(new Set(resources.map((x) => x.arn)));
    expect(pii.filter((f) => f.resource.arn === 'arn:aws:s3:::glued-3')).toHaveLength(2);
  });

  it.each(['table', 'sarif'] as const)('shows no number raw with --format %s', async (format) => {
    const r = await runCli(['scan', '-d', DICTIONARY, '-i', inventory, '--format', format, '--fail-on', 'none', '--width', '200']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pii-in-tag');
    expect(r.stdout + r.stderr).not.toMatch(RAW);
  });

  it('shows no number raw in the fix JSON preview', async () => {
    const r = await runCli(['fix', '-d', DICTIONARY, '-i', inventory, '--fix-pii', 'remove', '--format', 'json']);
    expect(r.stdout).toContain('+********671');
    expect(r.stdout + r.stderr).not.toMatch(RAW);
  });
});
