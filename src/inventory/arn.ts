import { maskedExcerpt } from '../pii/excerpt.js';
import { UsageError } from '../errors.js';

export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  /** '' for global services (IAM, S3 buckets, CloudFront …). */
  readonly region: string;
  /** '' where the ARN has none (S3 buckets). */
  readonly accountId: string;
  /** `service:type`, e.g. 'sagemaker:training-job', 's3:bucket', 'sns:topic'. */
  readonly resourceType: string;
  /** The resource id part after the type. */
  readonly resourceId: string;
}

// Services whose ARNs name the resource with no type segment: arn:aws:sns:us-east-1:123:my-topic.
const UNTYPED: Readonly<Record<string, string>> = { sns: 'topic', sqs: 'queue' };

const ARN_RE = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|)?:(.+)$/;

/** Parses an ARN; returns undefined when the string is not one. */
export function tryParseArn(arn: string): ParsedArn | undefined {
  const m = ARN_RE.exec(arn);
  if (!m) return undefined;
  const [, partition, service, region, accountId = '', resource] = m as unknown as [string, string, string, string, string | undefined, string];
  if (arn.length > 2048) return undefined;
  let type: string;
  let id: string;
  if (service === 'sns' && resource.includes(':')) {
    // arn:aws:sns:us-east-1:123456789012:topic-name:0f1e2d3c-…: a subscription to the topic.
    type = 'subscription';
    id = resource;
  } else if (UNTYPED[service]) {
    type = UNTYPED[service];
    id = resource;
  } else if (service === 's3' && !region && !accountId) {
    const slash = resource.indexOf('/');
    type = slash < 0 ? 'bucket' : 'object';
    id = resource;
  } else if (service === 'apigateway' && resource.startsWith('/')) {
    const parts = resource.split('/');
    type = parts[1] ?? 'resource';
    id = parts.slice(2).join('/');
  } else {
    const cut = resource.search(/[/:]/);
    type = cut < 0 ? resource : resource.slice(0, cut);
    id = cut < 0 ? '' : resource.slice(cut + 1);
    // arn:…:pipeline/NAME/execution/ID is one run of the pipeline (untaggable), not the pipeline.
    if (type === 'pipeline' && service === 'sagemaker' && id.includes('/execution/')) type = 'pipeline-execution';
  }
  return { partition, service, region, accountId, resourceType: `${service}:${type}`, resourceId: id };
}

/** Parses an ARN or throws a UsageError naming where it came from. */
export function parseArn(arn: string, location?: string): ParsedArn {
  const parsed = tryParseArn(arn);
  if (!parsed) throw new UsageError(`invalid ARN ${JSON.stringify(maskedExcerpt(arn, 200))}`, location);
  return parsed;
}

export const AUTO_SCALING_GROUP_TYPE = 'autoscaling:autoScalingGroup';

/**
 * Whether an ARN names an Auto Scaling group: GetResources returns these without their tags. Checked for every item
 * of a GetResources answer or export, so the ARN is parsed only when it is an Auto Scaling one.
 */
export function isAutoScalingGroupArn(arn: string): boolean {
  return arn.includes(':autoscaling:') && tryParseArn(arn)?.resourceType === AUTO_SCALING_GROUP_TYPE;
}

const GROUP_NAME_MARK = ':autoScalingGroupName/';

/** The group name in an Auto Scaling group ARN (what follows `autoScalingGroupName/`). */
export function groupNameOf(arn: string): string | undefined {
  const at = arn.indexOf(GROUP_NAME_MARK);
  if (at < 0 || !arn.startsWith('arn:') || arn.split(':')[2] !== 'autoscaling') return undefined;
  const name = arn.slice(at + GROUP_NAME_MARK.length);
  return name === '' ? undefined : name;
}
