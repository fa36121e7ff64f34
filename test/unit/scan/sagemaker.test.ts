import { describe, expect, it } from 'vitest';
import { listSageMaker, listTags } from '../../../src/scan/sources/sagemaker.js';
import type { SageMakerSend } from '../../../src/scan/sources/sagemaker-kinds.js';
import { fakeClient, sdkError, type Handler } from './fake-client.js';

const P = 'arn:aws:sagemaker:us-east-1:111122223333:';
const T0 = new Date('2024-05-01T00:00:00Z');
const SINCE = new Date('2024-03-01T00:00:00Z');

const empty = (key: string): Handler => () => ({ [key]: [] });

/** Every kind answers empty unless overridden. */
function client(overrides: Record<string, Handler> = {}) {
  return fakeClient({
    ListModels: empty('Models'),
    ListEndpointConfigs: empty('EndpointConfigs'),
    Search: () => ({ Results: [] }),
    ListTrainingJobs: empty('TrainingJobSummaries'),
    ListProcessingJobs: empty('ProcessingJobSummaries'),
    ListTransformJobs: empty('TransformJobSummaries'),
    ListHyperParameterTuningJobs: empty('HyperParameterTuningJobSummaries'),
    ListNotebookInstances: empty('NotebookInstances'),
    ListDomains: empty('Domains'),
    ListUserProfiles: empty('UserProfiles'),
    ListSpaces: empty('Spaces'),
    ListApps: empty('Apps'),
    ListPipelines: empty('PipelineSummaries'),
    ListModelPackageGroups: empty('ModelPackageGroupSummaryList'),
    ListModelPackages: empty('ModelPackageSummaryList'),
    ...overrides,
  });
}

const run = (c: ReturnType<typeof client>) => listSageMaker({ client: c as unknown as SageMakerSend, since: SINCE, arnPrefix: P, retryPauseMs: 0 });

