import { isAwsReservedKey, setTag } from '../inventory/resource.js';
import { redactText } from '../pii/redact.js';
import { httpStatusOf, isAuthError } from '../scan/retry.js';
import {
  CHANGED_SINCE_READ,
  GONE_SINCE_READ,
  errorFailure,
  errorIsThrottle,
  isThrottle,
  isUnsupported,
  type FailedArns,
  type OwnerTagger,
  type PartitionBackend,
  type ReadTagsResult,
  type TagBackend,
} from './backend.js';
import { batchTagWrites, batchUntagWrites, chunk, MAX_TAGS_PER_CALL } from './batch.js';
import type { SecretTags } from './digest.js';
import { digestId } from './digest.js';
import { foldCase, putBackReport, type GoneHow, type GoneSpelling } from './case-folding.js';
import { classify, maskIndex, recordTag, type Classification, type RawChange } from './effects.js';
import type { CallFailure, JournalChange, JournalWriter, WriteApi } from './journal.js';
import { NO_PII, type ResourceMask, type ResourceMasker } from './mask.js';
import type { FixPlan, PlannedResource, RecordedTag } from './plan.js';
import type { PiiVault } from './vault.js';
import { writeContextOf } from './write-context.js';
import { fixJournalHint } from './journal-hint.js';
import { displayPath } from '../report/display-path.js';

const DRIFT_CODES = new Set([CHANGED_SINCE_READ, GONE_SINCE_READ]);

/**
 * Said of a resource GetResources did not return although the plan expects tags on it. GetResources returns every
 * resource that is or ever was tagged, so it was most likely deleted; but its index can lag behind, so that is not
 * proof (a resource is gone only on its own service's word): unread, like undo's NOT_FOUND, and a resume retries it.
 */
const NOT_RETURNED =
  'not returned when its tags were read — deleted since the plan? GetResources did not return it although the plan expects tags on it, so its current tags are unknown; nothing written (resume the run if it still exists)';
const NO_LONGER_EXISTS = 'no longer exists: its service did not return it when its tags were read (deleted since the plan?)';

export type ResourceStatus = 'fixed' | 'already-fixed' | 'drifted' | 'failed' | 'unread';

export interface ResourceOutcome {
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  readonly resourceType: string;
  readonly status: ResourceStatus;
  /** Why it drifted or failed; never holds raw PII. */
  readonly detail?: string;
}

export interface ApplyStats {
  /** Write calls made, by API (each retry counts). */
  readonly calls: Partial<Record<WriteApi, number>>;
  readonly writeCalls: number;
  /** Calls repeated because of throttling. */
  readonly retries: number;
}

export interface ApplyResult {
  readonly outcomes: readonly ResourceOutcome[];
  readonly stats: ApplyStats;
}

export interface ApplyProgress {
  readonly api: WriteApi;
  readonly accountId: string;
  readonly region: string;
  readonly arns: number;
  readonly attempt: number;
}

export interface ApplyOptions {
  readonly plan: FixPlan;
  readonly backend: TagBackend;
  readonly journal: JournalWriter;
  readonly vault: PiiVault;
  /** Raw PII known from the vault (resume, undo); the applier adds what it saves. */
  readonly secrets: SecretTags;
  /** ARNs that already have a `resource` record in this journal (resume): their first record stays the truth. */
  readonly recorded?: ReadonlySet<string>;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Attempts per batch when throttled (default 8). */
  readonly maxAttempts?: number;
  /** Write calls in flight per account and region (default 4). */
  readonly concurrency?: number;
  /** Accounts × regions worked on at once (default 4). */
  readonly partitionConcurrency?: number;
  readonly onCall?: (progress: ApplyProgress) => void;
  /** ARNs per batched call (default and maximum 20; 1 gives the one-call-per-resource baseline of the benchmark). */
  readonly arnsPerCall?: number;
  /** The last call sequence number already in the journal (resume continues after it). */
  readonly startSeq?: number;
  /**
   * How a resource's text is shown in the journal: one redactor over the PII of its live tags and of the values the
   * plan writes (default: only the tags the plan itself names as PII are masked).
   */
  readonly maskResource?: ResourceMasker;
  /** What the journal records: a fix (finished with `fix --resume`) or an undo (default fix). */
  readonly runKind?: 'fix' | 'undo';
  /** Whether a terminal can confirm (default true); else the commands a message prints carry --yes. */
  readonly interactive?: boolean;
  /**
   * How to finish or reverse the run, said when the journal cannot be written mid-run (JournalWriteError); the
   * command printed before the first write. Default: a fix's `fix --resume` and `undo` commands of its journal.
   */
  readonly hint?: string;
}

