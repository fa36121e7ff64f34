import { describe, expect, it } from 'vitest';
import { arnMasker, isIdentityMask } from '../../../src/pii/arn-mask.js';
import { PII_KINDS } from '../../../src/pii/kinds.js';
import { maskPii } from '../../../src/pii/mask.js';
import { DEFAULT_PII_POLICY, makePiiPolicy } from '../../../src/pii/policy.js';

// Acceptance s13 defect 2: a phone number written with its '+' inside an ARN is masked as the same number in a tag
// value is; the digit runs ARNs name things with (account ids, instance ids, timestamps) are not.
const mask = arnMasker(DEFAULT_PII_POLICY);
const US = '+14155552671';
const US_MASKED = maskPii('phone', US); // +********671
const UK = '+44-20-7946-0958';
const UK_MASKED = maskPii('phone', UK); // +44-**-****-*958

describe('arnMasker: phone numbers written with a +', () => {
  it.each([
    [`arn:aws:lambda:us-east-1:111122223333:function:call-${US}`, `arn:aws:lambda:us-east-1:111122223333:function:call-${US_MASKED}`],
    [`arn:aws:iam::111122223333:user/${US}`, `arn:aws:iam::111122223333:user/${US_MASKED}`],
    [`arn:aws:iam::111122223333:user/ops/${UK}`, `arn:aws:iam::111122223333:user/ops/${UK_MASKED}`],
    [`arn:aws:sts::111122223333:assumed-role/Oncall/${US}`, `arn:aws:sts::111122223333:assumed-role/Oncall/${US_MASKED}`],
    [`arn:aws:iam::111122223333:role/pager_${US}_primary`, `arn:aws:iam::111122223333:role/pager_${US_MASKED}_primary`],
    // a '/' or ':' after the number ends it: the timestamp after it is not read into it
    [`arn:aws:iam::111122223333:user/${US}/20240115103000`, `arn:aws:iam::111122223333:user/${US_MASKED}/20240115103000`],
    [`arn:aws:lambda:us-east-1:111122223333:function:${US}:prod`, `arn:aws:lambda:us-east-1:111122223333:function:${US_MASKED}:prod`],
    // two numbers in one name
    [`arn:aws:iam::111122223333:user/${US},+33612345678`, `arn:aws:iam::111122223333:user/${US_MASKED},${maskPii('phone', '+33612345678')}`],
  ])('%s', (arn, shown) => {
    expect(US_MASKED).toBe('+********671');
    expect(UK_MASKED).toBe('+44-**-****-*958');
    expect(mask(arn)).toBe(shown);
    expect(mask(mask(arn))).toBe(shown);
  });

  it('masks the number in an ARN quoted in a message and in JSON text, and both kinds in one ARN', () => {
    const arn = `arn:aws:iam::111122223333:user/${US}`;
    expect(mask(`its parent ${arn} carries "1234"`)).toBe(`its parent arn:aws:iam::111122223333:user/${US_MASKED} carries "1234"`);
    expect(JSON.parse(mask(JSON.stringify({ parentArn: arn })))).toEqual({ parentArn: `arn:aws:iam::111122223333:user/${US_MASKED}` });
    expect(mask(`arn:aws:iam::111122223333:user/${US}/jane.doe@example.com`)).toBe(
      `arn:aws:iam::111122223333:user/${US_MASKED}/${maskPii('email', 'jane.doe@example.com')}`,
    );
    // a '+' number outside an ARN is the tag masking's business
    expect(mask(`call ${US}`)).toBe(`call ${US}`);
  });

  it.each([
    // account ids, instance ids, timestamps in job names, bare phone-shaped runs: never read
    'arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0',
    'arn:aws:sagemaker:us-east-1:111122223333:training-job/train-20240101123456',
    'arn:aws:iam::111122223333:user/ops-4155552671',
    'arn:aws:iam::111122223333:user/call/4155552671',
    'arn:aws:iam::111122223333:user/0014155552671',
    'arn:aws:lambda:us-east-1:111122223333:function:x:14155552671',
    // '+' that is no E.164 number: build metadata, an invalid or too short number, a '+' glued to digits
    'arn:aws:iam::111122223333:user/build+20130313144700',
    'arn:aws:iam::111122223333:user/v1.0.0+14155552671',
    'arn:aws:iam::111122223333:user/a+b=c',
    'arn:aws:iam::111122223333:user/id_+11111111111',
    'arn:aws:iam::111122223333:user/+1234',
    'arn:aws:iam::111122223333:user/+111122223333',
    // possible but not valid (Ofcom's drama range), no phone word: as in a tag value
    'arn:aws:iam::111122223333:user/x/+447700900123',
  ])('leaves %s as it is', (arn) => {
    expect(mask(arn)).toBe(arn);
  });

  it('a number only possible in its plan needs a phone word, as in a tag value', () => {
    expect(mask('arn:aws:iam::111122223333:user/oncall/+447700900123')).toBe(
      `arn:aws:iam::111122223333:user/oncall/${maskPii('phone', '+447700900123')}`,
    );
  });

  it("follows the dictionary's PII settings: off, without the phone detector, allowed values and patterns", () => {
    const arn = `arn:aws:iam::111122223333:user/${US}`;
    const email = `arn:aws:iam::111122223333:user/jane.doe@example.com`;
    expect(arnMasker(makePiiPolicy({ enabled: false }))(arn)).toBe(arn);
    const noPhone = arnMasker(makePiiPolicy({ detectors: PII_KINDS.filter((k) => k !== 'phone') }));
    expect(noPhone(arn)).toBe(arn);
    expect(noPhone(email)).not.toContain('jane.doe@');
    const phoneOnly = arnMasker(makePiiPolicy({ detectors: ['phone'] }));
    expect(isIdentityMask(phoneOnly)).toBe(false);
    expect(phoneOnly(arn)).toBe(`arn:aws:iam::111122223333:user/${US_MASKED}`);
    expect(phoneOnly(email)).toBe(email);
    expect(isIdentityMask(arnMasker(makePiiPolicy({ detectors: PII_KINDS.filter((k) => k !== 'phone' && k !== 'email') })))).toBe(true);
    expect(arnMasker(makePiiPolicy({ allowValues: [US] }))(arn)).toBe(arn);
    expect(arnMasker(makePiiPolicy({ allowPatterns: [/^\+1415555/] }))(arn)).toBe(arn);
    expect(arnMasker(makePiiPolicy({ allowPatterns: [/^arn:aws:iam::111122223333:user\//] }))(arn)).toBe(arn);
    expect(arnMasker(makePiiPolicy({ allowValues: ['+442079460958'] }))(arn)).toBe(`arn:aws:iam::111122223333:user/${US_MASKED}`);
  });
});
