import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addLiveScanOptions, liveFlagsUsed, liveOptionsFrom, parseSince } from '../../../src/cli/live-options.js';
import { UsageError } from '../../../src/errors.js';

const NOW = new Date('2024-06-01T12:00:00Z');
const deps = { env: { AWS_REGION: 'eu-west-1' }, now: () => NOW };

function parse(args: string[]) {
  const cmd = addLiveScanOptions(new Command('scan').exitOverride());
  cmd.parse(args, { from: 'user' });
  return { cmd, raw: cmd.opts() };
}

describe('addLiveScanOptions', () => {
  it('states every default in --help', () => {
    const help = addLiveScanOptions(new Command('scan').configureHelp({ helpWidth: 1000 })).helpInformation();
    for (const text of ['--profile', '--regions', 'the configured region', "'all'", '--org', 'OrganizationAccountAccessRole', '--external-id', '--exclude-accounts', '"90d"', '--concurrency', '"8"', 'tagging-api,sagemaker,config,iam', '--save-inventory'])
      expect(help).toContain(text);
  });
});

describe('liveOptionsFrom', () => {
  it('has defaults: the caller account, the configured region, 90 days, 8 slices, every source', () => {
    const o = liveOptionsFrom(parse([]).raw, deps);
    expect(o).toEqual({
      scan: {
        env: deps.env,
        roleName: 'OrganizationAccountAccessRole',
        since: new Date('2024-03-03T12:00:00Z'),
        concurrency: 8,
        sources: ['tagging-api', 'sagemaker', 'config', 'iam'],
        requestTimeoutMs: 30_000,
      },
    });
  });

  it('reads every flag', () => {
    const { raw } = parse([
      '--profile', 'audit', '--regions', 'us-east-1, eu-west-1', '--accounts', '111122223333,444455556666', '--org', '--role-name', 'Auditor',
      '--external-id', 'ext-123', '--exclude-accounts', '444455556666', '--since', '2024-01-15', '--concurrency', '16', '--sources', 'tagging-api,sagemaker',
      '--save-inventory', 'out.jsonl', '--request-timeout', '5',
    ]);
    expect(liveOptionsFrom(raw, deps)).toEqual({
      scan: {
        env: deps.env,
        profile: 'audit',
        regions: ['us-east-1', 'eu-west-1'],
        accounts: ['111122223333', '444455556666'],
        org: true,
        roleName: 'Auditor',
        externalId: 'ext-123',
        excludeAccounts: ['444455556666'],
        since: new Date('2024-01-15T00:00:00Z'),
        concurrency: 16,
        sources: ['tagging-api', 'sagemaker'],
        requestTimeoutMs: 5_000,
      },
      saveInventory: 'out.jsonl',
    });
  });

  it('takes region names of every partition shape, the European Sovereign Cloud\'s included', () => {
    expect(liveOptionsFrom(parse(['--regions', 'us-gov-west-1,ap-southeast-5,eusc-de-east-1']).raw, deps).scan.regions).toEqual(['us-gov-west-1', 'ap-southeast-5', 'eusc-de-east-1']);
  });

  it("takes 'all' regions", () => {
    expect(liveOptionsFrom(parse(['--regions', 'all']).raw, deps).scan.regions).toBe('all');
  });

  it.each([
    [['--accounts', '12345'], '--accounts: not a 12-digit AWS account id: "12345"'],
    [['--exclude-accounts', 'abc'], '--exclude-accounts: not a 12-digit'],
    [['--regions', 'us-east-1,Mars'], '--regions: not an AWS region name: "Mars"'],
    [['--regions', 'all,us-east-1'], "'all' cannot be combined"],
    [['--since', 'yesterday'], '--since: expected a duration'],
    [['--since', '2999-01-01'], 'is in the future'],
    [['--since', '2024-02-30'], 'not a valid date'],
    [['--concurrency', '0'], '--concurrency: expected a whole number from 1 to 64'],
    [['--concurrency', '2.5'], '--concurrency'],
    [['--sources', 'tagging-api,ec2'], '--sources: unknown source "ec2"'],
    [['--sources', 'sagemaker,config'], 'config needs tagging-api'],
    [['--role-name', 'bad role'], '--role-name: not an IAM role name'],
    [['--external-id', 'x'], '--external-id'],
    [['--request-timeout', '0'], '--request-timeout: expected a whole number of seconds from 1 to 600, got "0"'],
    [['--request-timeout', '1.5'], '--request-timeout'],
    [['--request-timeout', '601'], '--request-timeout'],
  ])('rejects %j', (args, message) => {
    expect(() => liveOptionsFrom(parse(args).raw, deps)).toThrow(UsageError);
    expect(() => liveOptionsFrom(parse(args).raw, deps)).toThrow(message);
  });
});

describe('liveFlagsUsed', () => {
  it('names only the flags typed, not the defaults', () => {
    expect(liveFlagsUsed(parse(['--regions', 'us-east-1', '--org']).cmd)).toEqual(['--regions', '--org']);
    expect(liveFlagsUsed(parse([]).cmd)).toEqual([]);
  });
});

describe('parseSince', () => {
  it('reads hours, days, weeks, dates and date-times', () => {
    expect(parseSince('12h', NOW)).toEqual(new Date('2024-06-01T00:00:00Z'));
    expect(parseSince('2w', NOW)).toEqual(new Date('2024-05-18T12:00:00Z'));
    expect(parseSince('2024-05-01T08:30:00Z', NOW)).toEqual(new Date('2024-05-01T08:30:00Z'));
  });

  it('refuses an empty window, which would leave every SageMaker job out and pass as a clean scan', () => {
    for (const v of ['0d', '0h', '000w']) expect(() => parseSince(v, NOW)).toThrow(`--since: "${v}" is an empty window; give at least 1h`);
  });
});
