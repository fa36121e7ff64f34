import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTagsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { readLiveTags } from '../support/live-tags.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { createOrganization, credentialsFor, Seeder } from '../support/seed.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const ENV = 'anycompany:workload:environment';
const APP = 'anycompany:workload:application-id';
const OWNER = 'anycompany:finance:owner';
const EMAIL = 'jane.doe@example.com';
const BASE = { [APP]: 'app-1234', [OWNER]: 'ml-platform' };

type Tags = Record<string, string>;

let moto: MotoServer;
let accounts: string[];
let dir: string;
const original = new Map<string, Tags>();

function dictionary(defaults: Record<string, string>): string {
  return `version: 1
name: fix-roundtrip
conventions:
  keyCase: kebab
  requiredPrefix: "anycompany:"
  unknownKeys: off
tags:
  - key: ${ENV}
    category: workload
    purpose: Environment
    mandatory: true
    costAllocation: true
    values: [development, staging, production]
    valueAliases: { prod: production, dev: development }
    aliases: [env, Environment]
    accountDefaults:
${Object.entries(defaults)
  .map(([a, v]) => `      "${a}": ${v}`)
  .join('\n')}
  - key: ${APP}
    category: workload
    purpose: Application
    mandatory: true
    costAllocation: true
    pattern: '^app-[0-9]{4}$'
  - key: ${OWNER}
    category: financial
    purpose: Owner
    mandatory: true
    costAllocation: true
    pattern: '^[a-z][a-z0-9-]*$'
`;
}

/** Live tags of every Lambda function and RDS instance in the estate, read with the SDK (not with tagaudit). */
async function liveTags(): Promise<Map<string, Tags>> {
  const scopes = [];
  for (const account of accounts) {
    const credentials = await credentialsFor(moto, account);
    for (const region of REGIONS) scopes.push({ region, credentials });
  }
  return readLiveTags(moto, scopes, ['lambda:function', 'rds:db']);
}

function cli(argv: string[]) {
  return runCli(argv, { env: moto.env, cwd: dir });
}

const scope = (): string[] => ['--regions', REGIONS.join(','), '--accounts', accounts.join(','), '--sources', 'tagging-api'];

beforeAll(async () => {
  moto = await startMoto('fix-roundtrip');
  const org = await createOrganization(moto, 1);
  accounts = [org.management, ...org.members];
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-fix-roundtrip-'));
  writeFileSync(join(dir, 'dictionary.yaml'), dictionary({ [accounts[0]!]: 'development', [accounts[1]!]: 'production' }));
  let n = 0;
  for (const account of accounts) {
    for (const region of REGIONS) {
      const s = await Seeder.forAccount(moto, account, region);
      try {
        await s.lambda(`rename-${n}`, { ...BASE, env: 'prod' });
        await s.lambda(`normalize-${n}`, { ...BASE, [ENV]: 'Prod' });
        await s.rdsInstance(`add-${n}`, { ...BASE });
        await s.lambda(`conflict-${n}`, { ...BASE, Environment: 'prod', env: 'production' });
        await s.rdsInstance(`pii-${n}`, { ...BASE, [ENV]: 'production', contact: EMAIL });
        await s.lambda(`clean-${n}`, { ...BASE, [ENV]: 'production' });
        for (const r of s.created) if (r.resourceType !== 'iam:role') original.set(r.arn, { ...r.tags }); // the seeder's execution role is out of scope (--sources tagging-api)
      } finally {
        s.close();
      }
      n++;
    }
  }
});

afterAll(async () => {
  await moto?.stop();
});

