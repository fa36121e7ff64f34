import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

// Acceptance s11 finding 1: one resource holds the same phone number and e-mail address in several spellings. The
// scan masks every copy; `fix --fix-pii remove` must remove every copy too, or the next scan (which no longer has
// the original to recognise them by) prints the rest raw.
const DICTIONARY = 'dictionaries/anycompany.yaml';
const ARN = 'arn:aws:lambda:us-east-1:444455556666:function:same';
const COMPLIANT = {
  'anycompany:workload:application-id': 'app-1234',
  'anycompany:workload:environment': 'production',
  'anycompany:finance:owner': 'ml-platform',
  'anycompany:finance:cost-center': 'Sales-5045',
  'anycompany:security:data-classification': 'internal',
};
const PII_TAGS = {
  oncall: '+1 415-555-2671',
  notes: 'ping 4155552671',
  ticket: '4155552671',
  alt: 'ping 415.555.2671 or jane.doe at acme dot io',
  mail: 'jane.doe@acme.io',
  enc: 'jane.doe%40acme.io',
};
/** Any spelling of the two values: none may appear in any output. */
const RAW = /4155552671|415[-. ]555[-. ]2671|jane\.doe/i;

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

interface PlanFile {
  resources: { arn: string; edits: { op: string; type: string; key: string; digest?: { keySha256: string; valueSha256: string } }[] }[];
}

/** Applies a plan's pii-remove edits to raw tags, finding each tag by its digest as the applier does. */
function applyRemovals(tags: Record<string, string>, plan: PlanFile): Record<string, string> {
  const out = { ...tags };
  for (const r of plan.resources)
    for (const e of r.edits) {
      expect(e).toMatchObject({ op: 'remove', type: 'pii-remove' });
      const key = Object.keys(out).find((k) => sha256(k) === e.digest?.keySha256 && sha256(out[k] as string) === e.digest.valueSha256);
      expect(key, `edit of ${e.key} names a tag on the resource`).toBeDefined();
      delete out[key as string];
    }
  return out;
}

describe('fix --fix-pii remove removes every copy the scan masks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagaudit-pii-copies-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const inventory = (name: string, tags: Record<string, string>): string => {
    const path = join(dir, name);
    writeFileSync(path, `${JSON.stringify({ arn: ARN, tags })}\n`);
    return path;
  };

  it('scan → plan → apply in memory → rescan: no copy left, nothing shown raw', async () => {
    const before = { ...COMPLIANT, ...PII_TAGS };
    const scan = await runCli(['scan', '-d', DICTIONARY, '-i', inventory('before.jsonl', before), '--format', 'json', '--fail-on', 'none']);
    expect(scan.code).toBe(0);
    expect(scan.stdout + scan.stderr).not.toMatch(RAW);
    const flagged = (JSON.parse(scan.stdout) as { findings: { ruleId: string; tag?: { key: string } }[] }).findings
      .filter((f) => f.ruleId === 'pii-in-tag')
      .map((f) => f.tag?.key)
      .sort();
    expect(flagged).toEqual(Object.keys(PII_TAGS).sort());

    const planPath = join(dir, 'plan.json');
    const fix = await runCli(['fix', '-d', DICTIONARY, '-i', inventory('fix.jsonl', before), '--fix-pii', 'remove', '--plan-out', planPath]);
    expect(fix.stdout + fix.stderr).not.toMatch(RAW);
    const planText = readFileSync(planPath, 'utf8');
    expect(planText).not.toMatch(RAW);
    const after = applyRemovals(before, JSON.parse(planText) as PlanFile);
    expect(after).toEqual(COMPLIANT);

    for (const format of ['json', 'table', 'sarif'] as const) {
      const rescan = await runCli(['scan', '-d', DICTIONARY, '-i', inventory(`after-${format}.jsonl`, after), '--format', format, '--fail-on', 'none']);
      expect(rescan.code).toBe(0);
      expect(rescan.stdout + rescan.stderr).not.toMatch(RAW);
      // Nothing masked either: no copy of the data is left to mask.
      expect(rescan.stdout).not.toMatch(/\*{3}/);
    }
  });

  it('after a removal that left a copy (the old behaviour), the rescan would print it raw: the check above can fail', async () => {
    // the bare number under an id key: no detector flags it on its own (a URL-encoded address it now does)
    const leftover = { ...COMPLIANT, ticket: PII_TAGS.ticket };
    const rescan = await runCli(['scan', '-d', DICTIONARY, '-i', inventory('leftover.jsonl', leftover), '--format', 'json', '--fail-on', 'none']);
    expect(rescan.stdout).toMatch(RAW);
  });
});
