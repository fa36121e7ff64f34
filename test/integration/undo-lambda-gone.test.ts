import { DeleteFunctionCommand, LambdaClient, ListTagsCommand, UntagResourceCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dictionaryYaml, ENV, environmentTag } from '../support/dictionary-yaml.js';
import { useMotoWorkspace } from '../support/moto-workspace.js';
import { clientConfig, MANAGEMENT_ACCOUNT, Seeder } from '../support/seed.js';

/*
 * A Lambda function deleted after a fix (finding 10 of the ML-platform acceptance test): GetResources merely leaves it
 * out, which proves nothing, so undo asks Lambda (ListTags), whose ResourceNotFoundException does. The function is
 * listed as gone, the rest is restored, and the undo exits 0 instead of staying incomplete (exit 3) for ever. A
 * function whose tags were all removed since (GetResources leaves it out too) is read through Lambda, never taken
 * for a deleted one.
 */

const REGION = 'eu-west-1';

const ws = useMotoWorkspace('undo-lambda-gone', dictionaryYaml('undo-lambda-gone', [environmentTag()]));
let lambda: LambdaClient;
const arnOf = new Map<string, string>();

/** Each function's tags, read with Lambda's own ListTags (not with tagaudit). */
async function functionTags(name: string): Promise<Record<string, string>> {
  return (await lambda.send(new ListTagsCommand({ Resource: arnOf.get(name)! }))).Tags ?? {};
}

beforeAll(async () => {
  lambda = new LambdaClient(clientConfig(ws.moto, REGION));
  await Seeder.using(ws.moto, MANAGEMENT_ACCOUNT, REGION, async (s) => {
    for (const name of ['repro-router', 'repro-doomed', 'repro-stripped']) arnOf.set(name, await s.lambda(name, { env: 'prod' }));
  });
});

afterAll(() => {
  lambda?.destroy();
});

describe('undo after a fixed Lambda function was deleted (moto)', () => {
  it('lists the deleted function as gone, restores the rest, exits 0; a function stripped of its tags is read, not taken for gone', async () => {
    const scope = ['-d', 'dictionary.yaml', '--regions', REGION, '--sources', 'tagging-api'];
    const applied = await ws.cli(['fix', ...scope, '--apply', '--yes', '--journal', 'fix.jsonl']);
    expect(applied.stdout).toContain('Applied: 3 resources: 3 written');
    expect(applied.code).toBe(0);

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'repro-doomed' }));
    // Someone removed every tag of this one: GetResources no longer returns it either, but it exists.
    await lambda.send(new UntagResourceCommand({ Resource: arnOf.get('repro-stripped')!, TagKeys: [ENV] }));
    expect(await functionTags('repro-stripped')).toEqual({});

    const undone = await ws.cli(['undo', '--journal', 'fix.jsonl', '--apply', '--yes', '--undo-journal', 'undo.jsonl']);
    const gone = arnOf.get('repro-doomed')!;
    expect(undone.stdout).toContain(`Gone (deleted since the fix):\n  ${gone}  *: gone: nothing to restore (deleted since the fix;`);
    expect(undone.stdout).not.toContain('resource not found');
    expect(undone.stdout).not.toContain('Not read');
    expect(undone.stdout).toContain(`${arnOf.get('repro-stripped')}  (${MANAGEMENT_ACCOUNT} ${REGION} lambda:function)`);
    expect({ code: undone.code, stderr: undone.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(await functionTags('repro-router')).toEqual({ env: 'prod' });
    expect(ws.read('undo.jsonl')).not.toContain(gone);
    expect([ws.exists('fix.jsonl.lock'), ws.exists('undo.jsonl.lock')]).toEqual([false, false]);
  });
});