describe('fix against moto: 2 accounts × 2 regions, Lambda and RDS', () => {
  it('plans (dry run), applies, re-scans clean, and undo restores every tag exactly', async () => {
    expect(await liveTags()).toEqual(original);

    const dry = await cli(['fix', '-d', 'dictionary.yaml', ...scope(), '--fix-pii', 'remove', '--plan-out', 'plan.json']);
    expect(dry.stderr).not.toContain('error');
    expect(dry.code).toBe(1);
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    expect(plan.resources).toHaveLength(16);
    expect(await liveTags()).toEqual(original); // a dry run writes nothing

    const applied = await cli(['fix', '--plan', 'plan.json', '--apply', '--yes', '--journal', 'fix.jsonl']);
    expect(applied.stdout).toContain('Applied: 16 resources: 16 written');
    expect(applied.stdout).toContain('Verified: 16 of 16 resources re-read at the planned tags; 0 findings remain on them');
    expect(applied.code).toBe(0);
    expect(applied.stdout + applied.stderr).not.toContain(EMAIL);
    expect(readFileSync(join(dir, 'fix.jsonl'), 'utf8')).not.toContain(EMAIL);

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

    const rescan = await cli(['scan', '-d', 'dictionary.yaml', ...scope(), '--format', 'json', '--fail-on', 'none']);
    expect(rescan.code).toBe(0);
    const report = JSON.parse(rescan.stdout);
    const fixable = report.findings.filter((f: { fix?: unknown }) => f.fix);
    expect(fixable).toEqual([]);
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === 'conflicting-tag-keys')).toHaveLength(4);

    const undoDry = await cli(['undo', '--journal', 'fix.jsonl']);
    expect(undoDry.code).toBe(1);
    expect(await liveTags()).toEqual(after);
    const undone = await cli(['undo', '--journal', 'fix.jsonl', '--apply', '--yes', '--undo-journal', 'undo.jsonl']);
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
    const client = new SageMakerClient({ endpoint: moto.endpoint, region: REGION, credentials: await credentialsFor(moto, accounts[0]!) });
    try {
      const out = await client.send(new ListTagsCommand({ ResourceArn: arn }));
      return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
    } finally {
      client.destroy();
    }
  }

  it('renames on a SageMaker model (DeleteTags where UntagResources cannot), and undoes it', async () => {
    const s = await Seeder.forAccount(moto, accounts[0]!, REGION);
    try {
      arn = await s.sagemakerModel('model-rename', { ...BASE, env: 'prod' });
    } finally {
      s.close();
    }
    const args = ['-d', 'dictionary.yaml', '--regions', REGION, '--accounts', accounts[0]!, '--sources', 'tagging-api,sagemaker'];
    const applied = await cli(['fix', ...args, '--apply', '--yes', '--journal', 'sm.jsonl']);
    expect(applied.stdout).toContain('Verified: 1 of 1 resource re-read at the planned tags');
    expect(applied.code).toBe(0);
    expect(await modelTags()).toEqual({ ...BASE, [ENV]: 'production' });
    const journal = readFileSync(join(dir, 'sm.jsonl'), 'utf8');
    expect(journal).toContain('"api":"sagemaker:DeleteTags"');

    const undone = await cli(['undo', '--journal', 'sm.jsonl', '--apply', '--yes', '--undo-journal', 'sm-undo.jsonl']);
    expect(undone.code).toBe(0);
    expect(await modelTags()).toEqual({ ...BASE, env: 'prod' });
  });
});

describe('fix against moto: PII found on one tag is masked on every tag of the resource', () => {
  const REGION = 'ap-southeast-2';
  const SSN = '078051120';

  it('the plan, journal and undo output never show the number under ticket that is an SSN under ssn; both restored', async () => {
    const s = await Seeder.forAccount(moto, accounts[0]!, REGION);
    let arn: string;
    const tags = { ...BASE, [ENV]: 'production', ssn: SSN, ticket: SSN };
    try {
      arn = await s.lambda('pii-twice', tags);
    } finally {
      s.close();
    }
    const read = async (): Promise<Tags> => (await readLiveTags(moto, [{ region: REGION, credentials: await credentialsFor(moto, accounts[0]!) }], ['lambda:function'])).get(arn)!;
    const args = ['-d', 'dictionary.yaml', '--regions', REGION, '--accounts', accounts[0]!, '--sources', 'tagging-api'];
    const applied = await cli(['fix', ...args, '--fix-pii', 'remove', '--apply', '--yes', '--format', 'json', '--journal', 'pii2.jsonl']);
    expect(applied.code).toBe(0);
    expect(applied.stdout + applied.stderr).not.toContain(SSN);
    expect(readFileSync(join(dir, 'pii2.jsonl'), 'utf8')).not.toContain(SSN);
    // The copy under ticket is PII too: removed with the ssn tag, and restored with it.
    expect(await read()).toEqual({ ...BASE, [ENV]: 'production' });

    const undone = await cli(['undo', '--journal', 'pii2.jsonl', '--apply', '--yes', '--format', 'json', '--undo-journal', 'pii2-undo.jsonl']);
    expect(undone.code).toBe(0);
    expect(undone.stdout + undone.stderr).not.toContain(SSN);
    expect(readFileSync(join(dir, 'pii2-undo.jsonl'), 'utf8')).not.toContain(SSN);
    expect(await read()).toEqual(tags);
  });
});
