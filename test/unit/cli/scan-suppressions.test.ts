import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerEntryAvailable } from '../../../src/audit/parallel/range-pool.js';
import type { Finding } from '../../../src/rules/types.js';
import { reportSchemaErrors } from '../report/validators.js';
import { runCli } from '../../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const DEMO = join(ROOT, 'examples/demo-estate.jsonl');
const BASE = readFileSync(join(ROOT, 'dictionaries/anycompany.yaml'), 'utf8');
const PROD = '444455556666';

// What each active suppression of SUPPRESSIONS covers, decided here independently of the product's matcher.
const COVERED: readonly ((f: Finding) => boolean)[] = [
  (f) => f.ruleId === 'unknown-tag-key' && f.resource.resourceType === 'ec2:instance' && f.tag?.key === 'Name',
  // Training jobs are children of tuning jobs: audited on the main thread even when workers read the rest.
  (f) => f.ruleId === 'inherited-tag-drift' && f.resource.resourceType === 'sagemaker:training-job',
  (f) =>
    f.ruleId === 'miscased-tag-value' &&
    f.resource.arn.startsWith('arn:aws:sagemaker:') &&
    f.resource.accountId === PROD &&
    (f.tag?.key === 'anycompany:security:data-classification' || f.data?.dictionaryKey === 'anycompany:security:data-classification'),
];

const SUPPRESSIONS = [
  'suppressions:',
  '  - rules: [unknown-tag-key]',
  '    resourceTypes: ["ec2:instance"]',
  '    tags: [Name]',
  '    reason: EC2 instances keep the console Name tag (platform team)',
  '  - rules: [inherited-tag-drift]',
  '    resourceTypes: ["sagemaker:training-job"]',
  '    reason: tuning-job tags are re-synced by the launcher from 2025 on',
  '  - rules: [miscased-tag-value]',
  '    resources: ["arn:aws:sagemaker:*:444455556666:*"]',
  '    tags: ["anycompany:security:data-classification"]',
  '    reason: prod classification values are fixed by the data-governance migration',
  '    expires: "2024-12-31"',
  '  - rules: [missing-tag]',
  '    accounts: ["111122223333", "444455556666"]',
  '    reason: expired exemption',
  '    expires: "2024-01-31"',
  '  - rules: [tag-limit]',
  '    accounts: ["999999999999"]',
  '    reason: matches nothing here',
].join('\n');

let dir: string;
let dict: string;
interface JsonReport {
  findings: Finding[];
  summary: { resources: number; findings: number; bySeverity: Record<string, number>; byRule: Record<string, number>; suppressed: number };
}
let baseline: JsonReport;

