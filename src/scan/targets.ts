import { UsageError } from '../errors.js';
import type { ScanError } from '../report/types.js';
import type { CallerIdentity, ClientFactory } from './clients.js';
import { orgListHint } from './gap-hints.js';
import { describeError, errorCode, withRetryRounds } from './retry.js';

export interface AccountTargets {
  readonly caller: CallerIdentity;
  /** Accounts to scan: the caller first, then the rest in ascending order. */
  readonly accounts: readonly string[];
}

export interface AccountSelection {
  /** `--accounts`. */
  readonly accounts?: readonly string[];
  /** `--org`: every ACTIVE account of the organisation. */
  readonly org?: boolean;
  readonly excludeAccounts?: readonly string[];
}

/**
 * The accounts to scan: the caller's by default; `--accounts` and/or `--org` (Organizations ListAccounts, active
 * accounts only) otherwise; minus `--exclude-accounts`. A failing ListAccounts is recorded, and the accounts known
 * anyway are still scanned: the explicitly named ones, those of the pages read, and the caller's own (it belongs to
 * the organisation, and its credentials work).
 */
export async function resolveAccounts(
  factory: ClientFactory,
  selection: AccountSelection,
  record: (e: ScanError) => void,
  note: (message: string) => void = () => undefined,
): Promise<AccountTargets> {
  let caller: CallerIdentity;
  try {
    caller = await factory.callerIdentity();
  } catch (err) {
    // Nothing can be scanned without knowing who we are: this ends the scan (exit 3).
    throw new Error(`cannot identify the AWS caller (sts:GetCallerIdentity): ${describeError(err)}`, { cause: err });
  }
  const chosen = new Set<string>(selection.accounts ?? []);
  const found: string[] = [];
  let orgFailed = false;
  let orgError: unknown;
  let orgEmpty = false;
  if (selection.org) {
    // --org adds to the caller's own account (and --accounts): it is scanned whatever ListAccounts answers.
    chosen.add(caller.accountId);
    try {
      await listActiveOrgAccounts(factory, found);
      orgEmpty = found.length === 0;
    } catch (err) {
      orgFailed = true;
      orgError = err;
    }
    for (const id of found) chosen.add(id);
  } else if (chosen.size === 0) chosen.add(caller.accountId);
  const before = chosen.size;
  // Against a list known to be whole only: an account missing from a failed listing may well exist.
  const unknownExcluded = orgFailed || orgEmpty ? [] : (selection.excludeAccounts ?? []).filter((id) => !chosen.has(id));
  if (unknownExcluded.length > 0)
    note(`--exclude-accounts ${unknownExcluded.join(', ')}: not among the ${before} account${before === 1 ? '' : 's'} to scan, so it leaves nothing out (a typo?)`);
  for (const id of selection.excludeAccounts ?? []) chosen.delete(id);
  if (orgFailed) record({ source: 'organizations', message: orgFailureMessage(found.length, orgError, caller.accountId, chosen), code: errorCode(orgError) });
  // Every organisation lists at least its management account: an empty list is not an organisation of nothing (an
  // account outside any organisation, an emulator), and must not pass for a complete scan of one.
  if (orgEmpty) record({ source: 'organizations', message: emptyOrgMessage(caller.accountId, chosen), code: 'EmptyAccountList' });
  // Scanning nothing must not pass as a complete, clean scan (exit 0): an exclusion that leaves no account is a
  // mistake in the flags. (A failed ListAccounts is already a recorded gap.)
  if (chosen.size === 0 && before > 0 && !orgFailed && !orgEmpty)
    throw new UsageError(`--exclude-accounts leaves no account to scan (it removes every one of the ${before} selected)`);
  const accounts = [...chosen].sort((a, b) => (a === caller.accountId ? -1 : b === caller.accountId ? 1 : a.localeCompare(b)));
  return { caller, accounts };
}

