import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../src/report/json.js';
import { createAuditor } from '../../../src/rules/engine.js';
import { fingerprint } from '../../../src/rules/fingerprint.js';
import { makeReport } from '../report/fixtures.js';
import { anycompanyPolicy } from '../../support/policies.js';
import { makeResource } from '../../support/rule-tester.js';

// SageMaker names are case-insensitive and SageMaker gives one resource's ARN in either case depending on the API
// (boto/boto3#4606): an alert must keep its identity whichever spelling a scan met.
const model = (name: string, partition = 'aws', region = 'us-east-1'): string => `arn:${partition}:sagemaker:${region}:123456789012:model/${name}`;
const lambda = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
/** The recipe as it was before SageMaker ARNs were canonicalized: the raw ARN hashed. */
const rawRecipe = (ruleId: string, arn: string, key: string): string =>
  createHash('sha256').update(`${ruleId}\u0000${arn}\u0000${key}`, 'utf8').digest('hex').slice(0, 32);
const KEY = 'anycompany:finance:cost-center';

describe('fingerprints of SageMaker resources', () => {
  it('are the same whichever case the ARN comes in, in every partition', () => {
    expect(fingerprint('missing-tag', model('Fraud-Train-1'), KEY)).toBe(fingerprint('missing-tag', model('fraud-train-1'), KEY));
    expect(fingerprint('missing-tag', model('FRAUD-TRAIN-1'), KEY)).toBe(fingerprint('missing-tag', model('fraud-train-1'), KEY));
    expect(fingerprint('missing-tag', model('Churn', 'aws-cn', 'cn-north-1'), '')).toBe(fingerprint('missing-tag', model('churn', 'aws-cn', 'cn-north-1'), ''));
    expect(fingerprint('missing-tag', model('Churn', 'aws-us-gov', 'us-gov-west-1'), '')).toBe(fingerprint('missing-tag', model('churn', 'aws-us-gov', 'us-gov-west-1'), ''));
  });

  it('keep the value they had for a lower-case ARN (only ARNs with capitals changed, once)', () => {
    expect(fingerprint('missing-tag', model('fraud-train-1'), KEY)).toBe(rawRecipe('missing-tag', model('fraud-train-1'), KEY));
    // A mixed-case one now hashes its lower-cased ARN, no longer its own spelling.
    expect(fingerprint('missing-tag', model('Fraud-Train-1'), KEY)).toBe(rawRecipe('missing-tag', model('fraud-train-1'), KEY));
    expect(fingerprint('missing-tag', model('Fraud-Train-1'), KEY)).not.toBe(rawRecipe('missing-tag', model('Fraud-Train-1'), KEY));
  });

  it('still tell apart tag keys that differ only in case (tag keys are case-sensitive) and different resources', () => {
    const prints = [
      fingerprint('missing-tag', model('Fraud-Train-1'), 'CostCenter'),
      fingerprint('missing-tag', model('Fraud-Train-1'), 'costcenter'),
      fingerprint('missing-tag', model('Fraud-Train-2'), 'CostCenter'),
      fingerprint('empty-tag-value', model('Fraud-Train-1'), 'CostCenter'),
    ];
    expect(new Set(prints).size).toBe(prints.length);
  });
});

describe('fingerprints of other services', () => {
  it('hash the ARN exactly as it is: names differing only in case are different resources', () => {
    expect(fingerprint('missing-tag', lambda('Billing'), KEY)).not.toBe(fingerprint('missing-tag', lambda('billing'), KEY));
    expect(fingerprint('missing-tag', 'arn:aws:iam::123456789012:role/Admin', '')).not.toBe(fingerprint('missing-tag', 'arn:aws:iam::123456789012:role/admin', ''));
    // "sagemaker" elsewhere in the ARN (a bucket's name, an IAM role's) does not make it a SageMaker ARN.
    for (const arn of [lambda('Billing'), 'arn:aws:s3:::Bucket-SageMaker:x', 'arn:aws:iam::123456789012:role/sagemaker:Exec', 'not-an-arn']) {
      expect(fingerprint('missing-tag', arn, KEY)).toBe(rawRecipe('missing-tag', arn, KEY));
    }
  });
});

describe('a SageMaker resource audited under two spellings', () => {
  const auditor = createAuditor(anycompanyPolicy());
  const audit = (arn: string) => auditor.audit(makeResource({ arn, resourceType: 'sagemaker:model', tags: { CostCenter: '5045' } }), () => undefined);

  it('gives the same findings and fingerprints, each showing the ARN as it was listed (JSON resource.arn too)', () => {
    const mixed = audit(model('Never-Tagged'));
    const lower = audit(model('never-tagged'));
    expect(mixed.length).toBeGreaterThan(1);
    expect(mixed.map((f) => f.fingerprint)).toEqual(lower.map((f) => f.fingerprint));
    expect(new Set(mixed.map((f) => f.fingerprint)).size).toBe(mixed.length);
    expect(mixed.every((f) => f.resource.arn === model('Never-Tagged'))).toBe(true);
    expect(lower.every((f) => f.resource.arn === model('never-tagged'))).toBe(true);

    const json = JSON.parse(renderJson(makeReport([...mixed, ...lower]))) as { findings: { fingerprint: string; resource: { arn: string } }[] };
    expect(json.findings.map((f) => f.resource.arn)).toEqual([...mixed.map(() => model('Never-Tagged')), ...lower.map(() => model('never-tagged'))]);
    expect(json.findings.map((f) => f.fingerprint)).toEqual([...mixed, ...lower].map((f) => f.fingerprint));
  });
});
