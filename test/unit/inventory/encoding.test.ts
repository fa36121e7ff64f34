import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { read, readError } from '../../support/read-inventory.js';
import { invalidUtf8At, utf8LineCol } from '../../../src/inventory/utf8.js';

const dir = mkdtempSync(join(tmpdir(), 'tagaudit-enc-'));
let n = 0;
function file(content: Buffer | string, ext = 'jsonl'): string {
  const p = join(dir, `inv-${++n}.${ext}`);
  writeFileSync(p, content);
  return p;
}


const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:f';
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('inventories that are not UTF-8', () => {
  it('a JSON Lines record with a Latin-1 byte is a bad line at the byte, not a value with U+FFFD in it', async () => {
    const p = file(
      Buffer.concat([
        Buffer.from(`{"arn":"${ARN}1","tags":{"team":"Zoë"}}\n`),
        latin1(`{"arn":"${ARN}2","tags":{"team":"Café"}}\n`),
        Buffer.from(`{"arn":"${ARN}3","tags":{"team":"\uFFFD kept: a real U+FFFD is UTF-8"}}`),
      ]),
    );
    const { resources, errors } = await read(p);
    expect(resources.map((r) => r.tags.team)).toEqual(['Zoë', '\uFFFD kept: a real U+FFFD is UTF-8']);
    const col = `{"arn":"${ARN}2","tags":{"team":"Caf`.length + 1;
    expect(errors.map((e) => e.message)).toEqual([`${p}:2:${col}: not UTF-8 text here; save the inventory as UTF-8 (e.g. iconv -f latin1 -t utf-8)`]);
  });

  it('with onBadLine fail, the first such line stops the read', async () => {
    const p = file(latin1(`{"arn":"${ARN}","tags":{"é":"x"}}\n`));
    expect((await readError(p, { onBadLine: 'fail' })).toLine()).toMatch(new RegExp(`^${p}:1:${`{"arn":"${ARN}","tags":{"`.length + 1}: not UTF-8`));
  });

  it('a get-resources document with a Latin-1 byte is refused with its line and column', async () => {
    const doc = `{\n  "ResourceTagMappingList": [\n    {"ResourceARN": "${ARN}", "Tags": [{"Key": "team", "Value": "Café"}]}\n  ]\n}\n`;
    const err = await readError(file(latin1(doc), 'json'));
    const col = `    {"ResourceARN": "${ARN}", "Tags": [{"Key": "team", "Value": "Caf`.length + 1;
    expect(err.toLine()).toMatch(new RegExp(`:3:${col}: not UTF-8 text here`));
  });

  it('a UTF-16 file (PowerShell 5 redirection) is refused as such, not read line by line as garbage', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`{"arn":"${ARN}"}\n`, 'utf16le')]);
    expect((await readError(file(utf16))).toLine()).toMatch(/: inventory file is UTF-16 text; save it as UTF-8/);
  });

  it('UTF-16 without a byte-order mark (NUL beside every ASCII character) is refused the same way', async () => {
    const utf16 = Buffer.from(`{"arn":"${ARN}"}\n`, 'utf16le');
    expect((await readError(file(utf16))).toLine()).toMatch(/: inventory file is UTF-16 text; save it as UTF-8/);
  });
});

describe('invalidUtf8At', () => {
  const at = (...bytes: number[]): number | undefined => invalidUtf8At(Uint8Array.from(bytes));
  it('accepts every valid sequence length', () => {
    expect(at(...Buffer.from('aé€😀'))).toBeUndefined();
  });
  it('finds stray, overlong, surrogate, out-of-range and cut-short sequences', () => {
    expect(at(0x61, 0x80)).toBe(1); // a continuation byte with no lead
    expect(at(0xc0, 0x80)).toBe(0); // overlong NUL
    expect(at(0xe0, 0x80, 0x80)).toBe(0); // overlong 3-byte
    expect(at(0xed, 0xa0, 0x80)).toBe(0); // UTF-16 surrogate
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0); // above U+10FFFF
    expect(at(0x61, 0xe2, 0x82)).toBe(1); // cut short by the end
    expect(at(0xe2, 0x41, 0x41)).toBe(0); // lead byte followed by ASCII
  });
  it('positions a byte offset as line and column in characters', () => {
    expect(utf8LineCol(Buffer.from('ab\nçé-x'), Buffer.from('ab\nçé-').length)).toEqual({ line: 2, col: 4 });
  });
});
