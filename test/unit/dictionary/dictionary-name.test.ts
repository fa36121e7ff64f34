import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateDictionary } from '../../../src/dictionary/resolve-dictionary.js';
import { UsageError } from '../../../src/errors.js';
import { runCli } from '../../support/cli.js';

// An empty name is an unset variable (`-d "$DICT"` in CI), never a request for the default dictionary.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-dict-name-'));
  writeFileSync(join(dir, 'x.jsonl'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an empty dictionary name is a usage error', () => {
  it.each(['', '   ', '\t'])('locateDictionary(%j)', (name) => {
    expect(() => locateDictionary(name, dir)).toThrow(UsageError);
    expect(() => locateDictionary(name, dir)).toThrow(/^--dictionary needs a file name$/);
  });

  it.each([
    [['scan', '-d', '', '-i', 'x.jsonl'], 'tagaudit: --dictionary needs a file name\n'],
    [['scan', '--dictionary', ' ', '-i', 'x.jsonl'], 'tagaudit: --dictionary needs a file name\n'],
    [['validate', '--dictionary', ''], 'tagaudit: --dictionary needs a file name\n'],
    [['validate', ''], 'tagaudit: the dictionary argument needs a file name\n'],
    [['validate', '  '], 'tagaudit: the dictionary argument needs a file name\n'],
  ])('tagaudit %j: one line, exit 2, no fallback to the bundled dictionary', async (argv, stderr) => {
    const r = await runCli(argv, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(stderr);
  });
});
