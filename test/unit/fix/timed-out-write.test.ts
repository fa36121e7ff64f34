import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/inventory/resource.js';
import { tagsWith, anycompanyPolicy } from '../../support/policies.js';
import { DEV, lambda, planFromAudit } from './helpers.js';
import { MemoryCloud } from './memory-cloud.js';
import { applyWithJournal, resumeWithJournal, tempDir, undoWithJournal } from './run.js';

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';

/** What the SDK's HTTP handler throws once a request passed its deadline (request-deadline.ts). */
const timedOut = () =>
  Object.assign(new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 30000 ms requestTimeout.'), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });

describe('a write whose answer never came (request timeout) although AWS applied it', () => {
  const resources: Resource[] = [0, 1].map((i) => lambda(`fn-${i}`, tagsWith({ [ENV]: undefined, env: 'prod' }), DEV));

  it('counts as failed with its outcome unknown: no old key removed after it; resume and undo read the live tags', async () => {
    const cloud = new MemoryCloud(Object.fromEntries(resources.map((r) => [r.arn, { ...r.tags }])));
    cloud.afterHook = (call) => {
      if (call.api === 'TagResources') throw timedOut();
    };
    const dir = tempDir();
    const journal = join(dir, 'fix.jsonl');
    const result = await applyWithJournal(planFromAudit(policy, resources), cloud, journal);
    expect(result.outcomes.map((o) => o.status)).toEqual(['failed', 'failed']);
    expect(result.outcomes[0]!.detail).toBe('ETIMEDOUT: no answer within 30 s (request timeout, --request-timeout)');
    // The new key landed; the old one is kept, since the write was never confirmed: a duplicate, never a loss.
    expect(cloud.writes().map((c) => c.api)).toEqual(['TagResources']);
    for (const r of resources) expect(cloud.tags.get(r.arn)).toMatchObject({ env: 'prod', [ENV]: 'production' });

    // Undo treats the unconfirmed write as possibly applied: it reads the live tags and restores the original.
    cloud.afterHook = undefined;
    await undoWithJournal(journal, cloud, join(dir, 'undo.jsonl'));
    for (const r of resources) expect(cloud.tags.get(r.arn)).toEqual(r.tags);
  });

  it('is finished by fix --resume, which sees the written key and removes the old one', async () => {
    const cloud = new MemoryCloud(Object.fromEntries(resources.map((r) => [r.arn, { ...r.tags }])));
    cloud.afterHook = (call) => {
      if (call.api === 'TagResources') throw timedOut();
    };
    const journal = join(tempDir(), 'fix.jsonl');
    await applyWithJournal(planFromAudit(policy, resources), cloud, journal);
    cloud.afterHook = undefined;
    const resumed = await resumeWithJournal(journal, cloud);
    expect(resumed.outcomes.every((o) => o.status === 'fixed' || o.status === 'already-fixed')).toBe(true);
    for (const r of resources) expect(cloud.tags.get(r.arn)).toEqual(tagsWith({ [ENV]: 'production' }));
  });
});
