import { mkdtempSync, readdirSync, readlinkSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineRereader } from '../../../../src/audit/parallel/reread-line.js';
import { hashArn } from '../../../../src/audit/seen-arns.js';

const model = (i: number): string => `arn:aws:sagemaker:us-east-1:111122223333:model/m-${i}`;
const hashOf = (arn: string): [number, number] => {
  const h = new Uint32Array(2);
  hashArn(arn, h, 0);
  return [h[0]!, h[1]!];
};
const openDescriptors = (): number => readdirSync('/proc/self/fd').length;
/** The files this process has open, by path. */
const openFiles = (): Set<string> => {
  const out = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      out.add(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // closed meanwhile (the directory listing's own descriptor)
    }
  }
  return out;
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-reread-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file whose second line (at the returned offset) is model `i`. */
function fileWithModel(i: number): { path: string; offset: number } {
  const first = `${JSON.stringify({ arn: `arn:aws:lambda:us-east-1:111122223333:function:f-${i}`, tags: {} })}\r\n`;
  const path = join(dir, `acct-${i}.jsonl`);
  writeFileSync(path, `${first}${JSON.stringify({ arn: model(i), tags: { team: `t-${i}` } })}\n`);
  return { path, offset: Buffer.byteLength(first) };
}

describe('LineRereader', () => {
  it.runIf(process.platform === 'linux')('reads resources again from many files while keeping at most 8 of them open', () => {
    const files = Array.from({ length: 30 }, (_, i) => fileWithModel(i));
    const before = openDescriptors();
    const rereader = new LineRereader();
    try {
      for (const [i, f] of files.entries()) {
        expect(rereader.resource(f.path, `acct-${i}.jsonl`, f.offset, ...hashOf(model(i))).tags).toEqual({ team: `t-${i}` });
        expect(openDescriptors() - before).toBeLessThanOrEqual(8);
      }
      // The first files were closed on the way: they are opened again.
      expect(rereader.resource(files[0]!.path, 'acct-0.jsonl', files[0]!.offset, ...hashOf(model(0))).arn).toBe(model(0));
    } finally {
      rereader.close();
    }
    expect(openDescriptors()).toBe(before);
  });

  it.runIf(process.platform === 'linux')('closes the least recently read file first', () => {
    const files = Array.from({ length: 9 }, (_, i) => fileWithModel(200 + i));
    const rereader = new LineRereader();
    const read = (k: number): void => void rereader.resource(files[k]!.path, 'f', files[k]!.offset, ...hashOf(model(200 + k)));
    try {
      for (let k = 0; k < 8; k++) read(k);
      read(0); // now file 1 is the least recently read
      read(8);
      const open = openFiles();
      expect(open.has(files[0]!.path)).toBe(true);
      expect(open.has(files[1]!.path)).toBe(false);
      expect(open.has(files[8]!.path)).toBe(true);
    } finally {
      rereader.close();
    }
  });

  it('says the file changed when the line no longer holds the resource, naming the file as given', () => {
    const f = fileWithModel(100);
    const rereader = new LineRereader();
    try {
      expect(() => rereader.resource(f.path, 'inv/acct-100.jsonl', f.offset, ...hashOf(model(999)))).toThrow(
        `inv/acct-100.jsonl changed while it was being scanned (byte ${f.offset} no longer holds the resource read there)`,
      );
    } finally {
      rereader.close();
    }
  });

  it('names a file that can no longer be read as given, without its absolute path', () => {
    const f = fileWithModel(101);
    unlinkSync(f.path);
    const rereader = new LineRereader();
    try {
      let message = '';
      try {
        rereader.resource(f.path, 'inv/acct-101.jsonl', f.offset, ...hashOf(model(101)));
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toBe(`cannot read inv/acct-101.jsonl again (byte ${f.offset}): ENOENT: no such file or directory`);
    } finally {
      rereader.close();
    }
  });
});
