/**
 * Services whose resources GetResources never returns with their tags (IAM users and roles, Auto Scaling groups),
 * although the Tagging API can write some of them: for these "not returned" does not mean "no tags", so the applier
 * cannot check a resource's current tags before writing, and the planner plans nothing for them.
 */
const TAGS_NOT_READABLE = new Set(['iam', 'autoscaling']);

export function serviceOf(resourceType: string): string {
  return resourceType.split(':')[0] ?? '';
}

/** Whether the applier's GetResources read cannot tell this type's current tags. */
export function tagsNotReadable(resourceType: string): boolean {
  return TAGS_NOT_READABLE.has(serviceOf(resourceType));
}
