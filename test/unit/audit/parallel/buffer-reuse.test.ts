import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inThreadPool } from '../../../../src/audit/parallel/range-pool.js';
import { Utf8Builder } from '../../../../src/audit/parallel/utf8-builder.js';
import { loadDictionaryWithWarnings } from '../../../../src/dictionary/load-dictionary.js';

describe('reusing the memory of written findings', () => {
  it('a builder writes into the spare it is given when it is large enough, and grows out of it when needed', () => {
    const spare = new ArrayBuffer(1 << 16);
    const b = new Utf8Builder(1 << 10, spare);
    b.append('zoë ');
    expect(b.bytes().buffer).toBe(spare);
    expect(Buffer.from(b.bytes()).toString('utf8')).toBe('zoë ');
    b.append('x'.repeat(1 << 16));
    expect(b.bytes().buffer).not.toBe(spare);
    expect(Buffer.from(b.bytes()).toString('utf8')).toBe(`zoë ${'x'.repeat(1 << 16)}`);
    expect(new Utf8Builder(1 << 17, spare).bytes().buffer).not.toBe(spare); // too small: fresh memory
  });

  it('a pool hands a recycled buffer to the next range, whose findings are then the same as with fresh memory', async () => {
    const { policy } = await loadDictionaryWithWarnings('dictionaries/anycompany.yaml', {});
    const dir = mkdtempSync(join(tmpdir(), 'tagaudit-reuse-'));
    try {
      const file = join(dir, 'demo.jsonl');
      writeFileSync(file, readFileSync('examples/demo-estate.jsonl'));
      const size = readFileSync(file).length;
      const task = (index: number) => ({ index, range: { path: file, start: 0, end: size, size }, display: 'demo.jsonl' });
      const pool = inThreadPool(policy);
      const first = await pool.run(task(0));
      const expected = Buffer.from(first.json).toString('utf8');
      expect(expected.length).toBeGreaterThan(1000);
      const used = first.json.buffer as ArrayBuffer;
      new Uint8Array(used).fill(0x7b); // what the range left there must not matter
      pool.recycle(used);
      const second = await pool.run(task(1));
      expect(second.json.buffer).toBe(used);
      expect(Buffer.from(second.json).toString('utf8')).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
