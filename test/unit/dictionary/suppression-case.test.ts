import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { workerEntryAvailable } from '../../../src/audit/parallel/range-pool.js';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { compileSuppression, suppresses, type SuppressionTarget } from '../../../src/dictionary/suppression.js';
import { createAuditor } from '../../../src/rules/engine.js';
import type { Finding } from '../../../src/rules/types.js';
import { runCli } from '../../support/cli.js';
import { resource } from '../fix/helpers.js';
import type * as RangePoolModule from '../../../src/audit/parallel/range-pool.js';

// Counts the worker pools the CLI starts, so that the --threads test can tell worker threads really ran.
const pools = vi.hoisted(() => ({ started: 0 }));
vi.mock('../../../src/audit/parallel/range-pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof RangePoolModule>();
  return { ...real, workerPool: (...args: Parameters<typeof real.workerPool>) => (pools.started++, real.workerPool(...args)) };
});

const BASE = readFileSync(new URL('../../../dictionaries/anycompany.yaml', import.meta.url), 'utf8');
const A = '111122223333';
const sm = (name: string, partition = 'aws', region = 'us-east-1'): string => `arn:${partition}:sagemaker:${region}:${A}:${name}`;
// As ListModels gives it, and as GetResources may give the same model (boto3#4606).
const NEVER = sm('model/Never-Tagged');

const target = (arn: string): SuppressionTarget => {
  const { resourceType, accountId } = resource(arn, {});
  return { ruleId: 'missing-tag', resource: { arn, resourceType, accountId } };
};
const covers = (patterns: string[], arn: string): boolean => suppresses(compileSuppression({ rules: ['missing-tag'], resources: patterns, reason: 'r' }), target(arn));

describe('suppressions: a SageMaker ARN matches whatever its case', () => {
  it('a pattern written for one spelling covers the others, and the other way round', () => {
    for (const arn of [NEVER, NEVER.toLowerCase(), sm('model/NEVER-TAGGED')]) {
      expect(covers([NEVER], arn), arn).toBe(true);
      expect(covers([NEVER.toLowerCase()], arn), arn).toBe(true);
    }
    expect(covers([NEVER], sm('model/Never-Tagged-2'))).toBe(false);
    expect(covers([NEVER], sm('endpoint/Never-Tagged'))).toBe(false);
  });

  it('globs too, in every partition', () => {
    const glob = 'arn:aws:sagemaker:*:111122223333:endpoint/Legacy-*';
    expect(covers([glob], sm('endpoint/legacy-churn', 'aws', 'eu-west-1'))).toBe(true);
    expect(covers([glob], sm('endpoint/LEGACY-churn'))).toBe(true);
    expect(covers([glob], sm('endpoint/new-churn'))).toBe(false);
    expect(covers(['arn:aws-cn:sagemaker:cn-north-1:111122223333:model/My-*'], sm('model/my-model', 'aws-cn', 'cn-north-1'))).toBe(true);
    expect(covers(['arn:aws-cn:sagemaker:cn-north-1:111122223333:model/My-*'], sm('model/my-model'))).toBe(false);
    expect(covers(['arn:*:sagemaker:*:111122223333:model/Never-*'], NEVER.toLowerCase())).toBe(true);
  });

  it('other services match exactly, as written: their names can differ only in case', () => {
    const fn = `arn:aws:lambda:us-east-1:${A}:function:Billing`;
    expect(covers([fn], fn)).toBe(true);
    expect(covers([fn], fn.toLowerCase())).toBe(false);
    expect(covers([fn.toLowerCase()], fn)).toBe(false);
    expect(covers([`arn:aws:iam::${A}:role/Admin*`], `arn:aws:iam::${A}:role/admin-ops`)).toBe(false);
    expect(covers(['arn:aws:s3:::Vendor-*'], 'arn:aws:s3:::vendor-logs')).toBe(false);
    // A pattern that leaves the service to `*` names no service: it matches as written, SageMaker ARNs included.
    expect(covers(['arn:aws:*:*:111122223333:model/Never-Tagged'], NEVER)).toBe(true);
    expect(covers(['arn:aws:*:*:111122223333:model/Never-Tagged'], NEVER.toLowerCase())).toBe(false);
  });

  it('mixed selectors: each pattern by its own kind', () => {
    const fn = `arn:aws:lambda:us-east-1:${A}:function:Billing`;
    const patterns = [fn, NEVER];
    expect(covers(patterns, NEVER.toLowerCase())).toBe(true);
    expect(covers(patterns, fn)).toBe(true);
    expect(covers(patterns, fn.toLowerCase())).toBe(false);
    // No SageMaker pattern: nothing is marked, the exact path as before.
    expect(compileSuppression({ rules: ['missing-tag'], resources: [fn], reason: 'r' }).caseless).toBeUndefined();
  });
});

describe('suppressions: the auditor, on one thread and in worker threads', () => {
  const suppressions = ['suppressions:', '  - rules: [missing-tag]', `    resources: ["${NEVER}"]`, '    reason: a model nobody owns yet'].join('\n');

  it('a suppressed alert stays suppressed when a scan meets the model lower-cased', async () => {
    const { policy } = await parseDictionary(`${BASE}\n${suppressions}`, 'dict.yaml');
    const auditor = createAuditor(policy);
    for (const arn of [NEVER, NEVER.toLowerCase()]) {
      const heard: number[] = [];
      const findings = auditor.audit(resource(arn, {}), undefined, (i) => heard.push(i));
      expect(findings.filter((f) => f.ruleId === 'missing-tag'), arn).toEqual([]);
      expect(heard.length, arn).toBeGreaterThan(0);
    }
  });

  it('scan --threads 2 suppresses as one thread does', async () => {
    expect(workerEntryAvailable(), 'worker threads run dist/: `npm run build` first').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'tagaudit-sup-case-'));
    try {
      writeFileSync(join(dir, 'dict.yaml'), `${BASE}\n${suppressions}\n`);
      const fillers = [0, 1, 2, 3, 4, 5].map((i) => JSON.stringify({ arn: `arn:aws:lambda:us-east-1:${A}:function:fn-${i}`, tags: {} }));
      // Neither as written nor lower-cased (the pattern's canonical form): only a caseless match takes it.
      const upper = sm('model/NEVER-TAGGED');
      writeFileSync(join(dir, 'estate.jsonl'), `${[...fillers, JSON.stringify({ arn: upper, tags: {} })].join('\n')}\n`);
      const scan = async (threads: number) => {
        const r = await runCli(['scan', '-i', 'estate.jsonl', '-d', 'dict.yaml', '--format', 'json', '--threads', String(threads)], { cwd: dir });
        expect(r.stderr).not.toContain('runs on one thread');
        return JSON.parse(r.stdout) as { findings: Finding[]; summary: { suppressed: number } };
      };
      const one = await scan(1);
      expect(one.findings.filter((f) => f.resource.arn === upper && f.ruleId === 'missing-tag')).toEqual([]);
      expect(one.summary.suppressed).toBeGreaterThan(0);
      const started = pools.started;
      expect(await scan(2)).toEqual(one);
      expect(pools.started).toBe(started + 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
