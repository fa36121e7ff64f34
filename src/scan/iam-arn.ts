import { tryParseArn } from '../inventory/arn.js';
import { errorCode } from './retry.js';

/*
 * What scan and fix code needs to know about IAM users and roles without loading @aws-sdk/client-iam (a few hundred
 * milliseconds cold): every live scan classifies ARNs, and only the IAM pass itself talks to IAM.
 */

export const IAM_USER_TYPE = 'iam:user';
export const IAM_ROLE_TYPE = 'iam:role';
export type IamPrincipalType = typeof IAM_USER_TYPE | typeof IAM_ROLE_TYPE;

/**
 * Paths of roles AWS creates and manages: service-linked roles (`/aws-service-role/`) and IAM Identity Center's
 * (`/aws-reserved/`). They are created without tags (CreateServiceLinkedRole takes none), so they are audited only
 * once someone has tagged them: a never-tagged one would only add missing-tag findings nobody can prevent.
 */
const AWS_MANAGED_ROLE_PATHS = ['/aws-service-role/', '/aws-reserved/'];

export function isIamPrincipalType(resourceType: string): boolean {
  return resourceType === IAM_USER_TYPE || resourceType === IAM_ROLE_TYPE;
}

export type IamKind = 'user' | 'role';

/**
 * The user or role an ARN names: `arn:aws:iam::123456789012:user/division/alice` → user `alice` (IAM names are
 * unique per account whatever the path, and the calls take the name without it).
 */
export function iamPrincipalOf(arn: string): { kind: IamKind; name: string } | undefined {
  const parsed = tryParseArn(arn);
  if (!parsed || parsed.service !== 'iam' || !isIamPrincipalType(parsed.resourceType)) return undefined;
  const name = parsed.resourceId.slice(parsed.resourceId.lastIndexOf('/') + 1);
  return name ? { kind: parsed.resourceType === IAM_USER_TYPE ? 'user' : 'role', name } : undefined;
}

/** Whether an ARN names an IAM user or role (parsed only when it is an IAM one). */
export function isIamPrincipalArn(arn: string): boolean {
  return arn.includes(':iam::') && iamPrincipalOf(arn) !== undefined;
}

export function isAwsManagedRolePath(path: string | undefined): boolean {
  return path !== undefined && AWS_MANAGED_ROLE_PATHS.some((p) => path.startsWith(p));
}

/** Whether IAM says the user or role does not exist (the SDK names it NoSuchEntityException, the wire NoSuchEntity). */
export function isNoSuchEntity(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'NoSuchEntity' || code === 'NoSuchEntityException';
}