/** The gap of a ListAccounts that answered with no active account. */
function emptyOrgMessage(callerAccount: string, scanned: ReadonlySet<string>): string {
  const others = scanned.size - (scanned.has(callerAccount) ? 1 : 0);
  const named = `${others} account${others === 1 ? '' : 's'} named with --accounts`;
  const instead = scanned.has(callerAccount)
    ? `the caller's account ${callerAccount} is scanned${others > 0 ? `, with the ${named}` : ' alone'}`
    : others > 0
      ? `only the ${named} ${others === 1 ? 'is' : 'are'} scanned`
      : 'no account is scanned';
  return `the organisation's accounts are unknown: ListAccounts returned no active account; ${instead} [run from the management account or a delegated administrator, or pass --accounts]`;
}

/** The gap of a failed `--org` listing: what was read, what is scanned instead, and what to do. */
function orgFailureMessage(read: number, err: unknown, callerAccount: string, scanned: ReadonlySet<string>): string {
  // The pages read before the failure are still scanned: the gap says the list is incomplete.
  const what =
    read > 0
      ? `the organisation's account list is incomplete (${read} account${read === 1 ? '' : 's'} read, then ListAccounts failed)`
      : "cannot list the organisation's accounts (ListAccounts)";
  const others = scanned.size - (scanned.has(callerAccount) ? 1 : 0);
  const accounts = (n: number) => `${n} account${n === 1 ? '' : 's'} read or named with --accounts`;
  const instead = scanned.has(callerAccount)
    ? `the caller's account ${callerAccount} is scanned${others > 0 ? `, with the ${accounts(others)}` : ' alone'}`
    : others > 0
      ? `only the ${accounts(others)} ${others === 1 ? 'is' : 'are'} scanned`
      : 'no account is scanned';
  return `${what}: ${describeError(err)}; ${instead}${orgListHint(err)}`;
}

/**
 * The organisation's active accounts, appended to `out` page by page (so a caller keeps what was read when a later
 * page fails). Organizations' request quota is small and shared with other automation: pages get 3 extra rounds.
 */
export async function listActiveOrgAccounts(factory: ClientFactory, out: string[] = []): Promise<string[]> {
  const { ListAccountsCommand } = await import('@aws-sdk/client-organizations');
  const org = await factory.organizations();
  let token: string | undefined;
  do {
    const page = await withRetryRounds(() => org.send(new ListAccountsCommand({ ...(token ? { NextToken: token } : {}) })), { rounds: 3 });
    for (const a of page.Accounts ?? []) {
      // `State` replaces the deprecated `Status`; either says whether the account is usable.
      const state = a.State ?? a.Status;
      if (a.Id && state === 'ACTIVE') out.push(a.Id);
    }
    token = page.NextToken || undefined;
  } while (token);
  return out;
}

/** `--regions` as given; `all` = the regions enabled in `accountId`; none = the configured region. */
export async function resolveRegions(factory: ClientFactory, accountId: string, regions: readonly string[] | 'all' | undefined): Promise<readonly string[]> {
  if (regions === 'all') return listEnabledRegions(factory, accountId);
  if (regions && regions.length) return regions;
  const configured = await factory.configuredRegion();
  if (!configured) throw new UsageError('no region to scan: pass --regions, or set AWS_REGION or a region in the AWS profile');
  return [configured];
}

/** Account ListRegions: regions enabled in the account (opted-in or enabled by default). */
export async function listEnabledRegions(factory: ClientFactory, accountId: string): Promise<string[]> {
  const { ListRegionsCommand } = await import('@aws-sdk/client-account');
  const client = await factory.account(accountId);
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await withRetryRounds(() =>
      client.send(new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50, ...(token ? { NextToken: token } : {}) })),
    );
    for (const r of page.Regions ?? []) if (r.RegionName) out.push(r.RegionName);
    token = page.NextToken || undefined;
  } while (token);
  if (out.length === 0) throw new Error('ListRegions returned no enabled region');
  return out.sort();
}
