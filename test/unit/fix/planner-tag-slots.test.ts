import { describe, expect, it } from 'vitest';
import { planResource } from '../../../src/fix/planner.js';
import { anycompanyPolicy } from '../../support/policies.js';
import { finding, lambda, plannerOptions } from './helpers.js';

// The planner counts the 50-tag budget by distinct keys the plan creates, which is not what newKeysOf
// (src/rules/tag-slots.ts, one slot per add or rename edit) counts: these pin the cases where the two differ, so the
// planner is not switched to it by mistake.
const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';

/** `count` user tags k0…, plus what `extra` adds, plus an aws: tag that AWS does not count. */
function tagsOf(count: number, extra: Record<string, string> = {}): Record<string, string> {
  const tags: Record<string, string> = { 'aws:cloudformation:stack-id': 'x', ...extra };
  for (let i = Object.keys(extra).length; i < count; i++) tags[`k${i}`] = 'v';
  return tags;
}

describe('planner: the 50-tag budget counts keys the fix creates', () => {
  it('a rename onto a key that already holds the value creates no key: planned at 50 user tags', () => {
    const r = lambda('a', tagsOf(50, { env: 'prod', [ENV]: 'production' }));
    const out = planResource(
      r,
      [finding(r, 'conflicting-tag-keys', [{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod', value: 'production' }])],
      plannerOptions(policy),
    );
    expect(out.skipped).toEqual([]);
    expect(out.planned?.edits).toEqual([{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'prod', value: 'production' }]);
  });

  it('two fixes that write the same new key with the same value take one slot: both planned at 49 user tags', () => {
    const r = lambda('a', tagsOf(49, { env: 'dev' }));
    const out = planResource(
      r,
      [
        finding(r, 'deprecated-tag-key', [{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'dev', value: 'development' }]),
        finding(r, 'missing-tag', [{ op: 'add', type: 'add-default', key: ENV, value: 'development' }]),
      ],
      plannerOptions(policy),
    );
    expect(out.skipped).toEqual([]);
    expect(out.planned?.ruleIds).toEqual(['deprecated-tag-key', 'missing-tag']);
    expect(out.planned?.edits).toEqual([{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'dev', value: 'development' }]);
  });

  it('a rename onto a new key still holds a slot while both keys exist: skipped at 50 user tags', () => {
    const r = lambda('a', tagsOf(50, { env: 'dev' }));
    const out = planResource(
      r,
      [finding(r, 'deprecated-tag-key', [{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: 'dev', value: 'development' }])],
      plannerOptions(policy),
    );
    expect(out.planned).toBeUndefined();
    expect(out.skipped).toEqual([expect.objectContaining({ reason: 'tag-limit', ruleId: 'deprecated-tag-key' })]);
  });
});
