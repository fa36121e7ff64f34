import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, chmodSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { loadDictionary } from '../../../src/dictionary/load-dictionary.js';
import { DictionaryError } from '../../../src/dictionary/dictionary-error.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-dict-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function lineOf(file: string, displayPath?: string): Promise<string> {
  const err = await loadDictionary(file, displayPath ? { displayPath } : {}).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DictionaryError);
  return (err as DictionaryError).toLine();
}

describe('dictionary files that cannot be read', () => {
  it('not found: names the file as given', async () => {
    expect(await lineOf(join(dir, 'missing.yaml'), 'missing.yaml')).toBe('missing.yaml: dictionary not found');
  });

  it('a directory', async () => {
    mkdirSync(join(dir, 'adir'));
    expect(await lineOf(join(dir, 'adir'), 'adir')).toBe('adir: is a directory, not a dictionary file');
  });

  it.skipIf(process.getuid?.() === 0)('unreadable (EACCES)', async () => {
    const file = join(dir, 'locked.yaml');
    writeFileSync(file, 'version: 1\n');
    chmodSync(file, 0o000);
    expect(await lineOf(file, 'locked.yaml')).toBe('locked.yaml: cannot read the dictionary: permission denied');
  });

  it('a device that never ends (/dev/zero) stops at the size limit instead of reading forever', async () => {
    expect(await lineOf('/dev/zero', 'zero')).toBe('zero: is larger than 10 MB; a dictionary is a small YAML file (is this the right file?)');
  });

  it('a named pipe is read like a file', async () => {
    const fifo = join(dir, 'dict.fifo');
    execFileSync('mkfifo', [fifo]);
    const text = 'version: 1\nname: piped\ntags:\n  - {key: team, category: c, purpose: p, mandatory: true, costAllocation: true}\n';
    const writer = writeFile(fifo, text);
    const policy = await loadDictionary(fifo);
    await writer;
    expect(policy.name).toBe('piped');
  });

  it('not UTF-8', async () => {
    const file = join(dir, 'latin1.yaml');
    writeFileSync(file, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    expect(await lineOf(file, 'latin1.yaml')).toBe('latin1.yaml:1:7: not UTF-8 text here; save the dictionary as UTF-8 (e.g. iconv -f latin1 -t utf-8)');
  });

  it('a byte-order mark is accepted and positions stay right', async () => {
    const file = join(dir, 'bom.yaml');
    writeFileSync(file, '\ufeffversion: 1\nname: bom\ntags:\n  - key: team\n    category: x\n    purpose: y\n    mandatory: maybe\n    costAllocation: true\n');
    expect(await lineOf(file, 'bom.yaml')).toBe('bom.yaml:7:16: tags[0].mandatory: must be true, false or a list, got a string');
  });
});
