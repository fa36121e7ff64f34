import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GONE_SINCE_READ } from '../../../src/fix/backend.js';
import { runFix } from '../../../src/fix/fix-command.js';
import { readJournal } from '../../../src/fix/journal.js';
import { isSageMakerGone, sageMakerSaysGone } from '../../../src/fix/sagemaker-gone.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import { verifyApplied } from '../../../src/fix/verify.js';
import { DEV, ENV, deps, fixOptions, noClients, undoOptions, workspace } from './command-fixture.js';
import { FakeSageMaker, sdkError } from './fake-sagemaker.js';
import { planFromAudit, resource } from './helpers.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';

const model = (name: string): string => `arn:aws:sagemaker:us-east-1:${DEV}:model/${name}`;
const LIVE = model('scorer');
const GONE = model('retired');
const ESTATE = { [LIVE]: { env: 'prod' }, [GONE]: { env: 'prod' } };
const CONSTRAINT = "1 validation error detected: Value 'x' at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern";

/** Runs `tagaudit fix --apply` over the estate against the fake; returns the exit code, the output and the journal. */
async function fix(cloud: FakeSageMaker, estate: Record<string, Record<string, string>> = ESTATE) {
  const { dir, inventory, dictionary } = workspace(estate);
  const d = deps(dir);
  const code = await runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'j.jsonl' }), d, { clients: noClients, backend: cloud.backend() });
  return { code, out: d.out.text(), dir, journal: join(dir, 'j.jsonl') };
}

describe('SageMaker gone evidence: only not-found answers, never other validation errors', () => {
  it.each([
    ['ValidationException', `Could not find model "${LIVE}".`, true],
    ['ValidationException', 'Could not find endpoint "x".', true],
    ['ValidationException', "Trial 'arn:aws:sagemaker:us-east-1:1:experiment-trial/t' does not exist.", true],
    ['ResourceNotFound', 'Model not found', true],
    ['ResourceNotFoundException', 'The request references a resource which does not exist.', true],
    ['ValidationException', CONSTRAINT, false],
    ['ValidationException', "1 validation error detected: Value 'm' at 'resourceArn' does not exist in the enum", false],
    ['ValidationException', "System prefix 'aws:' reserved for AWS usage in tag key: aws:cloudformation:stack-name", false],
    ['ValidationException', 'Could not find model data at s3://bucket/model.tar.gz.', false],
    ['ValidationException', 'not found', false],
    ['ValidationException', '', false],
    ['AccessDeniedException', 'User is not authorized; the role does not exist in this account', false],
    ['ThrottlingException', 'Rate exceeded', false],
    ['InternalFailure', 'We encountered an internal error. Please try again.', false],
  ])('%s "%s" → %s', (code, message, expected) => {
    expect(sageMakerSaysGone({ code, message })).toBe(expected);
    expect(isSageMakerGone('sagemaker:model', { code, message })).toBe(expected);
  });

  it('is about SageMaker resources only (another service read by ARN is not covered)', () => {
    expect(isSageMakerGone('lambda:function', { code: 'ResourceNotFoundException', message: 'Function not found' })).toBe(false);
    expect(isSageMakerGone('sagemaker:endpoint', { code: 'ResourceNotFoundException', message: 'Endpoint not found' })).toBe(true);
  });
});

