import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workerEntryAvailable } from '../../../src/audit/parallel/range-pool.js';
import { fingerprint } from '../../../src/rules/fingerprint.js';
import { runCli } from '../../support/cli.js';

// Acceptance s13 defect 2, the tester's reproduction: a phone number inside an ARN was printed in full in the table,
// the JSON report and SARIF (fullyQualifiedName, logical location name, artifact URI), while the same number in a
// tag value was masked. Fingerprints keep hashing the raw ARN; ids and timestamps in ARNs stay readable.
const PHONE_ARN = 'arn:aws:lambda:us-east-1:111122223333:function:call-+14155552671';
const SHOWN = 'arn:aws:lambda:us-east-1:111122223333:function:call-+********671';
const JOB = 'arn:aws:sagemaker:us-east-1:111122223333:training-job/train-20240101123456';
const RAW = /4155552671/;
const INVENTORY = [
  { arn: PHONE_ARN, tags: {} },
  { arn: 'arn:aws:iam::111122223333:user/jane.doe@example.com', tags: {} },
  { arn: JOB, tags: {} },
];

describe('a + phone number inside an ARN, through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagaudit-arn-phone-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const inventory = join(dir, 'phone-arn.jsonl');
  writeFileSync(inventory, INVENTORY.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const dictionary = join(process.cwd(), 'dictionaries/anycompany.yaml');

  it('table, --output-json and --output-sarif hold no full number; fingerprints are those of the raw ARN', async () => {
    const r = await runCli(['scan', '-d', dictionary, '-i', inventory, '--output-json', 'pa.json', '--output-sarif', 'pa.sarif', '--width', '200'], { cwd: dir });
    expect(r.code).toBe(1);
    const json = readFileSync(join(dir, 'pa.json'), 'utf8');
    const sarif = readFileSync(join(dir, 'pa.sarif'), 'utf8');
    for (const text of [r.stdout, r.stderr, json, sarif]) {
      expect(text).not.toMatch(RAW);
      expect(text).not.toContain('jane.doe@example.com');
    }
    expect(r.stdout).toContain('lambda:function  call-+********671 ');
    expect(r.stdout).toContain('train-20240101123456');
    const findings = (JSON.parse(json) as { findings: { fingerprint: string; ruleId: string; resource: { arn: string }; tag?: { key: string } }[] }).findings;
    const own = findings.filter((f) => f.resource.arn === SHOWN);
    expect(own.length).toBeGreaterThan(0);
    for (const f of own) expect(f.fingerprint).toBe(fingerprint(f.ruleId, PHONE_ARN, f.tag?.key ?? ''));
    expect(findings.some((f) => f.resource.arn === JOB)).toBe(true);
    const loc = (JSON.parse(sarif) as { runs: { results: { locations: { logicalLocations: { name: string; fullyQualifiedName: string }[]; physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }).runs[0]!
      .results.map((x) => x.locations[0]!)
      .find((l) => l.logicalLocations[0]!.fullyQualifiedName === SHOWN);
    expect(loc?.logicalLocations[0]!.name).toBe('call-+********671');
    expect(loc?.physicalLocation.artifactLocation.uri).toContain(encodeURIComponent('call-+********671'));
  });

  it.runIf(workerEntryAvailable())('the worker threads write the same masked JSON', async () => {
    const one = await runCli(['scan', '-d', dictionary, '-i', inventory, '--format', 'json', '--threads', '1'], { cwd: dir });
    const two = await runCli(['scan', '-d', dictionary, '-i', inventory, '--format', 'json', '--threads', '2'], { cwd: dir });
    expect(two.stdout).not.toMatch(RAW);
    expect(two.stdout).toContain(SHOWN);
    const findings = (s: string): unknown => (JSON.parse(s) as { findings: unknown }).findings;
    expect(findings(two.stdout)).toEqual(findings(one.stdout));
  });

  it('what fix prints holds no full number', async () => {
    const r = await runCli(['fix', '-d', dictionary, '-i', inventory], { cwd: dir });
    const j = await runCli(['fix', '-d', dictionary, '-i', inventory, '--format', 'json'], { cwd: dir });
    expect(r.stdout + r.stderr + j.stdout + j.stderr).not.toMatch(RAW);
    expect(r.stdout).toContain(SHOWN);
  });
});
