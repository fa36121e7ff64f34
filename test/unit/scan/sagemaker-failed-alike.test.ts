import { describe, expect, it } from 'vitest';
import { LIST_CONCURRENCY, listSageMaker } from '../../../src/scan/sources/sagemaker.js';
import { SAGEMAKER_KINDS, type SageMakerSend } from '../../../src/scan/sources/sagemaker-kinds.js';
import { fakeClient, sdkError, type Handler } from './fake-client.js';

const P = 'arn:aws:sagemaker:us-east-1:111122223333:';

/** The list operations each kind sends (Search serves two kinds). */
const LIST_OPS = [
  'ListModels',
  'ListEndpointConfigs',
  'Search',
  'ListTrainingJobs',
  'ListProcessingJobs',
  'ListTransformJobs',
  'ListHyperParameterTuningJobs',
  'ListNotebookInstances',
  'ListDomains',
  'ListUserProfiles',
  'ListSpaces',
  'ListApps',
  'ListPipelines',
  'ListModelPackageGroups',
  'ListModelPackages',
];
const FIRST_WAVE_OPS = ['ListModels', 'ListEndpointConfigs', 'Search', 'ListTrainingJobs'];
const STUDIO_OPS = new Set(['ListUserProfiles', 'ListSpaces', 'ListApps']);

/** An answer (or, when `value` throws, a failure) that arrives `ms` later. */
const after = <T>(ms: number, value: () => T): Promise<T> =>
  new Promise((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(value());
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    }, ms),
  );

/** Every list answers one empty page unless overridden. */
function client(overrides: Record<string, Handler> = {}) {
  const handlers: Record<string, Handler> = {};
  for (const op of LIST_OPS) handlers[op] = () => ({});
  return fakeClient({ ...handlers, ...overrides });
}

/** Every list fails with `error`. */
const failingEverywhere = (error: () => Error): Record<string, Handler> => Object.fromEntries(LIST_OPS.map((op) => [op, error]));

const server500 = () => sdkError('InternalFailure', 500, 'We encountered an internal error. Please try again.');
const network = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

const run = (c: ReturnType<typeof client>, concurrency?: number) =>
  listSageMaker({ client: c as unknown as SageMakerSend, since: new Date(0), arnPrefix: P, retryPauseMs: 0, ...(concurrency ? { concurrency } : {}) });

const listCalls = (c: ReturnType<typeof client>) => c.calls.filter((x) => LIST_OPS.includes(x.command)).length;

describe('listSageMaker in a region failing every call', () => {
  it('gives up after the first wave of lists failed with 5xx: one failure, no further list tried', async () => {
    expect(LIST_CONCURRENCY).toBe(FIRST_WAVE_OPS.length);
    const c = client(failingEverywhere(server500));
    const out = await run(c);

    // Each list of the first wave: its call and one retry round; nothing else.
    expect(listCalls(c)).toBe(FIRST_WAVE_OPS.length * 2);
    expect(new Set(c.calls.map((x) => x.command))).toEqual(new Set(FIRST_WAVE_OPS));
    expect(out.failures).toHaveLength(1);
    const notTried = SAGEMAKER_KINDS.length - LIST_CONCURRENCY;
    expect(out.failures[0]).toMatchObject({
      source: 'sagemaker',
      what: `all SageMaker lists (ListModels, ListEndpointConfigs, Search(Endpoint), ListTrainingJobs failed alike; the remaining ${notTried} lists were not tried)`,
    });
    expect((out.failures[0]!.error as Error).name).toBe('InternalFailure');
    expect(out.listedTypes.size).toBe(0);
    expect(out.items).toEqual([]);
  });

  it('tried every list (13 lists × 2 rounds) when all lists are in the first wave, so nothing is left to save', async () => {
    const c = client(failingEverywhere(server500));
    const out = await run(c, SAGEMAKER_KINDS.length);
    // The Studio lists need ListDomains, which failed: they send nothing.
    expect(listCalls(c)).toBe((SAGEMAKER_KINDS.length - STUDIO_OPS.size) * 2);
    expect(out.failures).toHaveLength(SAGEMAKER_KINDS.length);
  });

  it('gives up alike on network errors', async () => {
    const c = client(failingEverywhere(network));
    const out = await run(c);
    expect(listCalls(c)).toBe(FIRST_WAVE_OPS.length * 2);
    expect(out.failures).toHaveLength(1);
    expect(out.failures[0]!.what).toMatch(/failed alike; the remaining 12 lists were not tried/);
  });

  it('starts no list beyond the first wave while the verdict is open (a slow last failure)', async () => {
    const c = client({ ...failingEverywhere(server500), ListTrainingJobs: () => after(30, () => { throw server500(); }) });
    const out = await run(c);
    expect(new Set(c.calls.map((x) => x.command))).toEqual(new Set(FIRST_WAVE_OPS));
    expect(listCalls(c)).toBe(FIRST_WAVE_OPS.length * 2);
    expect(out.failures).toHaveLength(1);
  });

  it('waits for the first wave with a smaller concurrency too, and gives up the same way', async () => {
    const c = client(failingEverywhere(server500));
    const out = await run(c, 1);
    expect(listCalls(c)).toBe(FIRST_WAVE_OPS.length * 2);
    expect(out.failures).toHaveLength(1);
  });
});

