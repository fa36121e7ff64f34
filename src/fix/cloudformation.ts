import { tryParseArn } from '../inventory/arn.js';

/**
 * What CloudFormation says about a resource it created: the `aws:cloudformation:*` tags it puts on the resources of a
 * stack (AWS documents that propagation varies by resource type, so a stack-managed resource may lack them).
 */
export interface CloudFormationStack {
  /** `aws:cloudformation:stack-name`. */
  readonly stackName: string;
  /** `aws:cloudformation:logical-id`: the resource's name in the stack's template. */
  readonly logicalId?: string;
}

const STACK_NAME = 'aws:cloudformation:stack-name';
const LOGICAL_ID = 'aws:cloudformation:logical-id';

/** The value of a reserved tag, matched in any casing (AWS treats `aws:` case-insensitively); '' counts as absent. */
function reservedTag(tags: Readonly<Record<string, string>>, wanted: string): string | undefined {
  for (const [key, value] of Object.entries(tags)) {
    if (value !== '' && key.length === wanted.length && key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The stack that manages a resource, from its tags; undefined when it carries no `aws:cloudformation:stack-name`. */
export function cloudFormationStackOf(tags: Readonly<Record<string, string>>): CloudFormationStack | undefined {
  const stackName = reservedTag(tags, STACK_NAME);
  if (stackName === undefined) return undefined;
  const logicalId = reservedTag(tags, LOGICAL_ID);
  return { stackName, ...(logicalId !== undefined ? { logicalId } : {}) };
}

const STACK_SET_INSTANCE = /^StackSet-(.+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The stack set a stack instance belongs to (its stack is named `StackSet-<set name>-<uuid>`), else undefined. */
export function stackSetNameOf(stackName: string): string | undefined {
  return STACK_SET_INSTANCE.exec(stackName)?.[1];
}

/**
 * Whether a resource is a CloudFormation stack or stack set itself. Their tags are stack properties: the Tagging API
 * changes them through a stack update (AWS: "calls the CloudFormation UpdateStack operation", which "may initiate
 * additional resource property updates"), and CloudFormation propagates a stack's tags to its resources. AWS
 * recommends changing them with CloudFormation only, so the fixer never writes them.
 */
export function isCloudFormationStack(resource: { readonly arn: string; readonly resourceType: string }): boolean {
  const types = new Set(['cloudformation:stack', 'cloudformation:stackset']);
  if (types.has(resource.resourceType.toLowerCase())) return true;
  const parsed = tryParseArn(resource.arn);
  return parsed !== undefined && types.has(parsed.resourceType.toLowerCase());
}
