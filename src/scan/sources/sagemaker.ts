import { DescribeEndpointConfigCommand, ListTagsCommand, ListTrainingJobsForHyperParameterTuningJobCommand } from '@aws-sdk/client-sagemaker';
import { mapLimit } from '../concurrency.js';
import { FailedAlikeVerdict, isServerOrNetworkError } from '../failed-alike.js';
import { withRetryRounds } from '../retry.js';
import { setTag } from '../../inventory/resource.js';
import type { ListedItem, SourceFailure } from '../types.js';
import { paged } from './paged.js';
import { SAGEMAKER_KINDS, type KindContext, type RawListed, type SageMakerKind, type SageMakerSend } from './sagemaker-kinds.js';

/** Calls of one API in flight at once for a slice (describes, tuning children, ListTags). */
export const PER_RESOURCE_CONCURRENCY = 4;
/**
 * List calls in flight at once for a slice. All 16 kinds at once would cost one round trip fewer or so in an empty
 * region, but it front-loads ~16 requests per slice in the first milliseconds of a scan, when GetResources (the long
 * pole, ~15 pages a second at most) is starting too: against moto that burst alone delayed each slice's first
 * GetResources pages by ~1 s. Four at a time finishes the lists well within the GetResources paging of a busy slice
 * and keeps the calls per second against SageMaker's list quotas small.
 */
export const LIST_CONCURRENCY = 4;

export interface SageMakerInput {
  readonly client: SageMakerSend;
  readonly since: Date;
  /** `arn:<partition>:sagemaker:<region>:<account>:` */
  readonly arnPrefix: string;
  readonly kinds?: readonly SageMakerKind[];
  /** List calls in flight at once for this slice (default LIST_CONCURRENCY). */
  readonly concurrency?: number;
  readonly retryPauseMs?: number;
}

export interface SageMakerOutcome {
  readonly items: readonly ListedItem[];
  /** Resource types whose listing completed (a windowed type: completed within the window). */
  readonly listedTypes: ReadonlySet<string>;
  /** Resource types listed only within the --since window. */
  readonly windowedTypes: ReadonlySet<string>;
  readonly failures: readonly SourceFailure[];
}

/**
 * Lists every SageMaker kind of one account × region (jobs within the window), then links children to parents
 * named in the answers (endpoint → endpoint config → models, model package → group, Studio resources → user profile
 * → domain). Per-resource calls: one DescribeEndpointConfig per endpoint config an endpoint uses, nothing else.
 *
 * A region failing every call is met once: when the first lists (the first wave, at least LIST_CONCURRENCY of them)
 * all fail with 5xx or all with network errors and none answers a page, the other lists are not tried and the outcome
 * has one failure saying so. Lists beyond the first wave wait for that verdict, which comes with the first page any
 * of the first wave answers or the first list failing otherwise (denied, throttled, another code): then every list
 * runs and each failure is its own, as before. Denials never count as alike: a role may be refused some lists only.
 */
export async function listSageMaker(input: SageMakerInput): Promise<SageMakerOutcome> {
  const kinds = input.kinds ?? SAGEMAKER_KINDS;
  const retryPauseMs = input.retryPauseMs ?? 1000;
  const concurrency = input.concurrency ?? LIST_CONCURRENCY;
  const firstWave = Math.max(concurrency, LIST_CONCURRENCY);
  const verdict = kinds.length > firstWave ? new FailedAlikeVerdict(firstWave, { counts: isServerOrNetworkError }) : undefined;
  const firstWaveErrors: unknown[] = [];
  let notTried = 0;
  let failures: SourceFailure[] = [];
  const listedTypes = new Set<string>();
  const byKind = new Map<string, RawListed[]>();

  const collect = async (kind: SageMakerKind, ctx: KindContext): Promise<RawListed[]> => {
    const out: RawListed[] = [];
    byKind.set(kind.resourceType, out);
    for await (const x of kind.list(ctx)) out.push(x);
    listedTypes.add(kind.resourceType);
    return out;
  };

  const domainKind = kinds.find((k) => k.resourceType === 'sagemaker:domain');
  let domainRun: Promise<RawListed[]> | undefined;
  const ctx: KindContext = {
    client: input.client,
    since: input.since,
    arnPrefix: input.arnPrefix,
    retryPauseMs,
    onPage: () => verdict?.answered(),
    domainIds: async () => {
      if (!domainKind) return [];
      domainRun ??= collect(domainKind, ctx);
      return (await domainRun).map((d) => d.name);
    },
  };

  await mapLimit(kinds, concurrency, async (kind, i) => {
    if (verdict && i >= firstWave && !(await verdict.goOn())) {
      notTried++;
      return;
    }
    try {
      if (kind === domainKind) await (domainRun ??= collect(kind, ctx));
      else await collect(kind, ctx);
      verdict?.answered();
    } catch (err) {
      failures.push({ source: 'sagemaker', what: `${kind.resourceType} (${kind.operation})`, error: err });
      if (i < firstWave) firstWaveErrors[i] = err;
      verdict?.failed(err);
    }
  });
  if (verdict?.gaveUp) {
    const tried = kinds.slice(0, firstWave).map((k) => k.operation);
    failures = [
      {
        source: 'sagemaker',
        what: `all SageMaker lists (${tried.join(', ')} failed alike; the remaining ${notTried} lists were not tried)`,
        // The first list's error, not the first to arrive: the message does not depend on timing.
        error: firstWaveErrors.find((e) => e !== undefined),
      },
    ];
  }

  const [endpointConfigModels, tuningParents] = await Promise.all([
    describeUsedEndpointConfigs(input, byKind, retryPauseMs, failures),
    tuningJobOfTrainingJobs(input, byKind, retryPauseMs, failures),
  ]);
  const items = link(byKind, endpointConfigModels, tuningParents);
  return { items, listedTypes, windowedTypes: new Set(kinds.filter((k) => k.windowed).map((k) => k.resourceType)), failures };
}