describe('listSageMaker keeps every list when the first wave does not fail alike', () => {
  const everyListTried = (c: ReturnType<typeof client>) => {
    for (const op of LIST_OPS) if (!STUDIO_OPS.has(op)) expect(c.count(op), op).toBeGreaterThan(0);
  };

  it('a denied list among working ones: its own failure, all lists tried', async () => {
    const c = client({ ListModels: () => sdkError('AccessDeniedException', 400, 'not allowed') });
    const out = await run(c);
    everyListTried(c);
    expect(out.failures).toHaveLength(1);
    expect(out.failures[0]).toMatchObject({ source: 'sagemaker', what: 'sagemaker:model (ListModels)' });
    expect(out.listedTypes.size).toBe(SAGEMAKER_KINDS.length - 1);
  });

  it('every list denied: a permission is per action, so each list is tried and fails on its own', async () => {
    const c = client(failingEverywhere(() => sdkError('AccessDeniedException', 400, 'not allowed')));
    const out = await run(c);
    everyListTried(c);
    expect(out.failures).toHaveLength(SAGEMAKER_KINDS.length);
  });

  it('successes delayed behind failures: the first wave decides only once every list of it settled', async () => {
    const c = client({
      ListModels: server500,
      ListEndpointConfigs: server500,
      Search: server500,
      ListTrainingJobs: () => after(30, () => ({ TrainingJobSummaries: [{ TrainingJobName: 't', TrainingJobArn: `${P}training-job/t` }] })),
    });
    const out = await run(c);
    everyListTried(c);
    expect(out.items.map((i) => i.arn)).toEqual([`${P}training-job/t`]);
    expect(out.failures.map((f) => f.what).sort()).toEqual([
      'sagemaker:endpoint (Search(Endpoint))',
      'sagemaker:endpoint-config (ListEndpointConfigs)',
      'sagemaker:feature-group (Search(FeatureGroup))',
      'sagemaker:model (ListModels)',
    ]);
    // The failing lists got their retry round, as before.
    expect(c.count('ListModels')).toBe(2);
  });

  it('a list that answered a page before failing alike counts as an answer', async () => {
    const c = client({
      ...failingEverywhere(server500),
      ListModels: (input) => (input.NextToken ? server500() : { Models: [{ ModelName: 'm', ModelArn: `${P}model/m` }], NextToken: 'n' }),
    });
    const out = await run(c);
    everyListTried(c);
    expect(out.failures.length).toBeGreaterThan(1);
  });

  it('failures of different kinds (5xx and network)', async () => {
    const c = client({ ...failingEverywhere(server500), Search: network });
    const out = await run(c);
    everyListTried(c);
    expect(out.failures.length).toBeGreaterThan(1);
  });

  it('throttling never counts as alike: each list keeps its own rounds', async () => {
    const c = client(failingEverywhere(() => sdkError('ThrottlingException', 400, 'Rate exceeded')));
    const out = await run(c);
    everyListTried(c);
    expect(out.failures).toHaveLength(SAGEMAKER_KINDS.length);
  });

  it("moto's Studio lists (not implemented: 500) in the first wave, beside a list that answers", async () => {
    const notImplemented = () => sdkError('InternalFailure', 500, 'not implemented');
    const c = client({
      ListDomains: () => ({ Domains: [{ DomainId: 'd-1', DomainArn: `${P}domain/d-1` }] }),
      ListUserProfiles: notImplemented,
      ListSpaces: notImplemented,
      ListApps: notImplemented,
    });
    const studioFirst = [...SAGEMAKER_KINDS].sort((a, b) => Number(STUDIO_OPS.has(b.operation)) - Number(STUDIO_OPS.has(a.operation)));
    expect(studioFirst.slice(0, 3).map((k) => k.operation)).toEqual(['ListUserProfiles', 'ListSpaces', 'ListApps']);
    const out = await listSageMaker({ client: c as unknown as SageMakerSend, since: new Date(0), arnPrefix: P, retryPauseMs: 0, kinds: studioFirst });
    everyListTried(c);
    expect(out.failures.map((f) => f.what).sort()).toEqual([
      'sagemaker:app (ListApps)',
      'sagemaker:space (ListSpaces)',
      'sagemaker:user-profile (ListUserProfiles)',
    ]);
    expect(out.listedTypes.has('sagemaker:domain')).toBe(true);
  });
});
