/**
 * How a failing GetResources query is cut into smaller ResourceTypeFilters queries, so that one resource type the
 * Tagging API cannot answer does not hide every other resource of the slice.
 *
 * The unfiltered query covers every service; once it has to be split, only services named here are queried, so
 * resources of any other service are reported as a possible gap.
 */

/**
 * ARN service prefixes that the Resource Groups Tagging API returns resources for. `autoscaling` is left out on
 * purpose: GetResources returns Auto Scaling groups without their tags, so they are read with
 * DescribeAutoScalingGroups instead (sources/autoscaling.ts), and a split query need not ask for them.
 */
export const TAGGING_SERVICES: readonly string[] = [
  'access-analyzer', 'acm', 'acm-pca', 'airflow', 'amplify', 'apigateway', 'app-integrations', 'appconfig', 'appflow',
  'appmesh', 'apprunner', 'appstream', 'appsync', 'aoss', 'athena', 'backup', 'batch', 'bedrock', 'cloud9',
  'cloudformation', 'cloudfront', 'cloudhsm', 'cloudtrail', 'cloudwatch', 'codeartifact', 'codebuild', 'codecommit',
  'codedeploy', 'codeguru-profiler', 'codeguru-reviewer', 'codepipeline', 'codestar-connections', 'cognito-identity',
  'cognito-idp', 'comprehend', 'config', 'connect', 'databrew', 'datapipeline', 'datasync', 'dax', 'detective',
  'devicefarm', 'directconnect', 'dms', 'docdb-elastic', 'ds', 'dynamodb', 'ec2', 'ecr', 'ecs', 'eks', 'elasticache',
  'elasticbeanstalk', 'elasticfilesystem', 'elasticloadbalancing', 'elasticmapreduce', 'emr-containers',
  'emr-serverless', 'es', 'events', 'firehose', 'fis', 'fsx', 'gamelift', 'glacier', 'globalaccelerator', 'glue',
  'grafana', 'greengrass', 'guardduty', 'healthlake', 'imagebuilder', 'inspector2', 'iot', 'iotanalytics',
  'iotevents', 'iotsitewise', 'ivs', 'kafka', 'kendra', 'kinesis', 'kinesisanalytics', 'kinesisvideo', 'kms', 'lambda',
  'lex', 'logs', 'm2', 'macie2', 'mediaconnect', 'mediaconvert', 'medialive', 'mediapackage', 'mediastore', 'memorydb',
  'mq', 'network-firewall', 'networkmanager', 'omics', 'organizations', 'outposts', 'personalize', 'pipes', 'qldb',
  'quicksight', 'ram', 'rds', 'redshift', 'redshift-serverless', 'rekognition', 'resource-groups', 'route53',
  'route53resolver', 's3', 'sagemaker', 'scheduler', 'schemas', 'secretsmanager', 'securityhub', 'servicecatalog',
  'servicediscovery', 'ses', 'signer', 'sns', 'sqs', 'ssm', 'ssm-contacts', 'ssm-incidents', 'states',
  'storagegateway', 'swf', 'synthetics', 'timestream', 'transfer', 'vpc-lattice', 'waf', 'waf-regional', 'wafv2',
  'workspaces', 'xray',
];

/** Resource types per service, for services whose types are queried one by one when the whole service fails. */
export const SERVICE_TYPES: Readonly<Record<string, readonly string[]>> = {
  sagemaker: [
    'action', 'algorithm', 'app', 'app-image-config', 'artifact', 'automl-job', 'cluster', 'code-repository',
    'compilation-job', 'context', 'data-quality-job-definition', 'device-fleet', 'domain', 'edge-packaging-job',
    'endpoint', 'endpoint-config', 'experiment', 'experiment-trial', 'experiment-trial-component', 'feature-group',
    'flow-definition', 'human-task-ui', 'hyper-parameter-tuning-job', 'image', 'image-version', 'inference-component',
    'inference-experiment', 'labeling-job', 'mlflow-tracking-server', 'model', 'model-bias-job-definition',
    'model-card', 'model-explainability-job-definition', 'model-package', 'model-package-group',
    'model-quality-job-definition', 'monitoring-schedule', 'notebook-instance', 'notebook-instance-lifecycle-config',
    'pipeline', 'processing-job', 'project', 'space', 'studio-lifecycle-config', 'training-job', 'transform-job',
    'user-profile', 'workteam',
  ].map((t) => `sagemaker:${t}`),
};

/** ResourceTypeFilters takes at most 100 entries. */
export const MAX_FILTERS = 100;

/**
 * Parts per split. A failing type is isolated in about log8(n) rounds of mostly-empty queries, instead of log2(n)
 * rounds of failing ones (each failing round waits out the SDK's retries).
 */
export const SPLIT_FANOUT = 8;

/**
 * The smaller queries that together cover `filters` (undefined = everything), or undefined when it cannot be cut
 * further (a single resource type, or a service whose types tagaudit does not list).
 */
export function splitFilters(filters: readonly string[] | undefined): string[][] | undefined {
  if (filters === undefined) return partsOf(TAGGING_SERVICES);
  if (filters.length > 1) return partsOf(filters);
  const only = filters[0];
  if (only === undefined || only.includes(':')) return undefined;
  const types = SERVICE_TYPES[only];
  return types ? partsOf(types) : undefined;
}

/** Whether a successful query with `filters` returned every resource of `resourceType` (`service:type`). */
export function filtersCover(filters: readonly string[] | undefined, resourceType: string): boolean {
  if (filters === undefined) return true;
  const service = resourceType.split(':')[0] ?? '';
  return filters.includes(service) || filters.includes(resourceType);
}

/** Up to SPLIT_FANOUT balanced parts of at most MAX_FILTERS items each. */
function partsOf(items: readonly string[]): string[][] {
  const count = Math.max(Math.min(SPLIT_FANOUT, items.length), Math.ceil(items.length / MAX_FILTERS));
  const size = Math.ceil(items.length / count);
  const out: string[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
