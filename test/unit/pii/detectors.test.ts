import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';
import type { PiiKind } from '../../../src/pii/kinds.js';

/** Kinds found in the value of a tag. */
const kinds = (key: string, value: string): PiiKind[] => detectPii(key, value).filter((h) => h.where === 'value').map((h) => h.kind);
const match = (key: string, value: string, kind: PiiKind): string | undefined => detectPii(key, value).find((h) => h.kind === kind)?.match;

describe('e-mail', () => {
  it.each([
    ['owner', 'jane.doe@example.com', 'jane.doe@example.com'],
    ['contact', 'carlos.mendes+billing@example.org', 'carlos.mendes+billing@example.org'],
    ['x', 'wei.zhang@ml.research.anycompany.co.uk', 'wei.zhang@ml.research.anycompany.co.uk'],
    ['created-by', 'arn:aws:sts::123456789012:assumed-role/Admin/jane.doe@example.com', 'jane.doe@example.com'],
    ['aws:createdBy', 'AssumedRole:AROA3XFRBF535PLBIFPI4:maria.rossi@example.it', 'maria.rossi@example.it'],
    ['owner', 'Jane Doe <jane.doe@example.com>', 'jane.doe@example.com'],
    ['contact', 'olu.adeyemi[at]example.com', 'olu.adeyemi[at]example.com'],
    ['config', '{"owner":"fatima@example.ma"}', 'fatima@example.ma'],
    // URL user-info that reads like a person's mailbox
    ['artifacts', 's3://john.doe@example.com/models/v3', 'john.doe@example.com'],
    ['artifacts', 's3://jdoe@example.com/models/v3', 'jdoe@example.com'],
    ['repo', 'gs://jsmith@example.org/data', 'jsmith@example.org'],
    ['feed', 'https://jane_doe+ml@feeds.example.org/rss', 'jane_doe+ml@feeds.example.org'],
    ['feed', 'https://jane.doe%40example.com@feeds.example.org/x', 'jane.doe%40example.com@feeds.example.org'],
    // "at" and "dot" spelt out, without brackets
    ['notes', 'ref: jane.doe at example dot com, thanks', 'jane.doe at example dot com'],
    ['contact', 'jdoe at mail dot example dot co dot uk', 'jdoe at mail dot example dot co dot uk'],
    ['owner', 'Jane at Example Dot Com', 'Jane at Example Dot Com'],
  ])('%s = %s', (key, value, want) => {
    expect(match(key, value, 'email')).toBe(want);
  });

  it.each([
    'git@github.com:org/repo',
    'git@gitlab.example.com:data/feature-store.git',
    'ssh://git@bitbucket.org/anycompany/etl.git',
    'ssh://deploy@bastion.example.com:2222/srv',
    'https://svc-ci@artifacts.example.com/repo',
    'postgresql://app2@orders-db.example.com:5432/orders',
    'ec2-user@bastion-prod',
    'ubuntu@ip-10-0-3-17.ec2.internal',
    'training@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    '@anycompany/tagaudit@1.4.2',
    'pandas@2.2.1',
    '@ml-platform (Slack)',
    'platform-team@',
    // spelt-out words that only look like an address: a plain word or verb form as the mailbox, no real top-level domain
    'meet at example dot com',
    'team at acme dot com',
    'hosted at acme dot io and served at edge dot com',
    'data at rest dot encryption enabled',
    'runs at 5 dot 30 daily',
    'user123 at corp dot internal',
  ])('not %s', (value) => {
    expect(kinds('repo', value)).not.toContain('email');
  });

  it.each([
    ['notes', 'https://ci_bot@git.example.com/team/repo.git'],
    ['notes', 'ssh://deploy@bastion.example.com/srv'],
    ['bastion', 'ssh://ops.admin@bastion.example.com'],
    ['db-url', 'postgresql://app.reader@orders-db.example.com:5432/orders'],
  ])('a login in a URL is not an address: %s = %s', (key, value) => {
    expect(kinds(key, value)).not.toContain('email');
  });
});

