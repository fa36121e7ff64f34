import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/inventory/resource.js';
import { COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { DEV, lambda, planFromAudit, PROD } from './helpers.js';
import { hang, MemoryCloud } from './memory-cloud.js';
import { applyWithJournal, resumeWithJournal, tempDir, undoWithJournal } from './run.js';

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';
const EMAIL = 'jane.doe@example.com';

/** 2 accounts, 2 partitions, four kinds of edit: enough calls to stop at many different points. */
function estate(): Resource[] {
  const out: Resource[] = [];
  for (const [account, region] of [
    [DEV, 'us-east-1'],
    [PROD, 'eu-west-1'],
  ] as const) {
    for (let i = 0; i < 23; i++) out.push(lambda(`rename-${i}`, tagsWith({ [ENV]: undefined, env: 'prod' }), account, region));
    for (let i = 0; i < 3; i++) out.push(lambda(`normalize-${i}`, tagsWith({ [ENV]: 'Prod' }), account, region));
    for (let i = 0; i < 2; i++) out.push(lambda(`pii-${i}`, { ...COMPLIANT_TAGS, contact: EMAIL }, account, region));
  }
  return out;
}

const plan = planFromAudit(policy, estate(), { fixPii: 'remove' });
const original = Object.fromEntries(estate().map((r) => [r.arn, { ...r.tags }]));

async function cleanRun(): Promise<{ fixedState: Record<string, Record<string, string>>; calls: number }> {
  const cloud = new MemoryCloud(original);
  await applyWithJournal(plan, cloud, join(tempDir(), 'clean.jsonl'));
  return { fixedState: cloud.snapshot(), calls: cloud.writes().length };
}

/** Every value a resource had is still there, under its old key or the key it was renamed to; PII aside. */
function nothingLost(state: Record<string, Record<string, string>>): void {
  for (const [arn, tags] of Object.entries(original)) {
    const now = state[arn]!;
    for (const [k, v] of Object.entries(tags)) {
      if (k === 'contact') continue; // the PII tag: removed on purpose, restorable from the vault
      if (k === 'env') expect(now.env === v || now[ENV] === 'production', `${arn} lost env`).toBe(true);
      else if (k === ENV) expect([v, 'production']).toContain(now[k]);
      else expect(now[k], `${arn} ${k}`).toBe(v);
    }
  }
}

/** Applies until write call `k`, then stops dead: that call (and every later one) never answers. */
async function killedAt(k: number, mode: 'before-call' | 'after-call'): Promise<{ state: Record<string, Record<string, string>>; journal: string }> {
  const cloud = new MemoryCloud(original);
  const journal = join(tempDir(), 'fix.jsonl');
  let killed = false;
  let reached!: () => void;
  const stopped = new Promise<void>((r) => (reached = r));
  cloud.hook = (_call, n) => {
    if (killed || (mode === 'before-call' && n === k)) {
      killed = true;
      reached();
      return hang();
    }
  };
  cloud.afterHook = (_call, n) => {
    if (mode === 'after-call' && n === k) {
      killed = true;
      reached();
      return hang();
    }
  };
  void applyWithJournal(plan, cloud, journal);
  await stopped;
  await new Promise((r) => setTimeout(r, 20)); // let every other in-flight chain reach its own dead call
  return { state: cloud.snapshot(), journal };
}

describe('an apply stopped at any write call', async () => {
  const { fixedState, calls } = await cleanRun();

  it('has enough calls to be interesting', () => {
    expect(calls).toBeGreaterThanOrEqual(10);
  });

  for (const mode of ['before-call', 'after-call'] as const) {
    for (let k = 1; k <= calls; k++) {
      it(`${mode} #${k}: nothing lost; undo restores the original, resume reaches the fixed state`, async () => {
        const { state, journal } = await killedAt(k, mode);
        nothingLost(state);

        const undone = new MemoryCloud(state);
        await undoWithJournal(journal, undone, join(tempDir(), 'undo.jsonl'));
        expect(undone.snapshot()).toEqual(original);

        const resumed = new MemoryCloud(state);
        const result = await resumeWithJournal(journal, resumed);
        expect(result.outcomes.filter((o) => o.status !== 'fixed' && o.status !== 'already-fixed')).toEqual([]);
        expect(resumed.snapshot()).toEqual(fixedState);

        await undoWithJournal(journal, resumed, join(tempDir(), 'undo2.jsonl'));
        expect(resumed.snapshot()).toEqual(original);
      });
    }
  }
});