/** Counts of a run's resources when its journal could not be written. */
export interface StoppedCounts {
  readonly resources: number;
  /** Finished (written, already fixed, drifted, failed or unread). */
  readonly done: number;
  /** A write call was sent for them and they were not finished: old and new keys may both be there. */
  readonly inProgress: number;
  readonly notStarted: number;
}

/**
 * The journal (or its PII vault) could not be written mid-run (no space left, an I/O error): the run stopped before
 * its next write call, as every call waits for its record to be on disk. Not a UsageError: exit 3. The message says
 * which file, how far the run got and how to go on (the run's own hint).
 */
export class JournalWriteError extends Error {
  override readonly name = 'JournalWriteError';
  constructor(
    readonly file: 'journal' | 'PII vault',
    readonly path: string,
    readonly counts: StoppedCounts,
    hint: string,
    options: { cause: unknown },
  ) {
    const code = errnoCode(options.cause);
    const why = (options.cause instanceof Error ? options.cause.message : String(options.cause)).split('\n')[0];
    const once = code === 'ENOSPC' || code === 'EDQUOT' ? 'once there is space' : 'once it can be written again';
    const c = counts;
    super(
      `the ${file} could not be written at ${displayPath(path)} (${why}); writes stopped before the next call: ` +
        `${c.done} of ${c.resources} resource${c.resources === 1 ? '' : 's'} done, ${c.inProgress} in progress (written in part: old and new keys may both be there), ` +
        `${c.notStarted} not started. ${once.charAt(0).toUpperCase()}${once.slice(1)}, ${hint}`,
      options,
    );
  }
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

/** One resource being written: its classification, display masks and first failure. */
interface Work {
  readonly planned: PlannedResource;
  readonly cls: Extract<Classification, { state: 'pending' }>;
  readonly masks: ReturnType<typeof maskIndex>;
  /** The resource's one redactor (live tags and the plan's raw changes). */
  readonly mask: ResourceMask;
  /** Live user tags read before writing (raw): an AWS error may quote any of them. */
  readonly live: Readonly<Record<string, string>>;
  failure?: CallFailure;
}

/** An owner-API call's failure, and whether the call may still have been applied (see mayHaveApplied). */
interface OwnerFailure extends CallFailure {
  readonly mayHaveApplied: boolean;
}

/**
 * Whether a failed write call may still have taken effect: AWS gave no clear answer (a network error or timeout
 * after the SDK's retries, a 5xx). Throttling, a refusal (4xx, access denied) and drift found before the call mean
 * it did not.
 */
function mayHaveApplied(err: unknown, code: string): boolean {
  if (DRIFT_CODES.has(code) || errorIsThrottle(err) || isAuthError(err)) return false;
  const status = httpStatusOf(err);
  return status === undefined || status >= 500;
}

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 8_000;

/**
 * Runs `fn` over `items`, `limit` at a time. After a failure no item is started, and the first error is thrown once
 * the items under way have ended: nothing goes on behind the caller's back (a write after the journal failed).
 */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { readonly error: unknown } | undefined;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failed ??= { error };
      }
    }
  });
  await Promise.all(workers);
  if (failed) throw failed.error;
}

/** Groups plan resources by account and region (each is written with that account's credentials, in that region). */
export function partitions<R extends { accountId: string; region: string }>(items: readonly R[]): { accountId: string; region: string; items: R[] }[] {
  const map = new Map<string, { accountId: string; region: string; items: R[] }>();
  for (const r of items) {
    const k = `${r.accountId}\u0000${r.region}`;
    const p = map.get(k);
    if (p) p.items.push(r);
    else map.set(k, { accountId: r.accountId, region: r.region, items: [r] });
  }
  return [...map.values()];
}

function sortedEntries(tags: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function userTags(tags: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags ?? {})) if (!isAwsReservedKey(k)) setTag(out, k, v);
  return out;
}

