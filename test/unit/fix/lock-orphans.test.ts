import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockJournal, type JournalLock } from '../../../src/fix/journal-lock.js';
import { bufferOut } from '../../support/cli.js';
import { STARTED, deadPid, holderText } from './lock-fixture.js';
import { tempDir } from './run.js';

function take(journal: string, stderr = bufferOut()): JournalLock {
  return lockJournal(journal, { command: 'tagaudit undo --apply', now: new Date('2024-06-01T12:00:00Z'), stderr });
}

// An undo killed (kill -9) while it still read tags had locked its own journal, not created yet, under a name no later
// run uses (a time and a pid): nothing would ever take that lock over. The next run in that directory removes it.
describe('a stale lock beside no journal', () => {
  it('is removed by the next run that locks a journal in its directory, in one line', () => {
    const dir = tempDir();
    const orphan = join(dir, 'tagaudit-undo-journal-20261125T122120.130Z-22087.jsonl.lock');
    const pid = deadPid();
    writeFileSync(orphan, holderText(pid, 'tagaudit undo --apply'));
    const err = bufferOut();
    const lock = take(join(dir, 'tagaudit-undo-journal-20261125T130000.000Z-4242.jsonl'), err);
    expect(existsSync(orphan)).toBe(false);
    expect(err.text()).toBe(
      `tagaudit: removed the stale lock ${orphan}, beside no journal (pid ${pid} on this host, started ${STARTED}: tagaudit undo --apply; that process no longer runs)\n`,
    );
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is left while its run may still go on, or when it is the lock of a journal that exists (its next run takes it over)', () => {
    const dir = tempDir();
    const live = join(dir, 'live.jsonl.lock');
    writeFileSync(live, holderText(process.ppid, 'tagaudit undo --apply'));
    const other = join(dir, 'other-host.jsonl.lock');
    writeFileSync(other, holderText(deadPid(), 'tagaudit undo --apply', { host: 'build-agent-7' }));
    writeFileSync(join(dir, 'j.jsonl'), '');
    const beside = join(dir, 'j.jsonl.lock');
    writeFileSync(beside, holderText(deadPid(), 'tagaudit fix --apply'));
    const notOurs = join(dir, 'npm.lock');
    writeFileSync(notOurs, 'not json');
    const err = bufferOut();
    take(join(dir, 'new.jsonl'), err).release();
    expect([live, other, beside, notOurs].filter((p) => !existsSync(p))).toEqual([]);
    expect(err.text()).toBe('');
  });
});

describe('a run interrupted while it holds a lock', () => {
  const module = resolve(import.meta.dirname, '../../../dist/fix/journal-lock.js');

  it.each(['SIGTERM', 'SIGINT'] as const)('%s: the lock is removed, then the process dies of the signal', (signal) => {
    const journal = join(tempDir(), 'j.jsonl');
    const script = `
      const { lockJournal } = await import(${JSON.stringify(module)});
      lockJournal(${JSON.stringify(journal)}, { command: 'tagaudit undo --apply', now: new Date(), stderr: process.stderr });
      process.kill(process.pid, ${JSON.stringify(signal)});
      await new Promise((r) => setTimeout(r, 5000));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.signal).toBe(signal);
    expect(existsSync(`${journal}.lock`)).toBe(false);
  });

  it('listens only while it holds one', () => {
    const before = process.listenerCount('SIGTERM');
    const a = take(join(tempDir(), 'a.jsonl'));
    const b = take(join(tempDir(), 'b.jsonl'));
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    a.release();
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    b.release();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
