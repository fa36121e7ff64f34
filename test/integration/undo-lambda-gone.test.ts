import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteFunctionCommand, LambdaClient, ListTagsCommand, UntagResourceCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { credentialsFor, MANAGEMENT_ACCOUNT, Seeder } from '../support/seed.js';

/*
 * A Lambda function deleted after a fix (finding 10 of the ML-platform acceptance test): GetResources merely leaves it
 * out, which proves nothing, so undo asks Lambda (ListTags), whose ResourceNotFoundException does. The function is
 * listed as gone, the rest is restored, and the undo exits 0 instead of staying incomplete (exit 3) for ever. A
 * function whose tags were all removed since (GetResources leaves it out too) is read through Lambda, never taken
 * for a deleted one.
 */

const REGION = 'eu-west-1';
const ENV = 'anycompany:workload:environment';

const DICTIONARY = `version: 1
name: undo-lambda-gone
conventions:
  unknownKeys: off
tags:
  - key: ${ENV}
    category: workload
    purpose: Environment
    mandatory: true
    costAllocation: true
    values: [development, staging, production]
    valueAliases: { prod: production }
    aliases: [env]
`;

let moto: MotoServer;
let dir: string;
let lambda: LambdaClient;
const arnOf = new Map<string, string>();

/** Each function's tags, read with Lambda's own ListTags (not with tagaudit). */
async function functionTags(name: string): Promise<Record<string, string>> {
  return (await lambda.send(new ListTagsCommand({ Resource: arnOf.get(name)! }))).Tags ?? {};
}

function cli(argv: string[]) {
  return runCli(argv, { env: moto.env, cwd: dir });
}

beforeAll(async () => {
  moto = await startMoto('undo-lambda-gone');
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-undo-lambda-gone-'));
  writeFileSync(join(dir, 'dictionary.yaml'), DICTIONARY);
  const credentials = await credentialsFor(moto, MANAGEMENT_ACCOUNT);
  lambda = new LambdaClient({ endpoint: moto.endpoint, region: REGION, credentials });
  const s = new Seeder(moto, MANAGEMENT_ACCOUNT, REGION, credentials);
  try {
    for (const name of ['repro-router', 'repro-doomed', 'repro-stripped']) arnOf.set(name, await s.lambda(name, { env: 'prod' }));
  } finally {
    s.close();
  }
});

afterAll(async () => {
  lambda?.destroy();
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('undo after a fixed Lambda function was deleted (moto)', () => {
  it('lists the deleted function as gone, restores the rest, exits 0; a function stripped of its tags is read, not taken for gone', async () => {
    const scope = ['-d', 'dictionary.yaml', '--regions', REGION, '--sources', 'tagging-api'];
    const applied = await cli(['fix', ...scope, '--apply', '--yes', '--journal', 'fix.jsonl']);
    expect(applied.stdout).toContain('Applied: 3 resources: 3 written');
    expect(applied.code).toBe(0);

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'repro-doomed' }));
    // Someone removed every tag of this one: GetResources no longer returns it either, but it exists.
    await lambda.send(new UntagResourceCommand({ Resource: arnOf.get('repro-stripped')!, TagKeys: [ENV] }));
    expect(await functionTags('repro-stripped')).toEqual({});

    const undone = await cli(['undo', '--journal', 'fix.jsonl', '--apply', '--yes', '--undo-journal', 'undo.jsonl']);
    const gone = arnOf.get('repro-doomed')!;
    expect(undone.stdout).toContain(`Gone (deleted since the fix):\n  ${gone}  *: gone: nothing to restore (deleted since the fix;`);
    expect(undone.stdout).not.toContain('resource not found');
    expect(undone.stdout).not.toContain('Not read');
    expect(undone.stdout).toContain(`${arnOf.get('repro-stripped')}  (${MANAGEMENT_ACCOUNT} ${REGION} lambda:function)`);
    expect({ code: undone.code, stderr: undone.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(await functionTags('repro-router')).toEqual({ env: 'prod' });
    expect(readFileSync(join(dir, 'undo.jsonl'), 'utf8')).not.toContain(gone);
    expect([existsSync(join(dir, 'fix.jsonl.lock')), existsSync(join(dir, 'undo.jsonl.lock'))]).toEqual([false, false]);
  });
});
