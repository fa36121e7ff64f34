import { describe, expect, it } from 'vitest';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { startLiveScan } from '../../../src/scan/live-scan.js';
import { fakeClient, sdkError } from './fake-client.js';

const ME = '111111111111';
const MEMBER = '222222222222';
const EMAIL = 'jane.doe@example.com';

describe('live scan gaps', () => {
  it('mask PII an AWS error message quotes, before anyone (report, saved inventory) sees them', async () => {
    const failing = async (): Promise<never> => {
      throw sdkError('ValidationException', 400, `Value '${EMAIL}' at 'tags.1.member.value' failed to satisfy constraint`);
    };
    const factory: ClientFactory = {
      callerIdentity: async () => ({ accountId: ME, arn: `arn:aws:iam::${ME}:user/me`, partition: 'aws' }),
      configuredRegion: async () => 'eu-west-1',
      credentialsFor: async (account: string) => {
        if (account === MEMBER) throw sdkError('AccessDenied', 403, `role assumed for ${EMAIL} is not authorized to perform sts:AssumeRole`);
        return async () => ({ accessKeyId: 'a', secretAccessKey: 'b' });
      },
      tagging: async () =>
        fakeClient({
          // Fails unfiltered (a gap is recorded), answers per service.
          GetResources: (input) =>
            input.ResourceTypeFilters ? { ResourceTagMappingList: [] } : sdkError('ValidationException', 400, `Value '${EMAIL}' at 'tags.1.member.value' failed to satisfy constraint`),
        }) as never,
      sagemaker: failing,
      config: failing,
      s3: failing,
      organizations: failing,
      account: async () => fakeClient({}) as never,
      apiCalls: () => ({}),
      destroy: () => undefined,
    } as unknown as ClientFactory;
    const scan = startLiveScan({ accounts: [ME, MEMBER], regions: ['eu-west-1'], roleName: 'r', since: new Date(0), concurrency: 2, sources: ['tagging-api'], env: {}, clients: factory, retryPauseMs: 0 });
    for await (const _ of scan.resources()) void _;
    expect(scan.status()).toBe('partial');
    expect(scan.errors.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(scan.errors)).not.toContain(EMAIL);
    expect(JSON.stringify(scan.errors)).toContain('failed to satisfy constraint');
  });
});
