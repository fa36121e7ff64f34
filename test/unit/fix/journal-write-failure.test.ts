import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlan, JournalWriteError } from '../../../src/fix/apply.js';
import { GroupCommitFile, readJournal, type JournalRecord, type JournalWriter } from '../../../src/fix/journal.js';
import { beginJournal } from '../../../src/fix/session.js';
import type { PiiVault } from '../../../src/fix/vault.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { lambda, planFromAudit } from './helpers.js';
import { MemoryCloud } from './memory-cloud.js';
import { resumeWithJournal, tempDir, undoWithJournal } from './run.js';

const NOW = new Date('2024-06-01T12:00:00Z');

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
}

/**
 * A journal whose disk fills once `calls` write calls are recorded: the flush of the next call record fails (nothing
 * of it reaches the file), as a real ENOSPC does.
 */
function fillsAfter(journal: JournalWriter, calls: number): JournalWriter {
  let seen = 0;
  let full = false;
  return {
    path: journal.path,
    append(record: JournalRecord) {
      if (record.t === 'call' && ++seen > calls) full = true;
      journal.append(record);
    },
    flush: () => (full ? Promise.reject(enospc()) : journal.flush()),
    flushSync: () => journal.flushSync(),
    abandon: () => journal.abandon(),
    close: () => journal.close(),
  };
}

// Three functions in each of two regions, each with a rename (a write, then a removal): one call per resource, one
// at a time, so that the journal fills at a known call.
const EAST = ['a1', 'a2', 'a3'].map((n) => lambda(n, tagsWith({ 'anycompany:workload:environment': undefined, env: 'prod' })));
const WEST = ['b1', 'b2', 'b3'].map((n) => lambda(n, tagsWith({ 'anycompany:workload:environment': undefined, env: 'prod' }), '111122223333', 'eu-west-1'));
const ALL = [...EAST, ...WEST];

async function applyUntilFull(calls: number) {
  const cloud = new MemoryCloud(Object.fromEntries(ALL.map((r) => [r.arn, { ...r.tags }])));
  const original = cloud.snapshot();
  const path = join(tempDir(), 'j.jsonl');
  const plan = planFromAudit(anycompanyPolicy(), ALL);
  const session = beginJournal({ path, kind: 'fix', plan, now: NOW, tool: 'tagaudit test' });
  let error: unknown;
  try {
    await applyPlan({
      plan,
      backend: cloud.backend(),
      journal: fillsAfter(session.journal, calls),
      vault: session.vault,
      secrets: session.secrets,
      arnsPerCall: 1,
      concurrency: 1,
      partitionConcurrency: 1,
      interactive: false,
      sleep: async () => undefined,
    });
  } catch (err) {
    error = err;
  } finally {
    await session.journal.close();
    await session.vault.close();
  }
  return { cloud, original, path, error };
}

describe('the journal cannot be written mid-apply (no space left)', () => {
  it('stops before the next call and says which file, how far the run got and how to go on, in one line', async () => {
    // us-east-1: 3 writes and 3 removals; eu-west-1: b1's write is sent, then the record of b2's write cannot be.
    const { cloud, path, error } = await applyUntilFull(7);
    expect(error).toBeInstanceOf(JournalWriteError);
    const e = error as JournalWriteError;
    expect(e.counts).toEqual({ resources: 6, done: 3, inProgress: 1, notStarted: 2 });
    expect(e.message).toBe(
      `the journal could not be written at ${path} (ENOSPC: no space left on device, write); writes stopped before the next call: ` +
        '3 of 6 resources done, 1 in progress (written in part: old and new keys may both be there), 2 not started. ' +
        `Once there is space, finish: tagaudit fix --resume ${path} --apply --yes; undo: tagaudit undo --journal ${path} --apply --yes`,
    );
    expect(e.message).not.toContain('\n');
    expect(cloud.writes()).toHaveLength(7);
  });

  it('leaves a journal that a resume finishes once there is space', async () => {
    const { cloud, path } = await applyUntilFull(7);
    expect(readJournal(path).records.filter((r) => r.t === 'call')).toHaveLength(7);
    const result = await resumeWithJournal(path, cloud);
    expect(result.outcomes.every((o) => o.status === 'fixed' || o.status === 'already-fixed')).toBe(true);
    for (const r of ALL) expect(cloud.tags.get(r.arn)).toMatchObject({ 'anycompany:workload:environment': 'production' });
    for (const r of ALL) expect(cloud.tags.get(r.arn)).not.toHaveProperty('env');
  });

  it('or that undo reverses', async () => {
    const { cloud, original, path } = await applyUntilFull(7);
    await undoWithJournal(path, cloud, join(tempDir(), 'u.jsonl'));
    expect(cloud.snapshot()).toEqual(original);
  });

  it('names the PII vault when that is what cannot be written', async () => {
    const cloud = new MemoryCloud(Object.fromEntries(ALL.map((r) => [r.arn, { ...r.tags }])));
    const path = join(tempDir(), 'j.jsonl');
    const plan = planFromAudit(anycompanyPolicy(), ALL);
    const session = beginJournal({ path, kind: 'fix', plan, now: NOW, tool: 'tagaudit test' });
    const vault: PiiVault = { ...session.vault, flush: () => Promise.reject(enospc()) };
    const run = applyPlan({ plan, backend: cloud.backend(), journal: session.journal, vault, secrets: session.secrets, sleep: async () => undefined });
    await expect(run).rejects.toThrow(`the PII vault could not be written at ${session.vault.path} (ENOSPC`);
    await expect(run).rejects.toThrow('0 of 6 resources done, 0 in progress (written in part: old and new keys may both be there), 6 not started. Once there is space, finish:');
    await session.journal.close();
    expect(cloud.writes()).toEqual([]);
  });
});

describe('a journal file whose write failed', () => {
  it('is never written again: every later flush fails with the first error, and close only closes it', async () => {
    const path = join(tempDir(), 'f.jsonl');
    writeFileSync(path, '');
    // Opened for reading only: every write fails (EBADF), as a full disk's would.
    const file = new GroupCommitFile(path, openSync(path, 'r'));
    file.push('{"a":1}\n');
    const first = await file.flush().catch((err: unknown) => err);
    expect((first as NodeJS.ErrnoException).code).toBe('EBADF');
    file.push('{"b":2}\n');
    await expect(file.flush()).rejects.toBe(first);
    expect(() => file.flushSync()).toThrow(first as Error);
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe('');
  });
});
