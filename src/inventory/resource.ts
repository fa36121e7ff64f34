/** The one currency of tagaudit: scanners produce it, inventory files deserialize into it, rules read it. */
export interface Resource {
  readonly arn: string;
  /** 12-digit account id; '' when the ARN carries none (S3 buckets) and no scanner context supplied it. */
  readonly accountId: string;
  /** AWS region; 'global' for global services (IAM, S3 bucket ARNs without a scanner-supplied region, CloudFront). */
  readonly region: string;
  /** ARN service segment, e.g. 'sagemaker'. */
  readonly service: string;
  /** `service:type`, e.g. 'sagemaker:training-job', 's3:bucket', 'lambda:function'. */
  readonly resourceType: string;
  /** User and aws: tags, key → value. Keys are case-sensitive. */
  readonly tags: Readonly<Record<string, string>>;
  /** Where it came from: 'tagging-api', 'autoscaling', 'sagemaker', 'config', 'inventory'. */
  readonly source: string;
  /** Lifecycle state where the service has one (e.g. a training job's 'Completed'). */
  readonly state?: string;
  /** ISO-8601 creation time where known. */
  readonly createdAt?: string;
  /**
   * ARNs of resources this one was created from (training job → tuning job, endpoint → endpoint config …), with those
   * SageMaker records in its tags, each once (see resourceParents).
   */
  readonly parentArns?: readonly string[];
}

export type ResourceRef = Pick<Resource, 'arn' | 'accountId' | 'region' | 'service' | 'resourceType'>;

export function resourceRef(r: Resource): ResourceRef {
  return { arn: r.arn, accountId: r.accountId, region: r.region, service: r.service, resourceType: r.resourceType };
}

/** `aws:` tags are reserved by AWS in any casing: never written, changed or counted toward the 50-tag limit. */
export function isAwsReservedKey(key: string): boolean {
  return key.length >= 4 && key.slice(0, 4).toLowerCase() === 'aws:';
}

/**
 * Sets one tag on a tag record. `__proto__` is a valid AWS tag key, but assigning it would set the record's prototype
 * and the tag would vanish; it becomes an own property like any other key.
 */
export function setTag(tags: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(tags, key, { value, enumerable: true, writable: true, configurable: true });
  else tags[key] = value;
}

export const MAX_USER_TAGS = 50;
export const MAX_KEY_LENGTH = 128;
export const MAX_VALUE_LENGTH = 256;
