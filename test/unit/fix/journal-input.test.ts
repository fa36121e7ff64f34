import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { tempDir } from './run.js';

// A bad --journal is one usage line naming the file (exit 2), never a raw fs error or a quote of the file.
describe('undo / fix --resume with a journal that cannot be used', () => {
  const dir = tempDir();

  it.each([
    [['undo', '--journal', dir]],
    [['fix', '--resume', dir, '--apply', '--yes']],
  ])('a directory: %j', async (args) => {
    const r = await runCli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`tagaudit: ${dir}: cannot read the journal: is a directory, not a journal file\n`);
  });

  it('a file that is not a journal: the error does not quote its content', async () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'jane.doe@example.com is on call\n{"t":"begin"}\n');
    const r = await runCli(['undo', '--journal', file], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`tagaudit: ${file}:1: not a journal line (invalid JSON: Unexpected token "j")\n`);
  });
});