/** Model names of each endpoint config that a listed endpoint uses (configs nothing uses are not described). */
async function describeUsedEndpointConfigs(
  input: SageMakerInput,
  byKind: ReadonlyMap<string, readonly RawListed[]>,
  retryPauseMs: number,
  failures: SourceFailure[],
): Promise<Map<string, readonly string[]>> {
  const listedConfigs = new Set((byKind.get('sagemaker:endpoint-config') ?? []).map((c) => c.name.toLowerCase()));
  const used = new Set<string>();
  for (const e of byKind.get('sagemaker:endpoint') ?? [])
    for (const r of e.refs ?? []) if (r.resourceType === 'sagemaker:endpoint-config' && listedConfigs.has(r.name.toLowerCase())) used.add(r.name);
  const out = new Map<string, readonly string[]>();
  let failed = 0;
  let lastError: unknown;
  await mapLimit([...used], PER_RESOURCE_CONCURRENCY, async (name) => {
    try {
      const d = await withRetryRounds(() => input.client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name })), {
        rounds: 1,
        pauseMs: retryPauseMs,
      });
      const models = [...(d.ProductionVariants ?? []), ...(d.ShadowProductionVariants ?? [])].map((v) => v.ModelName).filter((m): m is string => !!m);
      out.set(name.toLowerCase(), models);
    } catch (err) {
      failed++;
      lastError = err;
    }
  });
  if (failed > 0)
    failures.push({ source: 'sagemaker', what: `models of ${failed} endpoint config(s) (DescribeEndpointConfig)`, error: lastError });
  return out;
}

/**
 * The tuning job of each listed training job that one launched, by lower-cased training job ARN: one paged
 * ListTrainingJobsForHyperParameterTuningJob per tuning job in the window (training jobs' own list does not say).
 */
async function tuningJobOfTrainingJobs(
  input: SageMakerInput,
  byKind: ReadonlyMap<string, readonly RawListed[]>,
  retryPauseMs: number,
  failures: SourceFailure[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const tuningJobs = byKind.get('sagemaker:hyper-parameter-tuning-job') ?? [];
  if (tuningJobs.length === 0 || !byKind.has('sagemaker:training-job')) return out;
  let failed = 0;
  let lastError: unknown;
  await mapLimit(tuningJobs, PER_RESOURCE_CONCURRENCY, async (tuning) => {
    try {
      const children = paged({ retryPauseMs }, async (token) => {
        const o = await input.client.send(
          new ListTrainingJobsForHyperParameterTuningJobCommand({ HyperParameterTuningJobName: tuning.name, MaxResults: 100, NextToken: token }),
        );
        return { items: o.TrainingJobSummaries, next: o.NextToken };
      });
      for await (const child of children) if (child.TrainingJobArn) out.set(child.TrainingJobArn.toLowerCase(), tuning.arn);
    } catch (err) {
      failed++;
      lastError = err;
    }
  });
  if (failed > 0)
    failures.push({
      source: 'sagemaker',
      what: `training jobs of ${failed} tuning job(s) (ListTrainingJobsForHyperParameterTuningJob), so their parent links are missing`,
      error: lastError,
    });
  return out;
}

/** Resolves parents named in the answers to the ARNs the lists returned. */
function link(
  byKind: ReadonlyMap<string, readonly RawListed[]>,
  endpointConfigModels: ReadonlyMap<string, readonly string[]>,
  tuningParents: ReadonlyMap<string, string>,
): ListedItem[] {
  const arnByName = new Map<string, string>();
  for (const [type, list] of byKind) for (const x of list) arnByName.set(`${type}|${x.name.toLowerCase()}`, x.arn);
  const resolve = (type: string, name: string): string | undefined => arnByName.get(`${type}|${name.toLowerCase()}`);

  const out: ListedItem[] = [];
  for (const list of byKind.values()) {
    for (const x of list) {
      const parents = new Set(x.parentArns ?? []);
      for (const r of x.refs ?? []) {
        const arn = resolve(r.resourceType, r.name);
        if (arn) parents.add(arn);
      }
      const tuning = x.resourceType === 'sagemaker:training-job' ? tuningParents.get(x.arn.toLowerCase()) : undefined;
      if (tuning) parents.add(tuning);
      if (x.resourceType === 'sagemaker:endpoint-config') {
        for (const model of endpointConfigModels.get(x.name.toLowerCase()) ?? []) {
          const arn = resolve('sagemaker:model', model);
          if (arn) parents.add(arn);
        }
      }
      parents.delete(x.arn);
      const { name: _name, refs: _refs, parentArns: _p, ...rest } = x;
      out.push(parents.size ? { ...rest, parentArns: [...parents] } : rest);
    }
  }
  return out;
}

/** A resource's tags through SageMaker ListTags: only for types GetResources could not answer. */
export async function listTags(client: SageMakerSend, arn: string, retryPauseMs = 1000): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  for await (const t of paged({ retryPauseMs }, async (token) => {
    const o = await client.send(new ListTagsCommand({ ResourceArn: arn, MaxResults: 100, NextToken: token }));
    return { items: o.Tags, next: o.NextToken };
  }))
    if (t.Key !== undefined) setTag(tags, t.Key, t.Value ?? '');
  return tags;
}
