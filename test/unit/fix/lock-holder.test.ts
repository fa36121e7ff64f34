import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { lockJournal, lockPathFor, type JournalLock, type LockHolder } from '../../../src/fix/journal-lock.js';
import { processStartTime, thisHost } from '../../../src/fix/process-identity.js';
import { STARTED, deadPid, holderText } from './lock-fixture.js';
import { bufferOut } from '../../support/cli.js';
import { tempDir } from './run.js';

/*
 * Who holds a journal's lock, and when that holder is known to be gone: the same host name is not the same pid space
 * (containers), a pid can be reused, and this process may find a lock naming its own pid that it does not hold.
 */

const HAS_PROC = processStartTime(process.pid) !== undefined;

function holder(pid: number, extra: Partial<LockHolder> = {}): string {
  return holderText(pid, 'tagaudit fix --apply', { extra });
}

function take(journal: string, stderr = bufferOut()): JournalLock {
  return lockJournal(journal, { command: 'tagaudit fix --apply', now: new Date('2024-06-01T12:00:00Z'), stderr });
}

function refused(fn: () => unknown): string {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  return (caught as UsageError).toLine();
}

const WHAT_TO_DO = '; wait for it to finish, or delete this lock file if that process is gone';

describe('a lock naming this very process', () => {
  it('with an id this process does not hold (an earlier process had the pid: a container restarted): stale, taken over', () => {
    const journal = join(tempDir(), 'j.jsonl');
    const lockPath = lockPathFor(journal);
    writeFileSync(lockPath, holder(process.pid, { id: 'f0e1d2c3-0000-4000-8000-000000000000' }));
    const err = bufferOut();
    const lock = take(journal, err);
    expect(err.text()).toBe(
      `tagaudit: took over the stale lock ${lockPath} (pid ${process.pid} on this host, started ${STARTED}: tagaudit fix --apply; ` +
        'this process does not hold it: an earlier process had the same pid)\n',
    );
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid, startedAt: '2024-06-01T12:00:00.000Z' });
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('that this process holds: refused, even to this process', () => {
    const journal = join(tempDir(), 'j.jsonl');
    const lock = take(journal);
    expect(refused(() => take(journal))).toBe(
      `${lock.path}: the journal is in use by another tagaudit run (pid ${process.pid} on this host, started 2024-06-01T12:00:00.000Z: tagaudit fix --apply)${WHAT_TO_DO}`,
    );
    lock.release();
    take(journal).release();
  });
});

describe('a lock of this host name', () => {
  it.skipIf(!HAS_PROC)('whose pid runs a process started after the lock was taken (pid reused): stale, taken over', () => {
    const journal = join(tempDir(), 'j.jsonl');
    const lockPath = lockPathFor(journal);
    writeFileSync(lockPath, holder(process.ppid, { pidStart: processStartTime(process.ppid)! + 1 }));
    const err = bufferOut();
    take(journal, err).release();
    expect(err.text()).toContain(`(pid ${process.ppid} on this host, started ${STARTED}: tagaudit fix --apply; its pid now belongs to a process started since)\n`);
  });

  it('whose pid runs the process that took it: refused', () => {
    const journal = join(tempDir(), 'j.jsonl');
    writeFileSync(lockPathFor(journal), holder(process.ppid));
    expect(refused(() => take(journal))).toContain(`the journal is in use by another tagaudit run (pid ${process.ppid} on this host,`);
  });

  it.each([
    ['in another pid namespace (a container sharing the host name)', { pidNamespace: 'pid:[4026530000]' }, 'in another pid namespace (another container?)'],
    ['of another boot', { bootId: '00000000-0000-4000-8000-000000000000' }, 'before a restart, or on another machine of that name'],
  ])('%s: never judged stale, even when that pid does not run here', (_what, extra, where) => {
    const journal = join(tempDir(), 'j.jsonl');
    const lockPath = lockPathFor(journal);
    const pid = deadPid();
    writeFileSync(lockPath, holder(pid, extra));
    expect(refused(() => take(journal))).toBe(
      `${lockPath}: the journal is in use by another tagaudit run (pid ${pid} on host ${hostname()} ${where}, started ${STARTED}: tagaudit fix --apply) ` +
        `(tagaudit cannot check from ${hostname()} whether it still runs)${WHAT_TO_DO}`,
    );
    expect(readFileSync(lockPath, 'utf8')).toBe(holder(pid, extra));
  });
});

