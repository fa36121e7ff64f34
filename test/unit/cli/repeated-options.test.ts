import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const DEMO = 'examples/demo-estate.jsonl';
const run = (args: string[]) => runCli(args, { cwd: ROOT });

describe('an option that takes one value, given twice, is refused (the last one no longer wins silently)', () => {
  it.each([
    [['scan', '--accounts', '111122223333', '--accounts', '444455556666'], "option '--accounts <ids>' given twice (see 'tagaudit scan --help')"],
    [['scan', '-d', 'a.yaml', '-d', 'b.yaml', '-i', DEMO], "option '-d, --dictionary <file>' given twice (see 'tagaudit scan --help')"],
    // Long and short spellings, and --flag=value, are the same option.
    [['scan', '-i', DEMO, '--dictionary=a.yaml', '-db.yaml'], "option '-d, --dictionary <file>' given twice (see 'tagaudit scan --help')"],
    [['scan', '-i', DEMO, '--fail-on', 'warning', '--fail-on', 'none'], "option '--fail-on <severity>' given twice (see 'tagaudit scan --help')"],
    [['scan', '-i', DEMO, '--width', '80', '--width', '80'], "option '--width <columns>' given twice (see 'tagaudit scan --help')"],
    [['undo', '--journal', 'a.jsonl', '--journal', 'b.jsonl'], "option '--journal <file>' given twice (see 'tagaudit undo --help')"],
    [['fix', '-i', DEMO, '--plan-out', 'a.json', '--plan-out', 'b.json'], "option '--plan-out <file>' given twice (see 'tagaudit fix --help')"],
    [['validate', '-d', 'a.yaml', '-d', 'b.yaml'], "option '-d, --dictionary <file>' given twice (see 'tagaudit validate --help')"],
    [['rules', '--format', 'json', '--format', 'table'], "option '--format <format>' given twice (see 'tagaudit rules --help')"],
  ])('%j', async (args, message) => {
    const r = await run(args);
    expect(r.stderr).toBe(`tagaudit: ${message}\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('keeps options that collect their values repeatable: --inventory, --fix-type', async () => {
    const scan = await run(['scan', '-i', DEMO, '-i', DEMO, '-f', 'json', '--output-json', '/dev/null', '--fail-on', 'none', '-q']);
    expect(scan.stderr).toBe('');
    expect(scan.code).toBe(0);
    const fix = await run(['fix', '-i', DEMO, '--fix-type', 'add-default', '--fix-type', 'rename-key', '-q']);
    expect(fix.stderr).toBe('');
    expect([0, 1]).toContain(fix.code);
  });

  it('lets a flag without a value be repeated', async () => {
    const r = await run(['scan', '-i', DEMO, '-q', '-q', '--no-color', '--no-color', '--fail-on', 'none']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
