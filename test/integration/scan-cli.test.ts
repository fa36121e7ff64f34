import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import type { Finding } from '../../src/rules/types.js';
import { APP, ENV } from '../support/dictionary-yaml.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { useMotoWorkspace } from '../support/moto-workspace.js';
import { createOrganization, MANAGEMENT_ACCOUNT, Seeder } from '../support/seed.js';

const REGIONS = 'us-east-1,eu-west-1';
/** The CLI's environment for an offline scan: nothing of AWS. */
const NO_AWS = {};
const ws = useMotoWorkspace('scan-cli');
let members: string[];
let seededCount = 0;

async function seed(accountId: string, region: string, n: number): Promise<void> {
  await Seeder.using(ws.moto, accountId, region, async (s) => {
    await s.lambda(`fn-${n}`, { [APP]: 'app-0001', [ENV]: 'production' });
    await s.lambda(`fn-miscased-${n}`, { Environment: 'prod', ApplicationId: 'app-0002' });
    await s.rdsInstance(`db-${n}`, { [APP]: 'app-0003', Owner: 'jane.doe@example.com' });
    await s.s3Bucket(`cli-bucket-${accountId}-${region}`, { [ENV]: 'staging' });
    await s.s3Bucket(`cli-bare-${accountId}-${region}`);
    await s.startConfigRecorder();
    await s.sagemakerModel(`model-${n}`, { [APP]: 'app-0004' });
    await s.sagemakerModel(`model-bare-${n}`);
    const pipeline = await s.pipeline(`pipe-${n}`, { [APP]: 'app-0005', [ENV]: 'production' });
    // A job its pipeline launched, carrying another application id than the pipeline: inherited-tag-drift.
    await s.trainingJob(`train-${n}`, { [APP]: 'app-0009', 'sagemaker:pipeline-execution-arn': `${pipeline}/execution/x${n}` });
    await s.trainingJob(`train-bare-${n}`);
    await s.notebook(`nb-${n}`);
    seededCount += s.created.length;
  });
}

const sortFindings = (fs: readonly Finding[]) => [...fs].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));

beforeAll(async () => {
  const org = await createOrganization(ws.moto, 2);
  members = org.members;
  seededCount += org.accessRoles.length;
  let n = 0;
  for (const accountId of [MANAGEMENT_ACCOUNT, ...members]) for (const region of REGIONS.split(',')) await seed(accountId, region, n++);
});

describe('tagaudit scan (live) against moto', () => {
  let live: { code: number; report: Report; stderr: string };
  let offline: { code: number; report: Report };

  beforeAll(async () => {
    const inventory = ws.path('estate.jsonl');
    const a = await ws.cli(['scan', '--org', '--regions', REGIONS, '--format', 'json', '--fail-on', 'none', '--save-inventory', inventory]);
    live = { code: a.code, report: JSON.parse(a.stdout) as Report, stderr: a.stderr };
    const b = await ws.cli(['scan', '--inventory', inventory, '--format', 'json', '--fail-on', 'none'], NO_AWS);
    offline = { code: b.code, report: JSON.parse(b.stdout) as Report };
  });

  it('scans every account and region completely', () => {
    expect(live.stderr).not.toMatch(/error/i);
    expect(live.code).toBe(0);
    expect(live.report.run.status).toBe('complete');
    expect(live.report.run.scope).toMatchObject({ mode: 'live', regions: ['eu-west-1', 'us-east-1'] });
    expect(live.report.run.scope.accounts).toHaveLength(3);
    expect(live.report.summary.resources).toBe(seededCount);
  });

  it('gives the same findings as an offline audit of the saved inventory', () => {
    expect(offline.code).toBe(0);
    expect(offline.report.run.status).toBe('complete');
    expect(live.report.findings.length).toBeGreaterThan(0);
    expect(sortFindings(offline.report.findings)).toEqual(sortFindings(live.report.findings));
    expect(offline.report.summary).toEqual(live.report.summary);
  });

  it('finds the drift between a pipeline job and its pipeline', () => {
    expect(live.report.findings.filter((f) => f.ruleId === 'inherited-tag-drift' && f.resource.resourceType === 'sagemaker:training-job')).toHaveLength(6);
  });
});

describe('tagaudit scan (live) when a role cannot be assumed', () => {
  let proxy: FaultProxy;

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: ws.moto.endpoint, denyAssumeRoleFor: [members[1]!] });
  });

  afterAll(async () => {
    await proxy?.stop();
  });

  it('reports the account, scans the others, and exits 3', async () => {
    const r = await ws.cli(['scan', '--org', '--regions', REGIONS, '--format', 'json', '--fail-on', 'none'], proxy.env(ws.moto.env));
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.run.status).toBe('partial');
    expect(report.errors).toEqual([expect.objectContaining({ accountId: members[1], source: 'sts', code: 'AccessDenied' })]);
    expect(r.stderr).toContain(members[1]!);
    const accounts = new Set(report.findings.map((f) => f.resource.accountId));
    expect(accounts.has(members[1]!)).toBe(false);
    expect(accounts.has(members[0]!)).toBe(true);
    expect(accounts.has(MANAGEMENT_ACCOUNT)).toBe(true);
  });
});

describe('tagaudit scan flags', () => {
  it('rejects a live flag together with --inventory', async () => {
    const r = await ws.cli(['scan', '--inventory', 'x.jsonl', '--regions', 'us-east-1'], NO_AWS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--regions');
  });

  it('rejects a bad account id before touching AWS', async () => {
    const r = await ws.cli(['scan', '--accounts', '12345']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--accounts: not a 12-digit AWS account id');
  });
});

describe('--save-inventory of a partial scan', () => {
  it('keeps the gaps, so an offline re-run is incomplete too', async () => {
    const proxy = await startFaultProxy({ target: ws.moto.endpoint, denyAssumeRoleFor: [members[0]!] });
    try {
      const inventory = ws.path('partial.jsonl');
      const a = await ws.cli(['scan', '--org', '--regions', 'us-east-1', '--format', 'json', '--fail-on', 'none', '--save-inventory', inventory], proxy.env(ws.moto.env));
      expect(a.code).toBe(3);
      expect(readFileSync(inventory, 'utf8')).toContain('"scanError"');
      const b = await ws.cli(['scan', '--inventory', inventory, '--format', 'json', '--fail-on', 'none'], NO_AWS);
      expect(b.code).toBe(3);
      expect((JSON.parse(b.stdout) as Report).run.status).toBe('partial');
    } finally {
      await proxy.stop();
    }
  });
});
