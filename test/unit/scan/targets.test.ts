import { describe, expect, it } from 'vitest';
import type { ScanError } from '../../../src/report/types.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { resolveAccounts, resolveRegions } from '../../../src/scan/targets.js';
import { UsageError } from '../../../src/errors.js';
import { fakeClient, sdkError, type Handler } from './fake-client.js';

const ME = '111111111111';

function factory(org: Handler, regions: Handler = () => ({ Regions: [] }), configured?: string): ClientFactory {
  return {
    callerIdentity: async () => ({ accountId: ME, arn: `arn:aws:iam::${ME}:root`, partition: 'aws' }),
    configuredRegion: async () => configured,
    organizations: async () => fakeClient({ ListAccounts: org }) as never,
    account: async () => fakeClient({ ListRegions: regions }) as never,
  } as unknown as ClientFactory;
}

describe('resolveAccounts', () => {
  const org: Handler = (input) =>
    input.NextToken
      ? { Accounts: [{ Id: '333333333333', State: 'ACTIVE' }, { Id: '444444444444', State: 'CLOSED' }] }
      : { Accounts: [{ Id: '222222222222', Status: 'ACTIVE' }, { Id: ME, State: 'ACTIVE' }, { Id: '555555555555', Status: 'SUSPENDED' }], NextToken: 'n' };

  it('is the caller alone by default', async () => {
    expect((await resolveAccounts(factory(org), {}, () => undefined)).accounts).toEqual([ME]);
  });

  it('adds the active organisation accounts to --accounts, caller first, minus exclusions', async () => {
    const { accounts } = await resolveAccounts(factory(org), { org: true, accounts: ['999999999999'], excludeAccounts: ['333333333333'] }, () => undefined);
    expect(accounts).toEqual([ME, '222222222222', '999999999999']);
  });

  it('refuses an exclusion that leaves no account, instead of a clean scan of nothing', async () => {
    await expect(resolveAccounts(factory(org), { excludeAccounts: [ME] }, () => undefined)).rejects.toThrow(UsageError);
    await expect(resolveAccounts(factory(org), { accounts: ['222222222222'], excludeAccounts: ['222222222222'] }, () => undefined)).rejects.toThrow(
      /--exclude-accounts leaves no account to scan/,
    );
    const everyone = [ME, '222222222222', '333333333333'];
    await expect(resolveAccounts(factory(org), { org: true, excludeAccounts: everyone }, () => undefined)).rejects.toThrow(UsageError);
  });

  it('records a failing ListAccounts and keeps the accounts named explicitly, with the caller’s own', async () => {
    const errors: ScanError[] = [];
    const { accounts } = await resolveAccounts(factory(() => sdkError('AWSOrganizationsNotInUseException', 400)), { org: true, accounts: ['222222222222'] }, (e) => errors.push(e));
    expect(accounts).toEqual([ME, '222222222222']);
    expect(errors).toEqual([
      expect.objectContaining({
        source: 'organizations',
        code: 'AWSOrganizationsNotInUseException',
        message: expect.stringMatching(
          /; the caller's account 111111111111 is scanned, with the 1 account read or named with --accounts \[the caller's account is in no organisation: pass --accounts instead of --org\]$/,
        ),
      }),
    ]);
  });

  it('scans the caller’s account when ListAccounts is denied, and says so with what to do', async () => {
    const errors: ScanError[] = [];
    const denied = () => sdkError('AccessDeniedException', 400, 'You don’t have permissions to access this resource.');
    const { accounts } = await resolveAccounts(factory(denied), { org: true }, (e) => errors.push(e));
    expect(accounts).toEqual([ME]);
    expect(errors).toEqual([
      {
        source: 'organizations',
        code: 'AccessDeniedException',
        message:
          "cannot list the organisation's accounts (ListAccounts): AccessDeniedException (HTTP 400): You don’t have permissions to access this resource.; " +
          "the caller's account 111111111111 is scanned alone [run from the management account or a delegated administrator, or pass --accounts]",
      },
    ]);
  });

  it('leaves the caller out when it is excluded, even when ListAccounts failed (a gap, not a usage error)', async () => {
    const errors: ScanError[] = [];
    const { accounts } = await resolveAccounts(factory(() => sdkError('AccessDeniedException', 400)), { org: true, excludeAccounts: [ME] }, (e) => errors.push(e));
    expect(accounts).toEqual([]);
    expect(errors[0]!.message).toContain('; no account is scanned [');
  });
});

