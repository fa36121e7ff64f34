import { errorCode, isPermissionDenied, isScpDeny } from './retry.js';
import { ALL_SOURCES, type SourceName } from './types.js';

/*
 * What the reader of a scan gap can do about it, appended to the gap's message as ` [...]`: the permission to grant,
 * or the flag that leaves the account, region or source out. Without it, a gap in a nightly job only says the run is
 * incomplete, night after night. Permission names are the ones README "Live scanning" documents.
 */

/** A place a gap comes from: a source, or Auto Scaling (read as part of tagging-api). */
export type GapSource = SourceName | 'autoscaling';

/** What a scan role needs to read each source. */
export const READ_PERMISSIONS: Readonly<Record<GapSource, string>> = {
  'tagging-api': 'tag:GetResources',
  autoscaling: 'autoscaling:DescribeAutoScalingGroups',
  sagemaker: 'sagemaker:List*, sagemaker:Search, sagemaker:DescribeEndpointConfig and sagemaker:ListTags',
  config: 'config:Describe*, config:GetDiscoveredResourceCounts and config:ListDiscoveredResources',
  iam: 'iam:GetAccountAuthorizationDetails (or iam:ListUsers, iam:ListRoles, iam:ListUserTags, iam:ListRoleTags)',
};

const NAMES: Readonly<Record<GapSource, string>> = {
  'tagging-api': 'the Tagging API',
  autoscaling: 'Auto Scaling',
  sagemaker: 'SageMaker',
  config: 'AWS Config',
  iam: 'IAM',
};

/** Where a gap was met, and which sources the scan runs (so a hint never suggests adding one). */
export interface GapContext {
  readonly sources?: Iterable<SourceName>;
  readonly accountId?: string;
  /** A region the user listed in --regions (so leaving it out is a way out); `global` and undefined are not. */
  readonly region?: string;
}

/**
 * `--sources …` without `source`, or undefined when nothing would be left. Leaving tagging-api out leaves config out
 * too (Config lists resources without tags); Auto Scaling cannot be left out on its own.
 */
function sourcesWithout(source: GapSource, selected: Iterable<SourceName> = ALL_SOURCES): string | undefined {
  if (source === 'autoscaling') return undefined;
  const chosen = new Set(selected);
  const left = ALL_SOURCES.filter((s) => chosen.has(s) && s !== source && !(source === 'tagging-api' && s === 'config'));
  return left.length > 0 ? `--sources ${left.join(',')}` : undefined;
}

/** A source's gap caused by a missing permission or a service control policy; '' for any other cause. */
export function sourceGapHint(source: GapSource, err: unknown, ctx: GapContext = {}): string {
  const leaveOut = sourcesWithout(source, ctx.sources);
  if (isScpDeny(err)) {
    const where = ctx.accountId ? ` in account ${ctx.accountId}` : '';
    const region = ctx.region && ctx.region !== 'global' ? `region ${ctx.region} out of --regions` : undefined;
    const ways = [leaveOut && `${NAMES[source]} out with ${leaveOut}`, region].filter(Boolean).join(', or ');
    return ` [denied by a service control policy${where}, which no grant to the scan role overrides${ways ? `: leave ${ways}` : ''}]`;
  }
  if (!isPermissionDenied(err)) return '';
  const orLeave = leaveOut ? `, or leave ${NAMES[source]} out with ${leaveOut}` : '';
  // An explicit deny (identity policy, permissions boundary, resource control policy) wins over any grant.
  if (isExplicitDeny(err)) return ` [an explicit deny refuses ${READ_PERMISSIONS[source]}, which no grant overrides: remove the deny${orLeave}]`;
  return ` [grant the scan role ${READ_PERMISSIONS[source]}${orLeave}]`;
}

function isExplicitDeny(err: unknown): boolean {
  const message = err instanceof Error ? err.message : typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : '';
  return /\bexplicit deny\b/i.test(message);
}

/** The way out of an IAM gap: `iam` is a default source, so a role without IAM reads would make every run partial. */
export function iamAccessHint(err: unknown, sources?: Iterable<SourceName>): string {
  return sourceGapHint('iam', err, sources ? { sources } : {});
}

/** How `--regions` was given: a list, `all` (each account's enabled regions), or not at all (the configured region). */
export type RegionChoice = 'listed' | 'all' | 'configured';

/** For an account-region where a service control policy denied every source. */
export function regionDeniedHint(accountId: string, region: string, choice: RegionChoice): string {
  const fix =
    choice === 'listed'
      ? 'remove it from --regions'
      : choice === 'all'
        ? 'with --regions all, name the allowed regions instead'
        : 'name the allowed regions with --regions';
  return ` [region ${region} is denied by a service control policy in account ${accountId}: ${fix}]`;
}

export interface AssumeRoleTarget {
  readonly accountId: string;
  /** `--role-name`; undefined when not known. */
  readonly roleName?: string;
  /** The caller's ARN (GetCallerIdentity). */
  readonly callerArn?: string;
}

/** For a member account whose role could not be assumed. */
export function assumeRoleHint(err: unknown, target: AssumeRoleTarget): string {
  const leaveOut = `leave the account out with --exclude-accounts ${target.accountId}`;
  if (isScpDeny(err)) return ` [denied by a service control policy, which no trust policy overrides: ${leaveOut}]`;
  if (!isPermissionDenied(err)) return '';
  const role = target.roleName ? `role ${target.roleName}` : 'the scan role (--role-name)';
  const principal = target.callerArn ? trustPrincipal(target.callerArn) : 'the caller';
  return ` [deploy ${role} in ${target.accountId} with a trust policy for ${principal} (and grant the caller sts:AssumeRole on it), or ${leaveOut}]`;
}

/**
 * What a trust policy names for the caller. An assumed-role session (`arn:aws:sts::A:assumed-role/R/session`) is
 * trusted as its role, but the session ARN drops the role's path (`/aws-reserved/sso.amazonaws.com/` for IAM Identity
 * Center) and a trust policy needs the full role ARN: so the role is named, not spelt as an ARN that may be invalid.
 * Any other principal is named by its ARN.
 */
export function trustPrincipal(callerArn: string): string {
  const m = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(callerArn);
  return m ? `role ${m[2]} of account ${m[1]} (its full ARN, with its path)` : callerArn;
}

/** For an organisation whose accounts could not be listed (`--org`). */
export function orgListHint(err: unknown): string {
  if (errorCode(err) === 'AWSOrganizationsNotInUseException') return " [the caller's account is in no organisation: pass --accounts instead of --org]";
  if (!isPermissionDenied(err)) return '';
  return ' [run from the management account or a delegated administrator, or pass --accounts]';
}