describe('re-reading a SageMaker resource deleted since the plan', () => {
  it('files it as missing (deleted), and keeps other read failures, a constraint ValidationException among them, as failures', async () => {
    const endpoint = `arn:aws:sagemaker:us-east-1:${DEV}:endpoint/old`;
    const odd = model('odd');
    const busy = model('busy');
    const cloud = new FakeSageMaker({ [LIVE]: { a: '1' }, [odd]: {}, [busy]: {} });
    cloud.hook = (s) => {
      if (s.input.ResourceArn === endpoint) return sdkError('ResourceNotFound', `Endpoint ${endpoint} does not exist.`);
      if (s.input.ResourceArn === odd) return sdkError('ValidationException', CONSTRAINT);
      if (s.input.ResourceArn === busy) return sdkError('ThrottlingException', 'Rate exceeded');
      return undefined;
    };
    const read = await (await cloud.backend()(DEV, 'us-east-1')).readTags([
      { arn: LIVE, resourceType: 'sagemaker:model' },
      { arn: GONE, resourceType: 'sagemaker:model' },
      { arn: endpoint, resourceType: 'sagemaker:endpoint' },
      { arn: odd, resourceType: 'sagemaker:model' },
      { arn: busy, resourceType: 'sagemaker:model' },
    ]);
    expect(read.tags.get(LIVE)).toEqual({ a: '1' });
    expect([...(read.missing ?? [])].sort()).toEqual([endpoint, GONE].sort());
    expect(read.tags.has(GONE)).toBe(false);
    expect([...read.failed.keys()].sort()).toEqual([busy, odd].sort());
    expect(read.failed.get(odd)).toEqual({ code: 'ValidationException', message: CONSTRAINT });
    expect(read.failed.has(GONE)).toBe(false);
  });

  it('tagaudit fix reports it drifted (no longer exists), writes nothing to it, fixes the rest, and exits 1, not 3', async () => {
    const cloud = new FakeSageMaker({ [LIVE]: { env: 'prod' } });
    const run = await fix(cloud);
    expect(run.out).toContain(`  ${GONE}  drifted (not written): no longer exists`);
    expect(run.out).toContain('1 written, 0 already at the planned tags, 1 drifted, 0 failed, 0 unread');
    expect(run.out).not.toContain('not read');
    expect(run.code).toBe(1);
    expect(cloud.writes().flatMap((w) => w.arns)).not.toContain(GONE);
    expect(cloud.tags.get(LIVE)).toEqual({ [ENV]: 'production' });
    const done = readJournal(run.journal).records.find((r) => r.t === 'done' && r.arn === GONE);
    expect(done).toMatchObject({ status: 'drifted', detail: expect.stringContaining('no longer exists') });
  });

  it('a ValidationException that is not SageMaker\'s not-found answer leaves it unread: exit 3, "run again"', async () => {
    const cloud = new FakeSageMaker(ESTATE);
    cloud.hook = (s) => (s.name === 'ListTagsCommand' && s.input.ResourceArn === GONE ? sdkError('ValidationException', CONSTRAINT) : undefined);
    const run = await fix(cloud);
    expect(run.code).toBe(3);
    expect(run.out).toContain(`  ${GONE}  not read (not written): could not read current tags: ValidationException: ${CONSTRAINT}`);
    expect(run.out).not.toContain('drifted (not written)');
    expect(cloud.writes().flatMap((w) => w.arns)).not.toContain(GONE);
  });
});

