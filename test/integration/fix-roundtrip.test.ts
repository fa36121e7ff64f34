import { writeFileSync } from 'node:fs';
import { ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP, applicationTag, dictionaryYaml, ENV, environmentTag, OWNER, ownerTag } from '../support/dictionary-yaml.js';
import { readEstateTags } from '../support/live-tags.js';
import { useMotoWorkspace } from '../support/moto-workspace.js';
import { clientConfig, createOrganization, credentialsFor, Seeder } from '../support/seed.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const EMAIL = 'jane.doe@example.com';
const BASE = { [APP]: 'app-1234', [OWNER]: 'ml-platform' };

type Tags = Record<string, string>;

const ws = useMotoWorkspace('fix-roundtrip');
let accounts: string[];
const original = new Map<string, Tags>();

function dictionary(accountDefaults: Record<string, string>): string {
  const environment = environmentTag({ valueAliases: { prod: 'production', dev: 'development' }, aliases: ['env', 'Environment'], accountDefaults });
  return dictionaryYaml('fix-roundtrip', [environment, applicationTag(), ownerTag()], { prefixed: true });
}

/** Live tags of every Lambda function and RDS instance in the estate, read with the SDK (not with tagaudit). */
function liveTags(): Promise<Map<string, Tags>> {
  return readEstateTags(ws.moto, accounts, REGIONS, ['lambda:function', 'rds:db']);
}

const scope = (): string[] => ['--regions', REGIONS.join(','), '--accounts', accounts.join(','), '--sources', 'tagging-api'];

beforeAll(async () => {
  const org = await createOrganization(ws.moto, 1);
  accounts = [org.management, ...org.members];
  writeFileSync(ws.path('dictionary.yaml'), dictionary({ [accounts[0]!]: 'development', [accounts[1]!]: 'production' }));
  let n = 0;
  for (const account of accounts) {
    for (const region of REGIONS) {
      await Seeder.using(ws.moto, account, region, async (s) => {
        await s.lambda(`rename-${n}`, { ...BASE, env: 'prod' });
        await s.lambda(`normalize-${n}`, { ...BASE, [ENV]: 'Prod' });
        await s.rdsInstance(`add-${n}`, { ...BASE });
        await s.lambda(`conflict-${n}`, { ...BASE, Environment: 'prod', env: 'production' });
        await s.rdsInstance(`pii-${n}`, { ...BASE, [ENV]: 'production', contact: EMAIL });
        await s.lambda(`clean-${n}`, { ...BASE, [ENV]: 'production' });
        for (const r of s.created) if (r.resourceType !== 'iam:role') original.set(r.arn, { ...r.tags }); // the seeder's execution role is out of scope (--sources tagging-api)
      });
      n++;
    }
  }
});

describe('fix against moto: 2 accounts × 2 regions, Lambda and RDS', () => {
  it('plans (dry run), applies, re-scans clean, and undo restores every tag exactly', async () => {
    expect(await liveTags()).toEqual(original);

    const dry = await ws.cli(['fix', '-d', 'dictionary.yaml', ...scope(), '--fix-pii', 'remove', '--plan-out', 'plan.json']);
    expect(dry.stderr).not.toContain('error');
    expect(dry.code).toBe(1);
    const plan = JSON.parse(ws.read('plan.json'));
    expect(plan.resources).toHaveLength(16);
    expect(await liveTags()).toEqual(original); // a dry run writes nothing

    const applied = await ws.cli(['fix', '--plan', 'plan.json', '--apply', '--yes', '--journal', 'fix.jsonl']);
    expect(applied.stdout).toContain('Applied: 16 resources: 16 written');
    expect(applied.stdout).toContain('Verified: 16 of 16 resources re-read at the planned tags; 0 findings remain on them');
    expect(applied.code).toBe(0);
    expect(applied.stdout + applied.stderr).not.toContain(EMAIL);
    expect(ws.read('fix.jsonl')).not.toContain(EMAIL);

    // Every original value is under its canonical key (normalised where the dictionary maps it); conflicts untouched.
    const after = await liveTags();
    for (const [arn, before] of original) {
      const now = after.get(arn)!;
      const name = arn.split(/[:/]/).pop()!;
      if (name.startsWith('rename')) expect(now).toEqual({ ...BASE, [ENV]: 'production' });
      else if (name.startsWith('normalize')) expect(now).toEqual({ ...BASE, [ENV]: 'production' });
      else if (name.startsWith('add')) expect(now).toEqual({ ...BASE, [ENV]: arn.includes(accounts[0]!) ? 'development' : 'production' });
      else if (name.startsWith('pii')) expect(now).toEqual({ ...BASE, [ENV]: 'production' });
      else expect(now, name).toEqual(before); // conflict-*, clean-*
    }

    const rescan = await ws.cli(['scan', '-d', 'dictionary.yaml', ...scope(), '--format', 'json', '--fail-on', 'none']);
    expect(rescan.code).toBe(0);
    const report = JSON.parse(rescan.stdout);
    const fixable = report.findings.filter((f: { fix?: unknown }) => f.fix);
    expect(fixable).toEqual([]);
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === 'conflicting-tag-keys')).toHaveLength(4);

    const undoDry = await ws.cli(['undo', '--journal', 'fix.jsonl']);
    expect(undoDry.code).toBe(1);
    expect(await liveTags()).toEqual(after);
    const undone = await ws.cli(['undo', '--journal', 'fix.jsonl', '--apply', '--yes', '--undo-journal', 'undo.jsonl']);
    expect(undone.stdout).toContain('Undo: 16 resources: 16 written');
    expect(undone.code).toBe(0);
    expect(await liveTags()).toEqual(original);
    expect(undone.stdout + undone.stderr).not.toContain(EMAIL);
  });
});

