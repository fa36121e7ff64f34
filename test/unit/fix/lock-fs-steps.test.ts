import type * as Fs from 'node:fs';
import { existsSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { lockJournal, lockPathFor } from '../../../src/fix/journal-lock.js';
import { STARTED, deadPid, holderText } from './lock-fixture.js';
import { bufferOut } from '../../support/cli.js';
import { tempDir } from './run.js';

/*
 * The file system steps of taking a lock, one at a time. A lock file appears with its content: another run reading
 * it at any step finds no lock or a whole one, never an empty file (which it would be told to delete). A stale lock is
 * moved aside before it is removed and put back if the file moved turns out to be another run's lock:
 * someone deleted the stale lock by hand and another run created its own in between. These are the moments no real
 * race can be made to hit on demand, so the file system is stepped in at rename and link.
 */
const hooks = vi.hoisted(() => ({
  beforeRename: undefined as undefined | ((from: string, to: string) => void),
  beforeLink: undefined as undefined | ((existing: string, created: string) => void),
  /** Runs after every open, write and link: what another run reading the lock at that moment would find. */
  afterStep: undefined as undefined | (() => void),
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  const renameSync = ((from: Fs.PathLike, to: Fs.PathLike) => {
    hooks.beforeRename?.(String(from), String(to));
    fs.renameSync(from, to);
  }) as typeof fs.renameSync;
  const linkSync = ((existing: Fs.PathLike, created: Fs.PathLike) => {
    hooks.beforeLink?.(String(existing), String(created));
    fs.linkSync(existing, created);
    hooks.afterStep?.();
  }) as typeof fs.linkSync;
  const openSync = ((...args: Parameters<typeof fs.openSync>) => {
    const fd = fs.openSync(...args);
    hooks.afterStep?.();
    return fd;
  }) as typeof fs.openSync;
  const writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    const n = (fs.writeSync as (...a: unknown[]) => number)(...args);
    hooks.afterStep?.();
    return n;
  }) as typeof fs.writeSync;
  const patched = { renameSync, linkSync, openSync, writeSync };
  return { ...fs, ...patched, default: { ...fs, ...patched } };
});

afterEach(() => {
  hooks.beforeRename = undefined;
  hooks.beforeLink = undefined;
  hooks.afterStep = undefined;
});

function take(journal: string, stderr = bufferOut()): ReturnType<typeof lockJournal> {
  return lockJournal(journal, { command: 'tagaudit fix --resume --apply', now: new Date('2024-06-01T12:00:00Z'), stderr });
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

/** A journal with a stale lock (its process is gone), and the lock another run creates in its place. */
function staleLock(): { dir: string; journal: string; lockPath: string; replacement: string } {
  const dir = tempDir();
  const journal = join(dir, 'j.jsonl');
  const lockPath = lockPathFor(journal);
  writeFileSync(lockPath, holderText(deadPid(), 'tagaudit fix --apply'));
  return { dir, journal, lockPath, replacement: holderText(process.ppid, 'tagaudit undo --apply') };
}

describe('taking over a stale lock that is replaced at the last moment', () => {
  it("puts the other run's lock back where it was (same file), and refuses, naming that run", () => {
    const f = staleLock();
    let ino = 0;
    hooks.beforeRename = (from) => {
      if (from !== f.lockPath || ino !== 0) return;
      unlinkSync(f.lockPath);
      writeFileSync(f.lockPath, f.replacement);
      ino = statSync(f.lockPath).ino;
    };
    const err = bufferOut();
    const e = caught(() => take(f.journal, err));
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).toLine()).toContain(`the journal is in use by another tagaudit run (pid ${process.ppid} on this host, started ${STARTED}: tagaudit undo --apply)`);
    expect(ino).not.toBe(0);
    expect(statSync(f.lockPath).ino).toBe(ino);
    expect(readFileSync(f.lockPath, 'utf8')).toBe(f.replacement);
    expect(err.text()).not.toContain('took over');
    expect(readdirSync(f.dir)).toEqual(['j.jsonl.lock']);
  });

  it('when yet another lock appears before it is put back: exit 2 naming the one moved aside, which is kept', () => {
    const f = staleLock();
    const third = holderText(process.ppid, 'tagaudit fix --apply --journal j.jsonl');
    hooks.beforeRename = (from) => {
      if (from !== f.lockPath) return;
      unlinkSync(f.lockPath);
      writeFileSync(f.lockPath, f.replacement);
    };
    hooks.beforeLink = (existing) => {
      if (existing.includes('.stale-')) writeFileSync(f.lockPath, third);
    };
    const e = caught(() => take(f.journal));
    expect(e).toBeInstanceOf(UsageError);
    const aside = `${f.lockPath}.stale-${process.pid}`;
    expect((e as UsageError).toLine()).toBe(
      `${f.lockPath}: while a stale lock was taken over, other tagaudit runs replaced the lock file twice; more than one run may be using this journal. Check, then delete ${aside}`,
    );
    expect(readFileSync(aside, 'utf8')).toBe(f.replacement);
    expect(readFileSync(f.lockPath, 'utf8')).toBe(third);
    expect(existsSync(`${f.lockPath}.takeover`)).toBe(false);
  });

  it('a file system error while taking over is one line, exit 2, and the takeover file is gone', () => {
    const f = staleLock();
    hooks.beforeRename = (from) => {
      if (from === f.lockPath) throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY', syscall: 'rename' });
    };
    const e = caught(() => take(f.journal));
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).toLine()).toBe(`${f.lockPath}: cannot take the journal's lock (EBUSY in rename); tagaudit locks a journal before writing to it`);
    expect(readdirSync(f.dir)).toEqual(['j.jsonl.lock']);
  });
});

describe('at every step of taking a lock', () => {
  it.each([
    ['a free lock', false],
    ['a stale lock taken over', true],
  ])('%s: a reader finds no lock file or a whole one, never an empty one', (_what, stale) => {
    const dir = tempDir();
    const journal = join(dir, 'j.jsonl');
    const lockPath = lockPathFor(journal);
    if (stale) writeFileSync(lockPath, holderText(deadPid(), 'tagaudit fix --apply'));
    const seen: string[] = [];
    hooks.afterStep = () => {
      if (existsSync(lockPath)) seen.push(readFileSync(lockPath, 'utf8'));
    };
    const lock = take(journal);
    hooks.afterStep = undefined;
    expect(seen.length).toBeGreaterThan(0);
    for (const text of seen) expect(() => JSON.parse(text) as unknown, JSON.stringify(text)).not.toThrow();
    expect(JSON.parse(seen.at(-1)!)).toMatchObject({ pid: process.pid, command: 'tagaudit fix --resume --apply' });
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });
});