const json = async (args: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> => {
  const r = await runCli(['scan', '-i', DEMO, '-f', 'json', '--fail-on', 'none', ...args], { cwd: dir });
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-suppress-'));
  dict = join(dir, 'dict.yaml');
  writeFileSync(dict, `${BASE}\n${SUPPRESSIONS}\n`);
  baseline = (await json(['-d', join(ROOT, 'dictionaries/anycompany.yaml')])).report;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan with dictionary suppressions', () => {
  it('leaves exactly the covered findings out of the JSON report and counts them, with a note for the expired one', async () => {
    const covered = baseline.findings.filter((f) => COVERED.some((c) => c(f)));
    for (const c of COVERED) expect(baseline.findings.some(c)).toBe(true);
    const { report, stderr } = await json(['-d', dict]);
    expect(report.findings).toEqual(baseline.findings.filter((f) => !covered.includes(f)));
    expect(report.summary.suppressed).toBe(covered.length);
    expect(report.summary.findings).toBe(baseline.summary.findings - covered.length);
    expect(report.summary.resources).toBe(baseline.summary.resources);
    for (const sev of ['error', 'warning', 'note']) {
      expect(report.summary.bySeverity[sev]).toBe(baseline.summary.bySeverity[sev]! - covered.filter((f) => f.severity === sev).length);
    }
    expect(report.summary.byRule['unknown-tag-key']).toBe(baseline.summary.byRule['unknown-tag-key']! - covered.filter((f) => f.ruleId === 'unknown-tag-key').length);
    expect(reportSchemaErrors(report)).toEqual([]);
    // The expired suppression no longer applies: missing-tag findings are all still there.
    expect(report.summary.byRule['missing-tag']).toBe(baseline.summary.byRule['missing-tag']);
    expect(stderr).toMatch(/dict\.yaml:\d+: suppression of missing-tag expired on 2024-01-31; its findings are reported again/);
  });

  it('worker threads report the same as one thread (children are audited apart from the workers)', async () => {
    expect(workerEntryAvailable(), 'run `npm run build` first').toBe(true);
    const one = await json(['-d', dict, '--threads', '1']);
    const two = await json(['-d', dict, '--threads', '2']);
    expect(two.report.findings).toEqual(one.report.findings);
    expect(two.report.summary).toEqual(one.report.summary);
    expect(one.report.summary.suppressed).toBeGreaterThan(0);
  });

  it('the SARIF log leaves suppressed findings out; the table says how many were suppressed', async () => {
    const sarif = await runCli(['scan', '-i', DEMO, '-d', dict, '-f', 'sarif', '--fail-on', 'none'], { cwd: dir });
    const { report } = await json(['-d', dict]);
    const results = (JSON.parse(sarif.stdout) as { runs: { results: unknown[] }[] }).runs[0]!.results;
    expect(results).toHaveLength(report.summary.findings);
    const table = await runCli(['scan', '-i', DEMO, '-d', dict, '--fail-on', 'none'], { cwd: dir });
    expect(table.stdout.replace(/\s+/g, ' ')).toContain(`${report.summary.suppressed} findings suppressed by the dictionary`);
    const plain = await runCli(['scan', '-i', DEMO, '--fail-on', 'none'], { cwd: dir });
    expect(plain.stdout).not.toContain('suppressed');
  });

  it('a suppressed error does not fail the run', async () => {
    const inventory = join(dir, 'one.jsonl');
    const arn = 'arn:aws:s3:::vendor-logs';
    // Untagged: the dictionary's mandatory keys are missing, each an error.
    writeFileSync(inventory, `${JSON.stringify({ arn, tags: {} })}\n`);
    const plainDict = join(dir, 'plain.yaml');
    writeFileSync(plainDict, BASE);
    const without = await runCli(['scan', '-i', inventory, '-d', plainDict, '-f', 'json'], { cwd: dir });
    const errors = (JSON.parse(without.stdout) as JsonReport).findings.filter((f) => f.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(without.code).toBe(1);

    const rules = [...new Set(errors.map((f) => f.ruleId))];
    const vendorDict = join(dir, 'vendor.yaml');
    writeFileSync(vendorDict, `${BASE}\nsuppressions:\n  - rules: [${rules.join(', ')}]\n    resources: ["arn:aws:s3:::vendor-*"]\n    reason: vendor-managed\n`);
    const withSuppression = await runCli(['scan', '-i', inventory, '-d', vendorDict, '-f', 'json'], { cwd: dir });
    const report = JSON.parse(withSuppression.stdout) as JsonReport;
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.summary.suppressed).toBeGreaterThanOrEqual(errors.length);
    expect(withSuppression.code).toBe(0);
  });

  it('fix plans no edit for a suppressed finding', async () => {
    const plan = async (d: string, name: string): Promise<string> => {
      const r = await runCli(['fix', '-i', DEMO, '-d', d, '--plan-out', name, '--fail-on', 'none'], { cwd: dir });
      expect(r.stderr).toContain(`plan saved to ${name}`);
      return readFileSync(join(dir, name), 'utf8');
    };
    const before = JSON.parse(await plan(join(ROOT, 'dictionaries/anycompany.yaml'), 'before.json')) as unknown;
    const after = JSON.parse(await plan(dict, 'after.json')) as unknown;
    const inherits = (p: unknown): number => JSON.stringify(p).split('"inherit"').length - 1;
    expect(inherits(before)).toBeGreaterThan(0);
    // Every inherit edit the demo plans is on a training job (children of tuning jobs), all covered by suppression 2.
    // A parent's value over a finished job's own value is not planned (listed as skipped, finished-job): not counted.
    const overwritesFinished = (f: Finding): boolean =>
      f.message.includes('this job has finished') && f.fix?.length === 1 && f.fix[0]!.op === 'set' && f.fix[0]!.expected.trim() !== '';
    const trainingJobInherits = baseline.findings.filter((f) => COVERED[1]!(f) && f.fix?.some((e) => e.type === 'inherit') && !overwritesFinished(f)).length;
    expect(trainingJobInherits).toBeGreaterThan(0);
    expect(inherits(before) - inherits(after)).toBe(trainingJobInherits);
  });
});
