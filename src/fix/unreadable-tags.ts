/**
 * Services whose resources' tags this product cannot read before writing: IAM users and roles, which GetResources
 * never returns (and tagaudit has no IAM client). For these "not returned" does not mean "no tags", so the applier
 * cannot check a resource's current tags, and the planner plans nothing for them. (Auto Scaling groups, also
 * returned without tags by GetResources, are read through DescribeAutoScalingGroups instead.)
 */
const TAGS_NOT_READABLE = new Set(['iam']);

export function serviceOf(resourceType: string): string {
  return resourceType.split(':')[0] ?? '';
}

/** Whether the applier cannot tell this type's current tags. */
export function tagsNotReadable(resourceType: string): boolean {
  return TAGS_NOT_READABLE.has(serviceOf(resourceType));
}
