import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { tempDir } from './run.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const INVENTORY = join(ROOT, 'examples/demo-estate.jsonl');

// An output file that cannot be created is a usage error (exit 2, one line naming it), found before any scan.
describe('fix / undo output files that cannot be written', () => {
  const dir = tempDir();
  const missing = join(dir, 'no-such-dir');

  it.each([
    ['--plan-out', ['fix', '-i', INVENTORY, '--plan-out', join(missing, 'plan.json')], join(missing, 'plan.json')],
    ['--journal', ['fix', '-i', INVENTORY, '--apply', '--yes', '--journal', join(missing, 'j.jsonl')], join(missing, 'j.jsonl')],
    ['--undo-journal', ['undo', '--journal', join(dir, 'absent.jsonl'), '--apply', '--yes', '--undo-journal', join(missing, 'u.jsonl')], join(missing, 'u.jsonl')],
  ])('%s into a missing directory', async (_flag, args, file) => {
    const r = await runCli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`tagaudit: ${file}: cannot write output file: directory ${missing} does not exist (create it first)\n`);
    expect(r.stderr).not.toContain('using bundled'); // refused before the dictionary and the scan
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe('');
    expect(existsSync(missing)).toBe(false);
  });

  it('--plan-out naming a directory', async () => {
    const target = join(dir, 'a-dir');
    mkdirSync(target);
    const r = await runCli(['fix', '-i', INVENTORY, '--plan-out', target], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`tagaudit: ${target}: cannot write output file: is a directory\n`);
  });
});
