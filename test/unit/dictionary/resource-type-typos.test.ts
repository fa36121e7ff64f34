import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { likelyMeant } from '../../../src/dictionary/resource-type-typos.js';
import { KNOWN_RESOURCE_TYPES, KNOWN_SERVICES, knownTypesOf } from '../../../src/scan/known-resource-types.js';
import { CONFIG_TYPES } from '../../../src/scan/sources/config-types.js';
import { SERVICE_TYPES } from '../../../src/scan/sources/tagging-filters.js';
import { tryParseArn } from '../../../src/inventory/arn.js';
import { formatWarning } from '../../../src/dictionary/summary.js';
import { runCli } from '../../support/cli.js';

// A misspelt resource type in `mandatory` or a suppression's `resourceTypes` matches nothing, silently: the key is
// never required there, the suppression never applies. validate (and scan) warn when a type tagaudit does not know is
// a likely slip of one it knows; a type it has simply never heard of is taken as written.

describe('the resource types tagaudit knows', () => {
  it('include what the sources list and what ARN parsing derives', () => {
    for (const t of CONFIG_TYPES) expect(KNOWN_RESOURCE_TYPES.has(t.resourceType), t.resourceType).toBe(true);
    for (const t of SERVICE_TYPES.sagemaker!) expect(KNOWN_RESOURCE_TYPES.has(t), t).toBe(true);
    const arns = [
      'arn:aws:s3:::bucket',
      'arn:aws:sns:us-east-1:111122223333:topic',
      'arn:aws:sqs:us-east-1:111122223333:queue',
      'arn:aws:sagemaker:us-east-1:111122223333:pipeline/p/execution/x',
      'arn:aws:iam::111122223333:role/r',
      'arn:aws:iam::111122223333:user/u',
      'arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:1:autoScalingGroupName/g',
      'arn:aws:events:us-east-1:111122223333:rule/r',
    ];
    for (const arn of arns) expect(KNOWN_RESOURCE_TYPES.has(tryParseArn(arn)!.resourceType), arn).toBe(true);
    expect(KNOWN_SERVICES.has('iam')).toBe(true);
    expect(knownTypesOf('rds')).toEqual(['rds:db', 'rds:cluster']);
    expect(knownTypesOf('kms')).toEqual([]);
  });
});

describe('likelyMeant', () => {
  it.each([
    ['s3:buckets', 's3:bucket', 'type'],
    ['rds:dbs', 'rds:db', 'type'],
    ['sagemaker:trainingjob', 'sagemaker:training-job', 'type'],
    ['sagemaker:TrainingJob', 'sagemaker:training-job', 'type'],
    ['sagemaker:trainnig-job', 'sagemaker:training-job', 'type'],
    ['sagemaker:endpoints', 'sagemaker:endpoint', 'type'],
    ['states:statemachine', 'states:stateMachine', 'type'],
    ['sagemaker:trainnig*', 'sagemaker:training*', 'type'],
    ['sagmaker:*', 'sagemaker:*', 'service'],
    ['sagemaekr:training-job', 'sagemaker:training-job', 'service'],
    ['sagmaker:trainingjob', 'sagemaker:training-job', 'service'],
    ['lamda:function', 'lambda:function', 'service'],
    ['emr:*', 'elasticmapreduce:*', 'service'],
    ['elb:loadbalancer', 'elasticloadbalancing:loadbalancer', 'service'],
    ['stepfunctions:stateMachine', 'states:stateMachine', 'service'],
    ['secrets-manager:secret', 'secretsmanager:secret', 'service'],
  ])('%s → %s', (written, meant, part) => {
    expect(likelyMeant(written)).toEqual({ meant, part });
  });

  it.each([
    // Known.
    '*', 's3:bucket', 'sagemaker:*', 'sagemaker:training*', 'sagemaker:training-job', 'rds:db', 'iam:role', 'events:rule',
    // Real types tagaudit does not list, close to none it knows (AWS adds types all the time).
    'rds:pg', 'rds:og', 'rds:es', 'rds:snapshot', 'ec2:image', 'ec2:snapshot', 'lambda:layer', 'kms:key', 'logs:log-group',
    'sagemaker:hub', 'sagemaker:training-plan', 'iam:policy', 'iam:group', 'elasticloadbalancing:targetgroup',
    // Real services tagaudit does not list: short ones one letter from known ones, and versions of known ones.
    'sso:permissionSet', 'sms:app', 'rum:appmonitor', 'inspector:target', 'macie:job', 'mediapackagev2:channel',
    // A short prefix says too little to call it misspelt.
    'sagemaker:x*',
  ])('%s: nothing', (written) => {
    expect(likelyMeant(written)).toBeUndefined();
  });
});

