import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { workerEntryAvailable } from '../../../src/audit/parallel/range-pool.js';
import { runCli } from '../../support/cli.js';
import type * as RangePoolModule from '../../../src/audit/parallel/range-pool.js';

// Counts the worker pools the CLI starts, so a test can tell that --threads 2 really ran on worker threads.
const pools = vi.hoisted(() => ({ started: 0 }));
vi.mock('../../../src/audit/parallel/range-pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof RangePoolModule>();
  return { ...real, workerPool: (...args: Parameters<typeof real.workerPool>) => (pools.started++, real.workerPool(...args)) };
});

const ROOT = resolve(import.meta.dirname, '../../..');
const DEMO = join(ROOT, 'examples/demo-estate.jsonl');
const BASE = readFileSync(join(ROOT, 'dictionaries/anycompany.yaml'), 'utf8');

// Each entry starts with a comment naming it, so the test finds its line without asking the product.
const SUPPRESSIONS = [
  'suppressions:',
  '  # used-by-children: training jobs are children of tuning jobs, audited on the main thread',
  '  - rules: [inherited-tag-drift]',
  '    resourceTypes: ["sagemaker:training-job"]',
  '    reason: tuning-job tags are re-synced by the launcher',
  '  # used-by-workers: resources that name no parent (audited in the worker threads under --threads 2); not first, so that its index must travel',
  '  - rules: [unknown-tag-key]',
  '    resourceTypes: ["ec2:instance"]',
  '    tags: [Name]',
  '    reason: EC2 instances keep the console Name tag (platform team)',
  '  # unused',
  '  - rules: [tag-limit]',
  '    accounts: ["999999999999"]',
  '    reason: an account that was closed',
  '  # expired',
  '  - rules: [missing-tag]',
  '    accounts: ["999999999999"]',
  '    reason: expired exemption',
  '    expires: "2024-01-31"',
  '  # shadowed: everything it covers is taken by used-by-workers first',
  '  - rules: [unknown-tag-key]',
  '    resourceTypes: ["ec2:instance"]',
  '    tags: [Name]',
  '    accounts: ["111122223333", "444455556666"]',
  '    reason: a duplicate left behind',
].join('\n');

let dir: string;
let dict: string;
/** The line of the entry after the comment `# name`. */
let lineOf: (name: string) => number;
const note = (line: number, rules: string): string =>
  `tagaudit: dict.yaml:${line}: suppression (${rules}) matched no finding in this scan; remove it if it is no longer needed`;
const unusedNotes = (stderr: string): string[] => stderr.split('\n').filter((l) => l.includes('matched no finding'));

const scan = (args: string[]) => runCli(['scan', '-d', 'dict.yaml', '-f', 'json', '--fail-on', 'none', ...args], { cwd: dir });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-unused-suppressions-'));
  const text = `${BASE}\n${SUPPRESSIONS}\n`;
  dict = join(dir, 'dict.yaml');
  writeFileSync(dict, text);
  const lines = text.split('\n');
  lineOf = (name) => {
    const at = lines.findIndex((l) => l.trim() === `# ${name}` || l.trim().startsWith(`# ${name}:`));
    expect(at, name).toBeGreaterThanOrEqual(0);
    return at + 2; // the entry follows its comment; lines count from 1
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan: suppressions that matched no finding', () => {
  it('after a complete scan, names each unused suppression by file and line, not the used or expired ones', async () => {
    const r = await scan(['-i', DEMO]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { run: { status: string }; summary: { suppressed: number } };
    expect(report.run.status).toBe('complete');
    expect(report.summary.suppressed).toBeGreaterThan(0);
    expect(unusedNotes(r.stderr)).toEqual([note(lineOf('unused'), 'tag-limit'), note(lineOf('shadowed'), 'unknown-tag-key')]);
    // The expired one has its own note, once.
    expect(r.stderr.split(`dict.yaml:${lineOf('expired')}:`)).toHaveLength(2);
    expect(r.stderr).toContain(`dict.yaml:${lineOf('expired')}: suppression of missing-tag expired on 2024-01-31`);
  });

  it('worker threads (--threads 2) count each suppression as one thread does', async () => {
    expect(workerEntryAvailable(), 'run `npm run build` first').toBe(true);
    const before = pools.started;
    const one = await scan(['-i', DEMO, '--threads', '1']);
    expect(pools.started).toBe(before);
    const two = await scan(['-i', DEMO, '--threads', '2']);
    expect(pools.started).toBe(before + 1);
    expect(unusedNotes(two.stderr)).toEqual(unusedNotes(one.stderr));
    expect(unusedNotes(two.stderr)).toEqual([note(lineOf('unused'), 'tag-limit'), note(lineOf('shadowed'), 'unknown-tag-key')]);
  });

  it('after an incomplete scan names none, and says why in one line, on one thread and on two', async () => {
    // The demo estate with a bad line: skipped, so the run is partial (exit 3).
    const partial = join(dir, 'partial.jsonl');
    writeFileSync(partial, `${readFileSync(DEMO, 'utf8')}{oops\n`);
    for (const threads of ['1', '2']) {
      const r = await scan(['-i', 'partial.jsonl', '--threads', threads]);
      expect(r.code, `--threads ${threads}`).toBe(3);
      expect((JSON.parse(r.stdout) as { run: { status: string } }).run.status).toBe('partial');
      expect(unusedNotes(r.stderr)).toEqual([
        'tagaudit: 2 suppressions matched no finding, but the scan is incomplete: they may cover what could not be read, so they are not reported as unused',
      ]);
      expect(r.stderr).not.toContain('remove it if');
    }
  });

  it('names a suppression that matched nothing in this scan, though it would match elsewhere', async () => {
    // Only EC2 instances: the training-job suppression has nothing to take here.
    const ec2 = join(dir, 'ec2.jsonl');
    const lines = readFileSync(DEMO, 'utf8').split('\n').filter((l) => l.includes(':instance/'));
    expect(lines.length).toBeGreaterThan(0);
    writeFileSync(ec2, `${lines.join('\n')}\n`);
    const r = await scan(['-i', 'ec2.jsonl']);
    expect(unusedNotes(r.stderr)).toEqual([
      note(lineOf('used-by-children'), 'inherited-tag-drift'),
      note(lineOf('unused'), 'tag-limit'),
      note(lineOf('shadowed'), 'unknown-tag-key'),
    ]);
  });

  it('-q prints none of it', async () => {
    const r = await runCli(['scan', '-d', 'dict.yaml', '-i', DEMO, '-q', '--fail-on', 'none'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('no note when every suppression matched something', async () => {
    const used = join(dir, 'used.yaml');
    writeFileSync(used, `${BASE}\n${SUPPRESSIONS.split('  # unused')[0]}\n`);
    const r = await runCli(['scan', '-d', 'used.yaml', '-i', DEMO, '-f', 'json', '--fail-on', 'none'], { cwd: dir });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { summary: { suppressed: number } }).summary.suppressed).toBeGreaterThan(0);
    expect(unusedNotes(r.stderr)).toEqual([]);
  });
});

describe('fix: suppressions that matched no finding', () => {
  it('are named after the audit the plan comes from, as scan names them', async () => {
    const r = await runCli(['fix', '-d', 'dict.yaml', '-i', DEMO], { cwd: dir });
    expect(r.code).toBe(1);
    expect(unusedNotes(r.stderr)).toEqual([note(lineOf('unused'), 'tag-limit'), note(lineOf('shadowed'), 'unknown-tag-key')]);
  });
});
