import { describe, expect, it } from 'vitest';
import { describeError, errorCode, isAuthError, isPermissionDenied, isScpDeny, isThrottling, isTransient, NotRetriedBySdk, withRetryRounds } from '../../../src/scan/retry.js';
import { sdkError } from './fake-client.js';

/** What the SDK raises when moto answers a 5xx with an HTML page. */
function htmlServerError(): Error {
  const e = new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error: …') as SyntaxError & {
    $metadata: { httpStatusCode: number };
  };
  e.$metadata = { httpStatusCode: 500 };
  return e;
}

describe('error classification', () => {
  it('knows throttling by code and by HTTP 429', () => {
    expect(isThrottling(sdkError('ThrottledException', 400))).toBe(true);
    expect(isThrottling(sdkError('ThrottlingException', 400))).toBe(true);
    expect(isThrottling(sdkError('Whatever', 429))).toBe(true);
    expect(isThrottling(sdkError('ValidationException', 400))).toBe(false);
  });

  it('treats 5xx (even unparseable ones), throttling and network errors as transient', () => {
    expect(isTransient(htmlServerError())).toBe(true);
    expect(isTransient(sdkError('InternalServiceException', 500))).toBe(true);
    expect(isTransient(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient(sdkError('ValidationException', 400))).toBe(false);
  });

  it('knows permission and credential errors', () => {
    expect(isAuthError(sdkError('AccessDeniedException', 400))).toBe(true);
    expect(isAuthError(sdkError('AccessDenied', 403))).toBe(true);
    expect(isAuthError(sdkError('ExpiredToken', 400))).toBe(true);
    expect(isAuthError(sdkError('ThrottlingException', 400))).toBe(false);
    // A missing permission (a grant fixes it), as against credentials that are bad or not valid in the region.
    expect(isPermissionDenied(sdkError('AccessDeniedException', 400))).toBe(true);
    expect(isPermissionDenied(sdkError('HTTP 403', 403))).toBe(true);
    expect(isPermissionDenied(sdkError('ExpiredToken', 400))).toBe(false);
    expect(isPermissionDenied(sdkError('UnrecognizedClientException', 400))).toBe(false);
  });

  it('looks through NotRetriedBySdk to the original error', () => {
    const wrapped = new NotRetriedBySdk(htmlServerError());
    expect(isTransient(wrapped)).toBe(true);
    expect(errorCode(wrapped)).toBe('HTTP 500');
    // The SDK must not see a status or a cause on the wrapper, or it would retry it.
    expect((wrapped as unknown as { $metadata?: unknown }).$metadata).toBeUndefined();
    expect(wrapped.cause).toBeUndefined();
  });

  it('describes an error in one short line', () => {
    expect(describeError(htmlServerError())).toBe('HTTP 500: the response was not valid JSON/XML');
    expect(describeError(sdkError('AccessDenied', 403, 'User is not authorized\nmore'))).toBe('AccessDenied (HTTP 403): User is not authorized');
    const scp = `User: arn:aws:sts::111122223333:assumed-role/TagAuditReadOnly/tagaudit is not authorized to perform: sagemaker:ListModels on resource: arn:aws:sagemaker:ap-east-1:111122223333:model/* with an explicit deny in a service control policy`;
    const described = describeError(sdkError('AccessDeniedException', 400, scp));
    expect(described.endsWith('with an explicit deny in a service control policy')).toBe(true);
    expect(described.length).toBeLessThanOrEqual(300);
    // Cut short, the message keeps AWS's last words, which say an SCP (not the role) denied the call.
    const longScp = scp.replace('model/*', `model/${'m'.repeat(200)}`);
    const cut = describeError(sdkError('AccessDeniedException', 400, longScp));
    expect(cut).toMatch(/^AccessDeniedException \(HTTP 400\): User: .*… with an explicit deny in a service control policy$/);
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(isScpDeny(sdkError('AccessDeniedException', 400, longScp))).toBe(true);
    expect(isScpDeny(sdkError('AccessDeniedException', 400, 'not authorized'))).toBe(false);
    expect(describeError(new Error('x'.repeat(400))).length).toBeLessThanOrEqual(300);
  });
});

describe('withRetryRounds', () => {
  it('runs a transient failure once more, and gives up after the rounds', async () => {
    let n = 0;
    expect(await withRetryRounds(async () => (++n === 1 ? Promise.reject(sdkError('ThrottlingException', 400)) : 'ok'), { pauseMs: 0 })).toBe('ok');
    n = 0;
    await expect(withRetryRounds(async () => (++n, Promise.reject(sdkError('InternalFailure', 500))), { rounds: 2, pauseMs: 0 })).rejects.toThrow();
    expect(n).toBe(3);
  });

  it('waits the pauses backoffMs gives for each extra round, in place of the jittered doubling', async () => {
    const rounds: number[] = [];
    let n = 0;
    const call = async (): Promise<string> => (++n <= 3 ? Promise.reject(sdkError('ThrottlingException', 400)) : 'ok');
    expect(await withRetryRounds(call, { rounds: 3, backoffMs: (round) => (rounds.push(round), 0) })).toBe('ok');
    expect(rounds).toEqual([0, 1, 2]);
    expect(n).toBe(4);
  });

  it('throws a non-transient error at once', async () => {
    let n = 0;
    await expect(withRetryRounds(async () => (++n, Promise.reject(sdkError('AccessDeniedException', 400))), { pauseMs: 0 })).rejects.toThrow();
    expect(n).toBe(1);
  });
});
