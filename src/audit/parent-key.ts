/**
 * The canonical form of an ARN, what tells resources apart: a SageMaker ARN lower-cased, any other ARN exactly as it
 * is.
 *
 * SageMaker resource names are case-insensitive: the API reference says of a tuning job's name "The name is not case
 * sensitive" (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateHyperParameterTuningJob.html) and
 * of an endpoint's "The name is case-insensitive in CreateEndpoint"
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html), so two resources never differ
 * only in case. SageMaker itself returns some ARNs lower-cased (ListHyperParameterTuningJobs,
 * ListTrainingJobsForHyperParameterTuningJob's TrainingJobArn, the `sagemaker:pipeline-execution-arn` tag, and
 * GetResources for some resources: see https://github.com/boto/boto3/issues/4606) while the resource's own list call
 * returns its mixed-case ARN: one resource may come under either spelling. Other services' names can differ only in
 * case (IAM roles, S3 keys, Lambda functions…), so their ARNs are compared exactly.
 *
 * Used wherever a resource's identity matters: matching a child with its parent, auditing each resource once
 * (SeenArns), finding fingerprints and SARIF artifact paths (so an alert keeps its identity whichever spelling a scan
 * met). A resource's own ARN, and any ARN shown in a report, stay as read.
 */
export function canonicalArn(arn: string): string {
  return isSageMakerArn(arn) ? arn.toLowerCase() : arn;
}

/** The key a parent link is matched by: the parent's canonicalArn, whichever spelling the child names it by. */
export const parentKey: (arn: string) => string = canonicalArn;

/** `arn:<partition>:sagemaker:…` (aws, aws-cn, aws-us-gov…): a test that costs next to nothing for other ARNs. */
function isSageMakerArn(arn: string): boolean {
  const partitionEnd = arn.indexOf(':', 4);
  return partitionEnd > 0 && arn.startsWith('sagemaker:', partitionEnd + 1);
}
