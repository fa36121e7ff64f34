import { describe, expect, it } from 'vitest';
import type { FixPlan } from '../../../src/fix/plan.js';
import { renderPlan } from '../../../src/fix/render-plan.js';

const plan: FixPlan = {
  kind: 'tagaudit-fix-plan',
  version: 1,
  createdAt: '2026-11-25T00:00:00.000Z',
  tool: { name: 'tagaudit', version: 'test' },
  dictionary: { path: 'd.yaml', sha256: '0'.repeat(64) },
  fixTypes: ['rename-key'],
  resources: [
    {
      arn: 'arn:aws:lambda:us-east-1:111122223333:function:a',
      accountId: '111122223333',
      region: 'us-east-1',
      resourceType: 'lambda:function',
      expectedTags: [{ key: 'environment', value: 'production' }],
      edits: [{ op: 'add', type: 'rename-key', key: 'env', value: 'production', copiedFrom: 'environment' }],
    },
  ],
  conflicts: [],
  skipped: [],
} as unknown as FixPlan;

describe('renderPlan of an undo', () => {
  it('says each edit undoes the fix\'s kind, so a restore never reads as a new rename', () => {
    const text = renderPlan(plan, { title: 'Undo plan', undo: true });
    expect(text).toMatch(/^ {2}undo rename-key {2}/m);
    expect(text).toContain('Undo plan: 1 resource to change, 1 edit (undoing rename-key 1); 0 conflicts; 0 skipped');
  });

  it('a fix plan reads as before', () => {
    const text = renderPlan(plan);
    expect(text).toMatch(/^ {2}rename-key {2}/m);
    expect(text).toContain('Plan: 1 resource to change, 1 edit (rename-key 1);');
  });
});
