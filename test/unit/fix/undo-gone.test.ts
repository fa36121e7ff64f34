import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallFailure } from '../../../src/fix/journal.js';
import type { TagBackend } from '../../../src/fix/backend.js';
import { runFix } from '../../../src/fix/fix-command.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import { isGoneFailure } from '../../../src/fix/undo-run.js';
import { DEV, ENV, ESTATE, deps, fixOptions, lambdaArn, noClients, undoOptions, workspace } from './command-fixture.js';
import { FakeIam } from './iam-fake.js';
import { MemoryCloud } from './memory-cloud.js';

const MODEL = `arn:aws:sagemaker:us-east-1:${DEV}:model/scorer`;

/**
 * The in-memory Tagging API, with what a resource's own service answers when it is read by name: `missing` (IAM's
 * NoSuchEntity, an Auto Scaling group not returned) or a read failure (SageMaker ListTags).
 */
function withServiceReads(cloud: MemoryCloud, missing: Set<string>, failures: Map<string, CallFailure>): TagBackend {
  const inner = cloud.backend();
  return async (accountId, region) => {
    const b = await inner(accountId, region);
    return {
      ...b,
      async readTags(resources) {
        const read = await b.readTags(resources);
        const failed = new Map(read.failed);
        for (const r of resources) {
          const f = failures.get(r.arn);
          if (f) failed.set(r.arn, f);
        }
        return { tags: read.tags, failed, missing: new Set(resources.filter((r) => missing.has(r.arn)).map((r) => r.arn)) };
      },
    };
  };
}

/** Fixes the estate (every resource written), then returns what undo needs. */
async function fixed(estate: Record<string, Record<string, string>> = { ...ESTATE }) {
  const { dir, inventory, dictionary } = workspace(estate);
  const cloud = new MemoryCloud(estate);
  const missing = new Set<string>();
  const failures = new Map<string, CallFailure>();
  const backend = withServiceReads(cloud, missing, failures);
  expect(await runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'j.jsonl' }), deps(dir), { clients: noClients, backend })).toBe(0);
  cloud.calls.length = 0;
  return { dir, cloud, missing, failures, backend };
}

function writtenArns(cloud: MemoryCloud): string[] {
  return [...new Set(cloud.writes().flatMap((c) => c.arns))].sort();
}

describe('undo of a resource its service says no longer exists', () => {
  it('reports it as gone, restores the rest, and exits 0 (everything that exists is restored)', async () => {
    const f = await fixed();
    f.cloud.tags.delete(lambdaArn('a'));
    f.missing.add(lambdaArn('a'));
    const d = deps(f.dir);
    expect(await runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), d, { clients: noClients, backend: f.backend })).toBe(0);
    expect(d.out.text()).toContain(`Gone (deleted since the fix):\n  ${lambdaArn('a')}  *: gone: nothing to restore (deleted since the fix; Lambda: ListTags answered ResourceNotFoundException)\n`);
    expect(d.out.text()).toContain('Undo: 2 resources: 2 written');
    expect(writtenArns(f.cloud)).toEqual([lambdaArn('b'), lambdaArn('c')]);
    expect(f.cloud.snapshot()).toEqual({ [lambdaArn('b')]: ESTATE[lambdaArn('b')], [lambdaArn('c')]: ESTATE[lambdaArn('c')] });
    // The undo journal plans nothing for it.
    expect(readFileSync(join(f.dir, 'u.jsonl'), 'utf8')).not.toContain(lambdaArn('a'));
  });

  it('the dry run says so too; with nothing else to restore it exits 0, and --format json lists it under "gone"', async () => {
    const f = await fixed({ [lambdaArn('a')]: { env: 'prod' } });
    f.cloud.tags.delete(lambdaArn('a'));
    f.missing.add(lambdaArn('a'));
    const d = deps(f.dir);
    expect(await runUndo(undoOptions('j.jsonl', { apply: false, yes: false }), d, { clients: noClients, backend: f.backend })).toBe(0);
    expect(d.out.text()).toContain('1 resource written by the journal; 0 already as before; 1 gone (deleted since the fix)\n');
    const json = deps(f.dir);
    expect(await runUndo(undoOptions('j.jsonl', { apply: false, yes: false, format: 'json' }), json, { clients: noClients, backend: f.backend })).toBe(0);
    const printed = JSON.parse(json.out.text()) as { gone: unknown[]; leftAlone: unknown[]; unread: unknown[] };
    expect(printed.gone).toEqual([{ arn: lambdaArn('a'), key: '*', reason: 'gone: nothing to restore (deleted since the fix; Lambda: ListTags answered ResourceNotFoundException)' }]);
    expect(printed.leftAlone).toEqual([]);
    expect(printed.unread).toEqual([]);
    expect(f.cloud.writes()).toEqual([]);
  });

  it('an IAM user deleted since the fix (NoSuchEntity, through the real IAM reader) is gone; the other user is restored', async () => {
    const alice = `arn:aws:iam::${DEV}:user/alice`;
    const bob = `arn:aws:iam::${DEV}:user/bob`;
    const { dir, inventory, dictionary } = workspace({ [alice]: { env: 'prod' }, [bob]: { env: 'prod' } });
    const iam = new FakeIam();
    iam.add('user', 'alice', { env: 'prod' });
    iam.add('user', 'bob', { env: 'prod' });
    expect(await runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'j.jsonl' }), deps(dir), { clients: noClients, backend: iam.backend() })).toBe(0);
    expect(iam.tags('user', 'alice')).toEqual({ [ENV]: 'production' });
    iam.principals.delete('user/alice');
    const d = deps(dir);
    expect(await runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), d, { clients: noClients, backend: iam.backend() })).toBe(0);
    expect(d.out.text()).toContain(`  ${alice}  *: gone: nothing to restore (deleted since the fix; IAM: NoSuchEntity)\n`);
    expect(iam.tags('user', 'bob')).toEqual({ env: 'prod' });
  });

  it('a SageMaker model whose ListTags says it cannot be found is gone; another read failure stays a failure (exit 3)', async () => {
    const f = await fixed({ [MODEL]: { env: 'prod' }, [lambdaArn('a')]: { env: 'prod' } });
    f.cloud.tags.delete(MODEL);
    f.failures.set(MODEL, { code: 'ValidationException', message: `Could not find model "${MODEL}".` });
    const gone = deps(f.dir);
    expect(await runUndo(undoOptions('j.jsonl', { undoJournal: 'u1.jsonl' }), gone, { clients: noClients, backend: f.backend })).toBe(0);
    expect(gone.out.text()).toContain(`  ${MODEL}  *: gone: nothing to restore (deleted since the fix; SageMaker: ValidationException)\n`);
    expect(f.cloud.tags.get(lambdaArn('a'))).toEqual({ env: 'prod' });

    f.failures.set(MODEL, { code: 'ThrottlingException', message: 'Rate exceeded' });
    const throttled = deps(f.dir);
    // The journal was undone above (exit 0): undoing it again takes --force.
    expect(await runUndo(undoOptions('j.jsonl', { undoJournal: 'u2.jsonl', force: true }), throttled, { clients: noClients, backend: f.backend })).toBe(3);
    expect(throttled.out.text()).toContain(`Not read (nothing planned):\n  ${MODEL}  *: could not read current tags: ThrottlingException: Rate exceeded\n`);
    expect(throttled.out.text()).not.toContain('Gone');
  });
});

