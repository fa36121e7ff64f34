import { describe, expect, it } from 'vitest';
import { anycompanyPolicy } from '../../support/policies.js';
import { lambda, planFromAudit } from './helpers.js';

// Acceptance s14-fix, D8: a Lambda with 49 user tags (46 xN plus env=prod, Owner=ml-team, a miscased
// data-classification) has room for one rename of its two deprecated keys. The one left out is listed under Skipped
// (`tag-limit`), and which one gets the slot does not depend on the order the tags come in (a live scan and an
// inventory list them differently).

const policy = anycompanyPolicy();
const CLASS = 'anycompany:security:data-classification';

function lim50(first: readonly string[]): Record<string, string> {
  const named: Record<string, string> = { Owner: 'ml-team', [CLASS]: 'Internal', env: 'prod' };
  const tags: Record<string, string> = {};
  for (const k of first) tags[k] = named[k]!;
  for (let i = 0; i < 46; i++) tags[`x${i}`] = 'v';
  for (const [k, v] of Object.entries(named)) if (!(k in tags)) tags[k] = v;
  return tags;
}

describe('plan: a rename withheld by the 50-tag limit', () => {
  it('is listed under Skipped as tag-limit', () => {
    const r = lambda('lim50', lim50(['Owner', CLASS, 'env']));
    const plan = planFromAudit(policy, [r]);
    expect(plan.skipped).toEqual([expect.objectContaining({ arn: r.arn, ruleId: 'deprecated-tag-key', key: 'env', reason: 'tag-limit' })]);
    expect(plan.resources[0]?.edits.map((e) => e.op === 'rename' ? `rename ${e.from}` : `${e.op} ${e.key}`)).toEqual([
      'rename Owner',
      `set ${CLASS}`,
      'set env',
    ]);
  });

  it('the same tags in another order give the same plan', () => {
    const plans = [['Owner', CLASS, 'env'], ['env', 'Owner', CLASS], ['env'], [CLASS, 'env']].map((first) => {
      const plan = planFromAudit(policy, [lambda('lim50', lim50(first))]);
      return { edits: plan.resources[0]?.edits, skipped: plan.skipped };
    });
    for (const p of plans.slice(1)) expect(p).toEqual(plans[0]);
  });
});
