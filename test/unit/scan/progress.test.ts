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
      '\r\x1b[2Kscanning 0/6 account-regions and IAM passes · 0 resources · 0 errors' + '\r\x1b[2Kscanning 3/6 account-regions and IAM passes · 1,234 resources · 1 error' + '\r\x1b[2K',
    );
  });

  it('always draws the final state', () => {
    const err = out(true);
    const d = createProgressDisplay(err, { now: () => 0 });
    d.update(p(0, 2, 0, 0));
    d.update(p(2, 2, 5, 0));
    expect(err.text()).toContain('2/2 account-regions and IAM passes · 5 resources');
  });

  it('is silent with --quiet', () => {
    for (const err of [out(false), out(true)]) {
      const d = createProgressDisplay(err, { quiet: true });
      d.update(p(1, 2, 3, 0));
      d.finish();
      expect(err.text()).toBe('');
    }
  });

  it('off a terminal, writes a plain line once a minute (none in the first minute), so CI sees a long scan alive', () => {
    const err = out(false);
    let t = 0;
    const d = createProgressDisplay(err, { now: () => t });
    d.update(p(1, 9, 3, 0));
    t = 59_000;
    d.update(p(2, 9, 30, 0));
    expect(err.text()).toBe('');
    t = 60_000;
    d.update(p(3, 9, 1234, 1));
    t = 90_000;
    d.update(p(4, 9, 2000, 1));
    t = 121_000;
    d.update(p(5, 9, 3000, 1));
    d.finish();
    expect(err.text()).toBe(
      'tagaudit: scanning 3/9 account-regions and IAM passes · 1,234 resources · 1 error\n' + 'tagaudit: scanning 5/9 account-regions and IAM passes · 3,000 resources · 1 error\n',
    );
  });
});