const MIN = (mandatory: string, tail = ''): string =>
  `version: 1\nname: t\ntags:\n  - key: project\n    category: business\n    purpose: p\n    mandatory: ${mandatory}\n    costAllocation: true\n${tail}`;

async function warningsOf(text: string): Promise<string[]> {
  const { warnings } = await parseDictionary(text, 'd.yaml');
  return warnings.map(formatWarning);
}

describe('validate warns about a misspelt resource type', () => {
  it('in mandatory', async () => {
    expect(await warningsOf(MIN('[sagemaker:*, s3:buckets, sagemaker:trainingjob, sagmaker:*, kms:key]'))).toEqual([
      "d.yaml:7:30: warning: tags[0].mandatory[1]: 's3:buckets' is not a resource type tagaudit knows (did you mean 's3:bucket'?): types are matched exactly, so the key would not be required on s3:bucket resources",
      "d.yaml:7:42: warning: tags[0].mandatory[2]: 'sagemaker:trainingjob' is not a resource type tagaudit knows (did you mean 'sagemaker:training-job'?): types are matched exactly, so the key would not be required on sagemaker:training-job resources",
      "d.yaml:7:65: warning: tags[0].mandatory[3]: 'sagmaker:*' names no AWS service tagaudit knows (did you mean 'sagemaker:*'?): types are matched exactly, so the key would not be required on sagemaker:* resources",
    ]);
  });

  it("in a suppression's resourceTypes", async () => {
    const tail = 'suppressions:\n  - rules: [missing-tag]\n    resourceTypes: ["rds:dbs", "ec2:instance"]\n    reason: legacy databases\n';
    expect(await warningsOf(MIN('true', tail))).toEqual([
      "d.yaml:11:21: warning: suppressions[0].resourceTypes[0]: 'rds:dbs' is not a resource type tagaudit knows (did you mean 'rds:db'?): types are matched exactly, so the suppression would not cover rds:db resources",
    ]);
  });

  it('not about a type it knows or one close to none it knows', async () => {
    expect(await warningsOf(MIN('[sagemaker:*, s3:bucket, lambda:layer, kms:key, rds:pg]'))).toEqual([]);
  });
});

describe('validate and scan show the warning, and still accept the dictionary', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tagaudit-type-typo-'));
    writeFileSync(join(dir, 'd.yaml'), MIN('[s3:buckets]'));
    writeFileSync(join(dir, 'inv.jsonl'), '{"arn":"arn:aws:s3:::logs","tags":{"project":"x"}}\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const WARNING =
    "d.yaml:7:17: warning: tags[0].mandatory[0]: 's3:buckets' is not a resource type tagaudit knows (did you mean 's3:bucket'?): types are matched exactly, so the key would not be required on s3:bucket resources\n";

  it('validate: exit 0, the warning on stderr, counted in the summary', async () => {
    const r = await runCli(['validate', 'd.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(WARNING);
    expect(r.stdout).toContain('  warnings         1 (on stderr)\n');
  });

  it('scan: the warning on stderr, the scan runs', async () => {
    const r = await runCli(['scan', '-d', 'd.yaml', '-i', 'inv.jsonl'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(WARNING);
    expect(r.stdout).toContain('No findings in 1 resource');
  });

  it('scan -q: not shown', async () => {
    const r = await runCli(['scan', '-q', '-d', 'd.yaml', '-i', 'inv.jsonl'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
