import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgressDisplay, type SignalSource } from '../../../src/scan/progress.js';
import type { ScanProgress } from '../../../src/scan/runner.js';

function out(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, columns: 120, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
}

const p = (slicesDone: number, slicesTotal: number, resources: number, errors: number, extra: Partial<ScanProgress> = { iamPasses: true }): ScanProgress => ({
  slicesDone,
  slicesTotal,
  resources,
  errors,
  ...extra,
});

/** process, as the display sees it, with signals delivered by hand; `killed` lists the re-raised ones. */
function fakeSignals(): SignalSource & { emit(signal: NodeJS.Signals): void; killed: string[] } {
  const emitter = new EventEmitter();
  const killed: string[] = [];
  return {
    pid: 4242,
    once: (s, l) => emitter.once(s, l),
    removeListener: (s, l) => emitter.removeListener(s, l),
    listenerCount: (s) => emitter.listenerCount(s),
    kill: (_pid, s) => killed.push(s),
    emit: (s) => void emitter.emit(s),
    killed,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createProgressDisplay', () => {
  it('draws one rewritten line on a terminal and clears it at the end', () => {
    const err = out(true);
    let t = 0;
    const d = createProgressDisplay(err, { now: () => t, signals: fakeSignals() });
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
    const d = createProgressDisplay(err, { now: () => 0, signals: fakeSignals() });
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
    vi.useFakeTimers();
    const err = out(false);
    const d = createProgressDisplay(err);
    d.update(p(1, 9, 3, 0));
    vi.advanceTimersByTime(59_000);
    d.update(p(3, 9, 1234, 1));
    expect(err.text()).toBe('');
    vi.advanceTimersByTime(1_000);
    expect(err.text()).toBe('tagaudit: scanning 3/9 account-regions and IAM passes · 1,234 resources · 1 error\n');
    d.update(p(5, 9, 3000, 1));
    vi.advanceTimersByTime(60_000);
    d.finish();
    vi.advanceTimersByTime(600_000);
    expect(err.text()).toBe(
      'tagaudit: scanning 3/9 account-regions and IAM passes · 1,234 resources · 1 error\n' + 'tagaudit: scanning 5/9 account-regions and IAM passes · 3,000 resources · 1 error\n',
    );
  });

  it('off a terminal, keeps writing a line each interval while nothing changes (a stuck scan), naming what still runs', () => {
    vi.useFakeTimers();
    const err = out(false);
    const d = createProgressDisplay(err, { intervalMs: 1_000 });
    const running = ['111111111111/eu-west-1', '111111111111/iam', '222222222222/eu-west-1', '222222222222/us-east-1', '333333333333/eu-west-1'];
    d.update(p(7, 12, 497, 0, { iamPasses: true, running }));
    vi.advanceTimersByTime(3_000);
    d.finish();
    const line =
      'tagaudit: scanning 7/12 account-regions and IAM passes · 497 resources · 0 errors · running 111111111111/eu-west-1, 111111111111/iam, 222222222222/eu-west-1 (+2 more)\n';
    expect(err.text()).toBe(line.repeat(3));
  });

  it('says "and IAM passes" only when IAM is one of the sources', () => {
    const err = out(true);
    const d = createProgressDisplay(err, { now: () => 0, signals: fakeSignals() });
    d.update(p(0, 1, 0, 0, { iamPasses: false }));
    d.finish();
    expect(err.text()).toBe('\r\x1b[2Kscanning 0/1 account-regions · 0 resources · 0 errors\r\x1b[2K');
  });

  it('interrupted on a terminal, ends the progress line with one line saying so, then dies of the signal', () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const err = out(true);
      const signals = fakeSignals();
      const d = createProgressDisplay(err, { now: () => 0, signals });
      d.update(p(1, 12, 202, 0));
      signals.emit(signal);
      expect(err.text()).toBe(
        '\r\x1b[2Kscanning 1/12 account-regions and IAM passes · 202 resources · 0 errors' +
          '\r\x1b[2Ktagaudit: interrupted; stopped at 1/12 account-regions and IAM passes · 202 resources · 0 errors; no report written\n',
      );
      expect(signals.killed).toEqual([signal]);
      d.finish();
      expect(err.text()).toMatch(/no report written\n$/);
    }
  });

  it('leaves re-raising the signal to a listener still to run (the removal of unfinished report files)', () => {
    const signals = fakeSignals();
    const d = createProgressDisplay(out(true), { now: () => 0, signals });
    d.update(p(1, 12, 202, 0));
    const cleanup = vi.fn(() => signals.kill(signals.pid, 'SIGINT'));
    signals.once('SIGINT', cleanup);
    signals.emit('SIGINT');
    expect(cleanup).toHaveBeenCalledOnce();
    expect(signals.killed).toEqual(['SIGINT']);
  });

  it('stops listening for signals once the scan ends', () => {
    const signals = fakeSignals();
    const d = createProgressDisplay(out(true), { now: () => 0, signals });
    d.update(p(1, 2, 3, 0));
    expect(signals.listenerCount('SIGINT')).toBe(1);
    d.finish();
    expect(signals.listenerCount('SIGINT')).toBe(0);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });
});
