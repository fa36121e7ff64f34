import { isIamPrincipalType } from '../scan/iam-arn.js';

/**
 * Resources whose tags this product cannot read before writing: IAM types other than users and roles (policies,
 * instance profiles, OIDC / SAML providers, server certificates …), which GetResources never returns and tagaudit
 * reads through no IAM call. For these "not returned" does not mean "no tags", so the applier cannot check a
 * resource's current tags, and the planner plans nothing for them. (IAM users and roles are read through
 * ListUserTags / ListRoleTags, Auto Scaling groups — returned without tags by GetResources — through
 * DescribeAutoScalingGroups.)
 */
const TAGS_NOT_READABLE = new Set(['iam']);

export function serviceOf(resourceType: string): string {
  return resourceType.split(':')[0] ?? '';
}

/** Whether the applier cannot tell this type's current tags. */
export function tagsNotReadable(resourceType: string): boolean {
  return TAGS_NOT_READABLE.has(serviceOf(resourceType)) && !isIamPrincipalType(resourceType);
}
