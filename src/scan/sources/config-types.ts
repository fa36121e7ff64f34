/**
 * AWS Config resource types whose ARN can be built from what ListDiscoveredResources returns (a resource id and,
 * for some types, a name). ListDiscoveredResources returns no ARN and no tags: tagaudit uses it only to find
 * resources GetResources did not return, which are then never-tagged.
 *
 * Left out on purpose: IAM (global, and a role's or policy's path is not in the answer, so its ARN cannot be
 * built), SageMaker (listed by the SageMaker source), KMS keys (Config lists AWS-managed keys too, which can never be
 * tagged, and ListDiscoveredResources does not say which are which), and types whose ids do not map to an ARN one
 * to one.
 */

export interface Identifier {
  readonly resourceId: string;
  readonly resourceName?: string;
}

export interface ArnParts {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

export interface ConfigType {
  readonly configType: string;
  /** `service:type` of the resulting ARN. */
  readonly resourceType: string;
  arn(id: Identifier, at: ArnParts): string | undefined;
}

const byId = (service: string, path: string) => (id: Identifier, at: ArnParts) =>
  id.resourceId.startsWith('arn:') ? id.resourceId : `arn:${at.partition}:${service}:${at.region}:${at.accountId}:${path}${id.resourceId}`;

const byName = (service: string, path: string) => (id: Identifier, at: ArnParts) =>
  id.resourceName ? `arn:${at.partition}:${service}:${at.region}:${at.accountId}:${path}${id.resourceName}` : undefined;

/** The resource id is already an ARN for these types. */
const idIsArn = (id: Identifier) => (id.resourceId.startsWith('arn:') ? id.resourceId : undefined);

export const CONFIG_TYPES: readonly ConfigType[] = [
  { configType: 'AWS::S3::Bucket', resourceType: 's3:bucket', arn: (id, at) => `arn:${at.partition}:s3:::${id.resourceName ?? id.resourceId}` },
  { configType: 'AWS::SNS::Topic', resourceType: 'sns:topic', arn: idIsArn },
  { configType: 'AWS::SQS::Queue', resourceType: 'sqs:queue', arn: byName('sqs', '') },
  { configType: 'AWS::Lambda::Function', resourceType: 'lambda:function', arn: byName('lambda', 'function:') },
  { configType: 'AWS::DynamoDB::Table', resourceType: 'dynamodb:table', arn: byName('dynamodb', 'table/') },
  { configType: 'AWS::RDS::DBInstance', resourceType: 'rds:db', arn: byName('rds', 'db:') },
  { configType: 'AWS::RDS::DBCluster', resourceType: 'rds:cluster', arn: byName('rds', 'cluster:') },
  { configType: 'AWS::EC2::Instance', resourceType: 'ec2:instance', arn: byId('ec2', 'instance/') },
  { configType: 'AWS::EC2::Volume', resourceType: 'ec2:volume', arn: byId('ec2', 'volume/') },
  { configType: 'AWS::EC2::SecurityGroup', resourceType: 'ec2:security-group', arn: byId('ec2', 'security-group/') },
  { configType: 'AWS::EC2::VPC', resourceType: 'ec2:vpc', arn: byId('ec2', 'vpc/') },
  { configType: 'AWS::EC2::Subnet', resourceType: 'ec2:subnet', arn: byId('ec2', 'subnet/') },
  { configType: 'AWS::EC2::NatGateway', resourceType: 'ec2:natgateway', arn: byId('ec2', 'natgateway/') },
  { configType: 'AWS::EFS::FileSystem', resourceType: 'elasticfilesystem:file-system', arn: byId('elasticfilesystem', 'file-system/') },
  { configType: 'AWS::ECR::Repository', resourceType: 'ecr:repository', arn: byName('ecr', 'repository/') },
  { configType: 'AWS::ElasticLoadBalancingV2::LoadBalancer', resourceType: 'elasticloadbalancing:loadbalancer', arn: idIsArn },
  { configType: 'AWS::StepFunctions::StateMachine', resourceType: 'states:stateMachine', arn: idIsArn },
  { configType: 'AWS::SecretsManager::Secret', resourceType: 'secretsmanager:secret', arn: idIsArn },
];
