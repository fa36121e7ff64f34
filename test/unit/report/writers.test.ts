import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { afterAll, describe, it, expect } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { fileWriter, OutputWriteError, streamWriter, teeWriter } from '../../../src/report/writers.js';

const dir = mkdtempSync(join(tmpdir(), 'tagaudit-writers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('fileWriter', () => {
  it('writes every chunk, multi-byte text included, and flushes on close', async () => {
    const path = join(dir, 'out.json');
    const w = fileWriter(path);
    const chunks = Array.from({ length: 5000 }, (_, i) => `{"i":${i},"v":"値 ✓ é"}\n`);
    for (const c of chunks) w.write(c);
    await w.close();
    expect(readFileSync(path, 'utf8')).toBe(chunks.join(''));
  });

  it('buffers small writes and flushes once 64 KiB have gathered, into a temporary file renamed on close', async () => {
    const path = join(dir, 'buffered.json');
    const w = fileWriter(path);
    const temp = () => readdirSync(dir).filter((f) => f.startsWith('.buffered.json.') && f.endsWith('.tmp'));
    w.write('small');
    expect(temp()).toHaveLength(1);
    expect(readFileSync(join(dir, temp()[0]!), 'utf8')).toBe('');
    w.write('x'.repeat(64 * 1024));
    expect(readFileSync(join(dir, temp()[0]!), 'utf8').length).toBe(5 + 64 * 1024);
    expect(existsSync(path)).toBe(false);
    await w.close();
    expect(readFileSync(path, 'utf8').length).toBe(5 + 64 * 1024);
    expect(temp()).toEqual([]);
  });

  it('discard() keeps the previous file as it was and removes the temporary one', async () => {
    const path = join(dir, 'kept.json');
    writeFileSync(path, 'previous report');
    const w = fileWriter(path);
    w.write('x'.repeat(200_000));
    await w.discard!();
    await w.close();
    expect(readFileSync(path, 'utf8')).toBe('previous report');
    expect(readdirSync(dir).filter((f) => f.startsWith('.kept.json.'))).toEqual([]);
  });

  it('replaces the file a symlink points at, keeping the link and the file mode', async () => {
    const real = join(dir, 'real.sarif');
    const link = join(dir, 'link.sarif');
    writeFileSync(real, 'old');
    chmodSync(real, 0o640);
    symlinkSync(real, link);
    const w = fileWriter(link);
    w.write('new');
    await w.close();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(statSync(real).mode & 0o777).toBe(0o640);
  });

  it('truncates an existing file, tolerates a second close and refuses writes after close', async () => {
    const path = join(dir, 'again.json');
    const first = fileWriter(path);
    first.write('a much longer first version');
    await first.close();
    const w = fileWriter(path);
    w.write('short');
    await w.close();
    await w.close();
    expect(readFileSync(path, 'utf8')).toBe('short');
    expect(() => w.write('late')).toThrow(/after close/);
  });

  it('writes to /dev/null', async () => {
    const w = fileWriter('/dev/null');
    w.write('x'.repeat(200_000));
    await w.close();
  });

  it('a missing directory is a UsageError naming the file, not created for you', () => {
    const path = join(dir, 'no-such-dir', 'report.sarif');
    const err = catchError(() => fileWriter(path));
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).toLine()).toBe(`${path}: cannot write output file: directory ${join(dir, 'no-such-dir')} does not exist (create it first)`);
  });

  // /proc exists, but no file can be made there: saying it does not exist sent people looking for the wrong problem.
  it.skipIf(!existsSync('/proc/version'))('a directory where no file can be created is named as such, not as missing', () => {
    const err = catchError(() => fileWriter('/proc/version'));
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).toLine()).toBe('/proc/version: cannot write output file: no file can be created in directory /proc');
  });

  it('a directory is a UsageError naming it', () => {
    const err = catchError(() => fileWriter(dir));
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).toLine()).toBe(`${dir}: cannot write output file: is a directory`);
  });

  it.skipIf(!existsSync('/dev/full'))('a write that fails (/dev/full: ENOSPC) is an OutputWriteError (exit 2) naming the file', async () => {
    const w = fileWriter('/dev/full');
    const err = await (async () => {
      w.write('x'.repeat(200_000));
      await w.close();
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OutputWriteError);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).toLine()).toBe('/dev/full: cannot write output file: ENOSPC: no space left on device, write');
  });

  it('a file that cannot be put in place at the end keeps the previous one, leaves no temporary file, and names the file', async () => {
    const path = join(dir, 'unplaced.json');
    writeFileSync(path, 'previous report');
    const w = fileWriter(path);
    w.write('new report');
    const temps = () => readdirSync(dir).filter((f) => f.startsWith('.unplaced.json.'));
    // The temporary file disappears before the rename (another process, a cleaner): the rename fails with ENOENT.
    for (const t of temps()) rmSync(join(dir, t));
    const err = await w.close().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OutputWriteError);
    expect((err as UsageError).toLine()).toMatch(new RegExp(`^${path}: cannot write output file: ENOENT`));
    expect(readFileSync(path, 'utf8')).toBe('previous report');
    expect(temps()).toEqual([]);
  });

  it('writes through a symlink to a file not created yet, as `>` would: the target is created beside its own folder, the link stays', async () => {
    const out = join(dir, 'dangling-out');
    mkdirSync(out);
    const link = join(dir, 'dangling.json');
    symlinkSync('dangling-out/report.json', link);
    const hop = join(dir, 'hop.json');
    symlinkSync('dangling.json', hop); // a chain: hop.json → dangling.json → dangling-out/report.json
    const w = fileWriter(hop);
    w.write('report');
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
    await w.close();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(lstatSync(hop).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe('report');
    expect(readdirSync(out)).toEqual(['report.json']);
  });

  it('a symlink to a file in a missing folder names that folder', () => {
    const link = join(dir, 'nowhere.json');
    symlinkSync('no-such-folder/report.json', link);
    const err = catchError(() => fileWriter(link));
    expect((err as UsageError).toLine()).toBe(`${link}: cannot write output file: directory ${join(dir, 'no-such-folder')} does not exist (create it first)`);
  });
});

