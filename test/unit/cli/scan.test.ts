import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { runCli } from '../../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'tagaudit-scan-'));
const BUNDLED_NOTE = 'using bundled dictionaries/anycompany.yaml';

const CLEAN_TAGS = {
  'anycompany:workload:application-id': 'app-1042',
  'anycompany:workload:environment': 'production',
  'anycompany:finance:owner': 'fraud-ml',
  'anycompany:finance:business-unit': 'Finance',
  'anycompany:finance:cost-center': 'Finance-5045',
  'anycompany:security:data-classification': 'confidential',
};
const arn = (name: string) => `arn:aws:sagemaker:us-east-1:444455556666:model/${name}`;
const line = (name: string, tags: Record<string, string>) => JSON.stringify({ arn: arn(name), tags });

let n = 0;
function inventory(lines: string[]): string {
  const p = join(dir, `inv-${++n}.jsonl`);
  writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}
const clean = inventory([line('ok-1', CLEAN_TAGS), line('ok-2', CLEAN_TAGS)]);
const warnOnly = inventory([line('extra', { ...CLEAN_TAGS, project: 'q2' })]);
const withError = inventory([line('no-cc', { ...CLEAN_TAGS, 'anycompany:finance:cost-center': 'cc-1' })]);

const scan = (args: string[], opts: Parameters<typeof runCli>[1] = {}) => runCli(['scan', ...args], { cwd: ROOT, ...opts });
const firstLine = (s: string) => s.split('\n')[0];
const noStack = (s: string) => expect(s).not.toMatch(/^\s+at /m);

