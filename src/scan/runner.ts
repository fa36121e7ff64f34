import { maskedExcerpt } from '../pii/excerpt.js';
import type { Resource } from '../inventory/resource.js';
import type { ScanError } from '../report/types.js';
import { bucketRegionsFrom } from './bucket-regions.js';
import { assumeRoleHint, iamAccessHint, type RegionChoice } from './gap-hints.js';
import { globalRegionOfPartition } from './partition-info.js';
import { DEFAULT_ROLE_NAME, type ClientFactory } from './clients.js';
import { Cancelled, Semaphore } from './concurrency.js';
import { SeenArns, toResource, type Candidate } from './merge.js';
import { GET_RESOURCES_RATE, RateLimiters } from './rate-limit.js';
import { describeError, errorCode } from './retry.js';
import { sameCause, scanSlice } from './slice-scan.js';
import { resolveAccounts, resolveRegions } from './targets.js';
import type { Slice, SourceName } from './types.js';

export interface ScanProgress {
  readonly slicesDone: number;
  readonly slicesTotal: number;
  readonly resources: number;
  readonly errors: number;
  /** Whether the units counted include IAM passes (the iam source). */
  readonly iamPasses?: boolean;
  /** Units in progress: `account/region`, or `account/iam` for an IAM pass, oldest first. */
  readonly running?: readonly string[];
}

export interface RunnerOptions {
  readonly factory: ClientFactory;
  readonly accounts?: readonly string[];
  readonly org?: boolean;
  readonly excludeAccounts?: readonly string[];
  /** Regions as given, `all` (enabled regions of each account), or undefined (the configured region). */
  readonly regions?: readonly string[] | 'all';
  /** The role assumed in accounts other than the caller's (named in the hint of a failed AssumeRole). */
  readonly roleName?: string;
  /** `--external-id` as given (only said to be idle here when no role is assumed). */
  readonly externalId?: string;
  readonly sources: ReadonlySet<SourceName>;
  readonly since: Date;
  readonly concurrency: number;
  readonly emit: (r: Resource) => Promise<void>;
  readonly record: (e: ScanError) => void;
  readonly note: (message: string) => void;
  readonly progress: (p: ScanProgress) => void;
  readonly retryPauseMs?: number;
  /** Aborted when the consumer stops listening: no new call starts after that. */
  readonly signal?: AbortSignal;
}