/**
 * Executes a plan. Per account and region: re-read live tags, keep only resources still at a state this plan
 * produces (the rest drifted: skipped, never overwritten), journal them, write all new keys (TagResources, batched
 * by identical tags), then — only for resources whose writes all landed — remove old keys (UntagResources).
 * Throttled ARNs are retried with backoff; ARNs the Tagging API cannot write go to the owning service's API, and
 * types whose owner tagger is `direct` (Auto Scaling groups) go there for every write, in the same two phases.
 */
export async function applyPlan(opts: ApplyOptions): Promise<ApplyResult> {
  const now = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.random ?? Math.random;
  const maxAttempts = opts.maxAttempts ?? 8;
  const { journal, vault, secrets } = opts;
  const outcomes: ResourceOutcome[] = [];
  const calls: Partial<Record<WriteApi, number>> = {};
  let writeCalls = 0;
  let retries = 0;
  let seq = opts.startSeq ?? 0;

  // Set when the journal or the vault could not be written: nothing more is written to either, and no call is sent.
  let stopped: { readonly file: 'journal' | 'PII vault'; readonly path: string; readonly error: unknown } | undefined;
  // ARNs a write call was sent for (its record on disk first).
  const sent = new Set<string>();
  const stop = (file: 'journal' | 'PII vault', path: string, error: unknown): never => {
    stopped ??= { file, path, error };
    journal.abandon();
    vault.abandon();
    throw error;
  };
  // The vault first: a journal record may refer to a PII value by digest only once its raw text is on disk.
  const persist = async (): Promise<void> => {
    if (stopped) throw stopped.error;
    await vault.flush().catch((err: unknown) => stop('PII vault', vault.path, err));
    await journal.flush().catch((err: unknown) => stop('journal', journal.path, err));
  };
  const backoff = (attempt: number): Promise<void> => {
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
    return sleep(Math.round(ceiling / 2 + (random() * ceiling) / 2));
  };
  const finish = (r: PlannedResource, status: ResourceStatus, detail?: string): void => {
    outcomes.push({ arn: r.arn, accountId: r.accountId, region: r.region, resourceType: r.resourceType, status, ...(detail ? { detail } : {}) });
    journal.append({ t: 'done', arn: r.arn, status, ...(detail ? { detail } : {}) });
  };

  /**
   * Replaces raw PII in a message (AWS errors can echo keys or values) by its mask: every PII tag of these resources,
   * changed or not, then whatever else the detectors find.
   */
  const scrub = (works: readonly Work[], text: string): string => {
    let out = text;
    for (const w of works) {
      const tags: [string, string | undefined][] = [
        ...Object.entries(w.live),
        ...w.cls.edits.changes.flatMap((c): [string, string | undefined][] => [
          [c.key, c.before],
          [c.key, c.after],
        ]),
      ];
      for (const [key, v] of tags) {
        if (v === undefined) continue;
        const rec = recordTag(key, v, w.masks, w.mask);
        if ('digest' in rec) {
          if (key.length > 2) out = out.split(key).join(rec.key);
          if (v.length > 2) out = out.split(v).join(rec.value);
        }
      }
      out = w.mask.display(out);
    }
    return redactText(out);
  };

  /** Display form of a payload, masked with the masks of the resource it was built for. */
  const showTags = (w: Work, tags: Readonly<Record<string, string>>): { key: string; value: string }[] =>
    Object.entries(tags).map(([k, v]) => {
      const rec = recordTag(k, v, w.masks, w.mask);
      return { key: rec.key, value: rec.value };
    });
  const showKeys = (w: Work, keys: readonly string[]): string[] =>
    keys.map((k) => {
      const before = w.cls.edits.changes.find((c) => c.key === k)?.before;
      return before === undefined ? w.mask.display(k) : recordTag(k, before, w.masks, w.mask).key;
    });

  async function writeBatch(
    part: { accountId: string; region: string },
    backend: PartitionBackend,
    byArn: Map<string, Work>,
    kind: 'tag' | 'untag',
    arns: readonly string[],
    payload: Readonly<Record<string, string>> | readonly string[],
  ): Promise<void> {
    const api: WriteApi = kind === 'tag' ? 'TagResources' : 'UntagResources';
    const works = arns.map((a) => byArn.get(a)!);
    const sample = works[0]!;
    const shown = kind === 'tag' ? { tags: showTags(sample, payload as Record<string, string>) } : { keys: showKeys(sample, payload as string[]) };
    const fallback: string[] = [];
    let pending = [...arns];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const mySeq = ++seq;
      journal.append({ t: 'call', seq: mySeq, at: now().toISOString(), api, accountId: part.accountId, region: part.region, arns: pending, ...shown, attempt });
      await persist();
      for (const a of pending) sent.add(a);
      calls[api] = (calls[api] ?? 0) + 1;
      writeCalls++;
      if (attempt > 1) retries++;
      opts.onCall?.({ api, accountId: part.accountId, region: part.region, arns: pending.length, attempt });
      let failed: FailedArns;
      try {
        failed =
          kind === 'tag'
            ? await backend.tagResources(pending, payload as Record<string, string>)
            : await backend.untagResources(pending, payload as string[]);
      } catch (err) {
        const f = errorFailure(err);
        const error = { code: f.code, message: scrub(works, f.message) };
        journal.append({ t: 'result', seq: mySeq, at: now().toISOString(), ok: [], failed: {}, error });
        await persist();
        if (errorIsThrottle(err) && attempt < maxAttempts) {
          await backoff(attempt);
          continue;
        }
        for (const a of pending) byArn.get(a)!.failure ??= error;
        break;
      }
      const sentByLowerArn = new Map(pending.map((a) => [a.toLowerCase(), a]));
      const cleanFailed: Record<string, CallFailure> = {};
      let unmatched: CallFailure | undefined;
      for (const [a, f] of Object.entries(failed)) {
        const clean = { code: String(f.code ?? 'Error'), message: scrub(works, String(f.message ?? '')) };
        const sent = sentByLowerArn.get(a.toLowerCase());
        if (sent) cleanFailed[sent] = clean;
        else unmatched ??= clean;
      }
      // A failure filed under an ARN we did not send could belong to any resource of the call: count none as written,
      // so no old key is removed on the strength of a write that may not have landed.
      const ok = unmatched ? [] : pending.filter((a) => !cleanFailed[a]);
      journal.append({ t: 'result', seq: mySeq, at: now().toISOString(), ok, failed: cleanFailed });
      await persist();
      const throttled: string[] = [];
      for (const [a, f] of Object.entries(cleanFailed)) {
        const w = byArn.get(a)!;
        if (isThrottle(f)) throttled.push(a);
        else if (isUnsupported(f)) fallback.push(a);
        else w.failure ??= f;
      }
      if (unmatched) {
        const failure = { code: unmatched.code, message: `AWS reported a failure for a resource not in the request: ${unmatched.message}` };
        for (const a of pending) if (!cleanFailed[a]) byArn.get(a)!.failure ??= failure;
      }
      pending = throttled;
      if (pending.length === 0) break;
      if (attempt >= maxAttempts) {
        for (const a of pending) byArn.get(a)!.failure ??= { code: 'ThrottlingException', message: `still throttled after ${attempt} attempts` };
        break;
      }
      await backoff(attempt);
    }
    for (const a of fallback) await ownerWrite(part, backend, byArn.get(a)!, kind, payload);
  }

  /** Writes one resource through its owning service's tag API (SageMaker AddTags / DeleteTags, Auto Scaling …). */
  async function ownerWrite(
    part: { accountId: string; region: string },
    backend: PartitionBackend,
    w: Work,
    kind: 'tag' | 'untag',
    payload: Readonly<Record<string, string>> | readonly string[],
  ): Promise<void> {
    const tagger = backend.ownerTagger(w.planned.resourceType);
    if (!tagger) {
      w.failure ??= {
        code: 'UnsupportedResourceType',
        message: `the Tagging API cannot write ${w.planned.resourceType} and tagaudit has no client for its own tag API`,
      };
      return;
    }
    const arn = w.planned.arn;
    const context = writeContextOf(w.planned, w.cls.edits.changes, w.live);
    if (kind === 'untag') {
      const keys = payload as readonly string[];
      w.failure ??= await ownerCall(part, w, tagger.deleteApi, { keys: showKeys(w, keys) }, () => tagger.deleteTags(arn, keys, context));
      return;
    }
    const tags = payload as Readonly<Record<string, string>>;
    // The old spellings of the case-only renames this call writes. Those still live go first, as a call of their own,
    // so the journal shows the removal even if the write after it never happens; the others were removed by an
    // earlier run of this plan, interrupted before its write (a resume, or the same undo run again).
    const folded = new Set(Object.keys(tags).map(foldCase));
    const oldSpellings = w.cls.edits.removeFirst.filter((k) => folded.has(foldCase(k)));
    const removeNow = oldSpellings.filter((k) => w.live[k] !== undefined);
    const gone: GoneSpelling[] = oldSpellings.filter((k) => w.live[k] === undefined).map((key) => ({ key, how: 'earlier' }));
    let failure: OwnerFailure | undefined;
    if (removeNow.length > 0) {
      failure = await ownerCall(part, w, tagger.deleteApi, { keys: showKeys(w, removeNow) }, () => tagger.deleteTags(arn, removeNow, context));
      // A clear refusal removed nothing (IAM's removal is all or nothing); a call that got no clear answer may have.
      const how: GoneHow = failure ? 'maybe' : 'removed';
      if (!failure || failure.mayHaveApplied) gone.push(...removeNow.map((key) => ({ key, how })));
    }
    failure ??= await ownerCall(part, w, tagger.addApi, { tags: showTags(w, tags) }, () => tagger.addTags(arn, tags, context));
    if (!failure) return;
    // A principal deleted meanwhile has no tag left to lose.
    if (gone.length === 0 || failure.code === GONE_SINCE_READ) {
      w.failure ??= failure;
      return;
    }
    w.failure ??= { code: failure.code, message: `${failure.message}; ${await putBack(part, w, tagger, gone)}` };
  }

  /**
   * Puts back, journalled, the old spellings of case-only renames that are (or may be) gone while their new spelling
   * was not written, with the values the plan read: IAM principal tags can decide access (aws:PrincipalTag), so the
   * principal is not left without them. Says what was put back, or which tags are gone and how to restore them.
   */
  async function putBack(part: { accountId: string; region: string }, w: Work, tagger: OwnerTagger, gone: readonly GoneSpelling[]): Promise<string> {
    const before = new Map(w.cls.edits.changes.filter((c) => c.after === undefined).map((c) => [c.key, c.before]));
    const old: Record<string, string> = {};
    for (const { key } of gone) {
      const value = before.get(key);
      if (value !== undefined) old[key] = value;
    }
    const restore =
      Object.keys(old).length === gone.length
        ? await ownerCall(part, w, tagger.addApi, { tags: showTags(w, old) }, () => tagger.addTags(w.planned.arn, old))
        : { code: 'ValueUnknown', message: 'the value it held is not in the plan', mayHaveApplied: false };
    return putBackReport(
      gone.map((g) => ({ ...g, shown: showKeys(w, [g.key])[0]! })),
      restore,
      `the ${w.planned.resourceType.split(':')[1] || 'resource'}`,
      journal.path,
      opts.runKind !== 'undo',
      opts.interactive ?? true,
    );
  }

  /** One owner-API call for one resource, journalled and retried while throttled; its failure, if it failed. */
  async function ownerCall(
    part: { accountId: string; region: string },
    w: Work,
    api: WriteApi,
    shown: { tags: { key: string; value: string }[] } | { keys: string[] },
    send: () => Promise<void>,
  ): Promise<OwnerFailure | undefined> {
    for (let attempt = 1; ; attempt++) {
      const mySeq = ++seq;
      journal.append({ t: 'call', seq: mySeq, at: now().toISOString(), api, accountId: part.accountId, region: part.region, arns: [w.planned.arn], ...shown, attempt });
      await persist();
      sent.add(w.planned.arn);
      calls[api] = (calls[api] ?? 0) + 1;
      writeCalls++;
      if (attempt > 1) retries++;
      opts.onCall?.({ api, accountId: part.accountId, region: part.region, arns: 1, attempt });
      try {
        await send();
        journal.append({ t: 'result', seq: mySeq, at: now().toISOString(), ok: [w.planned.arn], failed: {} });
        await persist();
        return undefined;
      } catch (err) {
        const f = errorFailure(err);
        const failure = { code: f.code, message: scrub([w], f.message) };
        journal.append({ t: 'result', seq: mySeq, at: now().toISOString(), ok: [], failed: { [w.planned.arn]: failure } });
        await persist();
        if (errorIsThrottle(err) && attempt < maxAttempts) {
          await backoff(attempt);
          continue;
        }
        return { ...failure, mayHaveApplied: mayHaveApplied(err, failure.code) };
      }
    }
  }

  /**
   * Writes one resource of a `direct` type through its owner API, in calls of at most its `maxPerCall` tags or keys
   * (Auto Scaling: 25), stopping at the first part that fails.
   */
  async function directWrite(
    part: { accountId: string; region: string },
    backend: PartitionBackend,
    w: Work,
    kind: 'tag' | 'untag',
    items: readonly [string, string][] | readonly string[],
  ): Promise<void> {
    const perCall = backend.ownerTagger(w.planned.resourceType)?.maxPerCall ?? MAX_TAGS_PER_CALL;
    for (const slice of chunk<[string, string] | string>(items, perCall)) {
      if (w.failure) return;
      const payload = kind === 'tag' ? Object.fromEntries(slice as [string, string][]) : (slice as string[]);
      await ownerWrite(part, backend, w, kind, payload);
    }
  }

  async function applyPartition(part: { accountId: string; region: string; items: PlannedResource[] }): Promise<void> {
    if (stopped) throw stopped.error;
    let backend: PartitionBackend;
    let live: ReadTagsResult;
    try {
      backend = await opts.backend(part.accountId, part.region);
      live = await backend.readTags(part.items.map((r) => ({ arn: r.arn, resourceType: r.resourceType })));
    } catch (err) {
      const f = errorFailure(err);
      for (const r of part.items) finish(r, 'unread', `could not read current tags: ${f.code}: ${redactText(f.message)}`);
      await persist();
      return;
    }

    const works: Work[] = [];
    for (const r of part.items) {
      const unread = live.failed.get(r.arn);
      if (unread) {
        finish(r, 'unread', `could not read current tags: ${unread.code}: ${redactText(unread.message)}`);
        continue;
      }
      if (live.missing?.has(r.arn)) {
        finish(r, 'drifted', NO_LONGER_EXISTS);
        continue;
      }
      const cls = classify(r, userTags(live.tags.get(r.arn)), secrets);
      // Not returned at all (read as no tags) where the plan expects tags: most likely deleted, but not proven (NOT_RETURNED).
      if (cls.state === 'drifted') {
        if (live.tags.has(r.arn)) finish(r, 'drifted', cls.reason);
        else finish(r, 'unread', NOT_RETURNED);
      }
      else if (cls.state === 'done') finish(r, 'already-fixed');
      else {
        const tags = userTags(live.tags.get(r.arn));
        const mask = resourceMaskOf(tags, cls.edits.changes);
        const notPii = opts.runKind === 'undo' || !opts.maskResource ? undefined : notPersonalData(cls.edits.changes, mask);
        if (notPii !== undefined) finish(r, 'drifted', notPii);
        else works.push({ planned: r, cls, masks: maskIndex(r), mask, live: tags });
      }
    }

    // Journal the starting point (and save raw PII to the vault) before the first write.
    for (const w of works) {
      const changes: JournalChange[] = w.cls.edits.changes.map((c) => ({
        type: c.type,
        before: c.before === undefined ? null : keep(c.key, c.before, w),
        after: c.after === undefined ? null : keep(c.key, c.after, w),
      }));
      if (opts.recorded?.has(w.planned.arn)) continue;
      // An undo keeps in its vault only the PII it restores or removes (its changes): the PII of the tags it leaves as
      // they are is recorded by digest, and no undo of this undo needs its raw text.
      const before = Object.entries(userTags(live.tags.get(w.planned.arn)))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => keep(k, v, w, opts.runKind !== 'undo'));
      journal.append({
        t: 'resource',
        arn: w.planned.arn,
        accountId: w.planned.accountId,
        region: w.planned.region,
        resourceType: w.planned.resourceType,
        before,
        changes,
      });
    }
    await persist();

    const byArn = new Map(works.map((w) => [w.planned.arn, w]));
    const limit = opts.concurrency ?? 4;
    const isDirect = (w: Work): boolean => backend.ownerTagger(w.planned.resourceType)?.direct === true;
    type Job = () => Promise<void>;
    const phase1 = works.filter((w) => w.cls.phase === 1 && Object.keys(w.cls.edits.writes).length > 0);
    const tagJobs: Job[] = [
      ...batchTagWrites(
        phase1.filter((w) => !isDirect(w)).map((w) => ({ arn: w.planned.arn, tags: w.cls.edits.writes })),
        opts.arnsPerCall,
      ).map((b): Job => () => writeBatch(part, backend, byArn, 'tag', b.arns, b.tags)),
      ...phase1.filter(isDirect).map((w): Job => () => directWrite(part, backend, w, 'tag', sortedEntries(w.cls.edits.writes))),
    ];
    await mapLimit(tagJobs, limit, (job) => job());

    // Old keys go only once every new key of the resource landed: an interruption leaves a duplicate, never a loss.
    // The old spelling of a case-only rename was removed before the write (or, on a resume, before the interruption):
    // removing it now would remove the new spelling. (IAM's deleteTags also refuses a key IAM holds under another
    // spelling; test/unit/fix/iam-case-rename.test.ts pins both.)
    const removesLeft = (w: Work): string[] => w.cls.edits.removes.filter((k) => !w.cls.edits.removeFirst.includes(k));
    const phase2 = works.filter((w) => !w.failure && removesLeft(w).length > 0);
    const untagJobs: Job[] = [
      ...batchUntagWrites(
        phase2.filter((w) => !isDirect(w)).map((w) => ({ arn: w.planned.arn, keys: removesLeft(w) })),
        opts.arnsPerCall,
      ).map((b): Job => () => writeBatch(part, backend, byArn, 'untag', b.arns, b.keys)),
      ...phase2.filter(isDirect).map((w): Job => () => directWrite(part, backend, w, 'untag', [...removesLeft(w)].sort())),
    ];
    await mapLimit(untagJobs, limit, (job) => job());

    for (const w of works) {
      if (w.failure && DRIFT_CODES.has(w.failure.code)) finish(w.planned, 'drifted', w.failure.message);
      else if (w.failure) finish(w.planned, 'failed', `${w.failure.code}: ${w.failure.message}`);
      else finish(w.planned, 'fixed');
    }
    await persist();
  }

  /**
   * Why a PII removal or redaction must not go ahead: the live tag it found by its digest holds no personal data under
   * the dictionary's PII settings. A plan shows such a tag only masked, so the loader cannot judge it; a hand-edited
   * digest would otherwise remove (or rewrite) an ordinary tag as "personal data".
   */
  function notPersonalData(changes: readonly RawChange[], mask: ResourceMask): string | undefined {
    for (const c of changes) {
      if ((c.type !== 'pii-remove' && c.type !== 'pii-redact') || c.before === undefined) continue;
      if (mask.carriesPii(c.key) || mask.carriesPii(c.before)) continue;
      return `the plan's ${c.type} edit names tag ${c.key}, which holds no personal data under this dictionary's PII settings (a hand-edited plan?); nothing written`;
    }
    return undefined;
  }

  function resourceMaskOf(tags: Readonly<Record<string, string>>, changes: Extract<Classification, { state: 'pending' }>['edits']['changes']): ResourceMask {
    if (!opts.maskResource) return NO_PII;
    const raw: [string, string][] = Object.entries(tags);
    for (const c of changes) {
      if (c.before !== undefined) raw.push([c.key, c.before]);
      if (c.after !== undefined) raw.push([c.key, c.after]);
    }
    return opts.maskResource(raw);
  }

  /** A tag as the journal holds it; raw PII goes to the vault (unless `save` is false) and the in-memory secrets instead. */
  function keep(key: string, value: string, w: Work, save = true): RecordedTag {
    const rec = recordTag(key, value, w.masks, w.mask);
    if ('digest' in rec) {
      if (save) vault.put(key, value, w.planned.arn);
      secrets.set(digestId(rec.digest), { key, value });
    }
    return rec;
  }

  try {
    await mapLimit(partitions(opts.plan.resources), opts.partitionConcurrency ?? 4, applyPartition);
    await persist();
  } catch (err) {
    if (!stopped) throw err;
    const finished = new Set(outcomes.map((o) => o.arn));
    const total = opts.plan.resources.length;
    const inProgress = [...sent].filter((a) => !finished.has(a)).length;
    const counts = { resources: total, done: finished.size, inProgress, notStarted: Math.max(0, total - finished.size - inProgress) };
    const hint = opts.hint ?? (opts.runKind === 'undo' ? 'run the same undo again to finish it' : fixJournalHint(journal.path, opts.interactive ?? true));
    throw new JournalWriteError(stopped.file, stopped.path, counts, hint, { cause: stopped.error });
  }
  const order = new Map(opts.plan.resources.map((r, i) => [r.arn, i]));
  outcomes.sort((a, b) => (order.get(a.arn) ?? 0) - (order.get(b.arn) ?? 0));
  return { outcomes, stats: { calls, writeCalls, retries } };
}
