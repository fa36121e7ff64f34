import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { lockPathFor } from '../../../src/fix/journal-lock.js';
import { deadPid, holderText } from './lock-fixture.js';
import { tempDir } from './run.js';

/*
 * Real processes racing for one journal's lock: several `node` processes call lockJournal on the same path at the same
 * moment (the module bundled from source with esbuild), each marking its time holding the lock with a file only one
 * can create. Exactly one holds the lock at a time, the others are refused with the one-line "in use" error (exit 2,
 * never a raw file system error), and a watcher reading the lock file all along never finds it empty.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RACERS = 4;

const CHILD = `
import { appendFileSync, closeSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { lockJournal } from './journal-lock.mjs';
const [mode, journal, startAt, holdMs] = process.argv.slice(2);
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
while (Date.now() < Number(startAt)) pause(1);
const say = (o) => process.stdout.write(JSON.stringify(o));
if (mode === 'watch') {
  let reads = 0, empty = 0;
  const until = Date.now() + Number(holdMs);
  while (Date.now() < until) {
    try { if (readFileSync(journal + '.lock', 'utf8') === '') empty++; reads++; } catch {}
  }
  say({ reads, empty });
  process.exit(0);
}
const notes = [];
let lock;
try {
  lock = lockJournal(journal, { command: 'race ' + process.pid, now: new Date(), stderr: { write: (t) => (notes.push(t), true) } });
} catch (err) {
  say({ refused: err.name === 'UsageError', line: err.name === 'UsageError' ? err.toLine() : String(err.stack), notes });
  process.exit(err.name === 'UsageError' ? 2 : 3);
}
let alone = true;
try { closeSync(openSync(journal + '.holding', 'wx')); } catch { alone = false; }
pause(Number(holdMs));
if (alone) unlinkSync(journal + '.holding');
lock.release();
say({ acquired: true, alone, notes });
`;

interface Outcome {
  readonly code: number | null;
  readonly out: { acquired?: boolean; alone?: boolean; refused?: boolean; line?: string; notes?: string[]; reads?: number; empty?: number };
}

let dir: string;

beforeAll(() => {
  dir = tempDir();
  buildSync({
    entryPoints: [join(ROOT, 'src', 'fix', 'journal-lock.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(dir, 'journal-lock.mjs'),
    logLevel: 'silent',
  });
  writeFileSync(join(dir, 'racer.mjs'), CHILD);
});

async function race(journal: string, holdMs: number): Promise<{ racers: Outcome[]; watcher: Outcome }> {
  // Far enough ahead for every process to have started and loaded the module, so that they all call at once.
  const startAt = Date.now() + 1500;
  const run = async (mode: string, ms: number): Promise<Outcome> => {
    const child = spawn(process.execPath, [join(dir, 'racer.mjs'), mode, journal, String(startAt), String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, out: text ? (JSON.parse(text) as Outcome['out']) : {} };
  };
  const [watcher, ...racers] = await Promise.all([run('watch', holdMs + 300), ...Array.from({ length: RACERS }, () => run('lock', holdMs))]);
  return { racers, watcher: watcher! };
}

function expectExclusive(racers: readonly Outcome[], watcher: Outcome, journal: string): Outcome[] {
  for (const r of racers) expect([0, 2], JSON.stringify(r)).toContain(r.code);
  const acquired = racers.filter((r) => r.code === 0);
  expect(acquired.length).toBeGreaterThanOrEqual(1);
  // They did race: someone was refused while another held the lock.
  expect(acquired.length).toBeLessThan(racers.length);
  for (const r of acquired) expect(r.out).toMatchObject({ acquired: true, alone: true });
  for (const r of racers.filter((x) => x.code === 2)) {
    expect(r.out.refused).toBe(true);
    expect(r.out.line).toMatch(/: the journal is in use by another tagaudit run \(pid \d+ on this host, started [^)]*: race \d+\); wait for it to finish/);
  }
  expect(watcher.out.empty).toBe(0);
  expect(watcher.out.reads).toBeGreaterThan(0);
  // Nothing left beside the journal: no lock, no file set aside, no takeover file.
  expect(readdirSync(dirname(journal)).filter((n) => n.startsWith('j'))).toEqual([]);
  return acquired;
}

describe('processes racing for one lock', () => {
  it('a free lock: exactly one holds it at a time; the others are refused in one line', async () => {
    const journal = join(tempDir(), 'j.jsonl');
    const { racers, watcher } = await race(journal, 400);
    expectExclusive(racers, watcher, journal);
  }, 30_000);

  it('a stale lock (its process is gone): taken over once, by one of them; the others find the new holder', async () => {
    const journal = join(tempDir(), 'j.jsonl');
    const dead = deadPid();
    writeFileSync(lockPathFor(journal), holderText(dead, 'tagaudit fix --apply'));
    const { racers, watcher } = await race(journal, 400);
    const acquired = expectExclusive(racers, watcher, journal);
    const tookOver = (r: Outcome): boolean => (r.out.notes ?? []).some((n) => n.includes('took over the stale lock') && n.includes(`(pid ${dead} on this host`));
    // At most one run says it took the stale lock over, and only one that then held it: the run that removed the stale
    // lock can lose the journal to one that arrived just after (that one never saw the stale lock, so says nothing).
    expect(racers.filter(tookOver).length).toBeLessThanOrEqual(1);
    for (const r of racers.filter(tookOver)) expect(acquired).toContain(r);
  }, 30_000);
});
