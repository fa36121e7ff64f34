import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GONE_SINCE_READ } from '../../../src/fix/backend.js';
import { runFix } from '../../../src/fix/fix-command.js';
import { readJournal } from '../../../src/fix/journal.js';
import { lambdaFunctionArn, lambdaSaysGone, readLambdaFunctions } from '../../../src/fix/lambda-gone.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import { verifyApplied } from '../../../src/fix/verify.js';
import { DEV, ENV, deps, fixOptions, lambdaArn, noClients, undoOptions, workspace } from './command-fixture.js';
import { FakeLambda } from './fake-lambda.js';
import { sdkError } from './fake-sagemaker.js';
import { planFromAudit, resource } from './helpers.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';

const LIVE = lambdaArn('router');
const GONE = lambdaArn('doomed');
const ESTATE = { [LIVE]: { env: 'prod' }, [GONE]: { env: 'prod' } };
const DENIED = 'User: arn:aws:sts::111122223333:assumed-role/tagger/x is not authorized to perform: lambda:ListTags';

async function read(cloud: FakeLambda, arns: readonly string[], withLambda = true) {
  const backend = await cloud.backend(withLambda)(DEV, 'us-east-1');
  return backend.readTags(arns.map((arn) => ({ arn, resourceType: 'lambda:function' })));
}

/** Runs `tagaudit fix --apply` over the estate against the fake; returns the exit code, the output and the workspace. */
async function fix(cloud: FakeLambda, estate: Record<string, Record<string, string>> = ESTATE) {
  const { dir, inventory, dictionary } = workspace(estate);
  const d = deps(dir);
  const code = await runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'j.jsonl' }), d, { clients: noClients, backend: cloud.backend() });
  return { code, out: d.out.text(), dir, dictionary, journal: join(dir, 'j.jsonl') };
}

describe('the function a Lambda ARN names', () => {
  it.each([
    [`arn:aws:lambda:us-east-1:${DEV}:function:router`, `arn:aws:lambda:us-east-1:${DEV}:function:router`],
    [`arn:aws:lambda:us-east-1:${DEV}:function:router:live`, `arn:aws:lambda:us-east-1:${DEV}:function:router`],
    [`arn:aws:lambda:us-east-1:${DEV}:function:router:7`, `arn:aws:lambda:us-east-1:${DEV}:function:router`],
    [`arn:aws:lambda:us-east-1:${DEV}:function:router:$LATEST`, `arn:aws:lambda:us-east-1:${DEV}:function:router`],
    [`arn:aws-cn:lambda:cn-north-1:${DEV}:function:r-1_x`, `arn:aws-cn:lambda:cn-north-1:${DEV}:function:r-1_x`],
    [`arn:aws:lambda:us-east-1:${DEV}:layer:shared:3`, undefined],
    [`arn:aws:lambda:us-east-1:${DEV}:event-source-mapping:0f1e2d3c-0000-4000-8000-000000000000`, undefined],
    [`arn:aws:sagemaker:us-east-1:${DEV}:model/router`, undefined],
    [`arn:aws:lambda:us-east-1:${DEV}:function:`, undefined],
    ['router', undefined],
  ])('%s → %s', (arn, fn) => {
    expect(lambdaFunctionArn(arn)).toBe(fn);
  });

  it("only Lambda's ResourceNotFoundException is proof that the function is gone", () => {
    expect(lambdaSaysGone({ code: 'ResourceNotFoundException', message: `Function not found: ${GONE}` })).toBe(true);
    for (const code of ['AccessDeniedException', 'TooManyRequestsException', 'InvalidParameterValueException', 'ServiceException', 'HTTP 500', 'ResourceNotFound']) {
      expect(lambdaSaysGone({ code, message: 'Function not found' })).toBe(false);
    }
  });
});

