import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { refuseSameFiles } from '../../../src/cli/same-file-guard.js';
import { UsageError } from '../../../src/errors.js';
import { runCli } from '../../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const DEMO = join(ROOT, 'examples/demo-estate.jsonl');
const dir = mkdtempSync(join(tmpdir(), 'tagaudit-output-links-'));
const refusal = (check: () => void): string | undefined => {
  try {
    check();
    return undefined;
  } catch (err) {
    return err instanceof UsageError ? err.toLine() : String(err);
  }
};
afterAll(async () => (await import('node:fs')).rmSync(dir, { recursive: true, force: true }));

describe('an output named through a symlink to a file not created yet is the file it leads to', () => {
  it('refuses --output-sarif link.json → r.json beside --output-json r.json, and leaves the link and r.json alone', async () => {
    mkdirSync(join(dir, 'out'));
    symlinkSync('r.json', join(dir, 'out/link.json'));
    const r = await runCli(['scan', '-i', DEMO, '--output-json', 'out/r.json', '--output-sarif', 'out/link.json', '--fail-on', 'none'], { cwd: dir });
    expect(r.stderr).toBe('tagaudit: out/link.json: --output-sarif and --output-json name the same file\n');
    expect(r.code).toBe(2);
    expect(lstatSync(join(dir, 'out/link.json')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(dir, 'out/r.json'))).toBe(false);
  });

  it('writes a report through a link to a file not created yet, as `>` would: the link stays, the file it names is created', async () => {
    mkdirSync(join(dir, 'artifacts'));
    symlinkSync('artifacts/nightly.json', join(dir, 'report-link.json'));
    const r = await runCli(['scan', '-i', DEMO, '-q', '--output-json', 'report-link.json', '--fail-on', 'none'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(lstatSync(join(dir, 'report-link.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'artifacts/nightly.json'), 'utf8')).run.status).toBe('complete');
    expect(readdirSync(join(dir, 'artifacts'))).toEqual(['nightly.json']);
  });

  it('still refuses a link over the --inventory', async () => {
    symlinkSync(DEMO, join(dir, 'inventory-link.json'));
    const r = await runCli(['scan', '-i', DEMO, '-q', '--output-json', 'inventory-link.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tagaudit: inventory-link.json: --output-json would overwrite the --inventory file it reads\n');
  });

  it('follows a chain of links, relative to each link, through a symlinked folder', () => {
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'alias'));
    symlinkSync('../real/report.json', join(dir, 'alias/hop.json')); // real/hop.json → real/report.json
    symlinkSync('alias/hop.json', join(dir, 'first.json'));
    expect(readlinkSync(join(dir, 'first.json'))).toBe('alias/hop.json');
    expect(refusal(() => refuseSameFiles([], [{ flag: '--output-json', path: 'real/report.json' }, { flag: '--plan-out', path: 'first.json' }], dir))).toBe(
      'first.json: --plan-out and --output-json name the same file',
    );
  });

  it('still lets two different new files through, and a symlink loop is left to the writer', () => {
    symlinkSync('loop-b.json', join(dir, 'loop-a.json'));
    symlinkSync('loop-a.json', join(dir, 'loop-b.json'));
    expect(() =>
      refuseSameFiles([], [{ flag: '--output-json', path: 'a.json' }, { flag: '--output-sarif', path: 'b.json' }, { flag: '--plan-out', path: 'loop-a.json' }], dir),
    ).not.toThrow();
  });
});
