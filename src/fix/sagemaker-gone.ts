import type { CallFailure } from './journal.js';

/*
 * Whether SageMaker's answer about one resource, asked for by ARN (ListTags, AddTags, DeleteTags), proves the resource
 * no longer exists. The one place this is decided: the backend's reader files such a resource as `missing` (drift:
 * deleted since the plan), its tagger turns such a write failure into drift, and undo's gone check is the same test.
 *
 * What SageMaker answers:
 * - ListTags, AddTags and DeleteTags document no errors of their own, only the common ones, ValidationException
 *   (HTTP 400) among them: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListTags.html (and API_AddTags,
 *   API_DeleteTags). ListTags and AddTags on a deleted resource answer ValidationException (reported for a deleted
 *   Studio app: https://github.com/aws/amazon-sagemaker-feedback/issues/108).
 * - SageMaker's not-found wording names what it cannot find: `Could not find model "arn:aws:sagemaker:…:model/…".`
 *   (https://github.com/aws/sagemaker-python-sdk/issues/2112), `Could not find endpoint "arn:…".` (DeleteEndpoint);
 *   moto's ListTags / AddTags / DeleteTags mean to say `Could not find model with name …` (moto/sagemaker/models.py,
 *   _get_resource_from_arn; in practice moto answers HTTP 500, hence fakes in the tests). Operations that model it
 *   answer ResourceNotFound (SageMaker's code has no "Exception" suffix), "… does not exist.".
 * - ValidationException also carries refusals that say nothing of existence, which stay read/write failures: a
 *   malformed ARN (`1 validation error detected: Value '' at 'resourceArn' failed to satisfy constraint: …`,
 *   https://github.com/aws-samples/mlops-sagemaker-github-actions/issues/6), a reserved key (`System prefix 'aws:'
 *   reserved for AWS usage in tag key: …`, https://github.com/aws/sagemaker-python-sdk/issues/1301), and not-found
 *   wording about something else than the resource (`Could not find model data at s3://…`, CreateModel,
 *   https://github.com/aws/amazon-sagemaker-examples/issues/4479).
 *
 * So: ResourceNotFound, or a ValidationException in SageMaker's not-found wording that is neither a constraint
 * failure nor about an S3 location. Anything else is no proof, and a resource is never skipped as gone without proof.
 */

const NOT_FOUND_CODES = new Set(['ResourceNotFound', 'ResourceNotFoundException']);
const NOT_FOUND_WORDING = /\b(could not find|cannot be found|does not exist)\b/i;
/** A parameter-constraint refusal ("1 validation error detected: Value … failed to satisfy constraint"). */
const CONSTRAINT_FAILURE = /^\s*\d+ validation errors? detected\b/i;
/** What could not be found is an S3 object (model data, artifacts), not the resource. */
const ABOUT_S3 = /\bs3:\/\//i;

/** Whether SageMaker's failure answering for one resource, asked for by ARN, says that resource no longer exists. */
export function sageMakerSaysGone(failure: CallFailure): boolean {
  if (NOT_FOUND_CODES.has(failure.code)) return true;
  if (failure.code !== 'ValidationException') return false;
  return NOT_FOUND_WORDING.test(failure.message) && !CONSTRAINT_FAILURE.test(failure.message) && !ABOUT_S3.test(failure.message);
}

/**
 * A read failure of a resource of this type that is positive evidence it no longer exists. Only SageMaker reads one
 * resource by ARN and fails for a missing one (IAM and Auto Scaling report theirs as `missing`; GetResources just
 * leaves it out). Same signature as undo's `isGoneFailure`, which it replaces.
 */
export function isSageMakerGone(resourceType: string, failure: CallFailure): boolean {
  return resourceType.startsWith('sagemaker:') && sageMakerSaysGone(failure);
}
