import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { runScan } from '../../../src/audit/scan-command.js';
import type { ResourceSource } from '../../../src/audit/resource-source.js';
import { scanOptionsFrom } from '../../../src/cli/scan-options.js';
import { bufferOut, runCli } from '../../support/cli.js';

// Inventories that hold no resource at all are what an export of the wrong account or region looks like. A
// "complete, clean" report of them would be uploaded by the nightly workflow and close every open alert, so the run
// is incomplete (exit 3, an errors[] entry, a line on stderr even with -q) unless --allow-empty says the estate is
// empty. One empty file among others is a region with nothing in it.

const ROOT = resolve(import.meta.dirname, '../../..');
const DICT = join(ROOT, 'dictionaries/anycompany.yaml');
const dir = mkdtempSync(join(tmpdir(), 'tagaudit-empty-'));
const file = (name: string, content: string): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

const emptyExport = file('emptylist.json', '{"ResourceTagMappingList":[]}\n');
file('bare.json', '[]\n');
const oneResource = file('one.jsonl', `${JSON.stringify({ arn: 'arn:aws:s3:::ml-datasets', tags: {} })}\n`);
const scan = (args: string[]) => runCli(['scan', '-d', DICT, '--fail-on', 'none', ...args], { cwd: dir });
const json = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

const GAP_MESSAGE =
  'no resources were read from emptylist.json — nothing was audited; an export of the wrong account or region looks like this (--allow-empty accepts an empty estate)';

describe('a scan whose inventories hold no resource at all', () => {
  it('is incomplete: exit 3, one no-resources gap in errors[], run.status partial, SARIF executionSuccessful false', async () => {
    const r = await scan(['-i', 'emptylist.json', '--output-json', 'e.json', '--output-sarif', 'e.sarif', '--sarif-category', 'nightly']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`tagaudit: incomplete: ${GAP_MESSAGE}\n`);
    expect(r.stdout).toContain('INCOMPLETE');
    const report = json('e.json');
    expect(report.run.status).toBe('partial');
    expect(report.errors).toEqual([{ source: 'inventory', code: 'no-resources', message: GAP_MESSAGE }]);
    const sarif = json('e.sarif');
    expect(sarif.runs[0].results).toEqual([]);
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toHaveLength(1);
    expect(sarif.runs[0].properties['tagaudit/status']).toBe('partial');
  });

  it('says so under -q too, and exits 3 whatever --fail-on says', async () => {
    const r = await runCli(['scan', '-d', DICT, '-i', emptyExport, '-q', '--output-sarif', 'q.sarif', '--sarif-category', 'nightly'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('tagaudit: incomplete: no resources were read from');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('counts all the files: two empty ones are incomplete, an empty one beside one with resources is fine', async () => {
    const both = await scan(['-i', emptyExport, '-i', 'bare.json', '-q']);
    expect(both.code).toBe(3);
    expect(both.stderr).toContain('no resources were read from 2 inventory files —');
    const mixed = await scan(['-i', emptyExport, '-i', oneResource, '--output-json', 'mixed.json']);
    expect(mixed.code).toBe(0);
    expect(mixed.stderr).not.toContain('no resources were');
    expect(json('mixed.json').run.status).toBe('complete');
  });

  it('--allow-empty accepts an empty estate: a complete run, exit 0 (per --fail-on), with the note as before', async () => {
    const r = await runCli(['scan', '-d', DICT, '-i', 'emptylist.json', '--allow-empty', '--output-json', 'allowed.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No findings in 0 resources/);
    expect(r.stderr).toBe(
      'tagaudit: note: no resources were read from emptylist.json — nothing was audited; an export of the wrong region or account looks like this\n',
    );
    expect(json('allowed.json').run.status).toBe('complete');
    expect(json('allowed.json').errors).toEqual([]);
    expect((await scan(['-i', 'emptylist.json', '--allow-empty', '-q'])).stderr).toBe('');
  });

  it('masks personal data in a file name', async () => {
    file('jane.doe@example.com.json', '{"ResourceTagMappingList":[]}\n');
    const r = await scan(['-i', 'jane.doe@example.com.json', '--format', 'json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no resources were read from j***@');
    expect(r.stderr + r.stdout).not.toContain('jane.doe');
  });

  it('adds nothing to a run already partial for another reason (its gaps say why)', async () => {
    const bad = file('bad.jsonl', 'not json\n');
    const r = await scan(['-i', bad, '--output-json', 'bad.json']);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain('no resources were');
    expect(json('bad.json').errors.map((e: { code?: string }) => e.code)).not.toContain('no-resources');
  });

  it('gives the same report and exit code with --threads 2 as with --threads 1', async () => {
    const runs = [];
    for (const threads of ['1', '2']) {
      const out = `threads-${threads}.json`;
      const r = await scan(['-i', emptyExport, '-i', 'bare.json', '--threads', threads, '-q', '--output-json', out]);
      runs.push({ code: r.code, stderr: r.stderr, report: readFileSync(join(dir, out), 'utf8') });
    }
    expect(existsSync(join(dir, 'threads-2.json'))).toBe(true);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]!.code).toBe(3);
  });

  it('a live scan that found nothing anywhere is incomplete too (wrong credentials or regions), unless --allow-empty', async () => {
    const liveScan = async (extra: Record<string, unknown>) => {
      const stdout = bufferOut();
      const stderr = bufferOut();
      const deps = { stdout, stderr, env: {}, cwd: dir, now: () => new Date('2024-06-01T12:00:00Z'), interactive: false };
      const empty: ResourceSource = {
        resources: (async function* () {})(),
        scope: () => ({ mode: 'live', accounts: ['111122223333'], regions: ['us-east-1', 'eu-west-1'] }),
        errors: () => [],
      };
      const options = { ...scanOptionsFrom({ dictionary: DICT, format: 'json', failOn: 'none', ...extra }), allowEmpty: Boolean(extra.allowEmpty) };
      const code = await runScan(options, deps, async () => empty);
      return { code, stdout: stdout.text(), stderr: stderr.text() };
    };
    const r = await liveScan({});
    expect(r.code).toBe(3);
    const message =
      'no resources were found in 1 account × 2 regions — nothing was audited; credentials of the wrong account, or the wrong --regions or --sources, look like this (--allow-empty accepts an empty estate)';
    expect(r.stderr).toContain(`tagaudit: incomplete: ${message}\n`);
    const report = JSON.parse(r.stdout);
    expect(report.run.status).toBe('partial');
    expect(report.errors).toEqual([{ source: 'scan', code: 'no-resources', message }]);

    const allowed = await liveScan({ allowEmpty: true });
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).run.status).toBe('complete');
    expect(allowed.stderr).toContain(
      "tagaudit: note: no resources were found in 1 account × 2 regions — nothing was audited; check the credentials' account, --regions and --sources\n",
    );
  });
});
