import { AUTO_SCALING_GROUP_TYPE } from '../inventory/arn.js';
import { CONFIG_TYPES } from './sources/config-types.js';
import { SERVICE_TYPES, TAGGING_SERVICES } from './sources/tagging-filters.js';

/*
 * The resource types (`service:type`, as tryParseArn derives them from ARNs) and ARN service prefixes tagaudit itself
 * knows: what its sources list, what ARN parsing special-cases, and what the rules and fixer name. A dictionary may
 * name any other type (AWS adds them all the time); this list only lets `validate` tell a likely misspelling
 * (`s3:buckets`, `sagmaker:*`) from a type it has simply never heard of. Pure data: the dictionary loader imports it.
 */

/** Types named outside the sources' lists: ARN parsing (inventory/arn.ts), IAM, CloudFormation, EventBridge rules. */
const OTHER_TYPES: readonly string[] = [
  's3:bucket',
  's3:object',
  'sns:topic',
  'sns:subscription',
  'sqs:queue',
  'sagemaker:pipeline-execution',
  'iam:user',
  'iam:role',
  'cloudformation:stack',
  'cloudformation:stackset',
  'events:rule',
  AUTO_SCALING_GROUP_TYPE,
];

export const KNOWN_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  ...CONFIG_TYPES.map((t) => t.resourceType),
  ...Object.values(SERVICE_TYPES).flat(),
  ...OTHER_TYPES,
]);

const serviceOf = (type: string): string => type.slice(0, type.indexOf(':'));

/** ARN service prefixes: every service the Tagging API answers for, and those of the known types (iam, autoscaling). */
export const KNOWN_SERVICES: ReadonlySet<string> = new Set([...TAGGING_SERVICES, ...[...KNOWN_RESOURCE_TYPES].map(serviceOf)]);

/**
 * Names people write for a service that are not its ARN prefix (the console's or the CLI's name): `emr:cluster` matches
 * nothing, since EMR ARNs read `arn:aws:elasticmapreduce:…`.
 */
export const SERVICE_NAME_MISTAKES: Readonly<Record<string, string>> = {
  emr: 'elasticmapreduce',
  elb: 'elasticloadbalancing',
  alb: 'elasticloadbalancing',
  nlb: 'elasticloadbalancing',
  elbv2: 'elasticloadbalancing',
  efs: 'elasticfilesystem',
  sfn: 'states',
  stepfunctions: 'states',
  eventbridge: 'events',
  msk: 'kafka',
  dynamo: 'dynamodb',
  apigw: 'apigateway',
  'kinesis-firehose': 'firehose',
  'cloudwatch-logs': 'logs',
  cloudwatchlogs: 'logs',
};

/** The known types of a service (`sagemaker` → sagemaker:training-job, …); empty when tagaudit lists none. */
export function knownTypesOf(service: string): readonly string[] {
  return byService.get(service) ?? [];
}

const byService = new Map<string, string[]>();
for (const type of KNOWN_RESOURCE_TYPES) {
  const service = serviceOf(type);
  const list = byService.get(service);
  if (list) list.push(type);
  else byService.set(service, [type]);
}