describe('fix against moto: SageMaker through its own tag API', () => {
  const REGION = 'us-west-2';
  let arn = '';

  async function modelTags(): Promise<Tags> {
    const client = new SageMakerClient(clientConfig(ws.moto, REGION, await credentialsFor(ws.moto, accounts[0]!)));
    try {
      const out = await client.send(new ListTagsCommand({ ResourceArn: arn }));
      return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
    } finally {
      client.destroy();
    }
  }

  it('renames on a SageMaker model (DeleteTags where UntagResources cannot), and undoes it', async () => {
    arn = await Seeder.using(ws.moto, accounts[0]!, REGION, (s) => s.sagemakerModel('model-rename', { ...BASE, env: 'prod' }));
    const args = ['-d', 'dictionary.yaml', '--regions', REGION, '--accounts', accounts[0]!, '--sources', 'tagging-api,sagemaker'];
    const applied = await ws.cli(['fix', ...args, '--apply', '--yes', '--journal', 'sm.jsonl']);
    expect(applied.stdout).toContain('Verified: 1 of 1 resource re-read at the planned tags');
    expect(applied.code).toBe(0);
    expect(await modelTags()).toEqual({ ...BASE, [ENV]: 'production' });
    const journal = ws.read('sm.jsonl');
    expect(journal).toContain('"api":"sagemaker:DeleteTags"');

    const undone = await ws.cli(['undo', '--journal', 'sm.jsonl', '--apply', '--yes', '--undo-journal', 'sm-undo.jsonl']);
    expect(undone.code).toBe(0);
    expect(await modelTags()).toEqual({ ...BASE, env: 'prod' });
  });
});

describe('fix against moto: PII found on one tag is masked on every tag of the resource', () => {
  const REGION = 'ap-southeast-2';
  const SSN = '078051120';

  it('the plan, journal and undo output never show the number under ticket that is an SSN under ssn; both restored', async () => {
    const tags = { ...BASE, [ENV]: 'production', ssn: SSN, ticket: SSN };
    const arn = await Seeder.using(ws.moto, accounts[0]!, REGION, (s) => s.lambda('pii-twice', tags));
    const read = async (): Promise<Tags> => (await readEstateTags(ws.moto, [accounts[0]!], [REGION], ['lambda:function'])).get(arn)!;
    const args = ['-d', 'dictionary.yaml', '--regions', REGION, '--accounts', accounts[0]!, '--sources', 'tagging-api'];
    const applied = await ws.cli(['fix', ...args, '--fix-pii', 'remove', '--apply', '--yes', '--format', 'json', '--journal', 'pii2.jsonl']);
    expect(applied.code).toBe(0);
    expect(applied.stdout + applied.stderr).not.toContain(SSN);
    expect(ws.read('pii2.jsonl')).not.toContain(SSN);
    // The copy under ticket is PII too: removed with the ssn tag, and restored with it.
    expect(await read()).toEqual({ ...BASE, [ENV]: 'production' });

    const undone = await ws.cli(['undo', '--journal', 'pii2.jsonl', '--apply', '--yes', '--format', 'json', '--undo-journal', 'pii2-undo.jsonl']);
    expect(undone.code).toBe(0);
    expect(undone.stdout + undone.stderr).not.toContain(SSN);
    expect(ws.read('pii2-undo.jsonl')).not.toContain(SSN);
    expect(await read()).toEqual(tags);
  });
});