describe('phone', () => {
  it.each([
    ['oncall', '+1 206 555 0142'],
    ['x', '+44 20 7946 0018'],
    ['x', '+49 30 901820'],
    ['x', '+33 1 42 68 53 00'],
    ['x', '+91 98765 43210'],
    ['x', '+61 491 570 156'],
    ['x', '+12065550199'],
    ['x', '(312) 555-0187'],
    ['x', 'call 415-555-0123 after hours'],
    ['x', '020 7946 0018'],
    ['x', '(02) 9876 5432'],
    ['mobile', '07700 900123'],
    ['astreinte', '06 12 34 56 78'],
    ['oncall', '0151 23456789'],
    ['oncall', '4155550142'],
  ])('%s = %s', (key, value) => {
    expect(kinds(key, value)).toContain('phone');
  });

  it.each([
    ['PurchaseOrder', '4500012345'],
    ['AccountId', '123456789012'],
    ['notes', '123456789012'],
    ['epoch-ms', '1705314600000'],
    ['x', '1705314600000'],
    ['Timestamp', '20240115103045'],
    ['CreatedDate', '2024-01-15'],
    ['x', '15/01/2024'],
    ['WindowsBuild', '10.0.19045.3693'],
    ['OrderRef', 'ORD-884-223-1901'],
    ['CostCenter', 'Sales-5045'],
    ['zip', '98109-1234'],
    ['ssn', '123-45-6789'],
    ['TrainingJob', 'xgboost-churn-2024-01-15-10-30-45-123'],
    ['timezone', 'UTC+05:30'],
    ['Coordinates', '47.6062,-122.3321'],
    ['ProjectCode', 'PRJ 2024 0045 1234'],
  ])('not %s = %s', (key, value) => {
    expect(kinds(key, value)).not.toContain('phone');
  });
});

describe('SSN', () => {
  it.each([
    ['x', '123-45-6789'],
    ['ssn', '219 09 9999'],
    ['ssn', '078051120'],
    ['notes', 'SSN 457-55-5462 used for test account'],
  ])('%s = %s', (key, value) => expect(kinds(key, value)).toContain('ssn'));

  it.each([
    ['ssn', '000-12-3456'],
    ['ssn', '666-12-3456'],
    ['ssn', '912-70-1234'],
    ['ssn', '123-00-4567'],
    ['ssn', '123-45-0000'],
    ['ssn', '***-**-6789'],
    ['owner-ssn', 'REDACTED'],
    ['notes', '123456789'],
    ['AssetTag', '450012345'],
  ])('not %s = %s', (key, value) => expect(kinds(key, value)).not.toContain('ssn'));
});

describe('payment card', () => {
  it.each([
    '4111 1111 1111 1111',
    '5555-5555-5555-4444',
    '378282246310005',
    '3782 822463 10005',
    '2223 0031 2200 3222',
    '6011111111111117',
    '3530 1113 3330 0000',
    '3056 930902 5904',
    'card 4012888888881881 exp 12/29',
  ])('%s', (value) => expect(kinds('notes', value)).toContain('credit-card'));

  it.each([
    ['card', '4111 1111 1111 1112'],
    ['card', '**** **** **** 1111'],
    ['OrderNumber', '7000123456789012'],
    ['ExternalRef', '1234-5678-9012-3456'],
    ['TransactionTime', '1718000000123456'],
    ['OrderId', '4532015112830366'],
  ])('not %s = %s', (key, value) => expect(kinds(key, value)).not.toContain('credit-card'));

  it('keeps only the card in a longer run', () => {
    expect(match('notes', 'card 4111 1111 1111 1111 12 29', 'credit-card')).toBe('4111 1111 1111 1111');
  });
});

describe('IBAN', () => {
  it.each(['GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000', 'FR14 2004 1010 0505 0001 3M02 606', 'refund to NL91ABNA0417164300 approved'])(
    '%s',
    (value) => expect(kinds('x', value)).toContain('iban'),
  );
  it('accepts a lower-case IBAN under a bank key only', () => {
    expect(kinds('iban', 'de89 3704 0044 0532 0130 00')).toEqual(['iban']);
    expect(kinds('x', 'de89 3704 0044 0532 0130 00')).toEqual([]);
  });
  it.each(['GB82 WEST 1234 5698 7654 33', 'DE12ABC3456789XYZ', 'GB5512345678'])('not %s', (value) => expect(kinds('x', value)).not.toContain('iban'));
  it('stops at the country length', () => {
    expect(match('x', 'GB82 WEST 1234 5698 7654 32 EUR', 'iban')).toBe('GB82 WEST 1234 5698 7654 32');
  });
});

