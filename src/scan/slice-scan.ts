import { isAutoScalingGroupArn, tryParseArn } from '../inventory/arn.js';
import type { ScanError } from '../report/types.js';
import type { ClientFactory } from './clients.js';
import { mapLimit } from './concurrency.js';
import { planSageMakerMerge, type Candidate } from './merge.js';
import { regionDeniedHint, sourceGapHint, type GapSource, type RegionChoice } from './gap-hints.js';
import { describeError, errorCode, isScpDeny } from './retry.js';
import { autoScalingGapMessage, listAutoScalingGroups } from './sources/autoscaling.js';
import { isIamPrincipalArn } from './iam-arn.js';
import { discoverWithConfig, type ConfigOutcome } from './sources/config.js';
import { listSageMaker, listTags, PER_RESOURCE_CONCURRENCY, type SageMakerOutcome } from './sources/sagemaker.js';
import { scanTaggingApi, type TaggingOutcome } from './sources/tagging-api.js';
import type { ListedItem, Slice, SourceFailure, SourceName, TaggedItem } from './types.js';

export interface SliceScanInput {
  readonly slice: Slice;
  readonly partition: string;
  readonly sources: ReadonlySet<SourceName>;
  readonly since: Date;
  readonly clients: Pick<ClientFactory, 'tagging' | 'autoscaling' | 'sagemaker' | 'config'>;
  /** Awaited before each GetResources call (the account × region rate limit). */
  readonly beforeGetResources: () => Promise<void>;
  /** Hands a resource on (deduplicated by ARN downstream); awaited for back-pressure. */
  readonly emit: (c: Candidate, slice: Slice) => Promise<void>;
  /** Whether an ARN has been emitted already. */
  readonly seen: (arn: string) => boolean;
  /** A never-tagged candidate without a region in its ARN (S3): decided once every slice is done. */
  readonly deferGlobal: (c: Candidate, slice: Slice) => void;
  readonly record: (e: ScanError) => void;
  /** How --regions was given, for the hint of a region a service control policy denies (default `listed`). */
  readonly regionChoice?: RegionChoice;
  readonly retryPauseMs?: number;
}

export interface SliceScanResult {
  /** undefined when the config source was not run or failed before it could tell. */
  readonly configRecording?: boolean;
}

/**
 * Scans one account × region: GetResources (with Auto Scaling's own list of its groups), the SageMaker lists and AWS
 * Config run side by side, then are merged by ARN. Resources GetResources returns leave at once (SageMaker ones wait
 * for their list data; Auto Scaling groups, which it returns without tags, are replaced by the listed ones);
 * never-tagged ones leave after the merge. Every gap is recorded with the account, region, source and cause.
 */
