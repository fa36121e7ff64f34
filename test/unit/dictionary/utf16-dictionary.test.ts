import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDictionary } from '../../../src/dictionary/load-dictionary.js';
import { DictionaryError } from '../../../src/dictionary/dictionary-error.js';
import { runCli } from '../../support/cli.js';

const TEXT = 'version: 1\nname: t\ntags:\n  - key: env\n    category: w\n    purpose: p\n    mandatory: true\n    costAllocation: false\n';
const UTF16 =
  'dictionary file is UTF-16 text; save it as UTF-8 (iconv -f utf-16 -t utf-8; in PowerShell: Out-File -Encoding utf8; in Notepad: Save As, Encoding UTF-8)';

const littleEndian = (text: string): Buffer => Buffer.from(text, 'utf16le');
const bigEndian = (text: string): Buffer => littleEndian(text).swap16();
const BOM = '\ufeff';

async function lines(bytes: Uint8Array): Promise<string[]> {
  const err = await parseDictionary(bytes, 'd.yaml').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DictionaryError);
  return (err as DictionaryError).lines();
}

describe('a UTF-16 dictionary is named as such (was: "not UTF-8 … iconv -f latin1")', () => {
  it.each([
    ['little-endian with a byte-order mark (Notepad "Unicode", PowerShell 5 >)', littleEndian(BOM + TEXT)],
    ['big-endian with a byte-order mark', bigEndian(BOM + TEXT)],
    ['little-endian without one (read as UTF-8, it was "must be a mapping, got a string")', littleEndian(TEXT)],
    ['big-endian without one', bigEndian(TEXT)],
  ])('%s', async (_name, bytes) => {
    expect(await lines(bytes)).toEqual([`d.yaml:1:1: ${UTF16}`]);
  });

  it('Latin-1 keeps its own hint', async () => {
    expect(await lines(Buffer.from(`${TEXT}    values: [caf\xe9]\n`, 'latin1'))).toEqual([
      'd.yaml:9:17: not UTF-8 text here; save the dictionary as UTF-8 (e.g. iconv -f latin1 -t utf-8)',
    ]);
  });

  it('UTF-8, with or without a byte-order mark, loads', async () => {
    expect((await parseDictionary(Buffer.from(TEXT), 'd.yaml')).policy.tags).toHaveLength(1);
    expect((await parseDictionary(Buffer.from(BOM + TEXT), 'd.yaml')).policy.tags).toHaveLength(1);
  });
});

describe('tagaudit validate and scan -d', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tagaudit-utf16-'));
    writeFileSync(join(dir, 'utf16.yaml'), littleEndian(BOM + TEXT));
    writeFileSync(join(dir, 'inv.jsonl'), '{"arn":"arn:aws:s3:::b","tags":{}}\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('validate: one line, exit 2', async () => {
    const r = await runCli(['validate', 'utf16.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual([`utf16.yaml:1:1: ${UTF16}`, 'tagaudit: 1 problem in utf16.yaml', '']);
  });

  it('scan -d: the same line, exit 2', async () => {
    const r = await runCli(['scan', '-d', 'utf16.yaml', '-i', 'inv.jsonl'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`utf16.yaml:1:1: ${UTF16}`);
  });
});
