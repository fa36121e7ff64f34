import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { resolveDictionary } from '../../../src/dictionary/resolve-dictionary.js';
import { arnPattern, suppresses, type Suppression } from '../../../src/dictionary/suppression.js';
import { DictionaryError } from '../../../src/dictionary/dictionary-error.js';
import { createAuditor } from '../../../src/rules/engine.js';
import type { Finding } from '../../../src/rules/types.js';
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
    expect(second!.resources![0]!.test('arn:aws:s3:::vendor-logs')).toBe(true);
  });

  it('the example in docs/dictionary.md is valid', async () => {
    const doc = readFileSync(new URL('../../../docs/dictionary.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('\n## Suppressions\n'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const { policy, warnings } = await parseDictionary(`${BASE}\n${example}`, 'docs/dictionary.md#suppressions');
    expect(warnings).toEqual([]);
    expect(policy.suppressions.map((s) => [...s.rules])).toEqual([['unknown-tag-key'], ['missing-tag', 'invalid-tag-value']]);
  });

  it('a dictionary without suppressions has none', async () => {
    expect((await parseDictionary(BASE, 'dict.yaml')).policy.suppressions).toEqual([]);
  });

  it('refuses an entry that says nothing about what it covers, with file:line:col', async () => {
    const lines = await problems(['  - rules: [missing-tag]', '    reason: everything, really'].join('\n'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^dict\\.yaml:${BASE_LINES + 2}:\\d+: suppressions\\[0\\]: names no resources, resourceTypes, accounts or tags`));
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

  it('a suppression without a reason is refused', async () => {
    expect((await problems(['  - rules: [missing-tag]', '    tags: [team]'].join('\n'))).join('\n')).toMatch(/suppressions\[0\]: missing required property 'reason'/);
  });
});

describe('dictionary suppressions: matching', () => {
  const finding = (over: Partial<Finding> & { arn?: string }): Finding => {
    const arn = over.arn ?? 'arn:aws:sagemaker:us-east-1:111122223333:training-job/job-1';
    const { resourceType, accountId, region, service } = resource(arn, {});
    return { ruleId: 'missing-tag', severity: 'error', message: 'm', fingerprint: 'f', resource: { arn, resourceType, accountId, region, service }, ...over };
  };
  const s = (over: Partial<Suppression>): Suppression => ({ rules: new Set(['missing-tag']), reason: 'r', ...over });

  it('needs the rule and every selector given; any entry of a selector will do', () => {
    expect(suppresses(s({ accounts: new Set(['111122223333']) }), finding({}))).toBe(true);
    expect(suppresses(s({ accounts: new Set(['111122223333']) }), finding({ ruleId: 'empty-tag-value' }))).toBe(false);
    expect(suppresses(s({ accounts: new Set(['444455556666', '111122223333']), resourceTypes: ['s3:*'] }), finding({}))).toBe(false);
    expect(suppresses(s({ accounts: new Set(['111122223333']), resourceTypes: ['s3:*', 'sagemaker:*'] }), finding({}))).toBe(true);
  });

  it('tags match the key on the resource or the dictionary key it was taken for', () => {
    const sup = s({ rules: new Set(['miscased-tag-key']), tags: new Set(['anycompany:finance:cost-center']) });
    expect(suppresses(sup, finding({ ruleId: 'miscased-tag-key', tag: { key: 'CostCenter' }, data: { dictionaryKey: 'anycompany:finance:cost-center' } }))).toBe(true);
    expect(suppresses(sup, finding({ ruleId: 'miscased-tag-key', tag: { key: 'Owner' }, data: { dictionaryKey: 'anycompany:finance:owner' } }))).toBe(false);
    expect(suppresses(sup, finding({ ruleId: 'miscased-tag-key' }))).toBe(false);
  });

  it('ARN patterns: * is any run of characters, everything else is literal', () => {
    const re = arnPattern('arn:aws:sagemaker:*:111122223333:endpoint/legacy-*');
    expect(re.test('arn:aws:sagemaker:eu-west-1:111122223333:endpoint/legacy-churn')).toBe(true);
    expect(re.test('arn:aws:sagemaker:eu-west-1:111122223333:endpoint/new-churn')).toBe(false);
    expect(re.test('xarn:aws:sagemaker:eu-west-1:111122223333:endpoint/legacy-a')).toBe(false);
    expect(arnPattern('arn:aws:s3:::a.b').test('arn:aws:s3:::aXb')).toBe(false);
    expect(arnPattern('arn:aws:s3:::a(b)+').test('arn:aws:s3:::a(b)+')).toBe(true);
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
    expect(JSON.parse(asJson.stdout).suppressions).toEqual({ count: 2, expired: [{ line: BASE_LINES + 2, expires: '2024-05-31' }] });
  });
});
