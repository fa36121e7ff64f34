import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { readLiveTags } from '../support/live-tags.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { credentialsFor, MANAGEMENT_ACCOUNT, Seeder, type Credentials } from '../support/seed.js';

/*
 * The acceptance repro against moto: fix A (a rename, a PII removal) → a function deleted → undo A ends incomplete
 * (exit 3: not found) → fix B of the same drift, its vault deleted to make the PII removal final → undo A run again,
 * as its message asks. That run must write nothing: what the first undo restored and fix B wrote again is B's, and
 * the e-mail B removed stays removed. Only the deleted function is retried (still not found: exit 3).
 * The undo runs cannot reach Lambda (a scan role without lambda:ListTags), so the deletion stays unproven: that is
 * what leaves the first undo unfinished.
 */

const REGION = 'eu-west-1';
const ENV = 'anycompany:workload:environment';
const EMAIL = 'ann.lee@initech.io';

const DICTIONARY = `version: 1
name: undo-finish-again
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
let credentials: Credentials;
const arn: Record<string, string> = {};

function cli(argv: string[]) {
  return runCli(argv, { env: moto.env, cwd: dir });
}

/** An undo that cannot ask Lambda whether the function is gone (nothing listens on port 9). */
function undoCli(argv: string[]) {
  return runCli(argv, { env: { ...moto.env, AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9' }, cwd: dir });
}

async function live(): Promise<Record<string, Record<string, string>>> {
  const tags = await readLiveTags(moto, [{ region: REGION, credentials }], ['lambda:function']);
  return Object.fromEntries(Object.entries(arn).flatMap(([name, a]) => (tags.has(a) ? [[name, { ...tags.get(a)! }]] : [])));
}

beforeAll(async () => {
  moto = await startMoto('undo-finish-again');
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-undo-finish-again-'));
  writeFileSync(join(dir, 'dictionary.yaml'), DICTIONARY);
  credentials = await credentialsFor(moto, MANAGEMENT_ACCOUNT);
  const s = await Seeder.forAccount(moto, MANAGEMENT_ACCOUNT, REGION);
  try {
    arn.scorer = await s.lambda('repro-scorer', { [ENV]: 'production', owner: EMAIL });
    arn.router = await s.lambda('repro-router', { env: 'prod' });
    arn.doomed = await s.lambda('repro-doomed', { env: 'prod' });
  } finally {
    s.close();
  }
});

afterAll(async () => {
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('an unfinished undo run again after a later fix (moto)', () => {
  it('writes nothing of the later fix back, brings no removed PII back, and retries only the deleted function', async () => {
    const scope = ['-d', 'dictionary.yaml', '--regions', REGION, '--sources', 'tagging-api', '--fix-pii', 'remove', '--apply', '--yes'];
    const fixA = await cli(['fix', ...scope, '--journal', 'A.jsonl']);
    expect(fixA.stdout).toContain('Applied: 3 resources: 3 written');

    const lambda = new LambdaClient({ endpoint: moto.endpoint, region: REGION, credentials });
    try {
      await lambda.send(new DeleteFunctionCommand({ FunctionName: 'repro-doomed' }));
    } finally {
      lambda.destroy();
    }
    const undo1 = await undoCli(['undo', '--journal', 'A.jsonl', '--apply', '--yes', '--undo-journal', 'uA1.jsonl']);
    expect(undo1.code).toBe(3);
    expect(await live()).toEqual({ scorer: { [ENV]: 'production', owner: EMAIL }, router: { env: 'prod' } });

    const fixB = await cli(['fix', ...scope, '--journal', 'B.jsonl']);
    expect(fixB.stdout).toContain('Applied: 2 resources: 2 written');
    rmSync(join(dir, 'B.jsonl.pii-vault.jsonl'));
    const afterB = { scorer: { [ENV]: 'production' }, router: { [ENV]: 'production' } };
    expect(await live()).toEqual(afterB);

    const dry = await undoCli(['undo', '--journal', 'A.jsonl']);
    expect(dry.stdout).toContain('Undo plan (dry run; nothing written — add --apply): 0 resources to change');
    for (const again of ['uA2.jsonl', 'uA3.jsonl']) {
      const undo = await undoCli(['undo', '--journal', 'A.jsonl', '--apply', '--yes', '--undo-journal', again]);
      expect(undo.code).toBe(3);
      expect(undo.stdout).toContain(`  ${arn.router}  *: already restored by the earlier undo (${join(dir, 'uA1.jsonl')}); not undone again\n`);
      expect(undo.stdout).toContain(`  ${arn.scorer}  *: already restored by the earlier undo (${join(dir, 'uA1.jsonl')}); not undone again\n`);
      expect(undo.stdout).toContain(`  ${arn.doomed}  *: resource not found — deleted since the fix?`);
      expect(undo.stdout + undo.stderr).not.toContain(EMAIL);
      expect(await live()).toEqual(afterB);
    }
  });
});
