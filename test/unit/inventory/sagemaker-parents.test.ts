import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceToJsonLine } from '../../../src/inventory/jsonl-writer.js';
import { readInventory } from '../../../src/inventory/read-inventory.js';
import type { Resource } from '../../../src/inventory/resource.js';
import { resourceFromRecord } from '../../../src/inventory/resource-from-json.js';
import { contextFromTags, pipelineOfExecution, resourceParents } from '../../../src/inventory/sagemaker-parents.js';
import { toResource } from '../../../src/scan/merge.js';

const P = 'arn:aws:sagemaker:us-east-1:111122223333:';
const PIPELINE = `${P}pipeline/Churn-Pipeline`;
// SageMaker writes the execution tag lower-cased (see parent-key.ts).
const EXECUTION = `${P}pipeline/churn-pipeline/execution/e1abc`;
const DOMAIN = `${P}domain/d-1`;
const PROFILE = `${P}user-profile/d-1/alice`;
const SPACE = `${P}space/d-1/shared`;
const JOB = `${P}training-job/pipelines-e1abc-train`;
const HPO = `${P}hyper-parameter-tuning-job/hpo`;
/** The ARN with its resource part in upper case: the same SageMaker resource. */
const shout = (arn: string): string => arn.replace(/[^:]*$/, (name) => name.toUpperCase());
const STUDIO_TAGS = { 'sagemaker:domain-arn': DOMAIN, 'sagemaker:user-profile-arn': PROFILE, 'sagemaker:space-arn': SPACE };

describe('resourceParents', () => {
  it('takes the Studio context SageMaker records in tags when nothing else made the resource', () => {
    expect(resourceParents(JOB, 'sagemaker', STUDIO_TAGS, undefined)).toEqual([DOMAIN, PROFILE, SPACE]);
  });

  // The maker is the nearer reference: a tuning job launched in a domain carries what the domain passed on, and its
  // jobs what it carries. The domain beside it would only outvote it (every parent must agree to be copied).
  it('takes the pipeline an execution tag records, or the listed makers, and then not the Studio context', () => {
    expect(resourceParents(JOB, 'sagemaker', { ...STUDIO_TAGS, 'sagemaker:pipeline-execution-arn': EXECUTION }, undefined)).toEqual([`${P}pipeline/churn-pipeline`]);
    expect(resourceParents(JOB, 'sagemaker', STUDIO_TAGS, [HPO])).toEqual([HPO]);
    expect(resourceParents(JOB, 'sagemaker', { ...STUDIO_TAGS, 'sagemaker:pipeline-execution-arn': EXECUTION }, [HPO])).toEqual([HPO, `${P}pipeline/churn-pipeline`]);
  });

  it('maps a pipeline execution named as a parent to its pipeline', () => {
    expect(resourceParents(JOB, 'sagemaker', {}, [EXECUTION])).toEqual([`${P}pipeline/churn-pipeline`]);
    expect(resourceParents('arn:aws:lambda:us-east-1:111122223333:function:f', 'lambda', {}, [EXECUTION])).toEqual([`${P}pipeline/churn-pipeline`]);
  });

  it('names each parent once in the listed spelling, listed first, never the resource itself', () => {
    const tags = { 'sagemaker:pipeline-execution-arn': EXECUTION, 'sagemaker:domain-arn': shout(DOMAIN) };
    expect(resourceParents(JOB, 'sagemaker', tags, [PIPELINE, EXECUTION, shout(JOB)])).toEqual([PIPELINE]);
    // A Studio app: its listed domain, and the user profile its tags record.
    const app = `${P}app/d-1/alice/jupyterserver/default`;
    expect(resourceParents(app, 'sagemaker', { 'sagemaker:domain-arn': shout(DOMAIN), 'sagemaker:user-profile-arn': PROFILE }, [DOMAIN, app])).toEqual([DOMAIN, PROFILE]);
    expect(resourceParents(JOB, 'sagemaker', { 'sagemaker:domain-arn': DOMAIN, 'sagemaker:user-profile-arn': PROFILE }, [shout(JOB)])).toEqual([DOMAIN, PROFILE]);
  });

  it('returns the listed parents themselves when nothing changes, and nothing when there is none', () => {
    const listed = [HPO];
    expect(resourceParents(JOB, 'sagemaker', { team: 'ml' }, listed)).toBe(listed);
    expect(resourceParents(JOB, 'sagemaker', { team: 'ml' }, undefined)).toBeUndefined();
    const none: string[] = [];
    expect(resourceParents(JOB, 'sagemaker', {}, none)).toBe(none);
  });

  it('reads the tags of SageMaker resources only', () => {
    const bucket = 'arn:aws:s3:::studio-data';
    expect(resourceParents(bucket, 's3', STUDIO_TAGS, undefined)).toBeUndefined();
    const listed = [DOMAIN];
    expect(resourceParents(bucket, 's3', { 'sagemaker:user-profile-arn': PROFILE }, listed)).toBe(listed);
  });

  it('leaves out tag values that name no parent', () => {
    expect(contextFromTags({ 'sagemaker:domain-arn': 'd-1' })).toBeUndefined();
    expect(resourceParents(JOB, 'sagemaker', { 'sagemaker:pipeline-execution-arn': `${P}pipeline/p` }, undefined)).toBeUndefined();
    // The ARN of another type than its tag says.
    expect(contextFromTags({ 'sagemaker:domain-arn': PROFILE, 'sagemaker:space-arn': 'arn:aws:lambda:us-east-1:111122223333:function:space/x' })).toBeUndefined();
    expect(pipelineOfExecution('arn:aws:states:us-east-1:111122223333:execution:machine/execution/x')).toBeUndefined();
    expect(pipelineOfExecution(EXECUTION)).toBe(`${P}pipeline/churn-pipeline`);
  });
});

