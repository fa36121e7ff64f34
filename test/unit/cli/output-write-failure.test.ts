import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

// README and docs/output-formats.md: "an output file that cannot be written" is exit 2, also when the write fails at
// the end of the scan (a full disk), not only when the file cannot be opened. 3 would tell the nightly workflow the
// scan was incomplete while the JSON report it keeps says "complete". stdout that cannot be written stays 3.

const ROOT = resolve(import.meta.dirname, '../../..');
const DEMO = join(ROOT, 'examples/demo-estate.jsonl');
const DICT = join(ROOT, 'dictionaries/anycompany.yaml');
const dir = mkdtempSync(join(tmpdir(), 'tagaudit-write-fails-'));
afterAll(async () => (await import('node:fs')).rmSync(dir, { recursive: true, force: true }));
const scan = (args: string[]) => runCli(['scan', '-d', DICT, '-i', DEMO, '--fail-on', 'none', ...args], { cwd: dir });

describe.skipIf(!existsSync('/dev/full'))('an --output-* file that cannot be written (/dev/full: ENOSPC)', () => {
  it.each([['--output-json'], ['--output-sarif']])('%s: exit 2, one line naming the file', async (flag) => {
    const r = await scan(['-q', flag, '/dev/full', '--sarif-category', 'nightly']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tagaudit: /dev/full: cannot write output file: ENOSPC: no space left on device, write\n');
  });

  it('the other report is still written, and no temporary file is left', async () => {
    writeFileSync(join(dir, 'r.json'), 'PREV');
    const r = await scan(['-q', '--output-json', 'r.json', '--output-sarif', '/dev/full', '--sarif-category', 'nightly']);
    expect(r.code).toBe(2);
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).run.status).toBe('complete');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('with --format json and the same report on stdout: still exit 2', async () => {
    const r = await scan(['--format', 'json', '--output-json', '/dev/full']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tagaudit: /dev/full: cannot write output file: ENOSPC');
  });
});
