import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { CliDeps } from './deps.js';
import { fileFlag } from './file-flags.js';
// Types only: declaring the flags must not load the AWS SDK (--help ≤ 150 ms).
import type { LiveScanOptions, SourceName } from '../scan/live-scan.js';
import { REGION_PATTERN } from '../inventory/region-name.js';

export const DEFAULT_ROLE_NAME = 'OrganizationAccountAccessRole';
export const DEFAULT_SINCE = '90d';
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_REQUEST_TIMEOUT_S = 30;
const SOURCES: readonly SourceName[] = ['tagging-api', 'sagemaker', 'config', 'iam'];

/** The live flags, in declaration order (commander attribute names). */
export const LIVE_FLAGS = [
  'profile',
  'regions',
  'accounts',
  'org',
  'roleName',
  'externalId',
  'excludeAccounts',
  'since',
  'concurrency',
  'sources',
  'saveInventory',
  'requestTimeout',
] as const;

/** Declares the live-scan flags of `tagaudit scan`, with their defaults stated in --help. */
export function addLiveScanOptions(cmd: Command): Command {
  return cmd
    .option('--profile <name>', 'AWS profile for credentials (default: AWS_PROFILE, else the SDK chain: env keys, web identity, SSO, instance/container role)')
    .option(
      '--regions <list>',
      "regions to scan, comma-separated, or 'all' for every region enabled in each account (default: the configured region: AWS_REGION, AWS_DEFAULT_REGION or the profile's)",
    )
    .option('--accounts <ids>', "accounts to scan, comma-separated 12-digit ids (default: the caller's account)")
    .option('--org', 'also scan every ACTIVE account of the AWS Organization (organizations:ListAccounts from the management or a delegated account; if the list cannot be read, the caller\'s account is scanned and the run is incomplete)')
    .option('--role-name <name>', 'role assumed in every account but the caller\'s', DEFAULT_ROLE_NAME)
    .option('--external-id <id>', 'external id for AssumeRole')
    .option('--exclude-accounts <ids>', 'accounts to leave out, comma-separated')
    .option('--since <when>', "SageMaker jobs created since: a duration (90d, 12h, 2w) or a date (2026-01-01)", DEFAULT_SINCE)
    .option('--concurrency <n>', 'account-regions scanned at once (1–64)', String(DEFAULT_CONCURRENCY))
    .option('--sources <list>', 'what to read, comma-separated: tagging-api, sagemaker, config, iam (IAM users and roles, once per account)', SOURCES.join(','))
    .option('--save-inventory <file>', 'also write the scanned resources as JSON Lines, to re-run the audit offline with --inventory (a file: - is not stdout)')
    .option(
      '--request-timeout <n>',
      'seconds an AWS call may wait for an answer (each attempt; 1–600); one that times out twice is a gap, as for an endpoint that never answers; the caller credentials (SSO, credential_process …) may take twice this plus the connect time (this, at most 5 s)',
      String(DEFAULT_REQUEST_TIMEOUT_S),
    );
}

