import { describe, it, expect } from 'vitest';
import { parseArn, tryParseArn } from '../../src/inventory/arn.js';
import { UsageError } from '../../src/errors.js';

describe('parseArn', () => {
  it.each([
    ['arn:aws:sagemaker:us-east-1:123456789012:training-job/fraud-xgb-2024', 'sagemaker:training-job', 'us-east-1', '123456789012', 'fraud-xgb-2024'],
    ['arn:aws:sagemaker:eu-west-1:123456789012:endpoint-config/churn-ec', 'sagemaker:endpoint-config', 'eu-west-1', '123456789012', 'churn-ec'],
    ['arn:aws:sagemaker:us-east-1:123456789012:pipeline/churn-train', 'sagemaker:pipeline', 'us-east-1', '123456789012', 'churn-train'],
    ['arn:aws:sagemaker:us-east-1:123456789012:pipeline/churn-train/execution/0a1b2c3d4e5f', 'sagemaker:pipeline-execution', 'us-east-1', '123456789012', 'churn-train/execution/0a1b2c3d4e5f'],
    ['arn:aws:sagemaker:us-east-1:123456789012:model-package/churn-models/3', 'sagemaker:model-package', 'us-east-1', '123456789012', 'churn-models/3'],
    ['arn:aws:s3:::ml-datasets-prod', 's3:bucket', '', '', 'ml-datasets-prod'],
    ['arn:aws:s3:::ml-datasets-prod/train/part-0.csv', 's3:object', '', '', 'ml-datasets-prod/train/part-0.csv'],
    ['arn:aws:lambda:us-west-2:210987654321:function:score-batch', 'lambda:function', 'us-west-2', '210987654321', 'score-batch'],
    ['arn:aws:ec2:us-east-1:123456789012:instance/i-0abc1234def567890', 'ec2:instance', 'us-east-1', '123456789012', 'i-0abc1234def567890'],
    ['arn:aws:iam::123456789012:role/SageMakerExecution', 'iam:role', '', '123456789012', 'SageMakerExecution'],
    ['arn:aws:sns:us-east-1:123456789012:alerts', 'sns:topic', 'us-east-1', '123456789012', 'alerts'],
    ['arn:aws:sns:us-east-1:123456789012:alerts:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b', 'sns:subscription', 'us-east-1', '123456789012', 'alerts:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'],
    ['arn:aws:rds:eu-central-1:123456789012:db:features', 'rds:db', 'eu-central-1', '123456789012', 'features'],
    ['arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/TrainingJobs', 'logs:log-group', 'us-east-1', '123456789012', '/aws/sagemaker/TrainingJobs'],
    ['arn:aws:apigateway:us-east-1::/restapis/a1b2c3', 'apigateway:restapis', 'us-east-1', '', 'a1b2c3'],
    ['arn:aws-us-gov:s3:::gov-bucket', 's3:bucket', '', '', 'gov-bucket'],
  ])('%s', (arn, type, region, account, id) => {
    const p = parseArn(arn);
    expect(p.resourceType).toBe(type);
    expect(p.region).toBe(region);
    expect(p.accountId).toBe(account);
    expect(p.resourceId).toBe(id);
  });

  it.each(['', 'not-an-arn', 'arn:aws:sagemaker', 'arn:aws:sagemaker:us-east-1:12345:model/x', 'arn:aws::us-east-1:123456789012:x'])(
    'rejects %j',
    (bad) => {
      expect(tryParseArn(bad)).toBeUndefined();
      expect(() => parseArn(bad, 'inv.jsonl:3')).toThrow(UsageError);
    },
  );

  it('names the location in the error', () => {
    try {
      parseArn('nope', 'inv.jsonl:3');
      expect.unreachable();
    } catch (e) {
      expect((e as UsageError).toLine()).toBe('inv.jsonl:3: invalid ARN "nope"');
    }
  });
});
