import { describe, it, expect } from 'vitest';
import { exitCodeFor } from '../../../src/audit/exit-code.js';
import { ErrorLog } from '../../../src/audit/error-log.js';
import type { Severity } from '../../../src/rules/types.js';

const counts = (error: number, warning: number, note: number) => (s: Severity) =>
  s === 'error' ? error : s === 'warning' ? error + warning : error + warning + note;

describe('exitCodeFor', () => {
  it.each([
    ['error', counts(0, 3, 3), 0],
    ['error', counts(1, 0, 0), 1],
    ['warning', counts(0, 1, 0), 1],
    ['warning', counts(0, 0, 5), 0],
    ['note', counts(0, 0, 1), 1],
    ['none', counts(9, 9, 9), 0],
  ] as const)('--fail-on %s', (failOn, atOrAbove, code) => {
    expect(exitCodeFor('complete', atOrAbove, failOn)).toBe(code);
  });

  it('a partial run exits 3 whatever was found and whatever --fail-on says', () => {
    expect(exitCodeFor('partial', counts(0, 0, 0), 'error')).toBe(3);
    expect(exitCodeFor('partial', counts(5, 0, 0), 'error')).toBe(3);
    expect(exitCodeFor('partial', counts(0, 0, 0), 'none')).toBe(3);
  });
});

describe('ErrorLog', () => {
  it('keeps up to its limit, then counts, and says how many it left out', () => {
    const echoed: number[] = [];
    const log = new ErrorLog(2, (_e, i) => echoed.push(i));
    for (let i = 0; i < 5; i++) log.add({ source: 'inventory', message: `m${i}` });
    expect(log.count).toBe(5);
    expect(echoed).toEqual([0, 1, 2, 3, 4]);
    expect(log.list()).toEqual([
      { source: 'inventory', message: 'm0' },
      { source: 'inventory', message: 'm1' },
      { source: 'inventory', message: '… and 3 more inventory errors not listed' },
    ]);
  });

  it('past its limit, still lists the first error of each new cause, and counts what it leaves out per cause', () => {
    const log = new ErrorLog(3);
    for (let i = 0; i < 10; i++) log.add({ source: 'sagemaker', code: 'AccessDeniedException', accountId: '111122223333', region: `r${i}`, message: 'denied by an SCP' });
    log.add({ source: 'sts', code: 'AccessDenied', accountId: '444455556666', message: 'cannot assume role' });
    log.add({ source: 'sts', code: 'AccessDenied', accountId: '777788889999', message: 'cannot assume role' });
    expect(log.count).toBe(12);
    const listed = log.list();
    expect(listed.filter((e) => e.source === 'sts' && e.accountId === '444455556666')).toHaveLength(1);
    expect(listed.slice(-2)).toEqual([
      { source: 'sagemaker', code: 'AccessDeniedException', message: '… and 7 more sagemaker errors (AccessDeniedException) not listed' },
      { source: 'sts', code: 'AccessDenied', message: '… and 1 more sts errors (AccessDenied) not listed' },
    ]);
  });
});
