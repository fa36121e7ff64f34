import { describe, expect, it } from 'vitest';
import { createProgressDisplay } from '../../../src/scan/progress.js';

function out(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, columns: 120, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
}

const p = (slicesDone: number, slicesTotal: number, resources: number, errors: number) => ({ slicesDone, slicesTotal, resources, errors });

describe('createProgressDisplay', () => {
  it('draws one rewritten line on a terminal and clears it at the end', () => {
    const err = out(true);
    let t = 0;
    const d = createProgressDisplay(err, { now: () => t });
    d.update(p(0, 6, 0, 0));
    t = 50;
    d.update(p(0, 6, 10, 0)); // within the interval: skipped
    t = 200;
    d.update(p(3, 6, 1234, 1));
    d.finish();
    expect(err.text()).toBe(
      '\r\x1b[2Kscanning 0/6 account-regions · 0 resources · 0 errors' + '\r\x1b[2Kscanning 3/6 account-regions · 1,234 resources · 1 error' + '\r\x1b[2K',
    );
  });

  it('always draws the final state', () => {
    const err = out(true);
    const d = createProgressDisplay(err, { now: () => 0 });
    d.update(p(0, 2, 0, 0));
    d.update(p(2, 2, 5, 0));
    expect(err.text()).toContain('2/2 account-regions · 5 resources');
  });

  it('is silent when stderr is not a terminal, and with --quiet', () => {
    for (const [err, quiet] of [
      [out(false), false],
      [out(true), true],
    ] as const) {
      const d = createProgressDisplay(err, { quiet });
      d.update(p(1, 2, 3, 0));
      d.finish();
      expect(err.text()).toBe('');
    }
  });
});
