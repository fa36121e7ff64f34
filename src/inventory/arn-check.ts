import { maskedExcerpt } from '../pii/excerpt.js';
import type { ParsedArn } from './arn.js';
import { PARTITION_IDS, isKnownPartition, regionProblem } from './aws-regions.js';

/**
 * Services every ARN of which names a region, with the resource types that are the exceptions (global ones). An ARN of
 * these without one would be filed under `global` and fixed in the partition's global region, where it is not.
 * Listed only where that is certain: global services (IAM, S3 buckets, CloudFront, Route 53, Organizations …) have
 * none, and so do some types of regional services (EC2 IPAM, RDS global clusters, DynamoDB global tables v1).
 */
const REGIONAL: ReadonlyMap<string, (type: string) => boolean> = new Map([
  ...services(
    'acm apigateway athena autoscaling codebuild ecr ecs eks elasticfilesystem elasticloadbalancing es firehose glue kinesis kms',
    'lambda logs sagemaker secretsmanager sns sqs states',
  ),
  ['ec2', (type: string) => !type.startsWith('ec2:ipam')],
  ['rds', (type: string) => type !== 'rds:global-cluster'],
  ['dynamodb', (type: string) => type !== 'dynamodb:global-table'],
]);

/**
 * Services every ARN of which names an account (or `aws` for AWS-owned ones). Not S3 (buckets have none), EC2 (public
 * images and snapshots), API Gateway, EventBridge (partner event sources) or SSM (public parameters).
 */
const WITH_ACCOUNT: ReadonlyMap<string, (type: string) => boolean> = new Map(
  services(
    'acm athena autoscaling codebuild dynamodb ecr ecs eks elasticfilesystem elasticloadbalancing es firehose glue iam kinesis kms',
    'lambda logs rds sagemaker secretsmanager sns sqs states',
  ),
);

function services(...lists: string[]): [string, () => boolean][] {
  return lists.flatMap((list) => list.split(' ')).map((s) => [s, () => true]);
}

// The partition and region of the last ARN found good: most lines of an inventory name the same ones as the line
// before, and the reader is on the million-resource path.
let last = { partition: '', region: '' };

/**
 * What makes an ARN of the right shape one that cannot exist: an unknown partition, a region that no partition has
 * or that belongs to another one, no region or no account where the service always has them. Undefined when none.
 * A value is quoted masked, as an invalid ARN is.
 */
export function arnProblem(parsed: ParsedArn): string | undefined {
  const { partition, service, region, accountId, resourceType } = parsed;
  if (region === '' || partition !== last.partition || region !== last.region) {
    const wrong = placeProblem(parsed);
    if (wrong) return wrong;
  }
  if (!accountId && WITH_ACCOUNT.get(service)?.(resourceType)) return `no account, which every ${service} ARN has (arn:${partition}:${service}:${region}:ACCOUNT:…)`;
  return undefined;
}

function placeProblem({ partition, service, region, resourceType }: ParsedArn): string | undefined {
  if (!isKnownPartition(partition)) return `unknown partition ${JSON.stringify(partition)} (AWS has ${PARTITION_IDS.join(', ')})`;
  if (region === '') return REGIONAL.get(service)?.(resourceType) ? `no region, which every ${service} ARN has (arn:${partition}:${service}:REGION:ACCOUNT:…)` : undefined;
  const wrong = regionProblem(partition, region);
  if (wrong) return `region ${JSON.stringify(maskedExcerpt(region, 40))} is ${wrong}`;
  last = { partition, region };
  return undefined;
}
