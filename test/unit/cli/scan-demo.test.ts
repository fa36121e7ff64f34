import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { readInventory } from '../../../src/inventory/read-inventory.js';
import type { Resource } from '../../../src/inventory/resource.js';
import { runCli } from '../../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');

async function load(path: string): Promise<Resource[]> {
  const out: Resource[] = [];
  for await (const r of readInventory(path, { onBadLine: 'fail', cwd: ROOT })) out.push(r);
  return out;
}

describe('the bundled demo estate', () => {
  it('is what scripts/make-demo-estate.mjs generates (deterministic)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagaudit-demo-'));
    execFileSync(process.execPath, [join(ROOT, 'scripts/make-demo-estate.mjs'), dir], { stdio: 'pipe' });
    for (const f of ['demo-estate.jsonl', 'get-resources.json']) {
      expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join(ROOT, 'examples', f), 'utf8'));
    }
  });

  it('spans 2 accounts × 2 regions, is SageMaker-heavy and links children to parents present in it', async () => {
    const rs = await load('examples/demo-estate.jsonl');
    expect(rs.length).toBeGreaterThan(200);
    expect(rs.length).toBeLessThan(500);
    expect(new Set(rs.map((r) => r.accountId))).toEqual(new Set(['111122223333', '444455556666']));
    expect(new Set(rs.filter((r) => r.region !== 'global').map((r) => r.region))).toEqual(new Set(['us-east-1', 'eu-west-1']));
    const types = new Set(rs.map((r) => r.resourceType));
    for (const t of ['sagemaker:training-job', 'sagemaker:endpoint', 'sagemaker:model', 'sagemaker:notebook-instance', 'sagemaker:pipeline', 's3:bucket', 'lambda:function', 'ec2:instance', 'rds:db'])
      expect(types, t).toContain(t);
    expect(rs.filter((r) => r.service === 'sagemaker').length / rs.length).toBeGreaterThan(0.6);
    const arns = new Set(rs.map((r) => r.arn));
    const links = rs.flatMap((r) => r.parentArns ?? []);
    expect(links.length).toBeGreaterThan(50);
    for (const p of links) expect(arns, p).toContain(p);
    for (const s of ['Completed', 'Failed', 'InProgress']) expect(rs.some((r) => r.resourceType.endsWith('-job') && r.state === s), s).toBe(true);
  });

  it('scans with findings from every rule, none of them exposing the planted PII', async () => {
    const r = await runCli(['scan', '--inventory', 'examples/demo-estate.jsonl', '--format', 'json'], { cwd: ROOT });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('tagaudit: no --dictionary and no ./tagaudit.yaml; using bundled dictionaries/anycompany.yaml\n');
    const report = JSON.parse(r.stdout);
    const rs = await load('examples/demo-estate.jsonl');
    expect(report.run.status).toBe('complete');
    expect(report.summary.resources).toBe(rs.length);
    expect(Object.keys(report.summary.byRule).sort()).toEqual(report.rules.map((m: { id: string }) => m.id).sort());
    expect(report.rules).toHaveLength(11);
    for (const sev of ['error', 'warning', 'note']) expect(report.summary.bySeverity[sev], sev).toBeGreaterThan(0);
    expect(r.stdout).not.toContain('jane.doe@anycompany.com');
    expect(r.stdout).not.toContain('206 555 0142');
  });

  it('the get-resources sample reads as the same resources as the demo estate lines it came from', async () => {
    const sample = await load('examples/get-resources.json');
    const demo = new Map((await load('examples/demo-estate.jsonl')).map((r) => [r.arn, r]));
    expect(sample.length).toBeGreaterThan(5);
    for (const r of sample) expect(r.tags).toEqual(demo.get(r.arn)?.tags);
  });
});