describe('streamWriter', () => {
  it('gathers chunks into few writes and never ends the stream', async () => {
    const writes: string[] = [];
    const w = streamWriter({ write: (s: string) => writes.push(s) });
    for (let i = 0; i < 1000; i += 1) w.write(`line ${i}\n`);
    expect(writes).toEqual([]);
    await w.close();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toContain('line 999\n');
    const big = streamWriter({ write: (s: string) => writes.push(s) });
    big.write('y'.repeat(70_000));
    expect(writes).toHaveLength(2);
    await big.close();
  });

  it('close() waits for a stream that asked for a drain', async () => {
    const stream = Object.assign(new EventEmitter(), { writableNeedDrain: true, write: () => false });
    const w = streamWriter(stream);
    w.write('data');
    let closed = false;
    const closing = w.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(false);
    stream.emit('drain');
    await closing;
    expect(closed).toBe(true);
  });
});

describe('teeWriter', () => {
  const chunks = Array.from({ length: 20_000 }, (_, i) => `{"i":${i},"v":"値 ✓ é"}\n`);

  it('writes the same bytes to every file, flushing both on close', async () => {
    const a = join(dir, 'tee-a.json');
    const b = join(dir, 'tee-b.json');
    const w = teeWriter([fileWriter(a), fileWriter(b)]);
    for (const c of chunks) w.write(c);
    w.write('z'.repeat(300_000)); // larger than the shared buffer
    w.write('end');
    await w.close();
    const expected = chunks.join('') + 'z'.repeat(300_000) + 'end';
    expect(readFileSync(a, 'utf8')).toBe(expected);
    expect(readFileSync(b, 'utf8')).toBe(expected);
  });

  it('hands every chunk to a stream among the destinations too', async () => {
    const path = join(dir, 'tee-file.json');
    const writes: string[] = [];
    const w = teeWriter([streamWriter({ write: (s: string) => writes.push(s) }), fileWriter(path)]);
    for (const c of chunks) w.write(c);
    await w.close();
    expect(writes.join('')).toBe(chunks.join(''));
    expect(readFileSync(path, 'utf8')).toBe(chunks.join(''));
  });
});
