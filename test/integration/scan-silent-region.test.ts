/**
 * A regional endpoint that accepts connections and never answers (a firewall, a blackholed region): the built CLI
 * gives every AWS call a deadline, so that region becomes a reported gap (exit 3, the reports written) while the
 * other region is scanned in full, and the run ends in seconds instead of never.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { applicationTag, dictionaryYaml, environmentTag } from '../support/dictionary-yaml.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { useMotoWorkspace } from '../support/moto-workspace.js';
import { MANAGEMENT_ACCOUNT, Seeder, type SeededResource } from '../support/seed.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/tagaudit');
const ws = useMotoWorkspace('scan-silent-region', dictionaryYaml('silent-region', [environmentTag(), applicationTag()], { prefixed: true }));
const seeded: SeededResource[] = [];

function runCli(argv: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...argv], {
    cwd: ws.dir,
    env: { PATH: process.env.PATH ?? '', HOME: ws.dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // Before the fix this never ended: kill it well before the test's own time-out, so the failure says why.
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/cli/run.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  for (const region of ['us-east-1', 'eu-west-1'])
    await Seeder.using(ws.moto, MANAGEMENT_ACCOUNT, region, async (s) => {
      await s.lambda(`fn-${region}`, { env: 'prod' });
      await s.sagemakerModel(`model-${region}`);
      seeded.push(...s.created.filter((r) => r.resourceType !== 'iam:role'));
    });
  // moto loads each service's backends on first use, which can take longer than the short deadline used below.
  const warm = await runCli(['scan', '-d', 'dictionary.yaml', '--regions', 'us-east-1,eu-west-1', '--sources', 'tagging-api,sagemaker', '--fail-on', 'none'], ws.moto.env);
  expect(warm.code).toBe(0);
}, 120_000);

describe('a region whose endpoint accepts connections and never answers', () => {
  let proxy: FaultProxy;
  let run: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: ws.moto.endpoint, silentRegions: ['eu-west-1'] });
    run = await runCli(
      [
        'scan', '-d', 'dictionary.yaml', '--regions', 'us-east-1,eu-west-1', '--sources', 'tagging-api,sagemaker', '--request-timeout', '3',
        '--output-json', 'report.json', '--save-inventory', 'inventory.jsonl', '--fail-on', 'none',
      ],
      proxy.env(ws.moto.env),
    );
  }, 90_000);

  afterAll(async () => {
    await proxy?.stop();
  });

  it('ends in seconds, incomplete (exit 3), with the reports written', () => {
    expect(run.stderr).not.toMatch(/@smithy|requestTimeout|throwOnRequestTimeout/);
    expect(run.code).toBe(3);
    expect(run.ms).toBeLessThan(30_000);
    expect(ws.exists('report.json')).toBe(true);
    expect(ws.exists('inventory.jsonl')).toBe(true);
    expect(Object.values(proxy.counts()).reduce((n, c) => n + c.silenced, 0)).toBeGreaterThan(0);
  });

  it('reports the silent region as gaps that say it did not answer, and nothing else', () => {
    const report = JSON.parse(ws.read('report.json')) as Report;
    expect(report.run.status).toBe('partial');
    expect(report.errors.length).toBeGreaterThan(0);
    for (const e of report.errors) {
      expect(e).toMatchObject({ accountId: MANAGEMENT_ACCOUNT, region: 'eu-west-1' });
      expect(e.message).toContain('no answer within 3 s (request timeout, --request-timeout)');
    }
    expect(new Set(report.errors.map((e) => e.source))).toEqual(new Set(['tagging-api', 'autoscaling', 'sagemaker']));
    expect(run.stderr).toMatch(/eu-west-1/);
  });

  it('still reports every resource of the region that answers', () => {
    const lines = ws
      .read('inventory.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { arn?: string; region?: string; scanError?: unknown });
    const arns = lines.filter((l) => l.arn).map((l) => l.arn);
    const expected = seeded.filter((r) => r.arn.includes(':us-east-1:')).map((r) => r.arn);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(arns.sort()).toEqual(expected.sort());
    expect(lines.filter((l) => l.scanError).length).toBeGreaterThan(0);
  });
});