describe('re-reading Lambda functions GetResources does not return', () => {
  it('asks Lambda ListTags about those only: tags of one that exists, missing for one that is gone, nothing for the rest', async () => {
    const bare = lambdaArn('bare');
    const lagging = lambdaArn('lagging');
    const cloud = new FakeLambda({ [LIVE]: { env: 'prod' }, [bare]: {}, [lagging]: { team: 'ml', 'aws:cloudformation:stack-name': 's' } });
    cloud.unindexed.add(lagging);
    const result = await read(cloud, [LIVE, GONE, bare, lagging]);
    expect(Object.fromEntries(result.tags)).toEqual({ [LIVE]: { env: 'prod' }, [bare]: {}, [lagging]: { team: 'ml', 'aws:cloudformation:stack-name': 's' } });
    expect([...(result.missing ?? [])]).toEqual([GONE]);
    expect(result.failed.size).toBe(0);
    // One ListTags per function GetResources left out; none for the one it returned.
    expect(cloud.listTagsAsked().sort()).toEqual([GONE, bare, lagging].sort());
  });

  it('makes no Lambda call when GetResources returns every function', async () => {
    const cloud = new FakeLambda(ESTATE);
    const result = await read(cloud, [LIVE, GONE]);
    expect(result.tags.size).toBe(2);
    expect(cloud.lambda.sent).toEqual([]);
  });

  it('asks about the function of a qualified ARN, once for all ARNs naming it; its tags are the function\'s', async () => {
    const cloud = new FakeLambda({ [LIVE]: {} });
    const alias = `${LIVE}:live`;
    const version = `${LIVE}:7`;
    const goneAlias = `${GONE}:live`;
    const result = await read(cloud, [LIVE, alias, version, goneAlias]);
    expect(Object.fromEntries(result.tags)).toEqual({ [LIVE]: {}, [alias]: {}, [version]: {} });
    expect([...(result.missing ?? [])]).toEqual([goneAlias]);
    expect(cloud.listTagsAsked().sort()).toEqual([GONE, LIVE].sort());
  });

  it('any other Lambda answer is no proof: the function is read as before (not returned: no tags), never as missing', async () => {
    const denied = lambdaArn('denied');
    const busy = lambdaArn('busy');
    const odd = lambdaArn('odd');
    const cloud = new FakeLambda({ [denied]: { env: 'prod' }, [busy]: {}, [odd]: {} });
    cloud.unindexed.add(denied);
    cloud.hook = (s) => {
      if (s.input.Resource === denied) return sdkError('AccessDeniedException', DENIED, 403);
      if (s.input.Resource === busy) return sdkError('TooManyRequestsException', 'Rate exceeded', 429);
      if (s.input.Resource === odd) return sdkError('InvalidParameterValueException', 'Invalid function ARN', 400);
      return undefined;
    };
    const result = await read(cloud, [denied, busy, odd]);
    expect(result.tags.size).toBe(0);
    expect(result.failed.size).toBe(0);
    expect(result.missing?.size ?? 0).toBe(0);
  });

  it('the reader itself says why it had no answer, per ARN', async () => {
    const cloud = new FakeLambda({ [LIVE]: {} });
    cloud.hook = (s) => (s.input.Resource === LIVE ? sdkError('AccessDeniedException', DENIED, 403) : undefined);
    const notLambda = `arn:aws:sagemaker:us-east-1:${DEV}:model/m`;
    const r = await readLambdaFunctions(cloud.lambda, [LIVE, GONE, notLambda]);
    expect(Object.fromEntries(r.unanswered)).toEqual({
      [LIVE]: { code: 'AccessDeniedException', message: DENIED },
      [notLambda]: { code: 'InvalidArn', message: 'not a Lambda function ARN' },
    });
    expect([...r.missing]).toEqual([GONE]);
    expect(await readLambdaFunctions(cloud.lambda, [])).toEqual({ tags: new Map(), missing: new Set(), unanswered: new Map() });
  });

  it('a backend without a Lambda client reads them as before', async () => {
    const cloud = new FakeLambda({ [LIVE]: {} });
    const result = await read(cloud, [LIVE, GONE], false);
    expect(result.tags.size).toBe(0);
    expect(result.missing?.size ?? 0).toBe(0);
    expect(cloud.lambda.sent).toEqual([]);
  });

  it('functions GetResources could not be asked about stay unread, and Lambda is not asked', async () => {
    const cloud = new FakeLambda(ESTATE);
    cloud.tagging.send = async () => {
      throw sdkError('AccessDeniedException', 'not authorized to perform: tag:GetResources', 403);
    };
    const result = await read(cloud, [LIVE, GONE]);
    expect([...result.failed.keys()].sort()).toEqual([GONE, LIVE].sort());
    expect(cloud.lambda.sent).toEqual([]);
  });
});