describe('listSageMaker', () => {
  it('lists jobs of every status within the window, with state and creation time', async () => {
    const c = client({
      ListTrainingJobs: (input) => {
        expect(input.CreationTimeAfter).toEqual(SINCE);
        return input.NextToken
          ? { TrainingJobSummaries: [{ TrainingJobName: 'b', TrainingJobArn: `${P}training-job/b`, TrainingJobStatus: 'Failed', CreationTime: T0 }] }
          : { TrainingJobSummaries: [{ TrainingJobName: 'a', TrainingJobArn: `${P}training-job/a`, TrainingJobStatus: 'Completed', CreationTime: T0 }], NextToken: 't' };
      },
    });
    const out = await run(c);
    expect(out.items).toEqual([
      { arn: `${P}training-job/a`, resourceType: 'sagemaker:training-job', state: 'Completed', createdAt: T0.toISOString() },
      { arn: `${P}training-job/b`, resourceType: 'sagemaker:training-job', state: 'Failed', createdAt: T0.toISOString() },
    ]);
    expect(out.listedTypes.has('sagemaker:training-job')).toBe(true);
    expect(out.windowedTypes.has('sagemaker:training-job')).toBe(true);
    expect(out.windowedTypes.has('sagemaker:model')).toBe(false);
    expect(out.failures).toEqual([]);
    // No Studio calls without a domain; no per-resource calls at all.
    for (const op of ['ListUserProfiles', 'ListSpaces', 'ListApps', 'DescribeEndpointConfig', 'ListTags']) expect(c.count(op)).toBe(0);
  });

  it('links endpoint → endpoint config → models, describing only configs an endpoint uses', async () => {
    const c = client({
      ListModels: () => ({ Models: [{ ModelName: 'M1', ModelArn: `${P}model/m1` }, { ModelName: 'm2', ModelArn: `${P}model/m2` }] }),
      ListEndpointConfigs: () => ({
        EndpointConfigs: [
          { EndpointConfigName: 'used', EndpointConfigArn: `${P}endpoint-config/used` },
          { EndpointConfigName: 'orphan', EndpointConfigArn: `${P}endpoint-config/orphan` },
        ],
      }),
      Search: (input) =>
        input.Resource === 'Endpoint'
          ? { Results: [{ Endpoint: { EndpointName: 'e', EndpointArn: `${P}endpoint/e`, EndpointConfigName: 'used', EndpointStatus: 'InService', Tags: [{ Key: 'team', Value: 'ml' }] } }] }
          : { Results: [] },
      DescribeEndpointConfig: (input) => {
        expect(input.EndpointConfigName).toBe('used');
        return { ProductionVariants: [{ ModelName: 'm1' }], ShadowProductionVariants: [{ ModelName: 'm2' }] };
      },
    });
    const out = await run(c);
    const byArn = new Map(out.items.map((i) => [i.arn, i]));
    expect(byArn.get(`${P}endpoint/e`)).toEqual({
      arn: `${P}endpoint/e`,
      resourceType: 'sagemaker:endpoint',
      state: 'InService',
      parentArns: [`${P}endpoint-config/used`],
      tags: { team: 'ml' },
    });
    expect(byArn.get(`${P}endpoint-config/used`)?.parentArns).toEqual([`${P}model/m1`, `${P}model/m2`]);
    expect(byArn.get(`${P}endpoint-config/orphan`)?.parentArns).toBeUndefined();
    expect(c.count('DescribeEndpointConfig')).toBe(1);
  });

  it('links training jobs to their tuning job with one call per tuning job', async () => {
    const c = client({
      ListTrainingJobs: () => ({
        TrainingJobSummaries: [
          { TrainingJobName: 'h-001', TrainingJobArn: `${P}training-job/h-001` },
          { TrainingJobName: 'solo', TrainingJobArn: `${P}training-job/solo` },
        ],
      }),
      ListHyperParameterTuningJobs: () => ({ HyperParameterTuningJobSummaries: [{ HyperParameterTuningJobName: 'h', HyperParameterTuningJobArn: `${P}hyper-parameter-tuning-job/h` }] }),
      ListTrainingJobsForHyperParameterTuningJob: (input) => {
        expect(input.HyperParameterTuningJobName).toBe('h');
        return { TrainingJobSummaries: [{ TrainingJobArn: `${P}training-job/h-001` }] };
      },
    });
    const out = await run(c);
    const byArn = new Map(out.items.map((i) => [i.arn, i]));
    expect(byArn.get(`${P}training-job/h-001`)?.parentArns).toEqual([`${P}hyper-parameter-tuning-job/h`]);
    expect(byArn.get(`${P}training-job/solo`)?.parentArns).toBeUndefined();
    expect(c.count('ListTrainingJobsForHyperParameterTuningJob')).toBe(1);
  });

  it('lists Studio resources per domain and links app / space → user profile and domain (a profile has no parent)', async () => {
    const c = client({
      ListDomains: () => ({ Domains: [{ DomainId: 'd-1', DomainArn: `${P}domain/d-1`, Status: 'InService' }] }),
      ListUserProfiles: (input) => {
        expect(input.DomainIdEquals).toBe('d-1');
        return { UserProfiles: [{ DomainId: 'd-1', UserProfileName: 'Alice', Status: 'InService' }] };
      },
      ListSpaces: () => ({ Spaces: [{ DomainId: 'd-1', SpaceName: 'shared', OwnershipSettingsSummary: { OwnerUserProfileName: 'Alice' } }] }),
      ListApps: () => ({
        Apps: [
          { DomainId: 'd-1', UserProfileName: 'Alice', AppType: 'JupyterServer', AppName: 'default', Status: 'InService' },
          { DomainId: 'd-1', UserProfileName: 'Alice', AppType: 'KernelGateway', AppName: 'old', Status: 'Deleted' },
        ],
      }),
    });
    const out = await run(c);
    const byType = (t: string) => out.items.filter((i) => i.resourceType === t);
    const profile = byType('sagemaker:user-profile');
    // A domain's tags reach its apps and spaces, not its user profiles (teams of their own).
    expect(profile).toEqual([{ arn: `${P}user-profile/d-1/alice`, resourceType: 'sagemaker:user-profile', state: 'InService' }]);
    expect(byType('sagemaker:space')[0]?.parentArns).toEqual([`${P}user-profile/d-1/alice`, `${P}domain/d-1`]);
    const apps = byType('sagemaker:app');
    expect(apps.map((a) => a.arn)).toEqual([`${P}app/d-1/alice/jupyterserver/default`]);
    expect(apps[0]?.parentArns).toEqual([`${P}user-profile/d-1/alice`, `${P}domain/d-1`]);
  });

  it('links a model package to its group', async () => {
    const c = client({
      ListModelPackageGroups: () => ({ ModelPackageGroupSummaryList: [{ ModelPackageGroupName: 'g', ModelPackageGroupArn: `${P}model-package-group/g` }] }),
      ListModelPackages: (input) => {
        expect(input.ModelPackageType).toBe('Both');
        return { ModelPackageSummaryList: [{ ModelPackageArn: `${P}model-package/g/1`, ModelPackageGroupName: 'g', ModelPackageStatus: 'Completed' }] };
      },
    });
    const out = await run(c);
    expect(out.items.find((i) => i.resourceType === 'sagemaker:model-package')?.parentArns).toEqual([`${P}model-package-group/g`]);
  });

  it('records a kind whose listing fails and keeps every other kind', async () => {
    const c = client({
      ListModels: () => ({ Models: [{ ModelName: 'm', ModelArn: `${P}model/m` }] }),
      ListNotebookInstances: () => sdkError('AccessDeniedException', 400, 'not allowed'),
    });
    const out = await run(c);
    expect(out.items.map((i) => i.arn)).toEqual([`${P}model/m`]);
    expect(out.listedTypes.has('sagemaker:notebook-instance')).toBe(false);
    expect(out.listedTypes.has('sagemaker:model')).toBe(true);
    expect(out.failures).toHaveLength(1);
    expect(out.failures[0]).toMatchObject({ source: 'sagemaker', what: 'sagemaker:notebook-instance (ListNotebookInstances)' });
    expect(c.count('ListNotebookInstances')).toBe(1);
  });

  it('retries a page once more after a transient failure', async () => {
    let n = 0;
    const c = client({ ListPipelines: () => (++n === 1 ? sdkError('ThrottlingException', 400) : { PipelineSummaries: [{ PipelineName: 'p', PipelineArn: `${P}pipeline/p` }] }) });
    const out = await run(c);
    expect(out.failures).toEqual([]);
    expect(out.items.map((i) => i.arn)).toEqual([`${P}pipeline/p`]);
  });
});

describe('listTags', () => {
  it('pages ListTags into a record', async () => {
    const c = fakeClient({
      ListTags: (input) => (input.NextToken ? { Tags: [{ Key: 'b', Value: '2' }] } : { Tags: [{ Key: 'a', Value: '1' }], NextToken: 'n' }),
    });
    expect(await listTags(c as unknown as SageMakerSend, `${P}model/m`, 0)).toEqual({ a: '1', b: '2' });
  });
});
