import { describe, expect, it } from 'vitest';
import { putBackReport } from '../../../src/fix/case-folding.js';

const gone = [{ key: 'Environment', how: 'maybe' as const, shown: 'Environment' }];
const unclear = { code: 'TimeoutError', message: 'timed out', mayHaveApplied: true };

describe('putBackReport: what to run when an old spelling may be lost', () => {
  it('offers fix --resume for a fix run', () => {
    const text = putBackReport(gone, unclear, 'the user', 'fix.jsonl');
    expect(text).toContain('finish the rename with `tagaudit fix --resume fix.jsonl --apply`');
    expect(text).toContain('restore it with `tagaudit undo --journal fix.jsonl --apply`');
  });

  it('never offers fix --resume for an undo run (an undo journal cannot be resumed)', () => {
    const text = putBackReport(gone, unclear, 'the user', 'undo.jsonl', false);
    expect(text).not.toContain('fix --resume');
    expect(text).toContain('check it, and restore it with `tagaudit undo --journal undo.jsonl --apply`');
  });
});

describe('putBackReport off a terminal', () => {
  it('prints commands that run without a prompt (--apply --yes)', () => {
    const text = putBackReport(gone, unclear, 'the user', 'fix.jsonl', true, false);
    expect(text).toContain('`tagaudit fix --resume fix.jsonl --apply --yes`');
    expect(text).toContain('`tagaudit undo --journal fix.jsonl --apply --yes`');
  });
});