describe('IP address', () => {
  it.each(['10.0.3.17', '203.0.113.42/32', 'ssh to 192.168.10.25 via bastion', 'http://10.20.30.40:8888/lab', '2001:db8:85a3::8a2e:370:7334', '2a05:d018:abc:1200::1a/128', '::ffff:10.1.2.3'])(
    '%s',
    (value) => expect(kinds('x', value)).toContain('ip-address'),
  );
  it.each([
    ['VpcCidr', '10.0.0.0/16'],
    ['x', '10.0.128.0/20'],
    ['x', '0.0.0.0'],
    ['x', '127.0.0.1'],
    ['x', '169.254.169.254'],
    ['x', 'fd00:ec2::254'],
    ['x', '::1'],
    ['x', 'fe80::1ff:fe23:4567:890a'],
    ['x', '2600:1f18:24d6:6500::/56'],
    ['AgentVersion', '4.2.1.7'],
    ['x', 'v1.2.3.4'],
    ['x', 'ip-10-0-1-23.ec2.internal'],
    ['x', '0a:1b:2c:3d:4e:5f'],
    ['x', '255.255.255.0'],
    ['x', '239.255.255.250'],
    ['x', 'arn:aws:iam::123456789012:role/admin'],
    ['x', '2024-01-15T10:30:00Z'],
  ])('not %s = %s', (key, value) => expect(kinds(key, value)).not.toContain('ip-address'));
});