/** Live flags the user typed (defaults excluded): they make no sense together with --inventory. */
export function liveFlagsUsed(cmd: Command): string[] {
  return LIVE_FLAGS.filter((name) => cmd.getOptionValueSource(name) === 'cli').map((name) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
}

export interface LiveCliOptions {
  readonly scan: LiveScanOptions;
  /** --save-inventory, as given (relative to the working directory). */
  readonly saveInventory?: string;
}

/** Validates the live flags (bad account, region, duration … → UsageError, exit 2) into LiveScanOptions. */
export function liveOptionsFrom(raw: Readonly<Record<string, unknown>>, deps: Pick<CliDeps, 'env' | 'now'>): LiveCliOptions {
  const accounts = accountList(raw.accounts, '--accounts');
  const excludeAccounts = accountList(raw.excludeAccounts, '--exclude-accounts');
  const regions = regionList(raw.regions);
  const sources = sourceList(raw.sources);
  // A blank value is an unset variable (`--role-name "$AUDIT_ROLE"` in CI): falling back to the default would assume
  // OrganizationAccountAccessRole, or drop the external id, without a word.
  for (const [flag, value] of [['--role-name', raw.roleName], ['--external-id', raw.externalId], ['--since', raw.since]] as const) {
    if (typeof value === 'string' && !value.trim()) throw new UsageError(`${flag} needs a value`);
  }
  const roleName = stringFlag(raw.roleName) ?? DEFAULT_ROLE_NAME;
  if (!/^[\w+=,.@-]+(\/[\w+=,.@-]+)*$/.test(roleName) || roleName.length > 512) throw new UsageError(`--role-name: not an IAM role name: ${JSON.stringify(roleName)}`);
  const externalId = stringFlag(raw.externalId);
  if (externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(externalId)) throw new UsageError('--external-id: 2–1224 characters of letters, digits and +=,.@:/-');
  const profile = stringFlag(raw.profile);
  if (raw.profile !== undefined && !profile) throw new UsageError('--profile needs a profile name');
  const saveInventory = fileFlag('--save-inventory', raw.saveInventory, { stream: 'standard output' })?.trim();
  const scan: LiveScanOptions = {
    env: deps.env,
    roleName,
    since: parseSince(stringFlag(raw.since) ?? DEFAULT_SINCE, deps.now()),
    concurrency: parseConcurrency(raw.concurrency),
    sources,
    requestTimeoutMs: parseRequestTimeout(raw.requestTimeout) * 1000,
    ...(profile ? { profile } : {}),
    ...(regions ? { regions } : {}),
    ...(accounts ? { accounts } : {}),
    ...(raw.org ? { org: true } : {}),
    ...(externalId ? { externalId } : {}),
    ...(excludeAccounts ? { excludeAccounts } : {}),
  };
  return saveInventory ? { scan, saveInventory } : { scan };
}

function stringFlag(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function list(v: unknown): string[] | undefined {
  const s = typeof v === 'string' ? v : undefined;
  if (s === undefined) return undefined;
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function accountList(v: unknown, flag: string): string[] | undefined {
  const ids = list(v);
  if (!ids) return undefined;
  if (ids.length === 0) throw new UsageError(`${flag} needs at least one account id`);
  for (const id of ids) if (!/^\d{12}$/.test(id)) throw new UsageError(`${flag}: not a 12-digit AWS account id: ${JSON.stringify(id)}`);
  return [...new Set(ids)];
}


function regionList(v: unknown): string[] | 'all' | undefined {
  const regions = list(v);
  if (!regions) return undefined;
  if (regions.length === 1 && regions[0] === 'all') return 'all';
  if (regions.length === 0) throw new UsageError("--regions needs region names or 'all'");
  for (const r of regions) {
    if (r === 'all') throw new UsageError("--regions: 'all' cannot be combined with region names");
    if (!REGION_PATTERN.test(r)) throw new UsageError(`--regions: not an AWS region name: ${JSON.stringify(r)} (e.g. us-east-1)`);
  }
  return [...new Set(regions)];
}

function sourceList(v: unknown): SourceName[] {
  const items = list(v) ?? [...SOURCES];
  if (items.length === 0) throw new UsageError(`--sources needs one or more of ${SOURCES.join(', ')}`);
  for (const s of items) if (!(SOURCES as readonly string[]).includes(s)) throw new UsageError(`--sources: unknown source ${JSON.stringify(s)} (expected ${SOURCES.join(', ')})`);
  if (items.includes('config') && !items.includes('tagging-api'))
    throw new UsageError('--sources: config needs tagging-api too (AWS Config lists resources without their tags)');
  return [...new Set(items)] as SourceName[];
}

function parseConcurrency(v: unknown): number {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : String(DEFAULT_CONCURRENCY);
  const n = Number(s);
  if (!/^\d+$/.test(s) || n < 1 || n > 64) throw new UsageError(`--concurrency: expected a whole number from 1 to 64, got ${JSON.stringify(s)}`);
  return n;
}

/** `--request-timeout`: whole seconds, 1–600. */
export function parseRequestTimeout(v: unknown): number {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : String(DEFAULT_REQUEST_TIMEOUT_S);
  const n = Number(s);
  if (!/^\d+$/.test(s) || n < 1 || n > 600) throw new UsageError(`--request-timeout: expected a whole number of seconds from 1 to 600, got ${JSON.stringify(s)}`);
  return n;
}

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `90d`, `12h`, `2w` before `now`, or an ISO date / date-time; never in the future. */
export function parseSince(value: string, now: Date): Date {
  const rel = /^(\d{1,5})([hdw])$/.exec(value);
  let at: Date;
  if (rel) {
    // A window of nothing would leave every SageMaker job out of the scan and pass as a clean one.
    if (Number(rel[1]) === 0) throw new UsageError(`--since: ${JSON.stringify(value)} is an empty window; give at least 1h`);
    at = new Date(now.getTime() - Number(rel[1]) * UNIT_MS[rel[2]!]!);
  } else if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    at = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
    // Date rolls 2024-02-30 over into March: check the calendar date survived.
    const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
    const calendar = new Date(Date.UTC(y, m - 1, d));
    if (Number.isNaN(at.getTime()) || calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== d)
      throw new UsageError(`--since: not a valid date: ${JSON.stringify(value)}`);
  } else {
    throw new UsageError(`--since: expected a duration (90d, 12h, 2w) or a date (2026-01-01), got ${JSON.stringify(value)}`);
  }
  if (at.getTime() > now.getTime()) throw new UsageError(`--since: ${JSON.stringify(value)} is in the future`);
  return at;
}
