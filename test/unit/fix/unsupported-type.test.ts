import { describe, expect, it } from 'vitest';
import { isUnsupported } from '../../../src/fix/backend.js';

describe('isUnsupported (per-ARN failures of TagResources / UntagResources)', () => {
  it('recognises a resource type the Tagging API cannot write', () => {
    expect(isUnsupported({ code: 'InternalServiceException', message: 'Service not yet supported' })).toBe(true);
    expect(isUnsupported({ code: 'InternalServiceException', message: 'The resource type is not supported for this operation' })).toBe(true);
    expect(isUnsupported({ code: 'InvalidParameterException', message: 'This service does not support tagging through this API' })).toBe(true);
    expect(isUnsupported({ code: 'InternalServiceException', message: 'Unknown resource type arn:aws:foo' })).toBe(true);
  });

  it('leaves an internal error an internal error, whatever the word "service" in it', () => {
    expect(isUnsupported({ code: 'InternalServiceException', message: 'Internal service error' })).toBe(false);
    expect(isUnsupported({ code: 'InternalServiceException', message: 'The service is unavailable, try again later' })).toBe(false);
    expect(isUnsupported({ code: 'AccessDeniedException', message: 'not authorized to perform tag:TagResources' })).toBe(false);
  });
});