export interface RunnerResult {
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

/**
 * Resolves the accounts and regions, then scans every account × region under one concurrency bound, plus — with the
 * iam source — one IAM pass per account (IAM is global), which counts as one more unit of progress. An account whose
 * role cannot be assumed (or whose regions cannot be listed) is recorded and skipped; the rest go on.
 */
export async function runLiveScan(o: RunnerOptions): Promise<RunnerResult> {
  const seen = new SeenArns();
  const limiters = new RateLimiters(GET_RESOURCES_RATE.ratePerSecond, GET_RESOURCES_RATE.burst);
  const deferred = new Map<string, { c: Candidate; slice: Slice }>();
  const configOff: Slice[] = [];
  // Account-regions whose Config recorder status was read: the note counts against these, not against slices that
  // could not be scanned at all (a failed AssumeRole), which say so as gaps of their own.
  let configKnown = 0;
  let slicesTotal = 0;
  let slicesDone = 0;
  let errors = 0;
  let lastProgress = 0;

  const report = (force = false): void => {
    const now = Date.now();
    if (!force && now - lastProgress < 100) return;
    lastProgress = now;
    o.progress({ slicesDone, slicesTotal, resources: seen.size, errors, iamPasses: o.sources.has('iam'), running: [...running] });
  };
  const running = new Set<string>();
  const record = (e: ScanError): void => {
    errors++;
    o.record(e);
    report(true);
  };
  const checkCancelled = (): void => {
    if (o.signal?.aborted) throw new Cancelled();
  };
  const bucketRegions = bucketRegionsFrom(o.factory, o.signal);
  const unlocatedNoted = new Set<string>();
  /** A bucket's ARN has no region: ask S3 where it lives, so it is reported (and fixed) in its own region. */
  const needsRegion = (r: Resource): boolean => r.resourceType === 's3:bucket' && r.region === 'global';
  const withBucketRegion = async (r: Resource, slice: Slice): Promise<Resource> => {
    const answer = await bucketRegions.regionOf(r.accountId, r.arn.slice(r.arn.lastIndexOf(':') + 1), slice.region);
    if ('region' in answer) return { ...r, region: answer.region };
    if (!unlocatedNoted.has(r.accountId)) {
      unlocatedNoted.add(r.accountId);
      o.note(
        `the region of some S3 buckets in account ${r.accountId} is unknown (${answer.error}); they are reported in region 'global', ` +
          `and fix writes them through the partition's global region (us-east-1 in commercial AWS), which works only for buckets there ` +
            `(grant s3:ListAllMyBuckets or s3:GetBucketLocation)`,
      );
    }
    return r;
  };
  const emit = async (c: Candidate, slice: Slice): Promise<void> => {
    checkCancelled();
    const r = toResource(c, slice);
    if (!r) {
      o.note(`skipped a resource whose ARN tagaudit cannot parse (${maskedExcerpt(c.arn, 120)})`);
      return;
    }
    if (!seen.add(r.arn)) return;
    if (needsRegion(r)) {
      // Where a bucket lives can take a call per bucket (GetBucketLocation): looked up beside the GetResources
      // paging, never in its way; awaited before the scan ends.
      locating.push(
        withBucketRegion(r, slice)
          .then(async (located) => {
            checkCancelled();
            await o.emit(located);
            report();
          })
          .catch((err: unknown) => {
            locateFailure ??= err;
          }),
      );
      return;
    }
    await o.emit(r);
    report();
  };
  const locating: Promise<void>[] = [];
  let locateFailure: unknown;
  /** Every bucket lookup started so far has been emitted (or the first failure is thrown). */
  const allLocated = async (): Promise<void> => {
    while (locating.length > 0) await Promise.all(locating.splice(0));
    if (locateFailure !== undefined) throw locateFailure;
  };

  const { caller, accounts } = await resolveAccounts(o.factory, o, record, o.note);
  noteIdleRoleFlags(o, caller.accountId, accounts);
  // With `--sources iam` alone there is nothing to scan per region: no region list, no region slices.
  const regional = [...o.sources].some((s) => s !== 'iam');
  const fixedRegions = !regional ? [] : o.regions === 'all' ? undefined : await resolveRegions(o.factory, caller.accountId, o.regions);
  /** Units of work per account besides its regions: the IAM pass. */
  const perAccount = o.sources.has('iam') ? 1 : 0;
  if (fixedRegions) slicesTotal = accounts.length * (fixedRegions.length + perAccount);
  report(true);

  // IAM answers in its partition's global region (us-east-1, cn-northwest-1, us-gov-west-1), whatever regions are
  // scanned; the partition is the caller's (an assumed role is in the same one), not the configured region's.
  let iamRegion: Promise<string> | undefined;
  const iamRegionFor = (): Promise<string> =>
    (iamRegion ??= (async () => globalRegionOfPartition(caller.partition, (await o.factory.configuredRegion()) ?? undefined))());

  // Left out of every account's IAM pass by design, said once at the end so the counts are not a mystery.
  let awsManagedUntagged = 0;
  let vanished = 0;

  /** The account's IAM users and roles, once per account; every failure is a gap in region `global`. */
  const scanAccountIam = async (accountId: string): Promise<void> => {
    const slice: Slice = { accountId, region: 'global' };
    const gap = (message: string, err: unknown): void => record({ accountId, region: 'global', source: 'iam', message, code: errorCode(err) });
    try {
      checkCancelled();
      // Loaded here, not at the top: @aws-sdk/client-iam takes a few hundred milliseconds to load cold.
      const { iamListMessage, iamUnreadMessage, scanIam } = await import('./sources/iam.js');
      const client = await o.factory.iam(accountId, await iamRegionFor());
      const outcome = await scanIam({
        client,
        ...(o.retryPauseMs !== undefined ? { retryPauseMs: o.retryPauseMs } : {}),
        onItem: (item) =>
          emit({ arn: item.arn, tags: item.tags, source: 'iam', ...(item.createdAt ? { createdAt: item.createdAt } : {}) }, slice),
      });
      awsManagedUntagged += outcome.awsManagedUntagged;
      vanished += outcome.vanished;
      for (const g of sameCause(outcome.failures)) gap(iamListMessage(g.what, g.error, o.sources), g.error);
      for (const u of outcome.unread) gap(iamUnreadMessage(u, o.sources), u.error);
    } catch (err) {
      if (err instanceof Cancelled) return;
      gap(`IAM users and roles: ${describeError(err)}${iamAccessHint(err, o.sources)}`, err);
    }
  };

  const regionChoice: RegionChoice = o.regions === 'all' ? 'all' : o.regions?.length ? 'listed' : 'configured';
  const regionsScanned = new Set<string>();
  const prepare = new Semaphore(o.concurrency);
  const slices = new Semaphore(o.concurrency);

  await Promise.all(
    accounts.map(async (accountId) => {
      const assumed = accountId !== caller.accountId;
      try {
        await prepare.run(() => o.factory.credentialsFor(accountId));
      } catch (err) {
        const hint = assumed ? assumeRoleHint(err, { accountId, callerArn: caller.arn, ...(o.roleName ? { roleName: o.roleName } : {}) }) : '';
        record({
          accountId,
          source: assumed ? 'sts' : 'credentials',
          message: `the account was not scanned: no credentials for it${assumed ? ' (AssumeRole failed)' : ''}: ${describeError(err)}${hint}`,
          code: errorCode(err),
        });
        if (fixedRegions) slicesDone += fixedRegions.length + perAccount;
        report(true);
        return;
      }
      // IAM needs no region list: its pass starts as soon as the account's credentials are there.
      if (!fixedRegions) slicesTotal += perAccount;
      const iamPass = perAccount
        ? slices.run(async () => {
            const unit = `${accountId}/iam`;
            running.add(unit);
            try {
              if (!o.signal?.aborted) await scanAccountIam(accountId);
            } finally {
              running.delete(unit);
              slicesDone++;
              report(true);
            }
          })
        : undefined;
      let regions: readonly string[];
      try {
        regions = fixedRegions ?? (await prepare.run(() => resolveRegions(o.factory, accountId, 'all')));
      } catch (err) {
        const iamToo = perAccount ? ' (its IAM users and roles are scanned)' : '';
        record({
          accountId,
          source: 'account',
          message: `the account's regions were not scanned${iamToo}: its enabled regions could not be listed (ListRegions; pass --regions instead): ${describeError(err)}`,
          code: errorCode(err),
        });
        await iamPass;
        return;
      }
      if (!fixedRegions) slicesTotal += regions.length;
      await Promise.all([
        iamPass,
        ...regions.map((region) =>
          slices.run(async () => {
            if (o.signal?.aborted) return;
            regionsScanned.add(region);
            const slice = { accountId, region };
            const unit = `${accountId}/${region}`;
            running.add(unit);
            report(true);
            try {
              const result = await scanSlice({
                slice,
                partition: caller.partition,
                sources: o.sources,
                since: o.since,
                clients: o.factory,
                beforeGetResources: async () => {
                  checkCancelled();
                  await limiters.for(`${accountId}/${region}`).take();
                },
                emit,
                seen: (arn) => seen.has(arn),
                deferGlobal: (c, s) => {
                  if (!deferred.has(c.arn)) deferred.set(c.arn, { c, slice: s });
                },
                record,
                regionChoice,
                ...(o.retryPauseMs !== undefined ? { retryPauseMs: o.retryPauseMs } : {}),
              });
              if (result.configRecording !== undefined) configKnown++;
              if (result.configRecording === false) configOff.push(slice);
            } catch (err) {
              if (err instanceof Cancelled) return;
              record({ accountId, region, source: 'scan', message: `the slice failed: ${describeError(err)}`, code: errorCode(err) });
            } finally {
              running.delete(unit);
              slicesDone++;
              report(true);
            }
          }),
        ),
      ]);
    }),
  );

  await allLocated();
  checkCancelled();
  // Never-tagged global resources (S3 buckets) once every region has had its say.
  for (const { c, slice } of deferred.values()) if (!seen.has(c.arn)) await emit(c, slice);
  await allLocated();
  if (configOff.length)
    o.note(
      `AWS Config is not recording in ${configOff.length} of ${configKnown} account-regions (${configOff
        .slice(0, 5)
        .map((s) => `${s.accountId}/${s.region}`)
        .join(', ')}${configOff.length > 5 ? ', …' : ''}): never-tagged resources of services other than SageMaker are not visible there`,
    );
  if (awsManagedUntagged > 0)
    o.note(
      `${awsManagedUntagged} never-tagged AWS-managed IAM role(s) (service-linked, IAM Identity Center) were left out: AWS creates them without tags, so they are audited only once someone tags them`,
    );
  if (vanished > 0) o.note(`${vanished} IAM user(s) or role(s) were deleted while the scan read them, and are not reported`);
  report(true);
  return { accounts, regions: [...(fixedRegions ?? regionsScanned)].sort() };
}

/**
 * Without --org, when only the caller's own account is scanned no role is assumed: a --role-name or --external-id
 * given then changes nothing, which a note says (as for other flags with no effect).
 */
function noteIdleRoleFlags(o: Pick<RunnerOptions, 'org' | 'roleName' | 'externalId' | 'note'>, callerAccount: string, accounts: readonly string[]): void {
  if (o.org || accounts.some((a) => a !== callerAccount)) return;
  const idle = [
    ...(o.roleName !== undefined && o.roleName !== DEFAULT_ROLE_NAME ? ['--role-name'] : []),
    ...(o.externalId !== undefined ? ['--external-id'] : []),
  ];
  if (idle.length === 0) return;
  o.note(
    `${idle.join(' and ')} ${idle.length > 1 ? 'have' : 'has'} no effect: only the caller's account ${callerAccount} is scanned, so no role is assumed (add --org or --accounts)`,
  );
}
