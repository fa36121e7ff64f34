import { describe, expect, it } from 'vitest';
import { FailedAlikeVerdict, failureKind, isServerOrNetworkError } from '../../../src/scan/failed-alike.js';
import { sdkError } from './fake-client.js';

const e500 = () => sdkError('InternalFailure', 500);
const e503 = () => sdkError('ServiceUnavailable', 503);
const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const denied = () => sdkError('AccessDeniedException', 400);
const throttled = () => sdkError('ThrottlingException', 400);

describe('failureKind', () => {
  it('reads 5xx and network errors by their class, anything else by its code', () => {
    expect(failureKind(e500())).toBe('server');
    expect(failureKind(e503())).toBe('server');
    expect(failureKind(reset())).toBe('network');
    expect(failureKind(denied())).toBe('AccessDeniedException');
  });

  it('isServerOrNetworkError: not denials, not throttling (even a 503 SlowDown)', () => {
    expect(isServerOrNetworkError(e500())).toBe(true);
    expect(isServerOrNetworkError(reset())).toBe(true);
    expect(isServerOrNetworkError(denied())).toBe(false);
    expect(isServerOrNetworkError(sdkError('SlowDown', 503))).toBe(false);
  });
});

describe('FailedAlikeVerdict', () => {
  it('gives up only once every call of the sample failed alike, and tells the waiting calls', async () => {
    const v = new FailedAlikeVerdict(3);
    const waiting = v.goOn();
    v.failed(e500());
    v.failed(e503());
    expect(v.gaveUp).toBe(false);
    v.failed(e500());
    expect(v.gaveUp).toBe(true);
    expect(v.alike).toBe(3);
    expect(await waiting).toBe(false);
    // Decided: a late answer changes nothing.
    v.answered();
    expect(v.gaveUp).toBe(true);
  });

  it('goes on at the first answer or the first failure of another kind, whatever the order', async () => {
    for (const outcomes of [
      ['500', '500', 'answer'],
      ['answer', '500', '500'],
      ['500', 'network', '500'],
      ['network', '500', '500'],
    ]) {
      const v = new FailedAlikeVerdict(3);
      for (const o of outcomes) {
        if (o === 'answer') v.answered();
        else v.failed(o === '500' ? e500() : reset());
      }
      expect(await v.goOn(), outcomes.join()).toBe(true);
    }
  });

  it('never counts throttling, nor what `counts` rejects', async () => {
    const t = new FailedAlikeVerdict(2);
    t.failed(throttled());
    expect(await t.goOn()).toBe(true);

    const d = new FailedAlikeVerdict(2, { counts: isServerOrNetworkError });
    d.failed(denied());
    expect(await d.goOn()).toBe(true);

    const any = new FailedAlikeVerdict(2);
    any.failed(denied());
    any.failed(denied());
    expect(any.gaveUp).toBe(true);
  });

  it('with `like`, the sample must fail like that error', async () => {
    const v = new FailedAlikeVerdict(2, { like: e500() });
    v.failed(reset());
    expect(await v.goOn()).toBe(true);
  });

  it('release lets the waiting calls go on', async () => {
    const v = new FailedAlikeVerdict(2);
    const waiting = v.goOn();
    v.release();
    expect(await waiting).toBe(true);
  });
});
