import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../../src/fix/render-plan.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { lambda, planFromAudit } from './helpers.js';

describe('fix preview of a very large plan', () => {
  it('renders 250,000 edits (the column width was Math.max over every edit as arguments: a stack overflow)', () => {
    const one = planFromAudit(anycompanyPolicy(), [lambda('scorer', tagsWith({ 'anycompany:workload:environment': undefined }))]);
    const resource = one.resources[0]!;
    const edits = Array.from({ length: 250_000 }, (_, i) => resource.edits[i % resource.edits.length]!);
    const text = renderPlan({ ...one, resources: [{ ...resource, edits }] });
    expect(text.split('\n').length).toBeGreaterThan(250_000);
  });
});
