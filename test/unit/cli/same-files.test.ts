import * as fs from 'node:fs';
import { copyFileSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refuseSameFiles } from '../../../src/cli/same-file-guard.js';
import { runCli } from '../../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'tagaudit-same-files-'));
const inventory = join(dir, 'estate.jsonl');
copyFileSync(join(ROOT, 'examples/demo-estate.jsonl'), inventory);
const dictionary = join(dir, 'dictionary.yaml');
copyFileSync(join(ROOT, 'dictionaries/anycompany.yaml'), dictionary);
const untouched = () => {
  expect(readFileSync(inventory, 'utf8')).toBe(readFileSync(join(ROOT, 'examples/demo-estate.jsonl'), 'utf8'));
  expect(readFileSync(dictionary, 'utf8')).toBe(readFileSync(join(ROOT, 'dictionaries/anycompany.yaml'), 'utf8'));
};

describe('an output that is an input, or another output, is refused before any work (exit 2)', () => {
  it.each([
    [['scan', '-i', inventory, '-d', dictionary, '--output-sarif', dictionary], `${dictionary}: --output-sarif would overwrite the --dictionary file it reads`],
    [['scan', '-i', inventory, '-d', dictionary, '--output-json', inventory], `${inventory}: --output-json would overwrite the --inventory file it reads`],
    [['fix', '-i', inventory, '-d', dictionary, '--plan-out', inventory], `${inventory}: --plan-out would overwrite the --inventory file it reads`],
    [['fix', '-i', inventory, '-d', dictionary, '--plan-out', dictionary], `${dictionary}: --plan-out would overwrite the --dictionary file it reads`],
    [['fix', '-i', inventory, '--plan-out', join(dir, 'p.json'), '--output-json', join(dir, 'p.json')], `${join(dir, 'p.json')}: --plan-out and --output-json name the same file`],
    [['scan', '-d', dictionary, '--save-inventory', dictionary, '--regions', 'us-east-1'], `${dictionary}: --save-inventory would overwrite the --dictionary file it reads`],
  ])('%j', async (args, message) => {
    const r = await runCli(args, { cwd: dir, env: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`tagaudit: ${message}\n`);
    untouched();
  });

  it('sees through symlinks and other spellings of the same path', () => {
    const link = join(dir, 'link.jsonl');
    symlinkSync(inventory, link);
    expect(() => refuseSameFiles([{ flag: '--inventory', path: 'estate.jsonl' }], [{ flag: '--output-json', path: link }], dir)).toThrow(
      /--output-json would overwrite the --inventory file it reads/,
    );
    expect(() => refuseSameFiles([], [{ flag: '--output-json', path: 'new.json' }, { flag: '--output-sarif', path: `${dir}/./new.json` }], dir)).toThrow(
      /--output-sarif and --output-json name the same file/,
    );
  });

  it('sees two new files named through a symlinked folder as one', () => {
    fs.mkdirSync(join(dir, 'real'));
    fs.symlinkSync(join(dir, 'real'), join(dir, 'lnk'));
    expect(() => refuseSameFiles([], [{ flag: '--output-json', path: 'real/x.json' }, { flag: '--output-sarif', path: 'lnk/x.json' }], dir)).toThrow(
      /--output-sarif and --output-json name the same file/,
    );
  });

  it('lets /dev/null and distinct files through', () => {
    writeFileSync(join(dir, 'a.json'), '');
    expect(() =>
      refuseSameFiles(
        [{ flag: '--inventory', path: inventory }],
        [
          { flag: '--output-json', path: '/dev/null' },
          { flag: '--output-sarif', path: '/dev/null' },
          { flag: '--plan-out', path: 'a.json' },
          { flag: '--journal', path: undefined },
        ],
        dir,
      ),
    ).not.toThrow();
  });
});