describe('undo of a resource the Tagging API no longer returns (no proof it is gone)', () => {
  it('is reported as not found (exit 3), nothing is written to it, and the rest is restored', async () => {
    const f = await fixed();
    // GetResources returns every resource ever tagged: one that was tagged and is not returned is most likely
    // deleted, but its index can lag, so it is not skipped as gone.
    f.cloud.tags.delete(lambdaArn('a'));
    const d = deps(f.dir);
    expect(await runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), d, { clients: noClients, backend: f.backend })).toBe(3);
    expect(d.out.text()).toContain(
      `Not read (nothing planned):\n  ${lambdaArn('a')}  *: resource not found — deleted since the fix? GetResources did not return it although it was tagged, so its current tags are unknown; nothing planned (run the undo again if it still exists)\n`,
    );
    expect(d.out.text()).not.toContain('Gone');
    expect(writtenArns(f.cloud)).toEqual([lambdaArn('b'), lambdaArn('c')]);
    expect(f.cloud.tags.get(lambdaArn('b'))).toEqual(ESTATE[lambdaArn('b')]);
  });

  it('one never tagged, whose only write failed, is not returned either: nothing to restore, not a failure', async () => {
    const bare = lambdaArn('bare');
    const { dir, inventory, dictionary } = workspace({ [bare]: {}, [lambdaArn('a')]: { env: 'prod' } });
    // AWS does not return a never-tagged resource: it is not in the in-memory Tagging API until tagged.
    const cloud = new MemoryCloud({ [lambdaArn('a')]: { env: 'prod' } });
    cloud.hook = (call) => (call.arns.includes(bare) ? { [bare]: { code: 'AccessDeniedException', message: 'denied' } } : undefined);
    expect(await runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'j.jsonl' }), deps(dir), { clients: noClients, backend: cloud.backend() })).toBe(3);
    cloud.hook = undefined;
    const d = deps(dir);
    expect(await runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), d, { clients: noClients, backend: cloud.backend() })).toBe(0);
    expect(d.out.text()).not.toContain('not found');
    expect(cloud.tags.get(lambdaArn('a'))).toEqual({ env: 'prod' });
  });
});

describe('isGoneFailure: only positive evidence, and only where a read by ARN gives it', () => {
  it.each([
    ['sagemaker:model', 'ResourceNotFound', 'Model not found', true],
    ['sagemaker:endpoint', 'ValidationException', 'Could not find endpoint "x".', true],
    ['sagemaker:model', 'ValidationException', "1 validation error detected: Value 'x' at 'resourceArn' failed to satisfy constraint", false],
    ['sagemaker:model', 'ThrottlingException', 'Rate exceeded', false],
    ['sagemaker:model', 'InternalFailure', 'We encountered an internal error. Please try again.', false],
    ['lambda:function', 'ResourceNotFoundException', 'Function not found', false],
  ])('%s %s "%s" → %s', (type, code, message, expected) => {
    expect(isGoneFailure(type, { code, message })).toBe(expected);
  });
});