export async function scanSlice(input: SliceScanInput): Promise<SliceScanResult> {
  const { slice, sources } = input;
  const pauseMs = input.retryPauseMs ?? 1000;
  const regionChoice = input.regionChoice ?? 'listed';
  // Leaving a region out of --regions is a way out only where the regions were listed.
  const hintContext = { sources, accountId: slice.accountId, ...(regionChoice === 'listed' ? { region: slice.region } : {}) };
  // Every gap of the slice ends with what to do about it, when its cause says (a permission, an SCP).
  const record = (source: GapSource, message: string, err?: unknown): void =>
    input.record({
      accountId: slice.accountId,
      region: slice.region,
      source,
      message: err === undefined ? message : `${message}${sourceGapHint(source, err, hintContext)}`,
      ...(err !== undefined ? { code: errorCode(err) } : {}),
    });
  const recordFailures = (failures: readonly SourceFailure[]): void => {
    for (const g of sameCause(failures))
      record(g.source, `${g.what.join(', ')}: ${describeError(g.error)}${g.messagesDiffer ? ` (the first of ${g.what.length} ${errorCode(g.error)} errors)` : ''}`, g.error);
  };

  const wantSageMaker = sources.has('sagemaker');
  // IAM users and roles come from the iam source (once per account, tags read one by one): GetResources does not
  // return them, and should it ever, its copy must not race the authoritative one to the ARN dedupe.
  const wantIam = sources.has('iam');
  const heldSageMaker = new Map<string, TaggedItem>();
  // Auto Scaling groups GetResources returned: never emitted (it returns them without tags), only counted for the gap.
  const heldAutoScaling = new Set<string>();

  const tagging = sources.has('tagging-api')
    ? settle(async () =>
        scanTaggingApi({
          client: await input.clients.tagging(slice.accountId, slice.region),
          beforeCall: input.beforeGetResources,
          retryPauseMs: pauseMs,
          onItem: async (item) => {
            if (isAutoScalingGroupArn(item.arn)) heldAutoScaling.add(item.arn.toLowerCase());
            else if (wantIam && isIamPrincipalArn(item.arn)) return;
            else if (wantSageMaker && tryParseArn(item.arn)?.service === 'sagemaker') heldSageMaker.set(item.arn.toLowerCase(), item);
            else await input.emit({ arn: item.arn, tags: item.tags, source: 'tagging-api' }, slice);
          },
        }),
      )
    : undefined;
  // Part of the tagging-api source: it is what makes that source's answer for Auto Scaling groups right.
  const autoscaling = sources.has('tagging-api')
    ? settle(async () =>
        listAutoScalingGroups({ client: await input.clients.autoscaling(slice.accountId, slice.region), retryPauseMs: pauseMs }),
      )
    : undefined;
  const sagemaker = wantSageMaker
    ? settle(async () =>
        listSageMaker({
          client: await input.clients.sagemaker(slice.accountId, slice.region),
          since: input.since,
          arnPrefix: `arn:${input.partition}:sagemaker:${slice.region}:${slice.accountId}:`,
          retryPauseMs: pauseMs,
        }),
      )
    : undefined;
  const config = sources.has('config')
    ? settle(async () =>
        discoverWithConfig({
          client: await input.clients.config(slice.accountId, slice.region),
          at: { partition: input.partition, region: slice.region, accountId: slice.accountId },
          retryPauseMs: pauseMs,
        }),
      )
    : undefined;

  const [t, a, s, c] = await Promise.all([tagging, autoscaling, sagemaker, config]);
  const denied = deniedEverywhereByScp(t, a, s, c);
  if (denied) {
    // One gap, not one per source: an SCP that denies the region denies all of them alike, and nothing was read.
    input.record({
      accountId: slice.accountId,
      region: slice.region,
      source: 'region',
      message: `the region was not scanned (${denied.sources.join(', ')}: all denied): ${describeError(denied.error)}${regionDeniedHint(slice.accountId, slice.region, regionChoice)}`,
      code: errorCode(denied.error),
    });
    return {};
  }
  if (t && !t.ok) record('tagging-api', `GetResources: ${describeError(t.error)}`, t.error);
  // The list is authoritative for Auto Scaling groups: what GetResources returned for them is dropped either way (a
  // group it returned that the list lacks was created or deleted in between).
  if (a?.ok) {
    for (const g of a.value)
      await input.emit({ arn: g.arn, tags: g.tags, source: 'autoscaling', ...(g.state ? { state: g.state } : {}), ...(g.createdAt ? { createdAt: g.createdAt } : {}) }, slice);
  } else if (a) record('autoscaling', autoScalingGapMessage(a.error, heldAutoScaling.size), a.error);
  if (s && !s.ok) record('sagemaker', `SageMaker lists: ${describeError(s.error)}`, s.error);
  if (c && !c.ok) record('config', `AWS Config: ${describeError(c.error)}`, c.error);
  const taggingOutcome = t?.ok ? t.value : undefined;
  const answers = taggingOutcome ? taggingOutcome.answers : () => false;

  const recovered = new Map<string, number>();
  if (s?.ok) {
    recordFailures(s.value.failures);
    await mergeSageMaker(input, s.value, heldSageMaker, answers, recovered, record, pauseMs);
  } else {
    for (const item of heldSageMaker.values()) await input.emit({ arn: item.arn, tags: item.tags, source: 'tagging-api' }, slice);
  }
  // A type a SageMaker list call listed in full (not windowed by --since) was read whole through that list.
  const listedInFull = (type: string): boolean => s?.ok === true && s.value.listedTypes.has(type) && !s.value.windowedTypes.has(type);
  if (taggingOutcome) recordTaggingGaps(taggingOutcome, recovered, listedInFull, record);

  let configRecording: boolean | undefined;
  if (c?.ok) {
    configRecording = c.value.recording;
    await mergeConfig(input, c.value, answers);
    recordFailures(c.value.failures);
  }
  return configRecording === undefined ? {} : { configRecording };
}

async function mergeSageMaker(
  input: SliceScanInput,
  outcome: SageMakerOutcome,
  tagged: ReadonlyMap<string, TaggedItem>,
  answers: (type: string) => boolean,
  recovered: Map<string, number>,
  record: (source: GapSource, message: string, err?: unknown) => void,
  pauseMs: number,
): Promise<void> {
  const plan = planSageMakerMerge({
    tagged,
    listed: outcome.items,
    listedTypes: outcome.listedTypes,
    windowedTypes: outcome.windowedTypes,
    answers,
  });
  for (const c of plan.ready) await input.emit(c, input.slice);
  if (plan.needTags.length === 0) return;

  // Only types GetResources could not answer get here: one ListTags per resource is the only way left.
  const client = await input.clients.sagemaker(input.slice.accountId, input.slice.region);
  const failed = new Map<string, { count: number; error: unknown }>();
  await mapLimit(plan.needTags, PER_RESOURCE_CONCURRENCY, async (item: ListedItem) => {
    try {
      const tags = await listTags(client, item.arn, pauseMs);
      await input.emit(
        {
          arn: item.arn,
          tags,
          source: 'sagemaker',
          ...(item.state ? { state: item.state } : {}),
          ...(item.createdAt ? { createdAt: item.createdAt } : {}),
          ...(item.parentArns ? { parentArns: item.parentArns } : {}),
        },
        input.slice,
      );
      recovered.set(item.resourceType, (recovered.get(item.resourceType) ?? 0) + 1);
    } catch (err) {
      const f = failed.get(item.resourceType) ?? { count: 0, error: err };
      f.count++;
      failed.set(item.resourceType, f);
    }
  });
  for (const [type, f] of failed)
    record('sagemaker', `tags of ${f.count} ${type} resource(s) could not be read (ListTags), so they are left out: ${describeError(f.error)}`, f.error);
}

