import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { endpointFromEnv } from '../../../src/scan/clients.js';
import { assumeRoleCredentials, callerCredentials, profileFrom } from '../../../src/scan/credentials.js';
import { fakeClient, sdkError } from './fake-client.js';

describe('callerCredentials', () => {
  it('uses static keys from the injected environment when no profile is set', async () => {
    const provider = await callerCredentials({ AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'tok' });
    expect(await provider()).toEqual({ accessKeyId: 'AKIA', secretAccessKey: 'secret', sessionToken: 'tok' });
  });

  it('lets a profile win over static keys, as the SDK does', () => {
    expect(profileFrom({ AWS_PROFILE: 'env-profile' }, 'flag-profile')).toBe('flag-profile');
    expect(profileFrom({ AWS_PROFILE: 'env-profile' })).toBe('env-profile');
    expect(profileFrom({})).toBeUndefined();
  });

  it('reads a profile from the shared files the environment names', async () => {
    await withProfileFiles(async (files) => {
      const provider = await callerCredentials({ AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'x', ...files }, 'audit');
      expect(await provider()).toMatchObject({ accessKeyId: 'AKIAPROFILE', secretAccessKey: 's3cret' });
    });
  });

  it('does not print the SDK\'s "multiple credential sources" warning when a profile is chosen while keys are set', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    // The SDK looks at the process environment for this warning, not at the injected one.
    process.env.AWS_ACCESS_KEY_ID = 'AKIAENV';
    process.env.AWS_SECRET_ACCESS_KEY = 'x';
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      await withProfileFiles(async (files) => {
        const provider = await callerCredentials({ AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'x', ...files }, 'audit');
        expect(await provider()).toMatchObject({ accessKeyId: 'AKIAPROFILE' });
      });
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([]);
      expect(stderr.mock.calls.map((c) => String(c[0])).filter((line) => line.includes('credential'))).toEqual([]);
    } finally {
      warn.mockRestore();
      stderr.mockRestore();
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });

  it('names a profile that yields no credentials, where it came from and the files it was looked for in', async () => {
    await withProfileFiles(async (files) => {
      const viaFlag = await callerCredentials(files, 'nosuchprofile');
      await expect(viaFlag()).rejects.toThrow(`no credentials for profile "nosuchprofile" (--profile): is it defined in ${files.AWS_CONFIG_FILE} or ${files.AWS_SHARED_CREDENTIALS_FILE}?`);
      const viaEnv = await callerCredentials({ ...files, AWS_PROFILE: 'other' });
      await expect(viaEnv()).rejects.toThrow('no credentials for profile "other" (AWS_PROFILE)');
    });
  });
});

/** Shared config and credentials files holding one profile, `audit`, for the duration of `use`. */
async function withProfileFiles(use: (files: { AWS_SHARED_CREDENTIALS_FILE: string; AWS_CONFIG_FILE: string }) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tagaudit-creds-'));
  try {
    writeFileSync(join(dir, 'credentials'), '[audit]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = s3cret\n');
    writeFileSync(join(dir, 'config'), '');
    await use({ AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('assumeRoleCredentials', () => {
  const expiring = (minutes: number) => new Date(Date.now() + minutes * 60_000);

  it('assumes once, shares the result, and refreshes shortly before expiry', async () => {
    let expiration = expiring(60);
    const sts = fakeClient({
      AssumeRole: (input) => {
        expect(input).toMatchObject({ RoleArn: 'arn:aws:iam::222222222222:role/Audit', RoleSessionName: 'tagaudit', ExternalId: 'ext' });
        return { Credentials: { AccessKeyId: `AK${sts.count('AssumeRole')}`, SecretAccessKey: 's', SessionToken: 't', Expiration: expiration } };
      },
    });
    const provider = assumeRoleCredentials({ sts: async () => sts as never, roleArn: 'arn:aws:iam::222222222222:role/Audit', externalId: 'ext', sessionName: 'tagaudit' });
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a).toBe(b);
    expect(sts.count('AssumeRole')).toBe(1);
    expect(await provider()).toBe(a);
    expiration = expiring(90);
    const soon = assumeRoleCredentials({ sts: async () => sts as never, roleArn: 'arn:aws:iam::222222222222:role/Audit', externalId: 'ext', sessionName: 'tagaudit', refreshMarginMs: 120 * 60_000 });
    await soon();
    await soon();
    expect(sts.count('AssumeRole')).toBe(3);
  });

  it('fails when the role cannot be assumed, and tries again next time', async () => {
    let deny = true;
    const sts = fakeClient({ AssumeRole: () => (deny ? sdkError('AccessDenied', 403) : { Credentials: { AccessKeyId: 'A', SecretAccessKey: 'S' } }) });
    const provider = assumeRoleCredentials({ sts: async () => sts as never, roleArn: 'arn:aws:iam::222222222222:role/R', sessionName: 's' });
    await expect(provider()).rejects.toThrow();
    deny = false;
    expect(await provider()).toMatchObject({ accessKeyId: 'A' });
  });
});

describe('endpointFromEnv', () => {
  it('prefers the service-specific variable, then AWS_ENDPOINT_URL, unless configured endpoints are ignored', () => {
    const env = { AWS_ENDPOINT_URL: 'http://all', AWS_ENDPOINT_URL_SAGEMAKER: 'http://sm' };
    expect(endpointFromEnv(env, 'SAGEMAKER')).toBe('http://sm');
    expect(endpointFromEnv(env, 'RESOURCE_GROUPS_TAGGING_API')).toBe('http://all');
    expect(endpointFromEnv({ ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, 'SAGEMAKER')).toBeUndefined();
    expect(endpointFromEnv({}, 'STS')).toBeUndefined();
  });
});