describe('a lock written without boot id and pid namespace (an older tagaudit), where /proc tells them', () => {
  it.skipIf(thisHost().bootId === undefined)('is never judged stale: nothing says it is of this boot and pid space', () => {
    const journal = join(tempDir(), 'j.jsonl');
    const lockPath = lockPathFor(journal);
    const pid = deadPid();
    writeFileSync(lockPath, `${JSON.stringify({ pid, hostname: hostname(), startedAt: STARTED, command: 'tagaudit fix --apply' })}\n`);
    expect(refused(() => take(journal))).toContain(
      `(pid ${pid} on host ${hostname()}, in a lock that does not record its boot or pid namespace (an older tagaudit?), started ${STARTED}: tagaudit fix --apply)`,
    );
  });
});

describe('a lock file that does not say who holds it yet', () => {
  it('is waited on while it is new: the holder it then names is what the refusal names', async () => {
    const journal = join(tempDir(), 'j.jsonl');
    const lockPath = lockPathFor(journal);
    writeFileSync(lockPath, '');
    // Another run between creating its lock and writing it (an older tagaudit, or a file system without hard links).
    const writer = spawn(process.execPath, ['-e', `setTimeout(() => require('fs').writeFileSync(${JSON.stringify(lockPath)}, ${JSON.stringify(holder(process.ppid))}), 300)`]);
    const exited = once(writer, 'exit');
    const line = refused(() => take(journal));
    await exited;
    expect(line).toContain(`the journal is in use by another tagaudit run (pid ${process.ppid} on this host,`);
  });

  it('is refused once it is older than that, saying it does not say by whom', () => {
    const journal = join(tempDir(), 'j.jsonl');
    const lockPath = lockPathFor(journal);
    writeFileSync(lockPath, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPath, old, old);
    expect(refused(() => take(journal))).toContain('the journal is locked, but its lock file does not say by whom');
  });
});

describe('taking a lock', () => {
  it('leaves nothing but the lock beside the journal, and nothing once released', () => {
    const dir = tempDir();
    const journal = join(dir, 'j.jsonl');
    const lock = take(journal);
    expect(JSON.parse(readFileSync(lock.path!, 'utf8'))).toMatchObject({ pid: process.pid, command: 'tagaudit fix --apply' });
    expect(readdirSync(dir)).toEqual(['j.jsonl.lock']);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('one lock per journal, however it is named', () => {
  it('a journal named through a symbolic link to its directory has the lock of its real path', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'alias'));
    const lock = take(join(dir, 'alias', 'j.jsonl'));
    expect(lock.path).toBe(join(dir, 'real', 'j.jsonl.lock'));
    expect(refused(() => take(join(dir, 'real', 'j.jsonl')))).toContain('the journal is in use by another tagaudit run');
    lock.release();
  });

  it('an existing journal named through a symbolic link to it has the lock beside the journal it links to', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'j.jsonl'), '');
    symlinkSync(join(dir, 'j.jsonl'), join(dir, 'latest.jsonl'));
    expect(lockPathFor(join(dir, 'latest.jsonl'))).toBe(join(dir, 'j.jsonl.lock'));
    const lock = take(join(dir, 'j.jsonl'));
    expect(refused(() => take(join(dir, 'latest.jsonl')))).toContain('the journal is in use by another tagaudit run');
    lock.release();
  });
});

describe('the takeover of a stale lock is one run at a time', () => {
  it('while another run takes it over (its takeover file is new), this one waits, then says so (exit 2)', () => {
    const journal = join(tempDir(), 'j.jsonl');
    const lockPath = lockPathFor(journal);
    writeFileSync(lockPath, holder(deadPid()));
    writeFileSync(`${lockPath}.takeover`, holder(process.ppid));
    expect(refused(() => take(journal))).toBe(
      `${lockPath}: another tagaudit run is taking over this stale lock (${lockPath}.takeover exists); try again, or delete that file if no tagaudit run is starting on this journal`,
    );
    expect(existsSync(lockPath)).toBe(true);
  });

  it('a takeover file left by a run killed in the middle (older than 30 s) is removed, and the takeover goes on', () => {
    const journal = join(tempDir(), 'j.jsonl');
    const lockPath = lockPathFor(journal);
    writeFileSync(lockPath, holder(deadPid()));
    writeFileSync(`${lockPath}.takeover`, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${lockPath}.takeover`, old, old);
    const err = bufferOut();
    const lock = take(journal, err);
    expect(err.text()).toContain('tagaudit: took over the stale lock');
    expect(existsSync(`${lockPath}.takeover`)).toBe(false);
    lock.release();
  });
});

describe('a file system error while locking', () => {
  it('is one line, exit 2 (UsageError)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    expect(refused(() => take(join(dir, 'file', 'j.jsonl')))).toMatch(/: cannot take the journal's lock \(ENOTDIR in open\); tagaudit locks a journal before writing to it$/);
  });
});