describe('a SageMaker resource deleted between the read and the write', () => {
  it('through the Tagging API (SageMaker\'s not-found answer passed on per ARN): drift quoting SageMaker, nothing removed', async () => {
    const cloud = new FakeSageMaker(ESTATE);
    cloud.deleteOnWrite.add(GONE);
    const run = await fix(cloud);
    expect(run.out).toContain(
      `  ${GONE}  drifted (not written): no longer exists: SageMaker answered ValidationException: Could not find model "${GONE}". (deleted since its tags were read)`,
    );
    expect(run.code).toBe(1);
    expect(cloud.writes().filter((w) => w.name === 'UntagResourcesCommand').flatMap((w) => w.arns)).toEqual([LIVE]);
    // The journal keeps the write's answer, as drift.
    const results = readJournal(run.journal).records.flatMap((r) => (r.t === 'result' ? Object.entries(r.failed) : []));
    expect(results).toEqual([[GONE, { code: GONE_SINCE_READ, message: expect.stringContaining('Could not find model') }]]);
  });

  it('through SageMaker AddTags (when the Tagging API cannot write it): drift, not a failure', async () => {
    const cloud = new FakeSageMaker(ESTATE);
    cloud.taggingUnsupported = true;
    cloud.deleteOnWrite.add(GONE);
    const run = await fix(cloud);
    expect(run.out).toContain(`  ${GONE}  drifted (not written): no longer exists: SageMaker answered ValidationException: Could not find model "${GONE}".`);
    expect(run.code).toBe(1);
    expect(cloud.writes().filter((w) => w.name === 'AddTagsCommand').flatMap((w) => w.arns).sort()).toEqual([GONE, LIVE].sort());
    expect(cloud.writes().filter((w) => w.name === 'DeleteTagsCommand').flatMap((w) => w.arns)).toEqual([LIVE]);
    expect(cloud.tags.get(LIVE)).toEqual({ [ENV]: 'production' });
  });

  it("SageMaker's tagger throws drift for a not-found answer only; any other error is thrown as it came", async () => {
    const cloud = new FakeSageMaker({ [LIVE]: {} });
    const tagger = (await cloud.backend()(DEV, 'us-east-1')).ownerTagger('sagemaker:model')!;
    await expect(tagger.addTags(GONE, { k: 'v' })).rejects.toMatchObject({ name: GONE_SINCE_READ, message: expect.stringContaining(`Could not find model "${GONE}"`) });
    await expect(tagger.deleteTags(GONE, ['k'])).rejects.toMatchObject({ name: GONE_SINCE_READ });
    const denied = sdkError('AccessDeniedException', 'not authorized to perform: sagemaker:AddTags', 403);
    cloud.hook = () => denied;
    await expect(tagger.addTags(LIVE, { k: 'v' })).rejects.toBe(denied);
    cloud.hook = () => sdkError('ValidationException', "System prefix 'aws:' reserved for AWS usage in tag key: aws:x");
    await expect(tagger.deleteTags(LIVE, ['aws:x'])).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it("the Tagging API's other per-ARN failures of SageMaker ARNs stay failures", async () => {
    const cloud = new FakeSageMaker({ [LIVE]: {} });
    const backend = await cloud.backend()(DEV, 'us-east-1');
    const other = `arn:aws:lambda:us-east-1:${DEV}:function:f`;
    cloud.tags.delete(LIVE);
    cloud.tags.set(other, {});
    const failed = await backend.tagResources([LIVE], { k: 'v' });
    expect(failed[LIVE]?.code).toBe(GONE_SINCE_READ);
    cloud.taggingUnsupported = true;
    expect(await backend.tagResources([LIVE], { k: 'v' })).toEqual({ [LIVE]: { code: 'InternalServiceException', message: 'Service not yet supported' } });
  });
});

describe('a SageMaker resource deleted after the write, before verification', () => {
  it('is verified as not at the plan (no longer exists): no crash, not "could not re-read"', async () => {
    const tags = tagsWith({ [ENV]: undefined, env: 'prod' });
    const plan = planFromAudit(anycompanyPolicy(), [resource(LIVE, tags)]);
    expect(plan.resources).toHaveLength(1);
    const cloud = new FakeSageMaker();
    const outcomes = [{ arn: LIVE, accountId: DEV, region: 'us-east-1', resourceType: 'sagemaker:model', status: 'fixed' as const }];
    const verified = await verifyApplied({ plan, outcomes, backend: cloud.backend(), secrets: new Map() });
    expect(verified).toEqual([{ arn: LIVE, state: 'not-at-plan', detail: expect.stringContaining('no longer exists'), findings: [] }]);
  });
});

describe('undo of a SageMaker resource deleted since the fix, through the real reader', () => {
  it('is gone: nothing to restore, the rest restored, exit 0', async () => {
    const cloud = new FakeSageMaker(ESTATE);
    const run = await fix(cloud);
    expect(run.code).toBe(0);
    cloud.tags.delete(GONE);
    const d = deps(run.dir);
    expect(await runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), d, { clients: noClients, backend: cloud.backend() })).toBe(0);
    expect(d.out.text()).toContain(`  ${GONE}  *: gone: nothing to restore (deleted since the fix;`);
    expect(cloud.tags.get(LIVE)).toEqual({ env: 'prod' });
    expect(readFileSync(join(run.dir, 'u.jsonl'), 'utf8')).not.toContain(GONE);
  });

  it('a resource SageMaker refuses to read for another reason stays unread (exit 3), never gone', async () => {
    const cloud = new FakeSageMaker(ESTATE);
    const run = await fix(cloud);
    expect(run.code).toBe(0);
    cloud.hook = (s) => (s.name === 'ListTagsCommand' && s.input.ResourceArn === GONE ? sdkError('ValidationException', CONSTRAINT) : undefined);
    const d = deps(run.dir);
    expect(await runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), d, { clients: noClients, backend: cloud.backend() })).toBe(3);
    expect(d.out.text()).toContain(`  ${GONE}  *: could not read current tags: ValidationException: ${CONSTRAINT}`);
    expect(d.out.text()).not.toContain('Gone');
    expect(cloud.tags.get(GONE)).toEqual({ [ENV]: 'production' });
  });
});
