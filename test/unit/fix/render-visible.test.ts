import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../../src/fix/render-plan.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { lambda, planFromAudit } from './helpers.js';

const policy = anycompanyPolicy();
const ENV = 'anycompany:workload:environment';

describe('fix preview: text from tags cannot drive the terminal', () => {
  it('shows ESC, BEL and C1 controls in stack names, logical ids and keys as \\xNN', () => {
    const r = lambda('scorer', {
      ...tagsWith({ [ENV]: undefined }),
      'Env\u009b2J': 'prod',
      'aws:cloudformation:stack-name': 'app\u001b[2J\u001b[31mFAKE',
      'aws:cloudformation:logical-id': 'L\u001b]0;title\u0007',
    });
    const text = renderPlan(planFromAudit(policy, [r]));
    expect(text).toContain('managed by CloudFormation stack app\\x1b[2J\\x1b[31mFAKE, logical id L\\x1b]0;title\\x07:');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text.endsWith('\n')).toBe(true);
  });
});
