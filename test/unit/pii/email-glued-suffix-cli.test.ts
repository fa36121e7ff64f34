import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

// Acceptance s11 finding 1, through the CLI: addresses with text glued on after them are reported as pii-in-tag,
// shown masked in every format, removed (not renamed) by `fix --fix-pii remove`, and masked in an invalid-ARN error.
const DICTIONARY = 'dictionaries/anycompany.yaml';
const VALUES = ['jane.doe@example.com:primary', 'jane.doe@example.com:8080', 'jane.doe@example.com-x', 'jane.doe@example.com:x'];
const RAW = /jane\.doe/i;

const resources = VALUES.map((value, i) => ({
  arn: `arn:aws:s3:::pii-bucket-${i}`,
  tags: { [i % 2 === 0 ? 'Owner' : 'anycompany:workload:name']: value, 'anycompany:workload:environment': 'production' },
}));

interface JsonReport {
  findings: { ruleId: string; resource: { arn: string }; tag?: { key: string } }[];
  errors: { message: string }[];
}

describe('an e-mail address with text glued on after it, through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagaudit-pii-glued-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const inventory = join(dir, 'inv.jsonl');
  writeFileSync(inventory, resources.map((r) => JSON.stringify(r)).join('\n') + '\n');

  it('reports each one as pii-in-tag and shows none raw in the JSON report', async () => {
    const r = await runCli(['scan', '-d', DICTIONARY, '-i', inventory, '--format', 'json', '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(RAW);
    expect(r.stdout).toContain('j***@e*****e.com');
    const flagged = (JSON.parse(r.stdout) as JsonReport).findings.filter((f) => f.ruleId === 'pii-in-tag').map((f) => f.resource.arn);
    expect(flagged.sort()).toEqual(resources.map((x) => x.arn).sort());
  });

  it.each(['table', 'sarif'] as const)('shows none raw with --format %s', async (format) => {
    const r = await runCli(['scan', '-d', DICTIONARY, '-i', inventory, '--format', format, '--fail-on', 'none', '--width', '200']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pii-in-tag');
    expect(r.stdout).toContain('j***@e*****e.com');
    expect(r.stdout + r.stderr).not.toMatch(RAW);
  });

  it('plans to remove each tag with --fix-pii remove, not to rename it', async () => {
    const planPath = join(dir, 'plan.json');
    const r = await runCli(['fix', '-d', DICTIONARY, '-i', inventory, '--fix-pii', 'remove', '--plan-out', planPath]);
    expect(r.stdout + r.stderr).not.toMatch(RAW);
    const planText = readFileSync(planPath, 'utf8');
    expect(planText).not.toMatch(RAW);
    const plan = JSON.parse(planText) as { resources: { arn: string; edits: { op: string; type: string; key: string }[] }[] };
    expect(plan.resources.map((x) => x.arn).sort()).toEqual(resources.map((x) => x.arn).sort());
    for (const res of plan.resources) {
      const piiKey = Object.keys(resources.find((x) => x.arn === res.arn)?.tags ?? {})[0];
      const onPiiTag = res.edits.filter((e) => e.key === piiKey);
      expect(onPiiTag, res.arn).toEqual([expect.objectContaining({ op: 'remove', type: 'pii-remove' })]);
    }
  });

  it('masks the address in an invalid ARN on stderr and in errors[]', async () => {
    const bad = join(dir, 'bad-arn.jsonl');
    writeFileSync(bad, `${JSON.stringify({ arn: 'arn:aws:ec2:us-east-1:jane.doe@example.com:instance/i', tags: { k: 'v' } })}\n`);
    const r = await runCli(['scan', '-d', DICTIONARY, '-i', bad, '--format', 'json', '--fail-on', 'none']);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).not.toMatch(RAW);
    expect(r.stderr).toContain('invalid ARN "arn:aws:ec2:us-east-1:j***@e*****e.com:instance/i"');
    const messages = (JSON.parse(r.stdout) as JsonReport).errors.map((e) => e.message);
    expect(messages.some((m) => m.includes('invalid ARN "arn:aws:ec2:us-east-1:j***@e*****e.com:instance/i"'))).toBe(true);
  });
});
