import { describe, expect, it } from 'vitest';
import { tryParseArn } from '../../../src/inventory/arn.js';
import { arnProblem } from '../../../src/inventory/arn-check.js';
import { partitionOfRegion, regionProblem } from '../../../src/inventory/aws-regions.js';

const problem = (arn: string): string | undefined => arnProblem(tryParseArn(arn)!);

// Acceptance s13 D6: ARNs of the right shape that cannot exist were accepted and planned.
describe('arnProblem: ARNs of the right shape that cannot exist', () => {
  it.each([
    ['arn:awss:lambda:us-east-1:111122223333:function:p3', 'unknown partition "awss" (AWS has aws, aws-cn, aws-eusc, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-us-gov)'],
    ['arn:aws:lambda::111122223333:function:noregion', 'no region, which every lambda ARN has (arn:aws:lambda:REGION:ACCOUNT:…)'],
    ['arn:aws:lambda:us-eest-1:111122223333:function:badregion', 'region "us-eest-1" is not an AWS region'],
    ['arn:aws:lambda:cn-north-1:111122223333:function:wrongpartition', 'region "cn-north-1" is a region of partition aws-cn, not of aws'],
    ['arn:aws:lambda:us-east-1::function:noacct', 'no account, which every lambda ARN has (arn:aws:lambda:us-east-1:ACCOUNT:…)'],
    ['arn:aws-cn:sagemaker:us-east-1:111122223333:training-job/j', 'region "us-east-1" is a region of partition aws, not of aws-cn'],
    ['arn:aws:sagemaker::111122223333:training-job/j', 'no region, which every sagemaker ARN has (arn:aws:sagemaker:REGION:ACCOUNT:…)'],
    ['arn:aws:ec2::111122223333:instance/i-1', 'no region, which every ec2 ARN has (arn:aws:ec2:REGION:ACCOUNT:…)'],
    ['arn:aws:iam:::role/r', 'no account, which every iam ARN has (arn:aws:iam::ACCOUNT:…)'],
    ['arn:aws:s3:mars-1::bucket', 'region "mars-1" is not an AWS region'],
    ['arn:aws:ec2:us-east-a:111122223333:instance/i-1', 'region "us-east-a" is not an AWS region'],
  ])('%s: %s', (arn, why) => {
    expect(problem(arn)).toBe(why);
  });

  it.each([
    // Global services: no region, and S3 buckets no account either.
    'arn:aws:s3:::my-bucket',
    'arn:aws:s3:::my-bucket/key',
    'arn:aws:iam::111122223333:role/SageMakerExec',
    'arn:aws:iam::aws:policy/AdministratorAccess',
    'arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL',
    'arn:aws:route53:::hostedzone/Z1D633PJN98FT9',
    'arn:aws:organizations::111122223333:account/o-a1b2c3/111122223333',
    'arn:aws:waf::111122223333:webacl/3a1b',
    'arn:aws:globalaccelerator::111122223333:accelerator/1234abcd',
    'arn:aws:budgets::111122223333:budget/monthly',
    'arn:aws:ce::111122223333:anomalymonitor/abc',
    'arn:aws:health:::event/EC2/AWS_EC2_MAINTENANCE/x',
    'arn:aws:shield::111122223333:protection/abc',
    'arn:aws:cloudwatch::111122223333:dashboard/main',
    'arn:aws:networkmanager::111122223333:global-network/global-network-01',
    // The global types of regional services.
    'arn:aws:ec2::111122223333:ipam/ipam-0123',
    'arn:aws:ec2::111122223333:ipam-pool/ipam-pool-0123',
    'arn:aws:rds::111122223333:global-cluster:my-global',
    'arn:aws:dynamodb::111122223333:global-table/orders',
    // Regional ARNs without an account: public images and snapshots, API Gateway, partner event sources.
    'arn:aws:ec2:us-east-1::image/ami-0abcdef1234567890',
    'arn:aws:ec2:us-east-1::snapshot/snap-0abc',
    'arn:aws:apigateway:us-east-1::/restapis/a1b2c3',
    'arn:aws:events:us-east-1::event-source/aws.partner/example.com/1/src',
    'arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/x',
    // Other partitions, a region newer than the SDK's table, AWS-owned accounts.
    'arn:aws-cn:lambda:cn-north-1:111122223333:function:f',
    'arn:aws-us-gov:sagemaker:us-gov-west-1:111122223333:training-job/j',
    'arn:aws-iso-b:ec2:us-isob-east-1:111122223333:instance/i-1',
    'arn:aws-eusc:lambda:eusc-de-east-1:111122223333:function:f',
    'arn:aws:lambda:ap-southeast-9:111122223333:function:future',
    'arn:aws:sagemaker:us-west-2:aws:hub/SageMakerPublicHub',
    'arn:aws:sns:us-east-1:111122223333:topic-name',
  ])('accepts %s', (arn) => {
    expect(tryParseArn(arn)).toBeDefined();
    expect(problem(arn)).toBeUndefined();
  });

});

describe('partitionOfRegion / regionProblem', () => {
  it('knows the regions the SDK names, and regions shaped as a newer one would be', () => {
    expect(partitionOfRegion('us-east-1')).toBe('aws');
    expect(partitionOfRegion('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOfRegion('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOfRegion('eu-central-7')).toBe('aws');
    expect(partitionOfRegion('aws-global')).toBeUndefined();
    expect(partitionOfRegion('us-eest-1')).toBeUndefined();
    expect(partitionOfRegion('xx-east-1')).toBeUndefined();
    expect(partitionOfRegion('global')).toBeUndefined();
    expect(regionProblem('aws', 'eu-west-1')).toBeUndefined();
    expect(regionProblem('aws', 'us-gov-east-1')).toBe('a region of partition aws-us-gov, not of aws');
  });

  it('gives the same answer when asked again (answers are remembered)', () => {
    for (let i = 0; i < 3; i++) expect(partitionOfRegion('us-eest-1')).toBeUndefined();
    for (let i = 0; i < 3; i++) expect(partitionOfRegion('sa-east-3')).toBe('aws');
  });
});
