import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/inventory/resource.js';
import type { TagBackend } from '../../../src/fix/backend.js';
import { COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { lambda, planFromAudit } from './helpers.js';
import { MemoryCloud } from './memory-cloud.js';
import { applyWithJournal, tempDir } from './run.js';

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';
const EMAIL = 'jane.doe@example.com';

function cloudOf(resources: readonly Resource[]): MemoryCloud {
  return new MemoryCloud(Object.fromEntries(resources.map((r) => [r.arn, { ...r.tags }])));
}

/** A resource needing a non-PII rename that also carries a PII tag the plan leaves alone (PII fixes not opted in). */
function withPii(): Resource {
  return lambda('pii-bystander', { ...tagsWith({ [ENV]: undefined, env: 'prod' }), contact: EMAIL });
}

describe('AWS error text quoting a PII tag of the resource', () => {
  it('is masked in the outcome and the journal when a per-ARN failure quotes a PII tag the plan does not change', async () => {
    const r = withPii();
    const cloud = cloudOf([r]);
    const plan = planFromAudit(policy, [r]);
    expect(plan.resources).toHaveLength(1);
    cloud.hook = (call) =>
      call.api === 'TagResources'
        ? { [r.arn]: { code: 'ConstraintViolationException', message: `Tag policy violation: contact=${EMAIL} is not compliant` } }
        : undefined;
    const path = join(tempDir(), 'j.jsonl');
    const result = await applyWithJournal(plan, cloud, path);
    expect(result.outcomes[0]!.status).toBe('failed');
    expect(JSON.stringify(result.outcomes)).not.toContain(EMAIL);
    expect(readFileSync(path, 'utf8')).not.toContain(EMAIL);
  });

  it('is masked when a thrown call error quotes it', async () => {
    const r = withPii();
    const cloud = cloudOf([r]);
    cloud.hook = (call) => {
      if (call.api === 'TagResources') throw Object.assign(new Error(`Value '${EMAIL}' at 'tags.1.member.value' failed to satisfy constraint`), { name: 'ValidationException' });
    };
    const path = join(tempDir(), 'j.jsonl');
    const result = await applyWithJournal(planFromAudit(policy, [r]), cloud, path);
    expect(result.outcomes[0]!.status).toBe('failed');
    expect(JSON.stringify(result.outcomes)).not.toContain(EMAIL);
    expect(readFileSync(path, 'utf8')).not.toContain(EMAIL);
  });

  it('is masked when the re-read before writing fails with a message quoting it', async () => {
    const r = lambda('pii-unread', { ...COMPLIANT_TAGS, owner_email: EMAIL });
    const cloud = cloudOf([r]);
    const inner = cloud.backend();
    const backend: TagBackend = async (a, g) => {
      const b = await inner(a, g);
      return {
        ...b,
        readTags: async (res) => ({
          tags: new Map(),
          failed: new Map(res.map((x) => [x.arn, { code: 'ValidationException', message: `could not list tags of owner_email=${EMAIL}` }])),
        }),
      };
    };
    const path = join(tempDir(), 'j.jsonl');
    cloud.backend = () => backend;
    const result = await applyWithJournal(planFromAudit(policy, [r], { fixPii: 'remove' }), cloud, path);
    expect(result.outcomes[0]!.status).toBe('unread');
    expect(JSON.stringify(result.outcomes)).not.toContain(EMAIL);
    expect(readFileSync(path, 'utf8')).not.toContain(EMAIL);
  });
});

describe('re-reading after an apply', () => {
  it('masks PII a failed re-read quotes', async () => {
    const { verifyApplied } = await import('../../../src/fix/verify.js');
    const r = lambda('pii-verify', { ...tagsWith({ [ENV]: undefined, env: 'prod' }) });
    const plan = planFromAudit(policy, [r]);
    const backend: TagBackend = async () => ({
      readTags: async (res) => ({ tags: new Map(), failed: new Map(res.map((x) => [x.arn, { code: 'ValidationException', message: `bad tag contact=${EMAIL}` }])) }),
      tagResources: async () => ({}),
      untagResources: async () => ({}),
      ownerTagger: () => undefined,
    });
    const outcomes = [{ arn: r.arn, accountId: r.accountId, region: r.region, resourceType: r.resourceType, status: 'fixed' as const }];
    const verified = await verifyApplied({ plan, outcomes, backend, secrets: new Map() });
    expect(verified[0]!.state).toBe('unread');
    expect(JSON.stringify(verified)).not.toContain(EMAIL);
    const thrown: TagBackend = async () => {
      throw new Error(`role for ${EMAIL} cannot be assumed`);
    };
    const again = await verifyApplied({ plan, outcomes, backend: thrown, secrets: new Map() });
    expect(again[0]!.state).toBe('unread');
    expect(JSON.stringify(again)).not.toContain(EMAIL);
  });
});

describe('planning an undo', () => {
  it('masks PII a failed read of the live tags quotes', async () => {
    const { prepareUndo } = await import('../../../src/fix/undo-run.js');
    const { policyResourceMasker } = await import('../../../src/fix/mask.js');
    const r = lambda('pii-undo', tagsWith({ [ENV]: undefined, env: 'prod' }));
    const cloud = cloudOf([r]);
    const path = join(tempDir(), 'j.jsonl');
    await applyWithJournal(planFromAudit(policy, [r]), cloud, path);
    const failing: TagBackend = async () => ({
      readTags: async (res) => ({ tags: new Map(), failed: new Map(res.map((x) => [x.arn, { code: 'ValidationException', message: `bad tag contact=${EMAIL}` }])) }),
      tagResources: async () => ({}),
      untagResources: async () => ({}),
      ownerTagger: () => undefined,
    });
    const thrown: TagBackend = async () => {
      throw new Error(`role for ${EMAIL} cannot be assumed`);
    };
    for (const backend of [failing, thrown]) {
      const prepared = await prepareUndo({ journalPath: path, backend, maskResource: policyResourceMasker(policy), createdAt: '2024-06-01T12:00:00.000Z', toolVersion: 'test' });
      expect(prepared.unread).toHaveLength(1);
      expect(JSON.stringify(prepared.unread)).not.toContain(EMAIL);
    }
  });
});