describe('AWS credentials', () => {
  it('finds access key ids', () => {
    expect(kinds('x', 'AKIAIOSFODNN7EXAMPLE')).toEqual(['aws-access-key']);
    expect(kinds('notes', 'aws_access_key_id=ASIAY34FZKBOKMUTVV7A')).toEqual(['aws-access-key']);
  });
  it('finds secret keys where the context supports it', () => {
    expect(kinds('aws-secret-access-key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toEqual(['aws-secret-key']);
    expect(kinds('notes', 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toEqual(['aws-secret-key']);
    expect(kinds('creds', 'AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toEqual(['aws-access-key', 'aws-secret-key']);
  });
  it.each([
    ['GitCommit', 'e83c5163316f89bfbde7d9ab23ca2e25604af290'],
    ['cdk-path', 'SagemakerStack/NotebookInstance/Resource'],
    ['IamUserId', 'AIDAJQABLZS4A3QDU576Q'],
    ['masked', 'AKIA************MPLE'],
    ['logical-id', 'TrainingRoleDefaultPolicy7A1B2C3D4E5F6A7B'],
  ])('not %s = %s', (key, value) => expect(kinds(key, value)).toEqual([]));
});

describe('person name', () => {
  it.each([
    ['Owner', 'Jane Doe'],
    ['approver', 'Priya Natarajan'],
    ['requested-by', 'Wei Zhang'],
    ['owner', 'Doe, John'],
    ['TechnicalOwner', 'Dr. Emily Chen'],
    ['requester', 'Oluwaseun Adeyemi'],
    ['owner', 'jane doe'],
    ['owner', 'james.wilson'],
    ['CreatedBy', 'Siobhán O’Connor'],
    ['notes', 'Approved by Maria Rossi on 2024-03-01'],
  ])('%s = %s', (key, value) => expect(kinds(key, value)).toContain('person-name'));

  it.each([
    ['Owner', 'SecOps'],
    ['team', 'Workload-1-Development-team'],
    ['Owner', 'Data Platform'],
    ['owner', 'Platform Engineering'],
    ['owner', 'Fraud Detection'],
    ['CreatedBy', 'AWS Control Tower'],
    ['owner', 'Cloud Center of Excellence'],
    ['owner', 'N/A'],
    ['owner-name', 'REDACTED'],
    ['Name', 'Churn Model Training'],
    ['Name', 'Grace Period Reminder'],
    ['Purpose', 'Georgia Tech research collab'],
    ['owner', 'jdoe'],
  ])('not %s = %s', (key, value) => expect(kinds(key, value)).not.toContain('person-name'));
});

describe('date of birth, street address, passport', () => {
  it.each([
    ['dob', '1985-03-12', 'date-of-birth'],
    ['date-of-birth', 'March 12, 1985', 'date-of-birth'],
    ['notes', 'DOB: 04/07/1990 per HR', 'date-of-birth'],
    ['home-address', '742 Evergreen Terrace, Springfield', 'street-address'],
    ['notes', 'send to 221B Baker Street, London NW1 6XE', 'street-address'],
    ['address', 'Hauptstraße 5, 10115 Berlin', 'street-address'],
    ['Location', '350 5th Ave, New York, NY 10118', 'street-address'],
    ['passport-number', 'C01X00T47', 'passport'],
    ['notes', 'passport no. 123456789 on file', 'passport'],
    ['mrz', 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'passport'],
  ] as const)('%s = %s', (key, value, kind) => expect(kinds(key, value)).toContain(kind));

  it.each([
    ['CreatedDate', '2024-01-15'],
    ['ExpiryDate', '2025-06-30'],
    ['dob', 'REDACTED'],
    ['dob-required', 'true'],
    ['site', 'Building 5, Floor 3'],
    ['route', 'Route 53 failover'],
    ['address-family', 'ipv4'],
    ['passport-required', 'true'],
    ['passport', 'N/A'],
    ['Schedule', 'cron(0 18 ? * MON-FRI *)'],
  ])('not %s = %s', (key, value) => expect(kinds(key, value)).toEqual([]));
});

describe('keys', () => {
  it('finds PII used as a key', () => {
    expect(detectPii('jane.doe@example.com', 'owner')).toMatchObject([{ kind: 'email', where: 'key', match: 'jane.doe@example.com' }]);
    expect(detectPii('10.0.44.12', 'primary')).toMatchObject([{ kind: 'ip-address', where: 'key' }]);
  });
  it('does not flag keys that only name a kind of data', () => {
    for (const [k, v] of [
      ['owner-ssn', 'REDACTED'],
      ['contains-pii', 'true'],
      ['email-notifications', 'enabled'],
      ['phone-support', '24x7'],
      ['passport-required', 'true'],
      ['ip-address-type', 'dualstack'],
    ]) {
      expect(detectPii(k as string, v as string)).toEqual([]);
    }
  });
});

describe('hard negatives', () => {
  it.each([
    ['aws:cloudformation:stack-id', 'arn:aws:cloudformation:us-east-1:123456789012:stack/ml/3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
    ['AccountId', '123456789012'],
    ['InstanceId', 'i-0abc123def4567890'],
    ['VolumeId', 'vol-049df61146c4d7901'],
    ['SecurityGroup', 'sg-0123456789abcdef0'],
    ['ExecutionId', '550e8400-e29b-41d4-a716-446655440000'],
    ['GitSha', 'e83c5163316f89bfbde7d9ab23ca2e25604af290'],
    ['Version', '1.27.3'],
    ['release', '2024.01.15'],
    ['CreatedAt', '2024-01-15T10:30:00Z'],
    ['Schedule', '0 20 * * 1-5'],
    ['CostCenter', '5045'],
    ['S3Path', 's3://ml-artifacts-123456789012/models/churn/v3/model.tar.gz'],
    ['Hostname', 'jupyter.ml.anycompany.internal'],
    ['Team', 'SecOps'],
    ['Config', '{"retention":30,"tier":"gold","replicas":2}'],
    ['TrainingJob', 'pytorch-training-2024-01-15-10-30-45-123'],
    ['ssn', '***-**-6789'],
    ['card', '**** **** **** 1111'],
    ['email', 'j***@e*****e.com'],
  ])('%s = %s', (key, value) => expect(detectPii(key, value)).toEqual([]));
});
