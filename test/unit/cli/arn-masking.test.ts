import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workerEntryAvailable } from '../../../src/audit/parallel/range-pool.js';
import { runFix, type FixOptions } from '../../../src/fix/fix-command.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import { maskPii } from '../../../src/pii/mask.js';
import { fingerprint } from '../../../src/rules/fingerprint.js';
import { checkGithubSarif } from '../../support/github-sarif-rules.js';
import { runCli } from '../../support/cli.js';
import { deps, fixOptions, noClients } from '../../support/fix-command.js';
import { MemoryCloud } from '../fix/memory-cloud.js';
import { tempDir } from '../fix/run.js';
import { reportSchemaErrors, sarifSchemaErrors } from '../report/validators.js';

// An estate with an IAM user named by e-mail address (the parent of a training job, so its ARN is also quoted in
// another resource's finding), a user named after a team list the bundled dictionary allows, and a tag e-mail.
const ADDRESS = 'jane.doe@example.com';
const MASKED = maskPii('email', ADDRESS);
const TAG_ADDRESS = 'john.smith@example.org';
const USER = `arn:aws:iam::111122223333:user/${ADDRESS}`;
const SHOWN_USER = `arn:aws:iam::111122223333:user/${MASKED}`;
const LIST_USER = 'arn:aws:iam::111122223333:user/ml-platform@lists.anycompany.com';
const ROLE = 'arn:aws:iam::111122223333:role/ml-exec';
const JOB = 'arn:aws:sagemaker:us-east-1:111122223333:training-job/train-20240101123456';
const RESOURCES: { arn: string; tags: Record<string, string>; state?: string; parentArns?: string[] }[] = [
  { arn: JOB, tags: { 'anycompany:finance:cost-center': 'Finance-5044', env: 'prod' }, state: 'Completed', parentArns: [USER] },
  { arn: USER, tags: { env: 'prod', 'anycompany:finance:cost-center': 'Finance-5045' } },
  { arn: LIST_USER, tags: { env: 'prod' } },
  { arn: ROLE, tags: { Owner: TAG_ADDRESS, env: 'prod' } },
];
const BUNDLED = readFileSync(resolve('dictionaries/anycompany.yaml'), 'utf8');
const PII_ON = /^pii:\n(?:\s*#.*\n)*\s+enabled: true\n/m;
const ALLOW_PATTERNS = "    patterns: ['^[a-z0-9-]+-(?:team|oncall|platform|ops|alerts)@lists\\.anycompany\\.com$']\n";

function workspace(dictionary = BUNDLED): { dir: string; inventory: string; dictionary: string } {
  const dir = tempDir();
  const inventory = join(dir, 'estate.jsonl');
  writeFileSync(inventory, RESOURCES.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const file = join(dir, 'dictionary.yaml');
  writeFileSync(file, dictionary);
  return { dir, inventory, dictionary: file };
}

function variant(from: string | RegExp, to: string): string {
  const out = BUNDLED.replace(from, () => to); // a function, since `to` may hold "$'"
  if (out === BUNDLED) throw new Error(`the bundled dictionary no longer has ${String(from)}`);
  return out;
}

/** Neither address appears in full; both are masked where they appear. */
function expectNoAddress(...texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(ADDRESS);
    expect(text).not.toContain(encodeURIComponent(ADDRESS));
    expect(text).not.toContain(TAG_ADDRESS);
  }
}

type JsonFinding = { fingerprint: string; ruleId: string; resource: { arn: string }; tag?: { key: string }; data?: { parentArn?: string } };

describe('scan: e-mail addresses in ARNs are masked in every report', () => {
  it('table, JSON and SARIF, with fingerprints of the raw ARN, the allowed list user and the job name as they are', async () => {
    const { dir, inventory, dictionary } = workspace();
    const r = await runCli(['scan', '-i', inventory, '-d', dictionary, '--width', '200', '--output-json', 'r.json', '--output-sarif', 'r.sarif'], { cwd: dir });
    expect(r.code).toBe(1);
    const json = readFileSync(join(dir, 'r.json'), 'utf8');
    const sarif = readFileSync(join(dir, 'r.sarif'), 'utf8');
    expectNoAddress(r.stdout, r.stderr, json, sarif);

    expect(r.stdout).toContain(`iam:user  ${MASKED} `);
    expect(r.stdout).toContain(`its parent ${SHOWN_USER} carries`);
    expect(r.stdout).toContain('iam:user  ml-platform@lists.anycompany.com ');
    expect(r.stdout).toContain('train-20240101123456');

    const report = JSON.parse(json) as { findings: JsonFinding[] };
    expect(reportSchemaErrors(report)).toEqual([]);
    const own = report.findings.filter((f) => f.resource.arn === SHOWN_USER);
    expect(own.length).toBeGreaterThan(0);
    for (const f of own) expect(f.fingerprint).toBe(fingerprint(f.ruleId, USER, f.tag?.key ?? ''));
    expect(report.findings.find((f) => f.ruleId === 'inherited-tag-drift')?.data?.parentArn).toBe(SHOWN_USER);
    expect(report.findings.some((f) => f.resource.arn === LIST_USER)).toBe(true);
    expect(report.findings.some((f) => f.resource.arn === JOB)).toBe(true);

    const log = JSON.parse(sarif);
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(checkGithubSarif(log)).toEqual([]);
    const results = log.runs[0].results as { partialFingerprints: Record<string, string>; locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }[];
    const byFingerprint = new Map(report.findings.map((f) => [f.fingerprint, f]));
    for (const res of results) {
      const f = byFingerprint.get(res.partialFingerprints['tagaudit/v1']!);
      expect(f, 'every SARIF result has the fingerprint of its JSON finding').toBeDefined();
      expect(res.locations[0]!.logicalLocations[0]!.fullyQualifiedName).toBe(f!.resource.arn);
    }
  });

  it('the fingerprints are those a run with masking off computes (the raw ARN)', async () => {
    const on = workspace();
    const off = workspace(variant(PII_ON, 'pii:\n  enabled: false\n'));
    const a = await runCli(['scan', '-i', on.inventory, '-d', on.dictionary, '--format', 'json'], { cwd: on.dir });
    const b = await runCli(['scan', '-i', off.inventory, '-d', off.dictionary, '--format', 'json'], { cwd: off.dir });
    const key = (f: JsonFinding): string => `${f.ruleId} ${f.tag?.key ?? ''}`;
    const ofUser = (text: string, arn: string): Map<string, string> =>
      new Map((JSON.parse(text) as { findings: JsonFinding[] }).findings.filter((f) => f.resource.arn === arn).map((f) => [key(f), f.fingerprint]));
    const masked = ofUser(a.stdout, SHOWN_USER);
    expect(masked.size).toBeGreaterThan(0);
    expect(masked).toEqual(ofUser(b.stdout, USER));
  });

  it('pii.enabled: false prints the ARN as it is', async () => {
    const { dir, inventory, dictionary } = workspace(variant(PII_ON, 'pii:\n  enabled: false\n'));
    const r = await runCli(['scan', '-i', inventory, '-d', dictionary, '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.some((f) => f.resource.arn === USER)).toBe(true);
  });

  it('pii.allow shows an allowed address; the others stay masked', async () => {
    const { dir, inventory, dictionary } = workspace(variant(ALLOW_PATTERNS, `${ALLOW_PATTERNS}    values: [${ADDRESS}]\n`));
    const r = await runCli(['scan', '-i', inventory, '-d', dictionary, '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.some((f) => f.resource.arn === USER)).toBe(true);
    expect(r.stdout).not.toContain(TAG_ADDRESS);
  });

  it('--threads 2 (worker threads encode the JSON) writes the same bytes as --threads 1, masked', async () => {
    expect(workerEntryAvailable(), 'run `npm run build` first').toBe(true);
    const { dir, inventory, dictionary } = workspace();
    const one = await runCli(['scan', '-i', inventory, '-d', dictionary, '--format', 'json', '--threads', '1'], { cwd: dir });
    const two = await runCli(['scan', '-i', inventory, '-d', dictionary, '--format', 'json', '--threads', '2'], { cwd: dir });
    expect(two.stderr).not.toContain('runs on one thread');
    expect(two.code).toBe(one.code);
    expect(two.stdout).toBe(one.stdout);
    expectNoAddress(one.stdout, two.stdout, one.stderr, two.stderr);
    expect(two.stdout).toContain(`"arn":${JSON.stringify(SHOWN_USER)}`);
  });
});

describe('fix and undo: previews and results masked, plan files and journals raw', () => {
  it('the dry run (table and JSON) masks; --plan-out keeps the raw ARN for the applier; --plan shows it masked', async () => {
    const { dir, inventory, dictionary } = workspace();
    const table = await runCli(['fix', '-i', inventory, '-d', dictionary, '--plan-out', 'plan.json'], { cwd: dir });
    expect(table.code).toBe(1);
    expectNoAddress(table.stdout, table.stderr);
    expect(table.stdout).toContain(`${SHOWN_USER}  (111122223333 global iam:user)`);
    expect(table.stdout).toContain(`${LIST_USER}  (111122223333 global iam:user)`);

    const planFile = readFileSync(join(dir, 'plan.json'), 'utf8');
    const plan = JSON.parse(planFile) as { resources: { arn: string }[] };
    expect(plan.resources.map((r) => r.arn)).toContain(USER);
    expect(planFile).not.toContain(MASKED);
    expect(statSync(join(dir, 'plan.json')).mode & 0o777).toBe(0o600);

    const json = await runCli(['fix', '-i', inventory, '-d', dictionary, '--format', 'json'], { cwd: dir });
    expectNoAddress(json.stdout, json.stderr);
    expect((JSON.parse(json.stdout) as { resources: { arn: string }[] }).resources.map((r) => r.arn)).toContain(SHOWN_USER);

    const again = await runCli(['fix', '-d', dictionary, '--plan', 'plan.json'], { cwd: dir });
    expect(again.code).toBe(1);
    expectNoAddress(again.stdout, again.stderr);
    expect(again.stdout).toContain(`${SHOWN_USER}  (111122223333 global iam:user)`);

    // The printed plan is for reading: applying it would target ARNs that do not exist.
    writeFileSync(join(dir, 'printed.json'), json.stdout);
    const printed = await runCli(['fix', '-d', dictionary, '--plan', 'printed.json'], { cwd: dir });
    expect(printed.code).toBe(2);
    expect(printed.stderr).toMatch(/printed\.json:\d+:\d+: this ARN is masked .*--plan-out/);
    expectNoAddress(printed.stderr);
  });

  // The + number mask of an ARN (user/+********671) must be refused as the address mask is.
  it('a printed plan whose ARNs hold a masked + number is refused too, as are masked parent ARNs', async () => {
    const dir = tempDir();
    const phoneUser = 'arn:aws:iam::111122223333:user/+14155552671';
    writeFileSync(join(dir, 'inv.jsonl'), `${JSON.stringify({ arn: phoneUser, tags: { env: 'prod' } })}\n`);
    const json = await runCli(['fix', '-i', 'inv.jsonl', '--format', 'json'], { cwd: dir });
    expect(json.stdout).toContain('user/+********671');
    writeFileSync(join(dir, 'printed.json'), json.stdout);
    const printed = await runCli(['fix', '--plan', 'printed.json'], { cwd: dir });
    expect(printed.code).toBe(2);
    expect(printed.stderr).toMatch(/printed\.json:\d+:\d+: this ARN is masked .*--plan-out/);

    await runCli(['fix', '-i', 'inv.jsonl', '--plan-out', 'plan.json'], { cwd: dir });
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { resources: Record<string, unknown>[] };
    plan.resources[0]!.parentArns = ['arn:aws:sagemaker:us-east-1:111122223333:pipeline/+********671'];
    writeFileSync(join(dir, 'parent.json'), JSON.stringify(plan, null, 2));
    const parent = await runCli(['fix', '--plan', 'parent.json'], { cwd: dir });
    expect(parent.code).toBe(2);
    expect(parent.stderr).toMatch(/parent\.json:\d+:\d+: this ARN is masked .*\(at resources\.0\.parentArns\.0\)/);
  });

  it('apply writes to the raw ARN, prints results masked (table and JSON), and the journal keeps the raw ARN; undo prints masked', async () => {
    const { dir, inventory, dictionary } = workspace();
    expect((await runCli(['fix', '-d', dictionary, '-i', inventory, '--plan-out', 'plan.json'], { cwd: dir })).code).toBe(1);
    const cloud = new MemoryCloud(Object.fromEntries(RESOURCES.map((r) => [r.arn, { ...r.tags }])));
    // AWS quotes the ARN it refuses.
    cloud.hook = (call) =>
      Object.fromEntries(call.arns.filter((a) => a === USER).map((a) => [a, { code: 'AccessDenied', message: `not authorized to perform tag:TagResources on resource: ${a}` }]));

    const table = deps(dir);
    const code = await runFix(applyOptions(dictionary, { planFile: 'plan.json', yes: true, journal: 'j.jsonl' }), table, { clients: noClients, backend: cloud.backend() });
    expect(code).toBe(3);
    expectNoAddress(table.out.text(), table.err.text());
    expect(table.out.text()).toContain(`  ${SHOWN_USER}  failed:`);
    expect(cloud.calls.flatMap((c) => c.arns)).toContain(USER);
    expect(readFileSync(join(dir, 'j.jsonl'), 'utf8')).toContain(USER);

    cloud.hook = undefined;
    const json = deps(dir);
    const options = applyOptions(dictionary, { planFile: 'plan.json', yes: true, journal: 'j2.jsonl' });
    await runFix({ ...options, scan: { ...options.scan, format: 'json' } }, json, { clients: noClients, backend: cloud.backend() });
    expectNoAddress(json.out.text(), json.err.text());
    expect(JSON.parse(json.out.text()).outcomes.map((o: { arn: string }) => o.arn)).toContain(SHOWN_USER);

    expect(readFileSync(join(dir, 'j2.jsonl'), 'utf8')).toContain(USER);
    for (const format of ['table', 'json'] as const) {
      const undo = deps(dir);
      await runUndo({ journal: 'j2.jsonl', apply: false, yes: false, format, quiet: false }, undo, { clients: noClients, backend: cloud.backend() });
      expectNoAddress(undo.out.text(), undo.err.text());
      expect(undo.out.text()).toContain(SHOWN_USER);
    }
  });
});

/** `fix --apply` from a plan file: no inventory. */
const applyOptions = (dictionary: string, extra: Partial<FixOptions>): FixOptions => fixOptions(dictionary, { apply: true, ...extra });
