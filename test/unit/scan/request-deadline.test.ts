import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClientFactory } from '../../../src/scan/clients.js';
import { limitTimedOutAttempts, requestHandlerOptions, type RetryStrategy } from '../../../src/scan/request-deadline.js';
import { describeError, isTimeout, isWorthAnotherRound, timeoutText, withRetryRounds } from '../../../src/scan/retry.js';

/** A TCP server that accepts every connection and never answers: a blackholed endpoint. */
async function silentServer(): Promise<{ server: Server; endpoint: string; connections: () => number; requests: () => number }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let requests = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      requests += chunk.toString('latin1').match(/^POST /gm)?.length ?? 0;
    });
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, endpoint, connections: () => connections, requests: () => requests };
}

let server: Server | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  const s = server;
  server = undefined;
  if (s) {
    s.emit('close');
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

const timeoutError = (ms: number) =>
  Object.assign(new Error(`@smithy/node-http-handler - [ERROR] a request has exceeded the configured ${ms} ms requestTimeout.`), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });

describe('a call to an endpoint that accepts the connection and never answers', () => {
  it('fails with a timeout after 2 attempts of the request timeout each, without the SDK warning on the console', async () => {
    const silent = await silentServer();
    server = silent.server;
    const warn = vi.spyOn(console, 'warn');
    const stderr = vi.spyOn(process.stderr, 'write');
    const factory = createClientFactory({
      env: { AWS_ENDPOINT_URL: silent.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'eu-west-1' },
      requestTimeoutMs: 400,
    });
    const started = Date.now();
    try {
      // The first call of any scan: who is calling (sts:GetCallerIdentity).
      const err: unknown = await factory.callerIdentity().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isTimeout(err)).toBe(true);
      expect(describeError(err)).toBe('ETIMEDOUT: no answer within 0.4 s (request timeout, --request-timeout)');
    } finally {
      factory.destroy();
    }
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(700);
    expect(elapsed).toBeLessThan(5_000);
    // The SDK's 5 attempts would be 5 requests: a timed-out call is tried twice.
    expect(silent.requests()).toBe(2);
    expect(factory.apiCalls()).toEqual({ GetCallerIdentity: 2 });
    const printed = [...warn.mock.calls, ...stderr.mock.calls].map((c) => String(c[0]));
    expect(printed.filter((line) => line.includes('@smithy') || line.includes('requestTimeout'))).toEqual([]);
  });
});

describe('requestHandlerOptions', () => {
  it('turns the request timeout into an error, bounds connect and silent sockets, and logs nothing', () => {
    const o = requestHandlerOptions(30_000);
    expect(o).toMatchObject({ connectionTimeout: 5_000, requestTimeout: 30_000, socketTimeout: 30_000, throwOnRequestTimeout: true });
    expect(requestHandlerOptions(1_000)).toMatchObject({ connectionTimeout: 1_000, requestTimeout: 1_000 });
  });
});

describe('limitTimedOutAttempts', () => {
  const token = (n: number) => ({ getRetryCount: () => n });
  const inner = (): RetryStrategy & { refreshed: number } => ({
    refreshed: 0,
    acquireInitialRetryToken: async () => token(0),
    async refreshRetryTokenForRetry(t) {
      this.refreshed++;
      return token(t.getRetryCount() + 1);
    },
    recordSuccess: () => undefined,
  });

  it('allows one retry after a timeout, and stops at the second', async () => {
    const base = inner();
    const s = limitTimedOutAttempts(base);
    const first = await s.acquireInitialRetryToken('');
    const second = await s.refreshRetryTokenForRetry(first, { error: timeoutError(30_000), errorType: 'TRANSIENT' });
    await expect(s.refreshRetryTokenForRetry(second, { error: timeoutError(30_000), errorType: 'TRANSIENT' })).rejects.toThrow(/no retry after 2 timed-out attempts/);
    expect(base.refreshed).toBe(1);
  });

  it('leaves other errors to the SDK strategy: throttling and 5xx keep their attempts', async () => {
    const base = inner();
    const s = limitTimedOutAttempts(base);
    let t = await s.acquireInitialRetryToken('');
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    for (let i = 0; i < 4; i++) t = await s.refreshRetryTokenForRetry(t, { error: throttled, errorType: 'THROTTLING' });
    // One timeout among them is still allowed a retry.
    t = await s.refreshRetryTokenForRetry(t, { error: timeoutError(1_000), errorType: 'TRANSIENT' });
    expect(base.refreshed).toBe(5);
  });
});

describe('timeouts in the scan’s own retry rounds and messages', () => {
  it('gives a timed-out call no extra round (it waited its deadline on every attempt already)', async () => {
    let calls = 0;
    const call = () => {
      calls++;
      return Promise.reject(timeoutError(1_000));
    };
    await expect(withRetryRounds(call, { rounds: 2, pauseMs: 0 })).rejects.toThrow(/requestTimeout/);
    expect(calls).toBe(1);
    expect(isWorthAnotherRound(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
  });

  it('says what a handler timeout means instead of naming a client option', () => {
    expect(timeoutText(timeoutError(30_000))).toBe('no answer within 30 s (request timeout, --request-timeout)');
    const connect = Object.assign(
      new Error('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 5000 ms.'),
      { name: 'TimeoutError' },
    );
    expect(describeError(connect)).toBe('TimeoutError: could not connect within 5 s');
    const socket = Object.assign(
      new Error('@smithy/node-http-handler - the request socket timed out after 30000 ms of inactivity (configured by client requestHandler).'),
      { name: 'TimeoutError' },
    );
    expect(timeoutText(socket)).toBe('the connection went silent for 30 s (--request-timeout)');
    expect(timeoutText(new Error('other'))).toBeUndefined();
  });
});