describe('tagaudit fix and a Lambda function deleted since the plan', () => {
  it('reports it drifted (no longer exists), writes nothing to it, fixes the rest, exits 1, not 3', async () => {
    const cloud = new FakeLambda({ [LIVE]: { env: 'prod' } });
    const run = await fix(cloud);
    expect(run.out).toContain(`  ${GONE}  drifted (not written): no longer exists`);
    expect(run.out).toContain('1 written, 0 already at the planned tags, 1 drifted, 0 failed, 0 unread');
    expect(run.code).toBe(1);
    expect(cloud.writes().flatMap((w) => w.arns)).not.toContain(GONE);
    expect(cloud.tags.get(LIVE)).toEqual({ [ENV]: 'production' });
  });

  it('without proof (Lambda denies ListTags) it stays unread, as before: exit 3, nothing written to it', async () => {
    const cloud = new FakeLambda({ [LIVE]: { env: 'prod' } });
    cloud.hook = () => sdkError('AccessDeniedException', DENIED, 403);
    const run = await fix(cloud);
    expect(run.out).toContain(`  ${GONE}  not read (not written): not returned when its tags were read — deleted since the plan?`);
    expect(run.code).toBe(3);
    expect(cloud.writes().flatMap((w) => w.arns)).not.toContain(GONE);
  });

  it('fix --resume of a run that left it unread settles it as drifted once Lambda proves it gone', async () => {
    const cloud = new FakeLambda({ [LIVE]: { env: 'prod' } });
    cloud.hook = () => sdkError('TooManyRequestsException', 'Rate exceeded', 429);
    const first = await fix(cloud);
    expect(first.code).toBe(3);
    cloud.hook = undefined;
    const d = deps(first.dir);
    const code = await runFix(fixOptions(first.dictionary, { resume: 'j.jsonl', apply: true, yes: true }), d, { clients: noClients, backend: cloud.backend() });
    expect(d.out.text()).toContain(`  ${GONE}  drifted (not written): no longer exists`);
    expect(d.out.text()).toContain('1 drifted, 0 failed, 0 unread');
    expect(code).toBe(1);
    expect(cloud.writes().flatMap((w) => w.arns)).not.toContain(GONE);
    const done = readJournal(first.journal).records.filter((r) => r.t === 'done' && r.arn === GONE);
    expect(done.at(-1)).toMatchObject({ status: 'drifted', detail: expect.stringContaining('no longer exists') });
  });
});

describe('a Lambda function deleted between the read and the write', () => {
  it("the Tagging API passing on Lambda's ResourceNotFoundException for the function: drift quoting Lambda", async () => {
    const cloud = new FakeLambda(ESTATE);
    const backend = await cloud.backend()(DEV, 'us-east-1');
    cloud.tags.delete(GONE);
    const failed = await backend.tagResources([LIVE, GONE], { k: 'v' });
    expect(failed).toEqual({
      [GONE]: { code: GONE_SINCE_READ, message: `no longer exists: Lambda answered ResourceNotFoundException: Function not found: ${GONE} (deleted since its tags were read)` },
    });
    expect((await backend.untagResources([GONE], ['k']))[GONE]?.code).toBe(GONE_SINCE_READ);
  });

  it('other per-ARN failures, and not-found answers for a qualified ARN, stay failures', async () => {
    const cloud = new FakeLambda(ESTATE);
    const backend = await cloud.backend()(DEV, 'us-east-1');
    const alias = `${LIVE}:live`;
    expect(await backend.tagResources([alias], { k: 'v' })).toEqual({ [alias]: { code: 'ResourceNotFoundException', message: `Function not found: ${alias}` } });
    cloud.tagging.send = async () => ({ FailedResourcesMap: { [LIVE]: { StatusCode: 403, ErrorCode: 'AccessDeniedException', ErrorMessage: DENIED } } });
    expect(await backend.tagResources([LIVE], { k: 'v' })).toEqual({ [LIVE]: { code: 'AccessDeniedException', message: DENIED } });
  });
});

