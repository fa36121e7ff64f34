import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { runFix } from '../../../src/fix/fix-command.js';
import { lockJournal, lockPathFor } from '../../../src/fix/journal-lock.js';
import { processStartTime, thisHost } from '../../../src/fix/process-identity.js';
import { STARTED, deadPid, holderText } from './lock-fixture.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import { vaultPathFor } from '../../../src/fix/vault.js';
import { bufferOut, runCli } from '../../support/cli.js';
import { ENV, ESTATE, deps, fixOptions, lambdaArn, noClients, undoOptions, workspace } from './command-fixture.js';
import { MemoryCloud } from './memory-cloud.js';
import { tempDir } from './run.js';


/** A lock file as another run writes it; the default pid is this test's parent process: a process of this host that runs. */
function holder(pid = process.ppid, host = hostname(), command = 'tagaudit fix --resume --apply'): string {
  return holderText(pid, command, { host });
}

/** Makes a file look written long ago (a lock file that does not say who holds it is waited on while it is new). */
function age(path: string): void {
  const old = new Date(Date.now() - 60_000);
  utimesSync(path, old, old);
}

/** An interrupted apply (one resource's write failed, exit 3): a journal that `fix --resume` continues. */
async function interrupted(): Promise<{ dir: string; dictionary: string; cloud: MemoryCloud; journal: string; lock: string }> {
  const { dir, inventory, dictionary } = workspace();
  const cloud = new MemoryCloud(ESTATE);
  cloud.hook = (call) => (call.arns.includes(lambdaArn('c')) ? { [lambdaArn('c')]: { code: 'AccessDeniedException', message: 'denied' } } : undefined);
  expect(await runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'j.jsonl' }), deps(dir), { clients: noClients, backend: cloud.backend() })).toBe(3);
  cloud.hook = undefined;
  cloud.calls.length = 0;
  const journal = join(dir, 'j.jsonl');
  return { dir, dictionary, cloud, journal, lock: lockPathFor(journal) };
}

