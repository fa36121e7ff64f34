import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { exitOnceFlushed } from '../../../src/cli/run.js';

class FakeStream extends EventEmitter {
  constructor(public writableLength: number) {
    super();
  }
}

describe('exitOnceFlushed (the forced exit after a command waits for its output to leave)', () => {
  it('goes on at once when nothing is buffered', () => {
    let called = 0;
    exitOnceFlushed([new FakeStream(0), new FakeStream(0)], () => called++);
    expect(called).toBe(1);
  });

  it('waits until every stream with buffered output has drained', () => {
    const out = new FakeStream(65_536);
    const err = new FakeStream(10);
    let called = 0;
    exitOnceFlushed([out, err], () => called++);
    expect(called).toBe(0);
    out.writableLength = 0;
    out.emit('drain');
    expect(called).toBe(0);
    err.writableLength = 0;
    err.emit('drain');
    expect(called).toBe(1);
  });

  it('goes on when a stream closes or fails instead (a reader that went away)', () => {
    const out = new FakeStream(100);
    let called = 0;
    exitOnceFlushed([out], () => called++);
    out.emit('error');
    out.emit('close');
    expect(called).toBe(1);
  });
});