describe('a Lambda function deleted after the write, before verification', () => {
  it('is verified as not at the plan (no longer exists)', async () => {
    const plan = planFromAudit(anycompanyPolicy(), [resource(LIVE, tagsWith({ [ENV]: undefined, env: 'prod' }))]);
    expect(plan.resources).toHaveLength(1);
    const cloud = new FakeLambda();
    const outcomes = [{ arn: LIVE, accountId: DEV, region: 'us-east-1', resourceType: 'lambda:function', status: 'fixed' as const }];
    const verified = await verifyApplied({ plan, outcomes, backend: cloud.backend(), secrets: new Map() });
    expect(verified).toEqual([{ arn: LIVE, state: 'not-at-plan', detail: expect.stringContaining('no longer exists'), findings: [] }]);
  });
});

describe('undo of a Lambda function deleted since the fix', () => {
  it('is gone: nothing to restore, the rest restored, exit 0', async () => {
    const cloud = new FakeLambda(ESTATE);
    const run = await fix(cloud);
    expect(run.code).toBe(0);
    cloud.tags.delete(GONE);
    const d = deps(run.dir);
    expect(await runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), d, { clients: noClients, backend: cloud.backend() })).toBe(0);
    expect(d.out.text()).toContain(`Gone (deleted since the fix):\n  ${GONE}  *: gone: nothing to restore (deleted since the fix;`);
    expect(d.out.text()).not.toContain('Not read');
    expect(cloud.tags.get(LIVE)).toEqual({ env: 'prod' });
    expect(readFileSync(join(run.dir, 'u.jsonl'), 'utf8')).not.toContain(GONE);
    // The one extra call: ListTags of the function GetResources left out.
    expect(cloud.listTagsAsked()).toEqual([GONE]);
  });

  it('a function whose tags were all removed since is read through Lambda (exists, no tags), not reported as not found', async () => {
    const cloud = new FakeLambda(ESTATE);
    const run = await fix(cloud);
    expect(run.code).toBe(0);
    cloud.tags.set(GONE, {});
    const d = deps(run.dir);
    const code = await runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), d, { clients: noClients, backend: cloud.backend() });
    expect(d.out.text()).not.toContain('resource not found');
    expect(d.out.text()).not.toContain('Gone');
    // Read (as having no tags) and planned by the undo's own rules, like any function that exists.
    expect(d.out.text()).toContain(`${GONE}  (${DEV} us-east-1 lambda:function)`);
    expect(code).not.toBe(3);
  });

  it('without proof (Lambda denies ListTags) it stays "resource not found", exit 3, nothing written to it', async () => {
    const cloud = new FakeLambda(ESTATE);
    const run = await fix(cloud);
    expect(run.code).toBe(0);
    cloud.tags.delete(GONE);
    cloud.hook = () => sdkError('AccessDeniedException', DENIED, 403);
    const d = deps(run.dir);
    expect(await runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), d, { clients: noClients, backend: cloud.backend() })).toBe(3);
    expect(d.out.text()).toContain(`  ${GONE}  *: resource not found — deleted since the fix?`);
    expect(d.out.text()).not.toContain('Gone');
  });

  it('a function that exists although GetResources left it out (its index lagging) is restored, not skipped', async () => {
    const cloud = new FakeLambda(ESTATE);
    const run = await fix(cloud);
    expect(run.code).toBe(0);
    cloud.unindexed.add(GONE);
    const d = deps(run.dir);
    expect(await runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), d, { clients: noClients, backend: cloud.backend() })).toBe(0);
    expect(cloud.tags.get(GONE)).toEqual({ env: 'prod' });
  });
});
