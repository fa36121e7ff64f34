import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDictionary, parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { formatWarning, summarizeDictionary } from '../../../src/dictionary/summary.js';
import { runCli } from '../../support/cli.js';
import { dictionaryProblems } from './dictionary-problems.js';

// A tag entry's `inherit`: which parents a resource takes the key's value from.

const REPO = resolve(import.meta.dirname, '../../..');

/** One tag entry; `inherit` (the YAML text after `inherit: `) is on line 9 when given. */
const dict = (costAllocation: boolean, inherit?: string): string =>
  [
    'version: 1',
    'name: t',
    'tags:',
    '  - key: phase',
    '    category: workload',
    '    purpose: p',
    '    mandatory: false',
    `    costAllocation: ${costAllocation}`,
    ...(inherit !== undefined ? [`    inherit: ${inherit}`] : []),
    '',
  ].join('\n');

const inheritOf = async (text: string) => (await parseDictionary(text, 'd.yaml')).policy.tags[0]?.inherit;

describe('inherit: loading', () => {
  it('defaults to costAllocation', async () => {
    expect(await inheritOf(dict(true))).toBe(true);
    expect(await inheritOf(dict(false))).toBe(false);
  });

  it('true, false and a list of resource-type patterns are taken as written', async () => {
    expect(await inheritOf(dict(true, 'false'))).toBe(false);
    expect(await inheritOf(dict(false, 'true'))).toBe(true);
    expect(await inheritOf(dict(true, '[sagemaker:hyper-parameter-tuning-job, "sagemaker:endpoint*", "sagemaker:*", "*"]'))).toEqual([
      'sagemaker:hyper-parameter-tuning-job',
      'sagemaker:endpoint*',
      'sagemaker:*',
      '*',
    ]);
  });
});

describe('inherit: errors, at file:line:col', () => {
  it('a pattern that is not a resource type', async () => {
    expect(await dictionaryProblems(dict(true, '[sagemaker:model, bad type]'))).toEqual([
      "9:32 tags[0].inherit[1]: must be a resource type such as sagemaker:training-job, a service wildcard such as sagemaker:*, or *; got 'bad type'",
    ]);
  });

  it('a string, yes, an empty list, a repeated type', async () => {
    expect(await dictionaryProblems(dict(true, 'sagemaker:model'))).toEqual(['9:14 tags[0].inherit: must be true, false or a list, got a string']);
    expect(await dictionaryProblems(dict(true, 'yes'))).toEqual([
      '9:14 tags[0].inherit: must be true, false or a list, got a string (YAML 1.2 reads yes as text; write true or false)',
    ]);
    expect(await dictionaryProblems(dict(true, '[]'))).toEqual(['9:14 tags[0].inherit: must not be an empty list']);
    expect(await dictionaryProblems(dict(true, '[sagemaker:model, sagemaker:model]'))).toEqual([
      "9:32 tags[0].inherit: 'sagemaker:model' is listed twice (items 0 and 1)",
    ]);
  });

  it('a misspelt type is a warning, as in mandatory', async () => {
    const { warnings } = await parseDictionary(dict(true, '[sagemaker:endpointconfig]'), 'd.yaml');
    expect(warnings.map(formatWarning)).toEqual([
      "d.yaml:9:15: warning: tags[0].inherit[0]: 'sagemaker:endpointconfig' is not a resource type tagaudit knows (did you mean 'sagemaker:endpoint-config'?): types are matched exactly, so no sagemaker:endpoint-config parent would be a reference for the key",
    ]);
  });

  describe('validate', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'tagaudit-inherit-'));
      writeFileSync(join(dir, 'bad.yaml'), dict(true, '[sagemaker:model, "sagemaker:Model Config"]'));
      writeFileSync(join(dir, 'good.yaml'), dict(true, '[sagemaker:hyper-parameter-tuning-job, sagemaker:endpoint-config]'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a bad pattern: exit 2, one located line, no stack', async () => {
      const r = await runCli(['validate', 'bad.yaml'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^bad\.yaml:9:32: tags\[0\]\.inherit\[1\]: must be a resource type .*'sagemaker:Model Config'$/m);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    });

    it('scan refuses it the same way', async () => {
      writeFileSync(join(dir, 'inv.jsonl'), '{"arn":"arn:aws:s3:::logs","tags":{}}\n');
      const r = await runCli(['scan', '-d', 'bad.yaml', '-i', 'inv.jsonl'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^tagaudit: .*bad\.yaml:9:32: tags\[0\]\.inherit\[1\]/m);
    });

    it('the summary says which parents a restricted key is taken from', async () => {
      const r = await runCli(['validate', 'good.yaml'], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('  inherited        1: phase (only from sagemaker:hyper-parameter-tuning-job, sagemaker:endpoint-config)\n');
      const json = await runCli(['validate', 'good.yaml', '--format', 'json'], { cwd: dir });
      expect(JSON.parse(json.stdout).inherited).toEqual({ phase: ['sagemaker:hyper-parameter-tuning-job', 'sagemaker:endpoint-config'] });
    });
  });
});

describe('inherit: the validate summary', () => {
  it('the default reads as the cost-allocation keys; inherit: false on one of them is named', async () => {
    const plain = summarizeDictionary((await parseDictionary(dict(true), 'd.yaml')).policy);
    expect(plain.inherited).toEqual({ phase: true });
    const off = summarizeDictionary((await parseDictionary(dict(true, 'false'), 'd.yaml')).policy);
    expect(off.inherited).toEqual({});
  });

  it('on the shipped dictionaries', async () => {
    const ml = await runCli(['validate', join(REPO, 'dictionaries/ml-lifecycle.yaml')]);
    expect(ml.stdout).toContain(
      '  inherited        5: Project, ML-Phase (only from sagemaker:hyper-parameter-tuning-job, sagemaker:endpoint-config), Environment, Owner, CostCenter\n',
    );
    const any = await runCli(['validate', join(REPO, 'dictionaries/anycompany.yaml')]);
    expect(any.stdout).toContain('  inherited        5: the cost-allocation keys, from any parent\n');
  });

  it('the shipped mlaas-tenant dictionary never takes the tenant from a pipeline', async () => {
    const p = await loadDictionary(join(REPO, 'dictionaries/mlaas-tenant.yaml'));
    const tenant = p.byKey.get('mlaas:tenant-id');
    expect(Array.isArray(tenant?.inherit) && tenant.inherit.length > 0).toBe(true);
    expect(tenant?.inherit).not.toContain('sagemaker:pipeline');
  });
});
