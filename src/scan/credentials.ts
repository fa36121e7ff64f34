import { format } from 'node:util';
import type { STSClient } from '@aws-sdk/client-sts';
import { UsageError } from '../errors.js';
import { CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, TIMED_OUT_ATTEMPTS } from './request-deadline.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** The SDK's credential identity (structurally the same as `AwsCredentialIdentity`). */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** What every SDK client accepts as `credentials`. */
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;

/** The profile in effect: `--profile`, else AWS_PROFILE. */
export function profileFrom(env: Env, profile?: string): string | undefined {
  return profile || env.AWS_PROFILE || undefined;
}

/**
 * The caller's credentials, resolved like the SDK's default chain but from the injected environment (so tests and
 * embedders can hand the CLI an environment): a profile (`--profile` / AWS_PROFILE, including SSO, role_arn +
 * source_profile and credential_process profiles) wins over static keys, as in the SDK; then AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN); then the rest of the SDK chain: web identity (AWS_WEB_IDENTITY_TOKEN_FILE
 * + AWS_ROLE_ARN, as CI OIDC sets them), container credentials and instance metadata.
 */
export async function callerCredentials(env: Env, profile?: string, deadlineMs: number = DEFAULT_CREDENTIALS_DEADLINE_MS): Promise<AwsCredentialIdentityProvider> {
  const named = profileFrom(env, profile);
  const files = sharedFiles(env);
  if (!named && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const identity: AwsCredentialIdentity = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      ...(env.AWS_CREDENTIAL_EXPIRATION ? { expiration: new Date(env.AWS_CREDENTIAL_EXPIRATION) } : {}),
    };
    return async () => identity;
  }
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  const chain = fromNodeProviderChain({
    logger: QUIET_ON_PROFILE_OVER_KEYS,
    ...files,
    ...(named ? { profile: named } : {}),
    ...(env.AWS_WEB_IDENTITY_TOKEN_FILE ? { webIdentityTokenFile: env.AWS_WEB_IDENTITY_TOKEN_FILE } : {}),
    ...(env.AWS_ROLE_ARN ? { roleArn: env.AWS_ROLE_ARN } : {}),
    ...(env.AWS_ROLE_SESSION_NAME ? { roleSessionName: env.AWS_ROLE_SESSION_NAME } : {}),
  });
  const bounded = withDeadline(chain, deadlineMs, named);
  if (!named) return bounded;
  const source = profile ? '--profile' : 'AWS_PROFILE';
  return async (...args: Parameters<typeof bounded>) => {
    try {
      return await bounded(...args);
    } catch (err) {
      // The chain's own "Could not load credentials from any providers" does not say which profile it looked for.
      if (!(err instanceof Error) || err.name !== 'CredentialsProviderError') throw err;
      throw Object.assign(new Error(`no credentials for profile "${named}" (${source}): is it defined in ${sharedFileNames(env)}?`, { cause: err }), {
        name: err.name,
      });
    }
  };
}

/** How long the caller's credentials may take to arrive: two timed-out attempts of an STS or SSO call, and a connection. */
export const DEFAULT_CREDENTIALS_DEADLINE_MS = credentialsDeadlineMs(DEFAULT_REQUEST_TIMEOUT_MS);

export function credentialsDeadlineMs(requestTimeoutMs: number): number {
  return TIMED_OUT_ATTEMPTS * requestTimeoutMs + Math.min(CONNECT_TIMEOUT_MS, requestTimeoutMs);
}

/**
 * The SDK's chain waits for ever on a `credential_process` that never exits (one waiting for an MFA code it cannot
 * ask for, a hung helper): every AWS call of the run would wait with it. The deadline turns that into an error the
 * scan reports. The abandoned process is not the SDK's to kill from here; the CLI exits without waiting for it.
 */
