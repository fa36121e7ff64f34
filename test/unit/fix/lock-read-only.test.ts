import type * as Fs from 'node:fs';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { runFix } from '../../../src/fix/fix-command.js';
import { lockPathFor } from '../../../src/fix/journal-lock.js';
import { STARTED, deadPid, holderText } from './lock-fixture.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import { ESTATE, deps, fixOptions, noClients, undoOptions, workspace } from './command-fixture.js';
import { MemoryCloud } from './memory-cloud.js';

/*
 * A journal on read-only media (tests run as root, so file modes cannot make it so): in its directory nothing can be
 * created, renamed, linked or removed, and an exclusive create of a file that exists fails with EEXIST before EROFS,
 * as the kernel answers. An undo of it goes on unlocked, whatever lock an earlier run left there.
 */
const readOnlyDirs = vi.hoisted(() => new Set<string>());

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  const erofs = (path: unknown): Error => Object.assign(new Error(`EROFS: read-only file system, '${String(path)}'`), { code: 'EROFS' });
  const inReadOnly = (path: unknown): boolean => readOnlyDirs.has(dirname(String(path)));
  const writes = (flags: unknown): boolean =>
    typeof flags === 'number' ? (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT)) !== 0 : flags !== undefined && flags !== 'r';
  const openSync = ((path: Fs.PathLike, flags?: Fs.OpenMode, mode?: Fs.Mode) => {
    if (inReadOnly(path) && writes(flags)) {
      const exclusive = typeof flags === 'number' ? (flags & fs.constants.O_EXCL) !== 0 : String(flags).includes('x');
      if (exclusive && fs.existsSync(path)) throw Object.assign(new Error(`EEXIST: file already exists, '${String(path)}'`), { code: 'EEXIST' });
      throw erofs(path);
    }
    return fs.openSync(path, flags ?? 'r', mode);
  }) as typeof fs.openSync;
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      if (args.slice(0, 2).some(inReadOnly)) throw erofs(args[0]);
      return fn(...args);
    };
  const renameSync = guard(fs.renameSync);
  const linkSync = guard(fs.linkSync);
  const unlinkSync = guard(fs.unlinkSync);
  const patched = { openSync, renameSync, linkSync, unlinkSync };
  return { ...fs, ...patched, default: { ...fs, ...patched } };
});

afterEach(() => readOnlyDirs.clear());

function holder(pid: number): string {
  return holderText(pid, 'tagaudit fix --apply');
}

/** A finished fix whose journal lies in media/, with `lock` left beside it; media/ then made read-only. */
async function onReadOnlyMedia(lock: string): Promise<{ dir: string; cloud: MemoryCloud; journal: string; lockPath: string }> {
  const { dir, inventory, dictionary } = workspace();
  mkdirSync(join(dir, 'media'));
  const cloud = new MemoryCloud(ESTATE);
  expect(await runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'media/fix.jsonl' }), deps(dir), { clients: noClients, backend: cloud.backend() })).toBe(0);
  cloud.calls.length = 0;
  const journal = join(dir, 'media', 'fix.jsonl');
  const lockPath = lockPathFor(journal);
  writeFileSync(lockPath, lock);
  readOnlyDirs.add(join(dir, 'media'));
  return { dir, cloud, journal, lockPath };
}

describe('undo --apply of a journal on read-only media with a lock an earlier run left beside it', () => {
  it('goes on unlocked, saying so once and naming the lock it ignores; restores; leaves journal and lock as they were', async () => {
    const pid = deadPid();
    const f = await onReadOnlyMedia(holder(pid));
    const journalBytes = readFileSync(f.journal);
    const files = readdirSync(dirname(f.journal)).sort();

    const d = deps(f.dir);
    expect(await runUndo(undoOptions('media/fix.jsonl', { undoJournal: 'u.jsonl' }), d, { clients: noClients, backend: f.cloud.backend() })).toBe(0);
    expect(f.cloud.snapshot()).toEqual(ESTATE);
    const lines = d.err.text().split('\n');
    expect(lines.filter((l) => l.includes('cannot lock'))).toEqual([
      `tagaudit: cannot lock ${f.journal} (EROFS: its directory is not writable); the lock left there (pid ${pid} on this host, started ${STARTED}: tagaudit fix --apply) is ignored; ` +
        'make sure no other tagaudit run resumes or undoes it meanwhile',
    ]);
    expect(lines.filter((l) => l.includes('cannot record'))).toHaveLength(1);
    expect(readFileSync(f.journal).equals(journalBytes)).toBe(true);
    expect(readFileSync(f.lockPath, 'utf8')).toBe(holder(pid));
    expect(readdirSync(dirname(f.journal)).sort()).toEqual(files);
  });

  it('a lock file that does not say who holds it is ignored the same way', async () => {
    const f = await onReadOnlyMedia('');
    const d = deps(f.dir);
    expect(await runUndo(undoOptions('media/fix.jsonl', { undoJournal: 'u.jsonl' }), d, { clients: noClients, backend: f.cloud.backend() })).toBe(0);
    expect(d.err.text()).toContain('(EROFS: its directory is not writable); the lock file left there is ignored;');
  });

  it('a lock whose holder still runs on this host stops it (exit 2) before any AWS call', async () => {
    const f = await onReadOnlyMedia(holder(process.ppid));
    const err = await runUndo(undoOptions('media/fix.jsonl', { undoJournal: 'u.jsonl' }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).toLine()).toContain(`the journal is in use by another tagaudit run (pid ${process.ppid} on this host`);
    expect(f.cloud.calls).toEqual([]);
  });

  it('fix --resume there is refused (it must append to the journal): one line, exit 2', async () => {
    const f = await onReadOnlyMedia(holder(deadPid()));
    const { dictionary } = workspace();
    const err = await runFix(fixOptions(dictionary, { resume: 'media/fix.jsonl', apply: true, yes: true }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).toLine()).toBe(`${f.lockPath}: cannot create the journal's lock file (EROFS); tagaudit locks a journal before writing to it`);
  });
});