async function refusal(run: Promise<number>): Promise<string> {
  const err = await run.then(
    (code) => new Error(`expected a refusal, got exit ${code}`),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return (err as UsageError).toLine();
}

function inUse(lock: string, pid: number, where: string, command = 'tagaudit fix --resume --apply'): string {
  return `${lock}: the journal is in use by another tagaudit run (pid ${pid} ${where}, started ${STARTED}: ${command})`;
}

const WHAT_TO_DO = '; wait for it to finish, or delete this lock file if that process is gone';

describe('a journal locked by a run that is still going', () => {
  it('fix --resume is refused (exit 2, one line) before any AWS call; journal, vault and lock are untouched', async () => {
    const f = await interrupted();
    writeFileSync(f.lock, holder());
    const journalBytes = readFileSync(f.journal);
    const lockBytes = readFileSync(f.lock);

    const line = await refusal(runFix(fixOptions(f.dictionary, { resume: 'j.jsonl', apply: true, yes: true }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }));
    expect(line).toBe(inUse(f.lock, process.ppid, 'on this host') + WHAT_TO_DO);
    expect(f.cloud.calls).toEqual([]);
    expect(readFileSync(f.journal).equals(journalBytes)).toBe(true);
    expect(existsSync(vaultPathFor(f.journal))).toBe(false);
    expect(readFileSync(f.lock).equals(lockBytes)).toBe(true);

    // Through the CLI: one line on stderr, exit 2, nothing on stdout.
    const cli = await runCli(['fix', '--resume', 'j.jsonl', '--apply', '--yes'], { cwd: f.dir });
    expect(cli).toEqual({ code: 2, stdout: '', stderr: `tagaudit: ${inUse(f.lock, process.ppid, 'on this host')}${WHAT_TO_DO}\n` });
    expect(readFileSync(f.journal).equals(journalBytes)).toBe(true);
  });

  it('undo --apply of that journal is refused too, and creates no undo journal', async () => {
    const f = await interrupted();
    writeFileSync(f.lock, holder());
    const journalBytes = readFileSync(f.journal);
    const before = readdirSync(f.dir).sort();
    const line = await refusal(runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }));
    expect(line).toBe(inUse(f.lock, process.ppid, 'on this host') + WHAT_TO_DO);
    expect(f.cloud.calls).toEqual([]);
    expect(readdirSync(f.dir).sort()).toEqual(before);
    expect(readFileSync(f.journal).equals(journalBytes)).toBe(true);
  });

  it("undo --apply is refused when its own --undo-journal is locked, and the fix journal's lock is released", async () => {
    const f = await interrupted();
    const undoLock = lockPathFor(join(f.dir, 'u.jsonl'));
    writeFileSync(undoLock, holder(process.ppid, hostname(), 'tagaudit undo --apply'));
    const line = await refusal(runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }));
    expect(line).toBe(inUse(undoLock, process.ppid, 'on this host', 'tagaudit undo --apply') + WHAT_TO_DO);
    expect(f.cloud.calls).toEqual([]);
    expect(existsSync(join(f.dir, 'u.jsonl'))).toBe(false);
    expect(existsSync(f.lock)).toBe(false);
  });

  it('a new apply onto a locked journal path is refused before its scan, and writes no journal', async () => {
    const { dir, inventory, dictionary } = workspace();
    const cloud = new MemoryCloud(ESTATE);
    const lock = lockPathFor(join(dir, 'new.jsonl'));
    writeFileSync(lock, holder(process.ppid, hostname(), 'tagaudit fix --apply'));
    const line = await refusal(runFix(fixOptions(dictionary, { inventory, apply: true, yes: true, journal: 'new.jsonl' }), deps(dir), { clients: noClients, backend: cloud.backend() }));
    expect(line).toBe(inUse(lock, process.ppid, 'on this host', 'tagaudit fix --apply') + WHAT_TO_DO);
    expect(cloud.calls).toEqual([]);
    expect(existsSync(join(dir, 'new.jsonl'))).toBe(false);
  });

  it('a dry run takes no lock: it runs beside a held one and leaves it alone', async () => {
    const f = await interrupted();
    writeFileSync(f.lock, holder());
    const lockBytes = readFileSync(f.lock);
    expect(await runUndo(undoOptions('j.jsonl', { apply: false, yes: false }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() })).toBe(1);
    expect(f.cloud.writes()).toEqual([]);
    expect(readFileSync(f.lock).equals(lockBytes)).toBe(true);
  });

  it('two runs at once: the second is refused while the first writes, and the first releases the lock when done', async () => {
    const f = await interrupted();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let waiting!: () => void;
    const writing = new Promise<void>((resolve) => (waiting = resolve));
    f.cloud.hook = async () => {
      waiting();
      await gate;
    };
    const first = runFix(fixOptions(f.dictionary, { resume: 'j.jsonl', apply: true, yes: true }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() });
    await writing;

    // The lock names this run, and only its owner can read it.
    const pidStart = processStartTime(process.pid);
    const here = thisHost();
    expect(JSON.parse(readFileSync(f.lock, 'utf8'))).toEqual({
      pid: process.pid,
      hostname: hostname(),
      startedAt: '2024-06-01T12:00:00.000Z',
      command: 'tagaudit fix --resume --apply',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ...(here.bootId !== undefined ? { bootId: here.bootId } : {}),
      ...(here.pidNamespace !== undefined ? { pidNamespace: here.pidNamespace } : {}),
      ...(pidStart !== undefined ? { pidStart } : {}),
    });
    expect(statSync(f.lock).mode & 0o777).toBe(0o600);
    const journalBytes = readFileSync(f.journal);
    const writes = f.cloud.writes().length;
    const second = await refusal(runFix(fixOptions(f.dictionary, { resume: 'j.jsonl', apply: true, yes: true }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }));
    expect(second).toBe(
      `${f.lock}: the journal is in use by another tagaudit run (pid ${process.pid} on this host, started 2024-06-01T12:00:00.000Z: tagaudit fix --resume --apply)${WHAT_TO_DO}`,
    );
    await refusal(runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }));
    expect(readFileSync(f.journal).equals(journalBytes)).toBe(true);
    expect(f.cloud.writes().length).toBe(writes);

    open();
    expect(await first).toBe(0);
    expect(existsSync(f.lock)).toBe(false);
    expect(f.cloud.tags.get(lambdaArn('c'))).toEqual({ [ENV]: 'production' });
  });
});

describe('a lock whose run is gone', () => {
  it('left by a process of this host that no longer runs: taken over, said in one line, released afterwards', async () => {
    const f = await interrupted();
    const pid = deadPid();
    writeFileSync(f.lock, holder(pid));
    const d = deps(f.dir);
    expect(await runFix(fixOptions(f.dictionary, { resume: 'j.jsonl', apply: true, yes: true }), d, { clients: noClients, backend: f.cloud.backend() })).toBe(0);
    const notices = d.err.text().split('\n').filter((l) => l.includes('lock'));
    expect(notices).toEqual([`tagaudit: took over the stale lock ${f.lock} (pid ${pid} on this host, started ${STARTED}: tagaudit fix --resume --apply; that process no longer runs)`]);
    expect(existsSync(f.lock)).toBe(false);
    expect(f.cloud.tags.get(lambdaArn('c'))).toEqual({ [ENV]: 'production' });
    expect(readFileSync(f.journal, 'utf8')).toContain('"t":"resume"');
  });

  it('undo --apply takes over a stale lock of the journal it undoes the same way', async () => {
    const f = await interrupted();
    writeFileSync(f.lock, holder(deadPid()));
    const d = deps(f.dir);
    expect(await runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), d, { clients: noClients, backend: f.cloud.backend() })).toBe(0);
    expect(d.err.text()).toContain(`tagaudit: took over the stale lock ${f.lock} (pid `);
    expect(existsSync(f.lock)).toBe(false);
    expect(existsSync(lockPathFor(join(f.dir, 'u.jsonl')))).toBe(false);
    expect(f.cloud.snapshot()).toEqual(ESTATE);
  });

  it('of another host: refused even when that pid does not run here (its liveness cannot be judged)', async () => {
    const f = await interrupted();
    const pid = deadPid();
    writeFileSync(f.lock, holder(pid, 'build-agent-7'));
    const line = await refusal(runFix(fixOptions(f.dictionary, { resume: 'j.jsonl', apply: true, yes: true }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }));
    expect(line).toBe(`${inUse(f.lock, pid, 'on host build-agent-7')} (tagaudit cannot check from ${hostname()} whether it still runs)${WHAT_TO_DO}`);
    expect(f.cloud.calls).toEqual([]);
    expect(existsSync(f.lock)).toBe(true);
  });
});