describe('resolveAccounts: a ListAccounts page that fails', () => {
  it('always scans the caller’s own account with --org ("also"), even when ListAccounts leaves it out', async () => {
    const errors: ScanError[] = [];
    const without = () => ({ Accounts: [{ Id: '222222222222', State: 'ACTIVE' }, { Id: '333333333333', State: 'SUSPENDED' }] });
    expect((await resolveAccounts(factory(without), { org: true }, (e) => errors.push(e))).accounts).toEqual([ME, '222222222222']);
    expect((await resolveAccounts(factory(without), { org: true, accounts: ['444444444444'] }, (e) => errors.push(e))).accounts).toEqual([
      ME,
      '222222222222',
      '444444444444',
    ]);
    expect(errors).toEqual([]);
  });

  it('makes an empty ListAccounts answer a gap, never a complete scan of no account', async () => {
    const errors: ScanError[] = [];
    const { accounts } = await resolveAccounts(factory(() => ({ Accounts: [] })), { org: true }, (e) => errors.push(e));
    expect(accounts).toEqual([ME]);
    expect(errors).toEqual([
      {
        source: 'organizations',
        code: 'EmptyAccountList',
        message:
          "the organisation's accounts are unknown: ListAccounts returned no active account; the caller's account 111111111111 is scanned alone " +
          '[run from the management account or a delegated administrator, or pass --accounts]',
      },
    ]);
  });

  it('notes an --exclude-accounts id that is not among the accounts found (a typo goes unnoticed otherwise)', async () => {
    const notes: string[] = [];
    const three = () => ({ Accounts: [ME, '222222222222', '333333333333'].map((Id) => ({ Id, State: 'ACTIVE' })) });
    const { accounts } = await resolveAccounts(factory(three), { org: true, excludeAccounts: ['999999999999', '222222222222'] }, () => undefined, (n) => notes.push(n));
    expect(accounts).toEqual([ME, '333333333333']);
    expect(notes).toEqual(['--exclude-accounts 999999999999: not among the 3 accounts to scan, so it leaves nothing out (a typo?)']);
    // Not against a list known to be incomplete: the account may well exist.
    notes.length = 0;
    await resolveAccounts(factory(() => sdkError('AccessDeniedException', 400)), { org: true, excludeAccounts: ['999999999999'] }, () => undefined, (n) => notes.push(n));
    expect(notes).toEqual([]);
  });

  it('keeps the accounts of the pages read before it and the caller’s, and records the list as incomplete', async () => {
    const errors: ScanError[] = [];
    const failing: Handler = (input) =>
      input.NextToken ? sdkError('AccessDeniedException', 400) : { Accounts: [{ Id: '222222222222', State: 'ACTIVE' }], NextToken: 'n' };
    const { accounts } = await resolveAccounts(factory(failing), { org: true }, (e) => errors.push(e));
    expect(accounts).toEqual([ME, '222222222222']);
    expect(errors).toEqual([
      expect.objectContaining({ source: 'organizations', message: expect.stringContaining('account list is incomplete (1 account read, then ListAccounts failed)') }),
    ]);
  });
});

describe('resolveRegions', () => {
  it('uses the given regions, else the configured one, else refuses', async () => {
    expect(await resolveRegions(factory(() => ({})), ME, ['us-east-1'])).toEqual(['us-east-1']);
    expect(await resolveRegions(factory(() => ({}), undefined, 'eu-central-1'), ME, undefined)).toEqual(['eu-central-1']);
    await expect(resolveRegions(factory(() => ({})), ME, undefined)).rejects.toThrow(UsageError);
  });

  it("'all' lists the regions enabled in the account", async () => {
    const regions: Handler = (input) => {
      expect(input.RegionOptStatusContains).toEqual(['ENABLED', 'ENABLED_BY_DEFAULT']);
      return { Regions: [{ RegionName: 'us-east-1' }, { RegionName: 'ap-southeast-3' }] };
    };
    expect(await resolveRegions(factory(() => ({}), regions), ME, 'all')).toEqual(['ap-southeast-3', 'us-east-1']);
  });
});
