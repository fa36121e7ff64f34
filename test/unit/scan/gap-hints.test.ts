import { describe, expect, it } from 'vitest';
import { assumeRoleHint, iamAccessHint, orgListHint, regionDeniedHint, sourceGapHint, trustPrincipal } from '../../../src/scan/gap-hints.js';
import { sdkError } from './fake-client.js';

const denied = sdkError('AccessDeniedException', 400, 'User: x is not authorized to perform: tag:GetResources');
const scp = sdkError('AccessDeniedException', 400, 'User: x is not authorized to perform: tag:GetResources with an explicit deny in a service control policy');
const serverError = sdkError('InternalFailure', 500);
const expired = sdkError('ExpiredToken', 400, 'The security token included in the request is expired');

describe('sourceGapHint', () => {
  it('names the permission to grant and the --sources that leaves the source out, among the sources the run uses', () => {
    expect(sourceGapHint('tagging-api', denied)).toBe(' [grant the scan role tag:GetResources, or leave the Tagging API out with --sources sagemaker,iam]');
    expect(sourceGapHint('sagemaker', denied, { sources: ['tagging-api', 'sagemaker'] })).toBe(
      ' [grant the scan role sagemaker:List*, sagemaker:Search, sagemaker:DescribeEndpointConfig and sagemaker:ListTags, or leave SageMaker out with --sources tagging-api]',
    );
    expect(sourceGapHint('config', denied)).toBe(
      ' [grant the scan role config:Describe*, config:GetDiscoveredResourceCounts and config:ListDiscoveredResources, or leave AWS Config out with --sources tagging-api,sagemaker,iam]',
    );
  });

  it('offers no --sources that would leave nothing, and none for Auto Scaling (part of tagging-api)', () => {
    expect(sourceGapHint('tagging-api', denied, { sources: ['tagging-api', 'config'] })).toBe(' [grant the scan role tag:GetResources]');
    expect(sourceGapHint('autoscaling', denied)).toBe(' [grant the scan role autoscaling:DescribeAutoScalingGroups]');
  });

  it('says no grant helps against a service control policy', () => {
    expect(sourceGapHint('sagemaker', scp, { accountId: '111122223333', region: 'eu-west-1' })).toBe(
      ' [denied by a service control policy in account 111122223333, which no grant to the scan role overrides: leave SageMaker out with --sources tagging-api,config,iam, or region eu-west-1 out of --regions]',
    );
    expect(iamAccessHint(scp)).toBe(' [denied by a service control policy, which no grant to the scan role overrides: leave IAM out with --sources tagging-api,sagemaker,config]');
  });

  it('is empty for causes a grant cannot fix', () => {
    for (const err of [serverError, expired, sdkError('UnrecognizedClientException', 400), sdkError('OptInRequired', 403)]) {
      expect(sourceGapHint('tagging-api', err)).toBe('');
      expect(iamAccessHint(err)).toBe('');
    }
  });
});

describe('regionDeniedHint', () => {
  it('fits how --regions was given', () => {
    expect(regionDeniedHint('111122223333', 'eu-west-1', 'listed')).toBe(' [region eu-west-1 is denied by a service control policy in account 111122223333: remove it from --regions]');
    expect(regionDeniedHint('111122223333', 'eu-west-1', 'all')).toBe(
      ' [region eu-west-1 is denied by a service control policy in account 111122223333: with --regions all, name the allowed regions instead]',
    );
    expect(regionDeniedHint('111122223333', 'eu-west-1', 'configured')).toBe(
      ' [region eu-west-1 is denied by a service control policy in account 111122223333: name the allowed regions with --regions]',
    );
  });
});

describe('assumeRoleHint', () => {
  const target = { accountId: '382862653817', roleName: 'TagAuditReadOnly', callerArn: 'arn:aws:sts::123456789012:assumed-role/tagaudit-github-oidc/tagaudit-nightly-42' };

  it('says which role to deploy, whom to trust, and how to leave the account out', () => {
    const err = sdkError('AccessDenied', 403, 'User: x is not authorized to perform: sts:AssumeRole');
    expect(assumeRoleHint(err, target)).toBe(
      ' [deploy role TagAuditReadOnly in 382862653817 with a trust policy for role tagaudit-github-oidc of account 123456789012 (its full ARN, with its path) (and grant the caller sts:AssumeRole on it), or leave the account out with --exclude-accounts 382862653817]',
    );
    expect(assumeRoleHint(err, { accountId: '382862653817' })).toBe(
      ' [deploy the scan role (--role-name) in 382862653817 with a trust policy for the caller (and grant the caller sts:AssumeRole on it), or leave the account out with --exclude-accounts 382862653817]',
    );
  });

  it('only leaves the account out under an SCP, and says nothing for a 5xx', () => {
    expect(assumeRoleHint(scp, target)).toBe(' [denied by a service control policy, which no trust policy overrides: leave the account out with --exclude-accounts 382862653817]');
    expect(assumeRoleHint(serverError, target)).toBe('');
  });
});

describe('trustPrincipal', () => {
  it('is the role of an assumed-role session, and any other principal as it is', () => {
    expect(trustPrincipal('arn:aws-cn:sts::123456789012:assumed-role/Audit/session@x')).toBe('role Audit of account 123456789012 (its full ARN, with its path)');
    expect(trustPrincipal('arn:aws:iam::123456789012:user/ci-bot')).toBe('arn:aws:iam::123456789012:user/ci-bot');
  });
});

describe('orgListHint', () => {
  it('points at the management account or --accounts when ListAccounts is denied', () => {
    expect(orgListHint(sdkError('AccessDeniedException', 400))).toBe(' [run from the management account or a delegated administrator, or pass --accounts]');
    expect(orgListHint(sdkError('AWSOrganizationsNotInUseException', 400))).toBe(" [the caller's account is in no organisation: pass --accounts instead of --org]");
    expect(orgListHint(serverError)).toBe('');
  });
});

describe('sourceGapHint: an explicit deny outside an SCP', () => {
  it('says no grant overrides it instead of asking for a grant', () => {
    const err = Object.assign(
      new Error('User: arn:aws:sts::123456789012:assumed-role/Audit/x is not authorized to perform: tag:GetResources with an explicit deny in an identity-based policy'),
      { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } },
    );
    const hint = sourceGapHint('tagging-api', err, { sources: ['tagging-api', 'sagemaker'] });
    expect(hint).toBe(' [an explicit deny refuses tag:GetResources, which no grant overrides: remove the deny, or leave the Tagging API out with --sources sagemaker]');
    expect(hint).not.toContain('grant the scan role');
  });
});
