import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

const DEMO = 'examples/demo-estate.jsonl';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-not-inventory-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes what a real tagaudit run printed on stdout to a file in the test directory. */
async function saved(name: string, argv: string[]): Promise<string> {
  const run = await runCli(argv);
  expect(run.stdout.length).toBeGreaterThan(0);
  const path = join(dir, name);
  writeFileSync(path, run.stdout);
  return path;
}

describe('scan --inventory given one of tagaudit’s own outputs', () => {
  it.each([
    ['a JSON report', 'report.json', ['scan', '-i', DEMO, '--format', 'json', '--fail-on', 'none'], /this is a tagaudit JSON report/],
    ['a SARIF log', 'report.sarif', ['scan', '-i', DEMO, '--format', 'sarif', '--fail-on', 'none'], /this is a SARIF log/],
    ['a fix plan', 'plan.json', ['fix', '-i', DEMO, '--format', 'json'], /this is a tagaudit fix plan/],
  ])('%s: one line, exit 2, no finding-by-finding "bad line" errors', async (_what, name, argv, said) => {
    const path = await saved(name, argv);
    for (const threads of ['1', '2']) {
      const run = await runCli(['scan', '-i', path, '--format', 'json', '--threads', threads, '-q', '--output-json', join(dir, 'out.json')]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(said);
      expect(run.stderr).toContain('not an inventory');
    }
  });

  it('a journal (JSON Lines whose first record begins a run)', async () => {
    const path = join(dir, 'journal.jsonl');
    writeFileSync(path, '{"t":"begin","version":1,"kind":"fix","at":"2024-06-01T12:00:00.000Z","tool":"tagaudit 0.1.0"}\n');
    const run = await runCli(['scan', '-i', path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/this is a tagaudit journal/);
  });

  it('a PII vault (its raw values are never quoted)', async () => {
    const path = join(dir, 'j.jsonl.pii-vault.jsonl');
    const digest = { keySha256: 'a'.repeat(64), valueSha256: 'b'.repeat(64) };
    writeFileSync(path, `${JSON.stringify({ digest, key: 'contact', value: 'jane.doe@example.com' })}\n`);
    const run = await runCli(['scan', '-i', path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/this is a tagaudit PII vault/);
    expect(run.stderr).not.toContain('jane.doe');
  });

  it('an inventory is still read (the check looks at how the file starts only)', async () => {
    const run = await runCli(['scan', '-i', DEMO, '--format', 'json', '--fail-on', 'none']);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('not an inventory');
  });
});
