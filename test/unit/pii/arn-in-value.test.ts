import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';
import { makeRedactor } from '../../../src/pii/redact.js';

// Acceptance s14 D2: a '+' phone number or a hyphenated SSN in an ARN held in a tag value ("created-by" =
// "arn:aws:iam::…:user/+14155552671") was read as an ARN hard negative, even under a phone key, and shown raw.
const hits = (key: string, value: string): string[] => detectPii(key, value).map((h) => `${h.kind}:${h.match}`);
const redacted = (key: string, value: string): string => makeRedactor(detectPii(key, value))(value);

describe('an ARN held in a tag value', () => {
  it.each([
    ['created-by', 'arn:aws:iam::111122223333:user/+14155552671', 'arn:aws:iam::111122223333:user/+********671'],
    ['notes', 'arn:aws:iam::111122223333:user/+14155552671', 'arn:aws:iam::111122223333:user/+********671'],
    ['oncall', 'arn:aws:iam::111122223333:user/+447911123456', 'arn:aws:iam::111122223333:user/+*********456'],
    ['notes', 'arn:aws:iam::111122223333:user/+44-20-7946-0958', 'arn:aws:iam::111122223333:user/+44-**-****-*958'],
    ['notes', 'arn:aws:lambda:us-east-1:111122223333:function:call-+14155552671', 'arn:aws:lambda:us-east-1:111122223333:function:call-+********671'],
    ['aws:createdBy', 'arn:aws:sts::111122223333:assumed-role/oncall/+447700900123', 'arn:aws:sts::111122223333:assumed-role/oncall/+*********123'],
  ])('%s = %j: the + number is a phone number, masked', (key, value, masked) => {
    expect(detectPii(key, value).map((h) => h.kind)).toEqual(['phone']);
    expect(redacted(key, value)).toBe(masked);
  });

  it('finds an SSN written 123-45-6789 in an ARN under any key', () => {
    expect(hits('notes', 'arn:aws:iam::111122223333:user/078-05-1120')).toEqual(['ssn:078-05-1120']);
    expect(redacted('created-by', 'arn:aws:iam::111122223333:user/078-05-1120')).toBe('arn:aws:iam::111122223333:user/***-**-1120');
  });

  it('still finds an e-mail address there, beside a number', () => {
    expect(hits('created-by', 'arn:aws:sts::111122223333:assumed-role/+14155552671/jane.doe@example.com')).toEqual([
      'phone:+14155552671',
      'email:jane.doe@example.com',
    ]);
  });

  it.each([
    ['RoleArn', 'arn:aws:iam::123456789012:role/deploy+ci'],
    ['ImageArn', 'arn:aws:ecr:us-east-1:123456789012:repository/app:1.0.0+20130313144700'],
    ['created-by', 'arn:aws:iam::123456789012:user/ci+20240115103000'],
    ['RecoveryPointArn', 'arn:aws:backup:us-east-1:123456789012:recovery-point:2024-01-15T10-30-00'],
    ['JobArn', 'arn:aws:sagemaker:us-east-1:123456789012:processing-job/etl-20240115-103000-123'],
    ['LogGroupArn', 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn-4155552671:*'],
    ['oncall', 'arn:aws:sns:us-east-1:123456789012:oncall-4155552671'],
    ['KmsKeyArn', 'arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012'],
    ['SnapshotArn', 'arn:aws:rds:us-east-1:123456789012:snapshot:rds:db-2024-01-15-10-30'],
    ['ObjectArn', 'arn:aws:s3:::reports-bucket/2024/01/15/000123456.csv'],
    ['ObjectArn', 'arn:aws:s3:::exports/2024/123-456-7890.csv'],
    ['TargetGroupArn', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-web/73e2d6bc24d8a067'],
  ])('%s = %j stays quiet: bare digits, ids, dates and build metadata name things in an ARN', (key, value) => {
    expect(hits(key, value)).toEqual([]);
  });
});
