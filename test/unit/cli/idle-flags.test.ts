import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const DEMO = join(ROOT, 'examples/demo-estate.jsonl');
const run = (args: string[]) => runCli(args, { cwd: ROOT });
/** stderr without the bundled-dictionary note every run without -d prints. */
const notes = (stderr: string) => stderr.split('\n').filter((l) => l !== '' && !l.includes('dictionary'));

describe('flags that change nothing in this run get a one-line note on stderr (not an error)', () => {
  it.each([
    [['scan', '-i', DEMO, '--sarif-category', 'nightly'], ['tagaudit: --sarif-category has no effect without SARIF output (--output-sarif or --format sarif)']],
    [
      ['scan', '-i', DEMO, '-f', 'json', '--sarif-category', 'nightly', '--sarif-min-severity', 'error'],
      ['tagaudit: --sarif-category and --sarif-min-severity have no effect without SARIF output (--output-sarif or --format sarif)'],
    ],
    [['scan', '-i', DEMO, '-f', 'json', '--width', '80'], ["tagaudit: --width has no effect with --format json (it sets the table's width)"]],
    [['fix', '-i', DEMO, '--sarif-min-severity', 'warning'], ['tagaudit: --sarif-min-severity has no effect without SARIF output (--output-sarif)']],
  ])('%j', async (args, expected) => {
    const r = await run([...args, '--fail-on', 'none']);
    expect(notes(r.stderr)).toEqual(expected);
    expect([0, 1]).toContain(r.code);
    expect(r.stdout).not.toBe('');
  });

  it('says nothing when the flags do something, or under -q', async () => {
    for (const args of [
      ['scan', '-i', DEMO, '-f', 'sarif', '--sarif-category', 'nightly', '--sarif-min-severity', 'error'],
      ['scan', '-i', DEMO, '--width', '80'],
      ['scan', '-i', DEMO, '-q', '-f', 'json', '--output-json', '/dev/null', '--width', '80', '--sarif-category', 'nightly'],
    ]) {
      const r = await run([...args, '--fail-on', 'none']);
      expect(notes(r.stderr)).toEqual([]);
      expect(r.code).toBe(0);
    }
  });

  it('--threads with the table says the scan runs on one thread, as its help says', async () => {
    const r = await run(['scan', '-i', DEMO, '--threads', '2', '--fail-on', 'none']);
    expect(notes(r.stderr)).toEqual([
      'tagaudit: --threads applies to JSON Lines files (not pipes) reported only as JSON (no table, SARIF or --strict-inventory); this scan runs on one thread',
    ]);
    const help = (await run(['scan', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('when every report is JSON (--format json, or -q with --output-json; no SARIF, --strict-inventory or -i -); otherwise, and in a live scan, one thread (with a note)');
  });

  it('a refused run prints only its error, without the notes', async () => {
    const r = await run(['scan', '-i', DEMO, '-f', 'json', '--width', '80', '-d', 'no-such.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('idleFlagNotes', () => {
  it('notes --threads in a live scan (no --inventory), which always runs on one thread', async () => {
    const { idleFlagNotes } = await import('../../../src/cli/idle-flags.js');
    const base = { inventories: [], strictInventory: false, format: 'json', failOn: 'error', colorFlag: true, quiet: false } as const;
    expect(idleFlagNotes({ ...base, threads: 2 })).toEqual(['--threads applies to --inventory files; a live scan runs on one thread']);
    expect(idleFlagNotes({ ...base, threads: 'auto' })).toEqual([]);
    expect(idleFlagNotes({ ...base, inventories: ['x.jsonl'], threads: 2 })).toEqual([]);
  });
});
