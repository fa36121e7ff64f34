import { rmSync } from 'node:fs';
import { DeleteFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { dictionaryYaml, ENV, environmentTag } from '../support/dictionary-yaml.js';
import { readEstateTags } from '../support/live-tags.js';
import { useMotoWorkspace } from '../support/moto-workspace.js';
import { clientConfig, MANAGEMENT_ACCOUNT, Seeder } from '../support/seed.js';

/*
 * The acceptance repro against moto: fix A (a rename, a PII removal) → a function deleted → undo A ends incomplete
 * (exit 3: not found) → fix B of the same drift, its vault deleted to make the PII removal final → undo A run again,
 * as its message asks. That run must write nothing: what the first undo restored and fix B wrote again is B's, and
 * the e-mail B removed stays removed. Only the deleted function is retried (still not found: exit 3).
 * The undo runs cannot reach Lambda (a scan role without lambda:ListTags), so the deletion stays unproven: that is
 * what leaves the first undo unfinished.
 */

const REGION = 'eu-west-1';
const EMAIL = 'ann.lee@initech.io';

const ws = useMotoWorkspace('undo-finish-again', dictionaryYaml('undo-finish-again', [environmentTag()]));
const arn: Record<string, string> = {};

/** An undo that cannot ask Lambda whether the function is gone (nothing listens on port 9). */
function undoCli(argv: string[]) {
  return ws.cli(argv, { ...ws.moto.env, AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9' });
}

async function live(): Promise<Record<string, Record<string, string>>> {
  const tags = await readEstateTags(ws.moto, [MANAGEMENT_ACCOUNT], [REGION], ['lambda:function']);
  return Object.fromEntries(Object.entries(arn).flatMap(([name, a]) => (tags.has(a) ? [[name, { ...tags.get(a)! }]] : [])));
}

beforeAll(async () => {
  await Seeder.using(ws.moto, MANAGEMENT_ACCOUNT, REGION, async (s) => {
    arn.scorer = await s.lambda('repro-scorer', { [ENV]: 'production', owner: EMAIL });
    arn.router = await s.lambda('repro-router', { env: 'prod' });
    arn.doomed = await s.lambda('repro-doomed', { env: 'prod' });
  });
});

describe('an unfinished undo run again after a later fix (moto)', () => {
  it('writes nothing of the later fix back, brings no removed PII back, and retries only the deleted function', async () => {
    const scope = ['-d', 'dictionary.yaml', '--regions', REGION, '--sources', 'tagging-api', '--fix-pii', 'remove', '--apply', '--yes'];
    const fixA = await ws.cli(['fix', ...scope, '--journal', 'A.jsonl']);
    expect(fixA.stdout).toContain('Applied: 3 resources: 3 written');

    const lambda = new LambdaClient(clientConfig(ws.moto, REGION));
    try {
      await lambda.send(new DeleteFunctionCommand({ FunctionName: 'repro-doomed' }));
    } finally {
      lambda.destroy();
    }
    const undo1 = await undoCli(['undo', '--journal', 'A.jsonl', '--apply', '--yes', '--undo-journal', 'uA1.jsonl']);
    expect(undo1.code).toBe(3);
    expect(await live()).toEqual({ scorer: { [ENV]: 'production', owner: EMAIL }, router: { env: 'prod' } });

    const fixB = await ws.cli(['fix', ...scope, '--journal', 'B.jsonl']);
    expect(fixB.stdout).toContain('Applied: 2 resources: 2 written');
    rmSync(ws.path('B.jsonl.pii-vault.jsonl'));
    const afterB = { scorer: { [ENV]: 'production' }, router: { [ENV]: 'production' } };
    expect(await live()).toEqual(afterB);

    const dry = await undoCli(['undo', '--journal', 'A.jsonl']);
    expect(dry.stdout).toContain('Undo plan (dry run; nothing written — add --apply): 0 resources to change');
    for (const again of ['uA2.jsonl', 'uA3.jsonl']) {
      const undo = await undoCli(['undo', '--journal', 'A.jsonl', '--apply', '--yes', '--undo-journal', again]);
      expect(undo.code).toBe(3);
      expect(undo.stdout).toContain(`  ${arn.router}  *: already restored by the earlier undo (${ws.path('uA1.jsonl')}); not undone again\n`);
      expect(undo.stdout).toContain(`  ${arn.scorer}  *: already restored by the earlier undo (${ws.path('uA1.jsonl')}); not undone again\n`);
      expect(undo.stdout).toContain(`  ${arn.doomed}  *: resource not found — deleted since the fix?`);
      expect(undo.stdout + undo.stderr).not.toContain(EMAIL);
      expect(await live()).toEqual(afterB);
    }
  });
});