function withDeadline<P extends (...args: never[]) => Promise<AwsCredentialIdentity>>(provider: P, deadlineMs: number, profile: string | undefined): P {
  return (async (...args: Parameters<P>) => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const from = profile ? `profile "${profile}"` : 'the default credential chain';
        const error = new Error(
          `no credentials from ${from} within ${Math.round(deadlineMs / 1000)} s (a credential_process, SSO, web identity or instance metadata that does not answer; --request-timeout raises the limit)`,
        );
        reject(Object.assign(error, { name: 'CredentialsTimeoutError' }));
      }, deadlineMs);
    });
    try {
      return await Promise.race([provider(...args), expired]);
    } finally {
      clearTimeout(timer);
    }
  }) as P;
}

/**
 * Refuses a profile (`--profile` / AWS_PROFILE) that neither shared file defines, before any AWS call: a misspelt
 * profile is bad input (exit 2), not an AWS failure that leaves the run incomplete (3) or a journal with failed writes.
 */
export async function checkProfileDefined(env: Env, profile?: string): Promise<void> {
  const named = profileFrom(env, profile);
  // "default" is often set out of habit where the credentials come from elsewhere (web identity, an instance role).
  if (!named || named === 'default') return;
  const { parseKnownFiles } = await import('@smithy/core/config');
  const profiles = await parseKnownFiles({ ...sharedFiles(env), ignoreCache: true });
  if (Object.prototype.hasOwnProperty.call(profiles, named)) return;
  const source = profile ? '--profile' : 'AWS_PROFILE';
  throw new UsageError(`${source}: no profile ${JSON.stringify(named)} in ${sharedFileNames(env)}`);
}

function sharedFiles(env: Env): { filepath?: string; configFilepath?: string } {
  return {
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
  };
}

function sharedFileNames(env: Env): string {
  return `${env.AWS_CONFIG_FILE ?? '~/.aws/config'} or ${env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'}`;
}

/**
 * The SDK warns (on the console, past the CLI's stderr) whenever a profile is used while AWS_ACCESS_KEY_ID is set,
 * that a future SDK may prefer the keys. tagaudit passes the profile explicitly, so that cannot happen here, and a
 * profile with `credential_source = Environment` (common in CI) sets both on purpose: that one warning is dropped,
 * any other goes to stderr as before; debug and error output stays off, as without a logger.
 */
const QUIET_ON_PROFILE_OVER_KEYS = {
  debug: () => undefined,
  info: () => undefined,
  warn: (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('Multiple credential sources detected')) return;
    process.stderr.write(`${format(...args)}\n`); // where the SDK would have printed it (console.warn)
  },
  error: () => undefined,
};

export interface AssumeRoleInput {
  readonly sts: () => Promise<STSClient>;
  readonly roleArn: string;
  readonly externalId?: string;
  readonly sessionName: string;
  /** Refresh this long before expiry (default 5 min). */
  readonly refreshMarginMs?: number;
  readonly now?: () => number;
}

/**
 * Credentials for a member account through sts:AssumeRole, shared by every client of that account: assumed once,
 * refreshed shortly before they expire, one AssumeRole in flight at a time.
 */
export function assumeRoleCredentials(input: AssumeRoleInput): AwsCredentialIdentityProvider {
  const margin = input.refreshMarginMs ?? 5 * 60_000;
  const now = input.now ?? Date.now;
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;

  const refresh = async (): Promise<AwsCredentialIdentity> => {
    const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const sts = await input.sts();
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: input.roleArn,
        RoleSessionName: input.sessionName,
        DurationSeconds: 3600,
        ...(input.externalId ? { ExternalId: input.externalId } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${input.roleArn} returned no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: new Date(c.Expiration) } : {}),
    };
  };

  return async () => {
    if (current && (!current.expiration || current.expiration.getTime() - now() > margin)) return current;
    pending ??= refresh().then(
      (creds) => {
        current = creds;
        pending = undefined;
        return creds;
      },
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    );
    return pending;
  };
}