describe('the lock is released however the run ends', () => {
  it('after an apply that ends with exit 3 (a write failed)', async () => {
    const f = await interrupted();
    expect(existsSync(f.lock)).toBe(false);
    f.cloud.hook = () => ({ [lambdaArn('c')]: { code: 'AccessDeniedException', message: 'still denied' } });
    expect(await runFix(fixOptions(f.dictionary, { resume: 'j.jsonl', apply: true, yes: true }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() })).toBe(3);
    expect(existsSync(f.lock)).toBe(false);
  });

  it('after a run that stops with an error', async () => {
    const f = await interrupted();
    mkdirSync(vaultPathFor(f.journal));
    await refusal(runFix(fixOptions(f.dictionary, { resume: 'j.jsonl', apply: true, yes: true }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }));
    expect(existsSync(f.lock)).toBe(false);
    // A new apply onto an existing journal: refused when the journal is created, after the lock was taken.
    const { inventory } = workspace();
    await refusal(runFix(fixOptions(f.dictionary, { inventory, apply: true, yes: true, journal: 'j.jsonl' }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }));
    expect(existsSync(f.lock)).toBe(false);
  });

  it('after an undo that ends with exit 3', async () => {
    const f = await interrupted();
    f.cloud.hook = () => ({ [lambdaArn('a')]: { code: 'AccessDeniedException', message: 'denied' } });
    expect(await runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() })).toBe(3);
    expect(existsSync(f.lock)).toBe(false);
    expect(existsSync(lockPathFor(join(f.dir, 'u.jsonl')))).toBe(false);
  });

  it('a lock someone replaced meanwhile is not ours: release leaves it', () => {
    const dir = tempDir();
    const journal = join(dir, 'j.jsonl');
    const lock = lockJournal(journal, { command: 'test', now: new Date(), stderr: bufferOut() });
    rmSync(lock.path!);
    writeFileSync(lock.path!, holder());
    lock.release();
    expect(readFileSync(lock.path!, 'utf8')).toBe(holder());
  });
});

describe('a lock file that cannot be judged is refused, never followed or overwritten', () => {
  it('a symbolic link at the lock path: refused, its target never created', async () => {
    const f = await interrupted();
    const target = join(f.dir, 'elsewhere');
    symlinkSync(target, f.lock);
    const line = await refusal(runFix(fixOptions(f.dictionary, { resume: 'j.jsonl', apply: true, yes: true }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }));
    expect(line).toBe(`${f.lock}: the journal's lock file is a symbolic link, which tagaudit never follows; delete it if no tagaudit run is using this journal`);
    expect(existsSync(target)).toBe(false);
    expect(lstatSync(f.lock).isSymbolicLink()).toBe(true);
    expect(f.cloud.calls).toEqual([]);
  });

  it.each([
    ['empty', ''],
    ['not JSON', 'locked by jane\n'],
    ['pid 0 (a process group to kill(), never a holder)', JSON.stringify({ pid: 0, hostname: hostname(), startedAt: STARTED, command: 'x' })],
    ['no host', JSON.stringify({ pid: 123, startedAt: STARTED, command: 'x' })],
  ])('%s: refused, saying it does not say by whom', async (_what, content) => {
    const f = await interrupted();
    writeFileSync(f.lock, content);
    age(f.lock);
    const line = await refusal(runFix(fixOptions(f.dictionary, { resume: 'j.jsonl', apply: true, yes: true }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }));
    expect(line).toBe(
      `${f.lock}: the journal is locked, but its lock file does not say by whom (empty, or not written by tagaudit); if no tagaudit run is using this journal, delete the lock file`,
    );
    expect(readFileSync(f.lock, 'utf8')).toBe(content);
    expect(f.cloud.calls).toEqual([]);
  });

  it("control characters in the holder's fields are shown, not sent to the terminal", async () => {
    const f = await interrupted();
    writeFileSync(f.lock, holder(process.ppid, hostname(), 'tagaudit\u001b[2J fix'));
    const line = await refusal(runFix(fixOptions(f.dictionary, { resume: 'j.jsonl', apply: true, yes: true }), deps(f.dir), { clients: noClients, backend: f.cloud.backend() }));
    expect(line).toContain('tagaudit\\x1b[2J fix');
    expect(line).not.toContain('\u001b');
  });
});