function recordTaggingGaps(
  outcome: TaggingOutcome,
  recovered: ReadonlyMap<string, number>,
  listedInFull: (type: string) => boolean,
  record: (source: GapSource, message: string, err?: unknown) => void,
): void {
  if (outcome.unfilteredError !== undefined)
    record(
      'tagging-api',
      `GetResources failed without filters (${describeError(outcome.unfilteredError)}); re-queried service by service, so resources of services tagaudit does not list may be missing`,
      outcome.unfilteredError,
    );
  for (const f of outcome.failures) {
    // Nothing is missing when every type the failed call asked for was listed whole by its own SageMaker list (a
    // tag that could not be read through ListTags is a gap of its own).
    if (f.filters?.every((type) => type.includes(':') && listedInFull(type))) continue;
    let found = 0;
    for (const [type, n] of recovered) if (!f.filters || f.filters.includes(type) || f.filters.includes(type.split(':')[0] ?? '')) found += n;
    let what: string;
    let recovery = '';
    if (f.filters) {
      what = f.filters.join(', ');
      if (found > 0) recovery = `; ${found} of them found through the SageMaker lists (tags via ListTags), others may be missing`;
    } else {
      what = 'all resource types';
      if (f.splitFailedAlike) what += ` (retried by service group: all ${f.splitFailedAlike} failed the same way)`;
      if (found > 0) recovery = `; SageMaker resources were still read through the SageMaker lists (${found}, tags via ListTags)`;
    }
    record('tagging-api', `GetResources failed for ${what}: ${describeError(f.error)}${recovery}`, f.error);
  }
}

async function mergeConfig(input: SliceScanInput, outcome: ConfigOutcome, answers: (type: string) => boolean): Promise<void> {
  for (const d of outcome.items) {
    // Never-tagged only if GetResources answered for the type: otherwise the resource may well carry tags.
    if (input.seen(d.arn) || !answers(d.resourceType)) continue;
    const candidate: Candidate = { arn: d.arn, tags: {}, source: 'config' };
    if (tryParseArn(d.arn)?.region) await input.emit(candidate, input.slice);
    else input.deferGlobal(candidate, input.slice);
  }
}

/**
 * Failures of one source grouped by error code, so each cause is one gap naming everything it hid: a region an SCP
 * denies, or a permission missing, fails every SageMaker list alike, and 16 errors per account-region would bury the
 * others. `error` is the group's first; `messagesDiffer` says whether the others' messages differ (AWS names the
 * denied action in an AccessDenied message).
 */
export function sameCause(failures: readonly SourceFailure[]): Array<{ source: SourceName; what: string[]; error: unknown; messagesDiffer: boolean }> {
  const groups = new Map<string, { source: SourceName; what: string[]; error: unknown; messagesDiffer: boolean }>();
  for (const f of failures) {
    const key = `${f.source}\n${errorCode(f.error)}`;
    const group = groups.get(key);
    if (!group) groups.set(key, { source: f.source, what: [f.what], error: f.error, messagesDiffer: false });
    else {
      group.what.push(f.what);
      if (describeError(f.error) !== describeError(group.error)) group.messagesDiffer = true;
    }
  }
  return [...groups.values()];
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * The sources that ran and the first error, when a service control policy denied each of them outright (nothing
 * listed, nothing returned): the region is denied in this account, and one gap says so.
 */
function deniedEverywhereByScp(
  t: Settled<TaggingOutcome> | undefined,
  a: Settled<unknown> | undefined,
  s: Settled<SageMakerOutcome> | undefined,
  c: Settled<ConfigOutcome> | undefined,
): { sources: string[]; error: unknown } | undefined {
  const sources: string[] = [];
  const errors: unknown[] = [];
  /** Whether source `name` did not run or was denied outright (`outright`: its errors then, else undefined). */
  const check = <T>(name: string, r: Settled<T> | undefined, outright: (value: T) => readonly unknown[] | undefined): boolean => {
    if (!r) return true;
    const errs = r.ok ? outright(r.value) : [r.error];
    if (!errs || errs.length === 0 || !errs.every(isScpDeny)) return false;
    sources.push(name);
    errors.push(errs[0]);
    return true;
  };
  const all =
    check('tagging-api', t, (o) => (o.pages === 0 && o.failures.length === 1 && o.failures[0]!.filters === undefined ? [o.failures[0]!.error] : undefined)) &&
    check('autoscaling', a, () => undefined) &&
    check('sagemaker', s, (o) => (o.listedTypes.size === 0 && o.items.length === 0 ? o.failures.map((f) => f.error) : undefined)) &&
    check('config', c, (o) => (o.recording === undefined ? o.failures.map((f) => f.error) : undefined));
  return all && sources.length > 0 ? { sources, error: errors[0] } : undefined;
}

async function settle<T>(run: () => Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}
