import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forEachLine } from '../../../../src/inventory/line-blocks.js';
import { planRanges } from '../../../../src/audit/parallel/range-plan.js';
import { readRangeBlocks } from '../../../../src/audit/parallel/range-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'tagaudit-ranges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every (line number, byte offset, text) the ranges of `content` yield, numbered across the whole file. */
function readAll(content: string, rangeBytes: number, maxLineBytes = 1 << 20): { lines: [number, number, string][]; tooLong: number[] } {
  const path = join(dir, `f-${rangeBytes}-${maxLineBytes}.txt`);
  writeFileSync(path, content);
  const lines: [number, number, string][] = [];
  const tooLong: number[] = [];
  let before = 0;
  for (const range of planRanges(path, Buffer.byteLength(content), rangeBytes)) {
    const { lines: n } = readRangeBlocks(range, maxLineBytes, (line) => tooLong.push(before + line), (block) =>
      forEachLine(block, (text, lineNo, offset) => lines.push([before + lineNo, offset, text])),
    );
    before += n;
  }
  return { lines, tooLong };
}

function expected(content: string): [number, number, string][] {
  const out: [number, number, string][] = [];
  let offset = 0;
  const parts = content.split('\n');
  if (content.endsWith('\n')) parts.pop();
  parts.forEach((text, i) => {
    out.push([i + 1, offset, text]);
    offset += Buffer.byteLength(text) + 1;
  });
  return out;
}

describe('readRangeBlocks', () => {
  const content = ['{"a":1}', '', 'Zoë Ångström ✓ ünïcödé', '   ', 'x'.repeat(300), '{"b":"ü"}', 'last'].join('\n');
  it.each([1, 2, 3, 7, 16, 64, 333, 10_000])('yields every line exactly once, numbered and located, with %i-byte ranges', (rangeBytes) => {
    expect(readAll(content, rangeBytes).lines).toEqual(expected(content));
    expect(readAll(`${content}\n`, rangeBytes).lines).toEqual(expected(`${content}\n`));
  });

  it('drops a line over the limit (one longer than a read) once, under its own number, whichever range it starts in', () => {
    const long = ['short', 'y'.repeat(150_000), 'after', 'z'.repeat(140_000), 'end'].join('\n') + '\n';
    for (const rangeBytes of [4_000, 50_000, 120_000, 1 << 20]) {
      const { lines, tooLong } = readAll(long, rangeBytes, 100_000);
      expect(tooLong, `ranges of ${rangeBytes}`).toEqual([2, 4]);
      expect(lines.map((l) => [l[0], l[2]])).toEqual([
        [1, 'short'],
        [3, 'after'],
        [5, 'end'],
      ]);
    }
  });
});