describe('tagaudit scan: exit codes', () => {
  it('0 when nothing reaches --fail-on', async () => {
    expect((await scan(['-i', clean])).code).toBe(0);
    expect((await scan(['-i', warnOnly])).code).toBe(0);
  });

  it('1 when a finding is at or above --fail-on (default error)', async () => {
    expect((await scan(['-i', withError])).code).toBe(1);
    expect((await scan(['-i', warnOnly, '--fail-on', 'warning'])).code).toBe(1);
    expect((await scan(['-i', warnOnly, '--fail-on', 'note'])).code).toBe(1);
    expect((await scan(['-i', withError, '--fail-on', 'none'])).code).toBe(0);
  });

  it('2 for an unknown flag, with one error line and no stack trace', async () => {
    const r = await scan(['-i', clean, '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tagaudit: unknown option '--bogus' (see 'tagaudit scan --help')\n");
    noStack(r.stderr);
    expect(r.stdout).toBe('');
  });

  it.each([['--output-json'], ['--output-sarif']])('2 for an empty %s file name', async (flag) => {
    const r = await scan(['-i', clean, flag, '']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`tagaudit: ${flag} needs a file name\n`);
  });

  it.each([
    [['--format', 'xml'], "argument 'xml' is invalid. Allowed choices are table, json, sarif."],
    [['--fail-on', 'critical'], "argument 'critical' is invalid. Allowed choices are error, warning, note, none."],
    [['--width', 'wide'], "argument 'wide' is invalid. expected a whole number of columns from 40 to 1000"],
  ])('2 for %j', async (args, message) => {
    const r = await scan(['-i', clean, ...args]);
    expect(r.code).toBe(2);
    expect(firstLine(r.stderr)).toContain(message);
    noStack(r.stderr);
  });

  it('2 for a missing inventory, naming it, before any output file is written', async () => {
    const out = join(dir, 'never.json');
    const r = await scan(['-i', 'examples/nope.jsonl', '--output-json', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tagaudit: examples/nope.jsonl: cannot read inventory: no such file\n');
    expect(existsSync(out)).toBe(false);
    noStack(r.stderr);
  });

  it('2 when an output file is one of the inventories (it would be truncated before it is read)', async () => {
    const copy = inventory([line('ok', CLEAN_TAGS)]);
    const before = readFileSync(copy, 'utf8');
    const r = await scan(['-i', copy, '--output-json', copy]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`tagaudit: ${copy}: --output-json would overwrite the --inventory file it reads\n`);
    expect(readFileSync(copy, 'utf8')).toBe(before);
  });

  it('2 for a bad dictionary, naming file:line:col', async () => {
    const dict = join(dir, 'bad.yaml');
    writeFileSync(dict, 'version: 1\nname: bad\ntags:\n  - key: team\n    category: x\n    purpose: y\n    costAllocation: false\n    mandatory: maybe\n');
    const r = await scan(['-i', clean, '--dictionary', dict]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^tagaudit: ${dict}:8:\\d+: `, 'm'));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('2 for a broken JSON document, with file:line:col', async () => {
    const doc = join(dir, 'broken.json');
    writeFileSync(doc, '{\n  "ResourceTagMappingList": [\n    {"ResourceARN": 1,}\n  ]\n}\n');
    const r = await scan(['-i', doc]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`tagaudit: ${doc}:3:23: invalid JSON: Expected double-quoted property name\n`);
  });

  it('3 when bad inventory lines were skipped (the report is incomplete); 2 with --strict-inventory', async () => {
    const bad = inventory([line('ok', CLEAN_TAGS), '{"arn": "arn:aws:nope"}', 'not json']);
    const json = join(dir, 'partial.json');
    const r = await scan(['-i', bad, '--output-json', json]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`tagaudit: ${bad}:2: invalid ARN "arn:aws:nope" (skipped)\n`);
    expect(r.stderr).toContain(`tagaudit: ${bad}:3:1: invalid JSON: Unexpected token "o" (skipped)\n`);
    expect(r.stderr).toContain('tagaudit: incomplete: 2 errors');
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.run.status).toBe('partial');
    expect(report.summary.resources).toBe(1);
    expect(report.errors.map((e: { source: string }) => e.source)).toEqual(['inventory', 'inventory']);

    const strict = await scan(['-i', bad, '--strict-inventory']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain(`tagaudit: ${bad}:2: invalid ARN "arn:aws:nope"\n`);
    expect(strict.stderr).not.toContain(':3:');
  });

  it('says that every inventory scan shares one SARIF category unless --sarif-category names one', async () => {
    const sarif = join(dir, 'category.sarif');
    const note = 'every inventory scan gets SARIF category "inventory"; give each job its own with --sarif-category';
    expect((await scan(['-i', clean, '--output-sarif', sarif])).stderr).toContain(note);
    expect((await scan(['-i', clean, '--format', 'sarif'])).stderr).toContain(note);
    expect((await scan(['-i', clean, '--output-sarif', sarif, '--sarif-category', 'team-a'])).stderr).not.toContain(note);
    expect((await scan(['-i', clean, '--output-json', join(dir, 'category.json')])).stderr).not.toContain(note);
  });

  it('2 for a SARIF over GitHub limits, and a partial scan still says it is incomplete (the JSON report is written)', async () => {
    const untagged = Array.from({ length: 6000 }, (_, i) => line(`bare-${i}`, {}));
    const big = inventory([...untagged, 'not json']);
    const json = join(dir, 'partial-big.json');
    const sarif = join(dir, 'partial-big.sarif');
    const r = await scan(['-i', big, '--output-json', json, '--output-sarif', sarif, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('GitHub code scanning accepts at most 25000 per run');
    expect(r.stderr).toContain('tagaudit: incomplete: 1 error');
    expect(existsSync(sarif)).toBe(false);
    expect(JSON.parse(readFileSync(json, 'utf8')).run.status).toBe('partial');

    const whole = await scan(['-i', inventory(untagged), '--output-sarif', sarif, '--format', 'json']);
    expect(whole.code).toBe(2);
    expect(whole.stderr).not.toContain('incomplete');
  }, 30_000); // 6,000 resources and 25,000+ results: seconds on a busy CI machine

  it('a scan stopped by bad input (exit 2) leaves the previous --output-* files as they were', async () => {
    const bad = inventory([line('ok', CLEAN_TAGS), '{"arn": "arn:aws:nope"}']);
    const json = join(dir, 'nightly.json');
    const sarif = join(dir, 'nightly.sarif');
    writeFileSync(json, 'last night\'s report');
    writeFileSync(sarif, 'last night\'s SARIF');
    const r = await scan(['-i', bad, '--strict-inventory', '--output-json', json, '--output-sarif', sarif]);
    expect(r.code).toBe(2);
    expect(readFileSync(json, 'utf8')).toBe("last night's report");
    expect(readFileSync(sarif, 'utf8')).toBe("last night's SARIF");

    const ok = await scan(['-i', clean, '--output-json', json, '--output-sarif', sarif]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).summary.resources).toBe(2);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).version).toBe('2.1.0');
  });

  it('--sarif-category fixes the SARIF category; --sarif-min-severity keeps only the more severe findings', async () => {
    const both = inventory([line('extra', { ...CLEAN_TAGS, project: 'q2' }), line('no-cc', { ...CLEAN_TAGS, 'anycompany:finance:cost-center': 'cc-1' })]);
    const sarif = join(dir, 'category.sarif');
    const json = join(dir, 'category.json');
    const r = await scan(['-i', both, '--output-sarif', sarif, '--output-json', json, '--sarif-category', 'nightly/prod-accounts', '--sarif-min-severity', 'error']);
    expect(r.code).toBe(1);
    const run = JSON.parse(readFileSync(sarif, 'utf8')).runs[0];
    expect(run.automationDetails.id).toBe('tagaudit/nightly/prod-accounts/');
    expect(run.results.map((x: { level: string }) => x.level)).toEqual(['error']);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.summary.bySeverity.warning).toBeGreaterThan(0); // the JSON report keeps everything

    const plain = await scan(['-i', both, '--output-sarif', sarif]);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].automationDetails.id).toBe('tagaudit/inventory/');
    expect(plain.code).toBe(1);
  });

  // A trailing or doubled / would give the job the category of another (x/ is x) or an id that reads like one.
  it.each([['bad category'], ['/leading-slash'], ['x'.repeat(101)], ['x/'], ['x//y'], ['nightly/prod/']])('2 for --sarif-category %j', async (category) => {
    const r = await scan(['-i', clean, '--sarif-category', category]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tagaudit: .*--sarif-category.* expected 1 to 100 letters, digits and \. _ \/ - \(starting with a letter or digit; no empty segment or trailing \/\)/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([['json'], ['sarif']])('2 for -q --format %s without an output file: it would write nothing at all', async (format) => {
    const r = await scan(['-i', withError, '-q', '--format', format]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`tagaudit: -q prints no report, so --format ${format} writes nothing: add --output-${format} FILE to write it to a file, or drop -q\n`);
    const json = join(dir, `quiet-${format}.json`);
    expect((await scan(['-i', withError, '-q', '--format', format, '--output-json', json])).code).toBe(1);
    expect(existsSync(json)).toBe(true);
    expect((await scan(['-i', withError, '-q'])).code).toBe(1);
  });

  it('--quiet prints no report and still writes the --output-* files', async () => {
    const json = join(dir, 'quiet.json');
    const r = await scan(['-i', withError, '-q', '--output-json', json]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(json, 'utf8')).summary.findings).toBeGreaterThan(0);
  });

  it('2 when a live-scan flag is combined with --inventory', async () => {
    const r = await scan(['-i', clean, '--regions', 'us-east-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tagaudit: --regions: live-scan flag, not for --inventory\n');
  });
});

describe('tagaudit scan: reports', () => {
  it('writes the table to stdout and JSON and SARIF files in one run, all agreeing', async () => {
    const json = join(dir, 'report.json');
    const sarif = join(dir, 'report.sarif');
    const r = await scan(['-i', 'examples/demo-estate.jsonl', '--output-json', json, '--output-sarif', sarif]);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    expect(report.run.status).toBe('complete');
    expect(report.findings).toHaveLength(report.summary.findings);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results).toHaveLength(report.summary.findings);
    expect(r.stdout).toContain(`in ${report.summary.resources} resources (inventory examples/demo-estate.jsonl)`);
  });

  it('prints the JSON report on stdout with --format json', async () => {
    const r = await scan(['-i', withError, '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.summary).toMatchObject({ resources: 1, findings: 1, bySeverity: { error: 1 } });
    expect(report.run.scope).toEqual({ mode: 'inventory', inventories: [withError] });
    expect(report.run.dictionary.path).toBe('dictionaries/anycompany.yaml');
  });

  it('says on stderr when it falls back to the bundled dictionary, and not otherwise', async () => {
    expect((await scan(['-i', clean])).stderr).toContain(BUNDLED_NOTE);
    expect((await scan(['-i', clean, '--dictionary', 'dictionaries/anycompany.yaml'])).stderr).not.toContain(BUNDLED_NOTE);
    const project = mkdtempSync(join(tmpdir(), 'tagaudit-project-'));
    writeFileSync(join(project, 'tagaudit.yaml'), readFileSync(join(ROOT, 'dictionaries/anycompany.yaml')));
    const r = await scan(['-i', clean], { cwd: project });
    expect(r.stderr).not.toContain(BUNDLED_NOTE);
    expect(JSON.parse((await scan(['-i', clean, '-f', 'json'], { cwd: project })).stdout).run.dictionary.path).toBe('tagaudit.yaml');
  });

  it('--quiet prints no report and no notes, but still writes files and sets the exit code', async () => {
    const json = join(dir, 'quiet.json');
    const r = await scan(['-i', withError, '--quiet', '--output-json', json]);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: '' });
    expect(JSON.parse(readFileSync(json, 'utf8')).summary.findings).toBe(1);
  });

  it('audits a resource listed in two inventories once, and says so', async () => {
    const r = await scan(['-i', clean, '-i', clean, '-f', 'json']);
    expect(JSON.parse(r.stdout).summary.resources).toBe(2);
    expect(r.stderr).toContain('tagaudit: 2 resources listed more than once; each was audited once\n');
  });

  it('reads the AWS CLI get-resources sample', async () => {
    const r = await scan(['-i', 'examples/get-resources.json', '-f', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary.resources).toBe(12);
  });

  it('colors the table on a terminal, unless --no-color or NO_COLOR', async () => {
    const ESC = '\u001b[';
    expect((await scan(['-i', withError], { tty: true })).stdout).toContain(ESC);
    expect((await scan(['-i', withError, '--no-color'], { tty: true })).stdout).not.toContain(ESC);
    expect((await scan(['-i', withError], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await scan(['-i', withError])).stdout).not.toContain(ESC);
  });

  it('--help documents the exit codes', async () => {
    const r = await scan(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3  scan incomplete');
    expect(r.stdout).toContain('--output-sarif <file>');
  });
});
