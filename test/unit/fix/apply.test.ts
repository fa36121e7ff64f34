import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/inventory/resource.js';
import { readJournal } from '../../../src/fix/journal.js';
import { COMPLIANT_TAGS, anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { auditAll, DEV, lambda, planFromAudit, PROD, resource } from './helpers.js';
import { MemoryCloud } from './memory-cloud.js';
import { applyWithJournal, tempDir } from './run.js';

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';
const EMAIL = 'jane.doe@example.com';

function cloudOf(resources: readonly Resource[]): MemoryCloud {
  return new MemoryCloud(Object.fromEntries(resources.map((r) => [r.arn, { ...r.tags }])));
}

function renamed(n: number, accountId = DEV, region = 'us-east-1', prefix = 'fn'): Resource[] {
  return Array.from({ length: n }, (_, i) => lambda(`${prefix}-${i}`, tagsWith({ [ENV]: undefined, env: 'prod' }), accountId, region));
}

describe('applier', () => {
  it('fixes every resource, batching identical edits ≤ 20 ARNs a call, new keys before old keys are removed', async () => {
    const resources = renamed(45);
    const cloud = cloudOf(resources);
    const plan = planFromAudit(policy, resources);
    const result = await applyWithJournal(plan, cloud, join(tempDir(), 'j.jsonl'));

    expect(result.outcomes.every((o) => o.status === 'fixed')).toBe(true);
    for (const r of resources) expect(cloud.tags.get(r.arn)).toEqual(tagsWith({ [ENV]: 'production' }));
    const writes = cloud.writes();
    expect(writes.map((c) => [c.api, c.arns.length])).toEqual([
      ['TagResources', 20],
      ['TagResources', 20],
      ['TagResources', 5],
      ['UntagResources', 20],
      ['UntagResources', 20],
      ['UntagResources', 5],
    ]);
    expect(result.stats.writeCalls).toBe(6);
    // Per resource, the write of the new key precedes the removal of the old one.
    for (const r of resources) {
      const tag = writes.findIndex((c) => c.api === 'TagResources' && c.arns.includes(r.arn));
      const untag = writes.findIndex((c) => c.api === 'UntagResources' && c.arns.includes(r.arn));
      expect(tag).toBeGreaterThanOrEqual(0);
      expect(untag).toBeGreaterThan(tag);
    }
  });

  it('writes each account and region with its own backend, never mixing them in a call', async () => {
    const resources = [...renamed(3, DEV, 'us-east-1', 'a'), ...renamed(3, DEV, 'eu-west-1', 'b'), ...renamed(3, PROD, 'us-east-1', 'c'), ...renamed(3, PROD, 'eu-west-1', 'd')];
    const cloud = cloudOf(resources);
    await applyWithJournal(planFromAudit(policy, resources), cloud, join(tempDir(), 'j.jsonl'));
    const writes = cloud.writes();
    expect(writes).toHaveLength(8);
    for (const c of writes) {
      for (const arn of c.arns) {
        expect(arn).toContain(`:${c.region}:${c.accountId}:`);
      }
    }
  });

  it('skips a resource whose tags changed since the plan, and reports it', async () => {
    const resources = renamed(2);
    const cloud = cloudOf(resources);
    const plan = planFromAudit(policy, resources);
    cloud.tags.get(resources[0]!.arn)!.env = 'staging';
    const result = await applyWithJournal(plan, cloud, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes.map((o) => o.status)).toEqual(['drifted', 'fixed']);
    expect(result.outcomes[0]!.detail).toContain('env');
    expect(cloud.tags.get(resources[0]!.arn)).toEqual(tagsWith({ [ENV]: undefined, env: 'staging' }));
    expect(cloud.writes().every((c) => !c.arns.includes(resources[0]!.arn))).toBe(true);
  });

  it('reports a resource the read does not return at all as unread (deleted? GetResources is no proof), never as drifted', async () => {
    const resources = renamed(2);
    const cloud = cloudOf(resources);
    const plan = planFromAudit(policy, resources);
    cloud.tags.delete(resources[0]!.arn);
    const result = await applyWithJournal(plan, cloud, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes.map((o) => o.status)).toEqual(['unread', 'fixed']);
    expect(result.outcomes[0]!.detail).toBe(
      'not returned when its tags were read — deleted since the plan? GetResources did not return it although the plan expects tags on it, ' +
        'so its current tags are unknown; nothing written (resume the run if it still exists)',
    );
    expect(cloud.writes().every((c) => !c.arns.includes(resources[0]!.arn))).toBe(true);
  });

  it('treats a tag added since the plan as drift without naming it (it could be PII)', async () => {
    const resources = renamed(1);
    const cloud = cloudOf(resources);
    const plan = planFromAudit(policy, resources);
    cloud.tags.get(resources[0]!.arn)!.contact = EMAIL;
    const result = await applyWithJournal(plan, cloud, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes[0]).toMatchObject({ status: 'drifted', detail: '1 tag was added since the plan' });
  });

  it('retries throttled ARNs (per-ARN and whole-call throttling) with backoff', async () => {
    const resources = renamed(4);
    const cloud = cloudOf(resources);
    const slept: number[] = [];
    cloud.hook = (call, n) => {
      if (n === 1) return { [call.arns[0]!]: { code: 'ThrottlingException', message: 'Rate exceeded' } };
      if (n === 3) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' });
    };
    const result = await applyWithJournal(planFromAudit(policy, resources), cloud, join(tempDir(), 'j.jsonl'), {
      sleep: async (ms) => void slept.push(ms),
    });
    expect(result.outcomes.every((o) => o.status === 'fixed')).toBe(true);
    expect(cloud.writes().map((c) => [c.api, c.arns.length])).toEqual([
      ['TagResources', 4],
      ['TagResources', 1],
      ['UntagResources', 4],
      ['UntagResources', 4],
    ]);
    expect(result.stats.retries).toBe(2);
    expect(slept).toHaveLength(2);
    for (const ms of slept) expect(ms).toBeGreaterThan(0);
  });

  it('gives up on an ARN still throttled after the last attempt, and reports it', async () => {
    const resources = renamed(2);
    const cloud = cloudOf(resources);
    const victim = resources[0]!.arn;
    cloud.hook = (call) => (call.arns.includes(victim) ? { [victim]: { code: 'ThrottlingException', message: 'Rate exceeded' } } : undefined);
    const result = await applyWithJournal(planFromAudit(policy, resources), cloud, join(tempDir(), 'j.jsonl'), { maxAttempts: 3 });
    expect(result.outcomes.map((o) => o.status)).toEqual(['failed', 'fixed']);
    expect(cloud.writes().filter((c) => c.arns.includes(victim)).length).toBe(3);
  });

  it('reads FailedResourcesMap per ARN: a failed write keeps the old key (no removal), the rest go on', async () => {
    const resources = renamed(3);
    const cloud = cloudOf(resources);
    const victim = resources[1]!.arn;
    cloud.hook = (call) => (call.api === 'TagResources' ? { [victim]: { code: 'AccessDeniedException', message: 'not allowed' } } : undefined);
    const result = await applyWithJournal(planFromAudit(policy, resources), cloud, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes.map((o) => o.status)).toEqual(['fixed', 'failed', 'fixed']);
    expect(result.outcomes[1]!.detail).toBe('AccessDeniedException: not allowed');
    expect(cloud.tags.get(victim)).toEqual(resources[1]!.tags);
    const untag = cloud.writes().find((c) => c.api === 'UntagResources')!;
    expect(untag.arns).not.toContain(victim);
  });

  it('a failure filed under an ARN that was not sent counts no resource of the call as written: no old key is removed', async () => {
    const resources = renamed(3);
    const cloud = cloudOf(resources);
    cloud.hook = (call) =>
      call.api === 'TagResources' ? { [`arn:aws:lambda:us-east-1:${DEV}:function:someone-else`]: { code: 'InternalServiceException', message: 'boom' } } : undefined;
    const result = await applyWithJournal(planFromAudit(policy, resources), cloud, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'failed']);
    expect(cloud.writes().some((c) => c.api === 'UntagResources')).toBe(false);
    for (const r of resources) expect(cloud.tags.get(r.arn)!.env).toBe('prod');
  });

  it('matches a failure to the ARN it was sent as, whatever the case AWS answers in', async () => {
    const resources = renamed(3);
    const cloud = cloudOf(resources);
    const victim = resources[1]!.arn;
    cloud.hook = (call) => (call.api === 'TagResources' ? { [victim.toUpperCase()]: { code: 'AccessDeniedException', message: 'not allowed' } } : undefined);
    const result = await applyWithJournal(planFromAudit(policy, resources), cloud, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes.map((o) => o.status)).toEqual(['fixed', 'failed', 'fixed']);
  });

  it("falls back to SageMaker's own API where the Tagging API cannot write, and reports types it has no client for", async () => {
    const sm = resource(`arn:aws:sagemaker:us-east-1:${DEV}:model/m1`, tagsWith({ [ENV]: undefined, env: 'prod' }));
    const efs = resource(`arn:aws:elasticfilesystem:us-east-1:${DEV}:file-system/fs-1`, tagsWith({ [ENV]: undefined, env: 'prod' }));
    const cloud = cloudOf([sm, efs]);
    cloud.taggingUnsupported.add('sagemaker');
    cloud.taggingUnsupported.add('elasticfilesystem');
    const result = await applyWithJournal(planFromAudit(policy, [sm, efs]), cloud, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes.map((o) => [o.arn, o.status])).toEqual([
      [efs.arn, 'failed'],
      [sm.arn, 'fixed'],
    ]);
    expect(result.outcomes[0]!.detail).toContain('no client for its own tag API');
    expect(cloud.tags.get(sm.arn)).toEqual(tagsWith({ [ENV]: 'production' }));
    expect(cloud.writes().map((c) => c.api)).toEqual(['TagResources', 'sagemaker:AddTags', 'UntagResources', 'sagemaker:DeleteTags']);
    expect(cloud.tags.get(efs.arn)).toEqual(efs.tags);
  });

  it('a whole-call failure fails its ARNs; nothing else is touched for them', async () => {
    const resources = renamed(2);
    const cloud = cloudOf(resources);
    cloud.hook = () => {
      throw Object.assign(new Error('no credentials'), { name: 'UnrecognizedClientException' });
    };
    const result = await applyWithJournal(planFromAudit(policy, resources), cloud, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes.map((o) => o.status)).toEqual(['failed', 'failed']);
    expect(cloud.writes().map((c) => c.api)).toEqual(['TagResources']);
  });

  it('journals the tags before, each call before it is made and its outcome after', async () => {
    const resources = renamed(2);
    const cloud = cloudOf(resources);
    const path = join(tempDir(), 'j.jsonl');
    await applyWithJournal(planFromAudit(policy, resources), cloud, path);
    const kinds = readJournal(path).records.map((r) => r.t);
    expect(kinds).toEqual(['begin', 'plan', 'resource', 'resource', 'call', 'result', 'call', 'result', 'done', 'done']);
    const rec = readJournal(path).records.find((r) => r.t === 'resource')!;
    expect(rec).toMatchObject({
      before: expect.arrayContaining([{ key: 'env', value: 'prod' }]),
      changes: [
        { type: 'rename-key', before: null, after: { key: ENV, value: 'production' } },
        { type: 'rename-key', before: { key: 'env', value: 'prod' }, after: null },
      ],
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('removes PII only with its raw value saved first in the 0600 vault; the journal holds it masked', async () => {
    const r = lambda('pii', { ...COMPLIANT_TAGS, owner_email: EMAIL });
    const cloud = cloudOf([r]);
    const path = join(tempDir(), 'j.jsonl');
    const result = await applyWithJournal(planFromAudit(policy, [r], { fixPii: 'remove' }), cloud, path);
    expect(result.outcomes[0]!.status).toBe('fixed');
    expect(cloud.tags.get(r.arn)).toEqual(COMPLIANT_TAGS);
    expect(readFileSync(path, 'utf8')).not.toContain(EMAIL);
    const vault = `${path}.pii-vault.jsonl`;
    expect(readFileSync(vault, 'utf8')).toContain(EMAIL);
    expect(statSync(vault).mode & 0o777).toBe(0o600);
  });

  it('after the plan, the rules find nothing fixable left', async () => {
    const resources = [
      lambda('a', tagsWith({ [ENV]: undefined, env: 'prod' })),
      lambda('b', tagsWith({ [ENV]: 'Prod' })),
      lambda('c', tagsWith({ [ENV]: undefined })),
      lambda('d', { ...tagsWith({ [ENV]: undefined }), Environment: 'dev', contact: EMAIL }),
    ];
    const cloud = cloudOf(resources);
    await applyWithJournal(planFromAudit(policy, resources, { fixPii: 'remove' }), cloud, join(tempDir(), 'j.jsonl'));
    const after = resources.map((r) => ({ ...r, tags: cloud.tags.get(r.arn)! }));
    const fixable = [...auditAll(policy, after).values()].flat().filter((f) => f.fix);
    expect(fixable).toEqual([]);
  });
});

describe('scenario: the demo estate', () => {
  it('after applying the plan (PII removal opted in), the rules find nothing fixable left but what it skipped on finished jobs', async () => {
    const { readFileSync } = await import('node:fs');
    const { loadDictionary } = await import('../../../src/dictionary/load-dictionary.js');
    const { resourceFromRecord } = await import('../../../src/inventory/resource-from-json.js');
    const demo = await loadDictionary('dictionaries/anycompany.yaml');
    const estate = readFileSync('examples/demo-estate.jsonl', 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => resourceFromRecord(JSON.parse(l)))
      .filter((r): r is Resource => typeof r !== 'string');
    const cloud = cloudOf(estate);
    const plan = planFromAudit(demo, estate, { fixPii: 'remove' });
    expect(plan.resources.length).toBeGreaterThan(50);
    const result = await applyWithJournal(plan, cloud, join(tempDir(), 'j.jsonl'));
    expect(result.outcomes.filter((o) => o.status !== 'fixed')).toEqual([]);
    const after = estate.map((r) => ({ ...r, tags: cloud.tags.get(r.arn)! }));
    const fixable = [...auditAll(demo, after).values()].flat().filter((f) => f.fix);
    // A parent's value is never written over a finished job's own (listed as skipped): those findings stay.
    const finished = plan.skipped.filter((s) => s.reason === 'finished-job').map((s) => `${s.arn} ${s.ruleId}`);
    expect(finished.length).toBeGreaterThan(0);
    expect(fixable.map((f) => `${f.resource.arn} ${f.ruleId}`).sort()).toEqual(finished.sort());
  });
});
