import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { resolveDictionary } from '../../../src/dictionary/resolve-dictionary.js';
import { globMatches, suppresses, type Suppression, type SuppressionTarget } from '../../../src/dictionary/suppression.js';
import { DictionaryError } from '../../../src/dictionary/dictionary-error.js';
import { createAuditor } from '../../../src/rules/engine.js';
import { resource } from '../fix/helpers.js';
import { bufferOut, runCli } from '../../support/cli.js';

const BASE = readFileSync(new URL('../../../dictionaries/anycompany.yaml', import.meta.url), 'utf8');

async function problems(suppressions: string): Promise<string[]> {
  try {
    await parseDictionary(`${BASE}\nsuppressions:\n${suppressions}`, 'dict.yaml');
  } catch (err) {
    if (err instanceof DictionaryError) return err.lines();
    throw err;
  }
  return [];
}

async function policyWith(suppressions: string) {
  return (await parseDictionary(`${BASE}\nsuppressions:\n${suppressions}`, 'dict.yaml')).policy;
}

const BASE_LINES = BASE.split('\n').length;

describe('dictionary suppressions: loading', () => {
  it('compiles each entry with its source line', async () => {
    const policy = await policyWith(
      [
        '  - rules: [unknown-tag-key]',
        '    resourceTypes: ["ec2:instance"]',
        '    tags: [Name]',
        '    reason: EC2 keeps its console Name tag',
        '  - rules: [missing-tag, invalid-tag-value]',
        '    resources: ["arn:aws:s3:::vendor-*"]',
        '    accounts: ["111122223333"]',
        '    reason: vendor-managed buckets',
        '    expires: "2027-03-31"',
      ].join('\n'),
    );
    expect(policy.suppressions).toHaveLength(2);
    const [first, second] = policy.suppressions;
    expect([...first!.rules]).toEqual(['unknown-tag-key']);
    expect(first!.line).toBe(BASE_LINES + 2);
    expect(second!.line).toBe(BASE_LINES + 6);
    expect(second!.expires).toBe('2027-03-31');
    expect(globMatches(second!.resources![0]!, 'arn:aws:s3:::vendor-logs')).toBe(true);
  });

  it('the example in docs/dictionary.md is valid', async () => {
    const doc = readFileSync(new URL('../../../docs/dictionary.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('\n## Suppressions\n'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const { policy, warnings } = await parseDictionary(`${BASE}\n${example}`, 'docs/dictionary.md#suppressions');
    expect(warnings).toEqual([]);
    expect(policy.suppressions.map((s) => [...s.rules])).toEqual([['unknown-tag-key'], ['missing-tag', 'invalid-tag-value'], ['missing-tag']]);
    // The third: roles other AWS services own, in any account, by ARN pattern.
    const owned = resource('arn:aws:iam::111122223333:role/aws-controltower-AdministratorExecutionRole', {});
    const mine = resource('arn:aws:iam::111122223333:role/ml-training', {});
    expect(createAuditor(policy).audit(owned).filter((f) => f.ruleId === 'missing-tag')).toEqual([]);
    expect(createAuditor(policy).audit(mine).filter((f) => f.ruleId === 'missing-tag').length).toBeGreaterThan(0);
  });

  it('a dictionary without suppressions has none', async () => {
    expect((await parseDictionary(BASE, 'dict.yaml')).policy.suppressions).toEqual([]);
  });

  it('refuses an entry that says nothing about what it covers, with file:line:col', async () => {
    const lines = await problems(['  - rules: [missing-tag]', '    reason: everything, really'].join('\n'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^dict\\.yaml:${BASE_LINES + 2}:\\d+: suppressions\\[0\\]: needs at least one of resources, resourceTypes, accounts, tags \\(a suppression must say what it covers`));
  });

  it('refuses unknown rule ids, blank reasons, impossible days, non-ARNs and bad account ids', async () => {
    const lines = await problems(
      [
        '  - rules: [missing-tags]',
        '    tags: [team]',
        '    reason: "  "',
        '    expires: "2026-02-30"',
        '  - rules: [missing-tag]',
        '    resources: ["s3://bucket"]',
        '    accounts: ["1234"]',
        '    reason: x',
      ].join('\n'),
    );
    const text = lines.join('\n');
    expect(text).toMatch(/suppressions\[0\]\.rules\[0\]: must be one of .*missing-tag/);
    expect(text).toMatch(/suppressions\[0\]\.reason: must say why/);
    expect(text).toMatch(/suppressions\[0\]\.expires: '2026-02-30' is not a day of the calendar/);
    expect(text).toMatch(/suppressions\[1\]\.resources\[0\]: must be an ARN/);
    expect(text).toMatch(/suppressions\[1\]\.accounts\[0\]: must be a 12-digit AWS account id/);
    for (const line of lines) expect(line).toMatch(/^dict\.yaml:\d+:\d+: /);
  });

  it('validate warns about a suppression whose rules are all off', async () => {
    const { warnings } = await parseDictionary(
      `${BASE.replace('rules:\n', 'rules:\n  unknown-tag-key: off\n')}\nsuppressions:\n  - rules: [unknown-tag-key]\n    tags: [Name]\n    reason: x\n`,
      'dict.yaml',
    );
    expect(warnings.map((w) => `${w.path}: ${w.message}`)).toEqual(['suppressions[0].rules: every rule it names is off (unknown-tag-key), so it never applies']);
  });

  it('a suppression without a reason is refused', async () => {
    expect((await problems(['  - rules: [missing-tag]', '    tags: [team]'].join('\n'))).join('\n')).toMatch(/suppressions\[0\]: missing required property 'reason'/);
  });
});

describe('dictionary suppressions: matching', () => {
  const target = (over: Partial<SuppressionTarget> & { arn?: string }): SuppressionTarget => {
    const arn = over.arn ?? 'arn:aws:sagemaker:us-east-1:111122223333:training-job/job-1';
    const { resourceType, accountId } = resource(arn, {});
    return { ruleId: 'missing-tag', resource: { arn, resourceType, accountId }, ...over };
  };
  const s = (over: Partial<Suppression>): Suppression => ({ rules: new Set(['missing-tag']), reason: 'r', ...over });

  it('needs the rule and every selector given; any entry of a selector will do', () => {
    expect(suppresses(s({ accounts: new Set(['111122223333']) }), target({}))).toBe(true);
    expect(suppresses(s({ accounts: new Set(['111122223333']) }), target({ ruleId: 'empty-tag-value' }))).toBe(false);
    expect(suppresses(s({ accounts: new Set(['444455556666', '111122223333']), resourceTypes: ['s3:*'] }), target({}))).toBe(false);
    expect(suppresses(s({ accounts: new Set(['111122223333']), resourceTypes: ['s3:*', 'sagemaker:*'] }), target({}))).toBe(true);
    expect(suppresses(s({ resources: [['arn:aws:sagemaker:', ':111122223333:training-job/', '']] }), target({}))).toBe(true);
    expect(suppresses(s({ resources: [['arn:aws:sagemaker:', ':444455556666:', '']] }), target({}))).toBe(false);
  });

  it('tags match the key on the resource or the dictionary key it stands for', () => {
    const sup = s({ rules: new Set(['miscased-tag-key']), tags: new Set(['anycompany:finance:cost-center']) });
    expect(suppresses(sup, target({ ruleId: 'miscased-tag-key', tagKey: 'CostCenter', dictionaryKey: 'anycompany:finance:cost-center' }))).toBe(true);
    expect(suppresses(sup, target({ ruleId: 'miscased-tag-key', tagKey: 'anycompany:finance:cost-center' }))).toBe(true);
    expect(suppresses(sup, target({ ruleId: 'miscased-tag-key', tagKey: 'Owner', dictionaryKey: 'anycompany:finance:owner' }))).toBe(false);
    expect(suppresses(sup, target({ ruleId: 'miscased-tag-key' }))).toBe(false);
  });

  it('ARN globs: * is any run of characters (also none), everything else is literal', () => {
    const glob = (g: string, text: string): boolean => globMatches(g.split('*'), text);
    expect(glob('arn:aws:sagemaker:*:111122223333:endpoint/legacy-*', 'arn:aws:sagemaker:eu-west-1:111122223333:endpoint/legacy-churn')).toBe(true);
    expect(glob('arn:aws:sagemaker:*:111122223333:endpoint/legacy-*', 'arn:aws:sagemaker:eu-west-1:111122223333:endpoint/new-churn')).toBe(false);
    expect(glob('arn:aws:sagemaker:*:111122223333:endpoint/legacy-*', 'xarn:aws:sagemaker:eu-west-1:111122223333:endpoint/legacy-a')).toBe(false);
    expect(glob('arn:aws:s3:::a.b', 'arn:aws:s3:::aXb')).toBe(false);
    expect(glob('arn:aws:s3:::a(b)+', 'arn:aws:s3:::a(b)+')).toBe(true);
    expect(glob('arn:aws:s3:::a*b*c', 'arn:aws:s3:::abc')).toBe(true);
    expect(glob('arn:aws:s3:::a*b*c', 'arn:aws:s3:::abbc')).toBe(true);
    expect(glob('arn:aws:s3:::a*b*c', 'arn:aws:s3:::acb')).toBe(false);
    // The first and last parts must not overlap: 'aba' is not 'ab' + anything + 'ba'.
    expect(glob('ab*ba', 'aba')).toBe(false);
    expect(glob('ab*ba', 'abba')).toBe(true);
    expect(glob('*', 'anything')).toBe(true);
    expect(glob('a*', 'a')).toBe(true);
  });

  it('a glob with many stars against a long ARN that does not match takes no time (no backtracking)', () => {
    const parts = `arn:aws:s3:::${'*a'.repeat(7)}*b`.split('*');
    const arn = `arn:aws:s3:::${'a'.repeat(50)}`;
    const started = process.hrtime.bigint();
    expect(globMatches(parts, arn)).toBe(false);
    // The same glob as a regex of .*s takes about 8 s here; the bound is generous for a slow machine.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });

  it('the auditor leaves suppressed findings out and says which suppression took each', async () => {
    const policy = await policyWith(
      [
        '  - rules: [missing-tag]',
        '    tags: ["anycompany:finance:cost-center"]',
        '    resourceTypes: ["s3:bucket"]',
        '    reason: buckets are charged centrally',
      ].join('\n'),
    );
    const bucket = resource('arn:aws:s3:::data-lake', {});
    const all = createAuditor({ ...policy, suppressions: [] }).audit(bucket);
    const missing = all.filter((f) => f.ruleId === 'missing-tag' && f.tag?.key === 'anycompany:finance:cost-center');
    expect(missing).toHaveLength(1);
    const heard: number[] = [];
    const kept = createAuditor(policy).audit(bucket, undefined, (i) => heard.push(i));
    expect(kept).toEqual(all.filter((f) => f !== missing[0]));
    expect(heard).toEqual([0]);
  });
});

describe('dictionary suppressions: expiry', () => {
  it('scan and fix drop a suppression after its last day, with a note naming its line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagaudit-sup-'));
    const file = join(dir, 'dict.yaml');
    writeFileSync(
      file,
      `${BASE}\nsuppressions:\n${[
        '  - rules: [missing-tag]',
        '    accounts: ["111122223333"]',
        '    reason: migration',
        '    expires: "2024-05-31"',
        '  - rules: [unknown-tag-key]',
        '    tags: [Name]',
        '    reason: console names',
        '    expires: "2024-06-01"',
      ].join('\n')}\n`,
    );
    const stderr = bufferOut();
    const policy = await resolveDictionary({ flag: file, cwd: dir, stderr, now: new Date('2024-06-01T23:59:59Z') });
    expect(policy.suppressions.map((s) => [...s.rules])).toEqual([['unknown-tag-key']]);
    expect(stderr.text()).toBe(`tagaudit: ${file}:${BASE_LINES + 2}: suppression of missing-tag expired on 2024-05-31; its findings are reported again\n`);

    const later = bufferOut();
    expect((await resolveDictionary({ flag: file, cwd: dir, stderr: later, now: new Date('2024-06-02T00:00:00Z') })).suppressions).toEqual([]);
    expect(later.text().split('\n').filter(Boolean)).toHaveLength(2);

    const validate = await runCli(['validate', file], { cwd: dir, now: () => new Date('2024-06-01T12:00:00Z') });
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain(`  suppressions     2 (line ${BASE_LINES + 2} expired on 2024-05-31)\n`);
    const asJson = await runCli(['validate', file, '--format', 'json'], { cwd: dir, now: () => new Date('2024-06-01T12:00:00Z') });
    expect(JSON.parse(asJson.stdout).suppressions).toEqual({ count: 2, expired: [{ line: BASE_LINES + 2, expires: '2024-05-31' }], inactive: [] });
  });
});
