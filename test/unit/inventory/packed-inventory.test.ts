import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { isPackedData, packedInventoryMessage } from '../../../src/inventory/packed-formats.js';
import { readError } from '../../support/read-inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'tagaudit-packed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINE = `${JSON.stringify({ arn: 'arn:aws:lambda:us-east-1:111122223333:function:a', tags: {} })}\n`;
const bytes = (...b: number[]): Buffer => Buffer.concat([Buffer.from(b), Buffer.alloc(200, 0x9c)]);

// Acceptance s13, borderline: a gzip-compressed inventory gave dozens of "not UTF-8" lines with an iconv hint.
describe('readInventory: a compressed file or an archive is one clear usage error', () => {
  it.each([
    ['demo.jsonl.gz', gzipSync(Buffer.from(LINE.repeat(200))), 'gzip-compressed; decompress it first (e.g. gunzip -k NAME), or pipe it in: gunzip -c NAME | tagaudit scan -i -'],
    ['inv.zip', bytes(0x50, 0x4b, 0x03, 0x04), 'a zip archive; extract the inventory from it first (e.g. unzip NAME), or pipe it in: unzip -p NAME | tagaudit scan -i -'],
    ['inv.jsonl.zst', bytes(0x28, 0xb5, 0x2f, 0xfd), 'zstd-compressed; decompress it first (e.g. zstd -dk NAME), or pipe it in: zstd -dc NAME | tagaudit scan -i -'],
    ['inv.jsonl.xz', bytes(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00), 'xz-compressed; decompress it first (e.g. xz -dk NAME), or pipe it in: xz -dc NAME | tagaudit scan -i -'],
    ['inv.jsonl.bz2', bytes(0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59), 'bzip2-compressed; decompress it first (e.g. bunzip2 -k NAME), or pipe it in: bunzip2 -c NAME | tagaudit scan -i -'],
  ])('%s', async (name, content, says) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    const err = await readError(p);
    expect(err.toLine()).toBe(`${p}: inventory file is ${says.replaceAll('NAME', p)}`);
  });

  it('names FILE in the commands when the name is not one a shell takes as it is', async () => {
    const p = join(dir, 'my inventory.gz');
    writeFileSync(p, gzipSync(LINE));
    expect((await readError(p)).toLine()).toContain('(e.g. gunzip -k FILE), or pipe it in: gunzip -c FILE | tagaudit scan -i -');
  });

  it('on standard input, says to decompress on the way in', () => {
    expect(packedInventoryMessage(gzipSync(LINE), undefined)).toBe('standard input is gzip-compressed; decompress it on the way in (… | gunzip -c | tagaudit scan -i -)');
    expect(packedInventoryMessage(bytes(0x50, 0x4b, 0x03, 0x04), undefined)).toBe('standard input is a zip archive; extract the inventory from it first');
  });

  it('takes text for text: JSON, "BZh" or "PK" at the start of a line that is no archive', () => {
    for (const text of [LINE, '[{"arn":"x"}]', 'BZh9 not bzip2\n', 'PK\n', '\u001f']) expect(isPackedData(Buffer.from(text))).toBe(false);
  });
});
