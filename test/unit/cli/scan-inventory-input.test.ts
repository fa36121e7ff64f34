import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../support/cli.js';
import type * as RangePoolModule from '../../../src/audit/parallel/range-pool.js';

// Acceptance s13: ARNs that cannot exist (D6) and records that repeat a name (D3) were audited as if fine, exit 0;
// a gzip-compressed inventory (borderline) gave a "not UTF-8" line per few hundred bytes. With one thread and two.
const pools = vi.hoisted(() => ({ started: 0 }));
vi.mock('../../../src/audit/parallel/range-pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof RangePoolModule>();
  return { ...real, workerPool: (...args: Parameters<typeof real.workerPool>) => (pools.started++, real.workerPool(...args)) };
});
vi.mock('../../../src/audit/parallel/usable-cpus.js', () => ({ usableCpus: () => 2 }));

const DICTIONARY = resolve('dictionaries/anycompany.yaml');
const DEMO = resolve('examples/demo-estate.jsonl');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-inventory-input-'));
  const good = (name: string): string => JSON.stringify({ arn: `arn:aws:lambda:us-east-1:111122223333:function:${name}`, tags: { env: 'prod' } });
  writeFileSync(
    join(dir, 'arns2.jsonl'),
    [
      good('first'),
      '{"arn":"arn:awss:lambda:us-east-1:111122223333:function:p3","tags":{"env":"prod"}}',
      '{"arn":"arn:aws:lambda::111122223333:function:noregion","tags":{"env":"prod"}}',
      '{"arn":"arn:aws:lambda:us-eest-1:111122223333:function:badregion","tags":{"env":"prod"}}',
      '{"arn":"arn:aws:lambda:cn-north-1:111122223333:function:wrongpartition","tags":{"env":"prod"}}',
      '{"arn":"arn:aws:lambda:us-east-1::function:noacct","tags":{"env":"prod"}}',
      good('last'),
    ].join('\n') + '\n',
  );
  writeFileSync(
    join(dir, 'dupkeys.jsonl'),
    [
      '{"arn":"arn:aws:lambda:us-east-1:111122223333:function:b","arn":"arn:aws:lambda:us-east-1:111122223333:function:c","tags":{}}',
      '{"arn":"arn:aws:lambda:us-east-1:111122223333:function:d","tags":{"env":"prod","env":"dev"}}',
      good('e'),
    ].join('\n') + '\n',
  );
  writeFileSync(join(dir, 'demo.jsonl.gz'), gzipSync(readFileSync(DEMO)));
  writeFileSync(join(dir, 'utf16.jsonl'), Buffer.from(`\uFEFF${good('x')}\n`, 'utf16le'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  summary: { resources: number };
  errors: { source: string; message: string; code?: string }[];
}

async function scan(file: string, threads: '1' | '2', ...more: string[]) {
  const before = pools.started;
  const run = await runCli(['scan', '-d', DICTIONARY, '-i', file, '--format', 'json', '--threads', threads, '--fail-on', 'none', ...more], { cwd: dir });
  return { ...run, onWorkers: pools.started > before };
}

describe('scan -i: bad lines that used to pass', () => {
  it.each(['1', '2'] as const)('ARNs that cannot exist are skipped as invalid-arn, exit 3 (--threads %s)', async (threads) => {
    const run = await scan('arns2.jsonl', threads);
    expect(run.onWorkers).toBe(threads === '2');
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.summary.resources).toBe(2);
    expect(report.errors.map((e) => [e.code, e.message])).toEqual([
      ['invalid-arn', 'arns2.jsonl:2: invalid ARN "arn:awss:lambda:us-east-1:111122223333:function:p3": unknown partition "awss" (AWS has aws, aws-cn, aws-eusc, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-us-gov)'],
      ['invalid-arn', 'arns2.jsonl:3: invalid ARN "arn:aws:lambda::111122223333:function:noregion": no region, which every lambda ARN has (arn:aws:lambda:REGION:ACCOUNT:…)'],
      ['invalid-arn', 'arns2.jsonl:4: invalid ARN "arn:aws:lambda:us-eest-1:111122223333:function:badregion": region "us-eest-1" is not an AWS region'],
      ['invalid-arn', 'arns2.jsonl:5: invalid ARN "arn:aws:lambda:cn-north-1:111122223333:function:wrongpartition": region "cn-north-1" is a region of partition aws-cn, not of aws'],
      ['invalid-arn', 'arns2.jsonl:6: invalid ARN "arn:aws:lambda:us-east-1::function:noacct": no account, which every lambda ARN has (arn:aws:lambda:us-east-1:ACCOUNT:…)'],
    ]);
    expect(run.stderr).toContain('tagaudit: arns2.jsonl:3: invalid ARN "arn:aws:lambda::111122223333:function:noregion": no region, which every lambda ARN has (arn:aws:lambda:REGION:ACCOUNT:…) (skipped)\n');
  });

  it.each(['1', '2'] as const)('a record that repeats a name is skipped as duplicate-key, exit 3 (--threads %s)', async (threads) => {
    const run = await scan('dupkeys.jsonl', threads);
    expect(run.onWorkers).toBe(threads === '2');
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.summary.resources).toBe(1);
    expect(report.errors.map((e) => [e.code, e.message])).toEqual([
      ['duplicate-key', 'dupkeys.jsonl:1:59: key "arn" appears twice (JSON would keep only the last)'],
      ['duplicate-key', 'dupkeys.jsonl:2:80: key "env" appears twice in "tags" (JSON would keep only the last)'],
    ]);
  });

  it('--strict-inventory: the first one is fatal, exit 2, one line', async () => {
    for (const [file, said] of [
      ['arns2.jsonl', 'tagaudit: arns2.jsonl:2: invalid ARN "arn:awss:lambda:us-east-1:111122223333:function:p3": unknown partition "awss"'],
      ['dupkeys.jsonl', 'tagaudit: dupkeys.jsonl:1:59: key "arn" appears twice (JSON would keep only the last)'],
    ]) {
      const run = await runCli(['scan', '-d', DICTIONARY, '-i', file!, '--strict-inventory'], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(said!)]);
    }
  });
});

describe('scan -i: a file that is no text', () => {
  it.each(['1', '2'] as const)('gzip-compressed: one line naming the file, exit 2 (--threads %s)', async (threads) => {
    const run = await scan('demo.jsonl.gz', threads);
    expect(run.onWorkers).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n').filter((l) => !l.includes('--threads applies to'));
    expect(lines).toEqual([
      'tagaudit: demo.jsonl.gz: inventory file is gzip-compressed; decompress it first (e.g. gunzip -k demo.jsonl.gz), or pipe it in: gunzip -c demo.jsonl.gz | tagaudit scan -i -',
    ]);
  });

  it('UTF-16 with --threads 2: the same one line as on one thread (it used to be an error per line)', async () => {
    const one = await scan('utf16.jsonl', '1');
    const two = await scan('utf16.jsonl', '2');
    expect(two.onWorkers).toBe(false);
    expect([one.code, two.code]).toEqual([2, 2]);
    expect(two.stderr).toContain('tagaudit: utf16.jsonl: inventory file is UTF-16 text');
    expect(two.stderr).not.toContain('(skipped)');
  });
});