const PIPELINE_TAGS = { Project: 'Alpha-NLP', CostCenter: 'RND-4100' };
const JOB_TAGS = { 'sagemaker:pipeline-execution-arn': EXECUTION, Project: 'Alpha-NLP' };
const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

describe('reading an inventory', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tagaudit-sm-parents-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const read = async (name: string, text: string): Promise<Resource[]> => {
    const path = join(dir, name);
    writeFileSync(path, text);
    const out: Resource[] = [];
    for await (const r of readInventory(path, { onBadLine: 'fail' })) out.push(r);
    return out;
  };
  const parentsOf = (resources: readonly Resource[], arn: string) => resources.find((r) => r.arn === arn)?.parentArns;

  it('gives a get-resources export the parents its tags record', async () => {
    const doc = {
      ResourceTagMappingList: [
        { ResourceARN: PIPELINE, Tags: tagList(PIPELINE_TAGS) },
        { ResourceARN: JOB, Tags: tagList({ ...JOB_TAGS, ...STUDIO_TAGS }) },
      ],
    };
    const resources = await read('export.json', JSON.stringify(doc, null, 2));
    expect(parentsOf(resources, JOB)).toEqual([`${P}pipeline/churn-pipeline`]);
    expect(parentsOf(resources, PIPELINE)).toBeUndefined();
  });

  it('gives JSON Lines without parentArns the same parents, tag mappings and resources alike', async () => {
    const lines = [
      JSON.stringify({ arn: JOB, tags: JOB_TAGS }),
      JSON.stringify({ ResourceARN: `${JOB}-2`, Tags: tagList(JOB_TAGS) }),
      JSON.stringify({ ResourceTagMappingList: [{ ResourceARN: `${JOB}-3`, Tags: tagList(JOB_TAGS) }] }),
    ];
    const resources = await read('lines.jsonl', `${lines.join('\n')}\n`);
    expect(resources.map((r) => r.parentArns)).toEqual([[`${P}pipeline/churn-pipeline`], [`${P}pipeline/churn-pipeline`], [`${P}pipeline/churn-pipeline`]]);
  });

  it('follows a pipeline execution given in parentArns to its pipeline', async () => {
    const resources = await read('execution.jsonl', `${JSON.stringify({ arn: JOB, tags: {}, parentArns: [EXECUTION, HPO] })}\n`);
    expect(parentsOf(resources, JOB)).toEqual([`${P}pipeline/churn-pipeline`, HPO]);
  });

  it('reads back what a live scan saved with the same parents, none twice', () => {
    const slice = { accountId: '111122223333', region: 'us-east-1' };
    const live = toResource({ arn: JOB, tags: { ...JOB_TAGS, ...STUDIO_TAGS }, source: 'sagemaker', parentArns: [HPO, PIPELINE] }, slice)!;
    expect(live.parentArns).toEqual([HPO, PIPELINE]);
    const back = resourceFromRecord(JSON.parse(resourceToJsonLine(live)));
    expect((back as Resource).parentArns).toEqual(live.parentArns);
    // The same line without its parentArns, as a hand-edited or converted inventory may hold it.
    const { parentArns: _dropped, ...bare } = JSON.parse(resourceToJsonLine(live)) as Record<string, unknown>;
    expect((resourceFromRecord(bare) as Resource).parentArns).toEqual([`${P}pipeline/churn-pipeline`]);
  });
});
