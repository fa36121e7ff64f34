import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { STSClient } from '@aws-sdk/client-sts';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { AccountClient } from '@aws-sdk/client-account';
import type { S3Client } from '@aws-sdk/client-s3';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { toolVersion } from '../version.js';
import { clientRetryStrategy, DEFAULT_REQUEST_TIMEOUT_MS, requestHandlerOptions } from './request-deadline.js';
import { assumeRoleCredentials, callerCredentials, credentialsDeadlineMs, profileFrom, type AwsCredentialIdentityProvider, type Env } from './credentials.js';

export const DEFAULT_ROLE_NAME = 'OrganizationAccountAccessRole';
/**
 * SDK attempts per call (1 + retries). Throttling, 5xx and network errors are retried with backoff (adaptive mode);
 * an attempt that times out is retried once only (request-deadline.ts).
 */
export const DEFAULT_MAX_ATTEMPTS = 5;

export interface ClientFactoryOptions {
  /** The environment the SDK settings come from (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, keys …). */
  readonly env: Env;
  /** `--profile`; AWS_PROFILE otherwise. */
  readonly profile?: string;
  /** Role assumed in accounts other than the caller's (default OrganizationAccountAccessRole). */
  readonly roleName?: string;
  readonly externalId?: string;
  readonly maxAttempts?: number;
  /** Deadline of each attempt of each call (`--request-timeout`; default 30 s): see request-deadline.ts. */
  readonly requestTimeoutMs?: number;
  /** RoleSessionName for AssumeRole (default `tagaudit`); shows in the member accounts' CloudTrail. */
  readonly sessionName?: string;
}

export interface CallerIdentity {
  readonly accountId: string;
  readonly arn: string;
  /** `aws`, `aws-cn`, `aws-us-gov` … taken from the caller's ARN. */
  readonly partition: string;
}

/**
 * SDK clients for every account and region a command touches, created lazily (the SDK is imported on first use so
 * `--help` stays fast), cached per service × account × region, with shared per-account credentials. The caller's
 * account uses the caller's credentials; any other account is reached through sts:AssumeRole into
 * `arn:<partition>:iam::<account>:role/<roleName>`.
 */
export interface ClientFactory {
  callerIdentity(): Promise<CallerIdentity>;
  /** The configured region (AWS_REGION, AWS_DEFAULT_REGION, then the profile's `region`), if any. */
  configuredRegion(): Promise<string | undefined>;
  /**
   * Credentials for `accountId`. For a member account the role is assumed here, so a role that cannot be assumed
   * fails this call (callers report it and skip the account).
   */
  credentialsFor(accountId: string): Promise<AwsCredentialIdentityProvider>;
  tagging(accountId: string, region: string): Promise<ResourceGroupsTaggingAPIClient>;
  sagemaker(accountId: string, region: string): Promise<SageMakerClient>;
  config(accountId: string, region: string): Promise<ConfigServiceClient>;
  /** Auto Scaling (DescribeAutoScalingGroups): GetResources returns Auto Scaling groups without their tags. */
  autoscaling(accountId: string, region: string): Promise<AutoScalingClient>;
  /** S3 (ListBuckets, GetBucketLocation), following S3's region redirects. */
  s3(accountId: string, region: string): Promise<S3Client>;
  /**
   * IAM (ListUsers, ListRoles, List/Tag/Untag User/Role tags) for `accountId`. IAM is global: pass the partition's
   * global region (us-east-1, cn-northwest-1, us-gov-west-1; see globalRegionFor).
   */
  iam(accountId: string, region: string): Promise<IAMClient>;
  /** Lambda (ListTags: fix and undo ask it about functions GetResources does not return). */
  lambda(accountId: string, region: string): Promise<LambdaClient>;
  /** Organizations, as the caller (management or delegated administrator account). */
  organizations(): Promise<OrganizationsClient>;
  /** The Account API for `accountId` (ListRegions), with that account's credentials. */
  account(accountId: string): Promise<AccountClient>;
  /** HTTP requests sent so far, by operation (`GetResources`, `ListModels` …), retries included. */
  apiCalls(): Record<string, number>;
  /** Closes every client's sockets. The factory must not be used afterwards. */
  destroy(): void;
}

/** `AWS_ENDPOINT_URL_<SERVICE>` or `AWS_ENDPOINT_URL`, as the SDK reads them, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS. */
export function endpointFromEnv(env: Env, serviceEnvId: string): string | undefined {
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true') return undefined;
  return env[`AWS_ENDPOINT_URL_${serviceEnvId}`] || env.AWS_ENDPOINT_URL || undefined;
}

interface SdkClient {
  readonly middlewareStack: {
    add(middleware: unknown, options: { step: 'deserialize'; name: string; override?: boolean }): void;
  };
  destroy(): void;
}

type ClientCtor<C> = new (config: Record<string, unknown>) => C;

export function createClientFactory(options: ClientFactoryOptions): ClientFactory {
  const env = options.env;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const requestHandler = requestHandlerOptions(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  const roleName = options.roleName ?? DEFAULT_ROLE_NAME;
  const sessionName = options.sessionName ?? 'tagaudit';
  const calls = new Map<string, number>();
  const clients = new Map<string, Promise<SdkClient>>();
  const accountCredentials = new Map<string, Promise<AwsCredentialIdentityProvider>>();
  let caller: Promise<AwsCredentialIdentityProvider> | undefined;
  let identity: Promise<CallerIdentity> | undefined;
  let region: Promise<string | undefined> | undefined;

  // The SDK warns on every run under Node 20 about its own future support policy; that is not the user's concern.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const callerCreds = (): Promise<AwsCredentialIdentityProvider> => (caller ??= callerCredentials(env, options.profile, credentialsDeadlineMs(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS)));

  const countCalls = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
    const op = (context.commandName ?? 'Unknown').replace(/Command$/, '');
    calls.set(op, (calls.get(op) ?? 0) + 1);
    return next(args);
  };

  async function build<C extends SdkClient>(
    key: string,
    load: () => Promise<ClientCtor<C>>,
    serviceEnvId: string,
    clientRegion: string,
    credentials: () => Promise<AwsCredentialIdentityProvider>,
    extra: (endpoint: string | undefined) => Record<string, unknown> = () => ({}),
  ): Promise<C> {
    let pending = clients.get(key) as Promise<C> | undefined;
    if (!pending) {
      pending = (async () => {
        const [Ctor, creds, retryStrategy] = await Promise.all([load(), credentials(), clientRetryStrategy(maxAttempts)]);
        const endpoint = endpointFromEnv(env, serviceEnvId);
        const client = new Ctor({
          region: clientRegion,
          credentials: creds,
          maxAttempts,
          // Adaptive mode, with attempts that time out limited (request-deadline.ts).
          retryStrategy,
          customUserAgent: [['tagaudit', toolVersion()]],
          requestHandler,
          ...(endpoint ? { endpoint } : {}),
          ...extra(endpoint),
        });
        client.middlewareStack.add(countCalls, { step: 'deserialize', name: 'tagauditCallCounter', override: true });
        return client;
      })();
      clients.set(key, pending);
      pending.catch(() => clients.delete(key));
    }
    return pending;
  }

  const homeRegion = async (): Promise<string> => (await factory.configuredRegion()) ?? 'us-east-1';

  const stsClient = async (): Promise<STSClient> =>
    build(
      'sts',
      async () => (await import('@aws-sdk/client-sts')).STSClient as unknown as ClientCtor<STSClient>,
      'STS',
      await homeRegion(),
      callerCreds,
    );

  const factory: ClientFactory = {
    callerIdentity() {
      identity ??= (async () => {
        const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
        const out = await (await stsClient()).send(new GetCallerIdentityCommand({}));
        if (!out.Account || !out.Arn) throw new Error('sts:GetCallerIdentity returned no account');
        return { accountId: out.Account, arn: out.Arn, partition: out.Arn.split(':')[1] || 'aws' };
      })();
      identity.catch(() => (identity = undefined));
      return identity;
    },

    configuredRegion() {
      region ??= (async () => {
        const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION;
        if (fromEnv) return fromEnv;
        // The profile's `region` from the shared config file, resolved by the SDK itself.
        const { STSClient } = await import('@aws-sdk/client-sts');
        const named = profileFrom(env, options.profile);
        const probe = new STSClient(named ? { profile: named } : {});
        try {
          return await probe.config.region();
        } catch {
          return undefined;
        } finally {
          probe.destroy();
        }
      })();
      return region;
    },

    async credentialsFor(accountId) {
      const me = await factory.callerIdentity();
      if (accountId === me.accountId) return callerCreds();
      let pending = accountCredentials.get(accountId);
      if (!pending) {
        pending = (async () => {
          const provider = assumeRoleCredentials({
            sts: stsClient,
            roleArn: `arn:${me.partition}:iam::${accountId}:role/${roleName}`,
            ...(options.externalId ? { externalId: options.externalId } : {}),
            sessionName,
          });
          await provider(); // fail here, once, when the role cannot be assumed
          return provider;
        })();
        accountCredentials.set(accountId, pending);
      }
      return pending;
    },

    tagging: (accountId, r) =>
      build(
        `tagging/${accountId}/${r}`,
        async () =>
          (await import('@aws-sdk/client-resource-groups-tagging-api')).ResourceGroupsTaggingAPIClient as unknown as ClientCtor<ResourceGroupsTaggingAPIClient>,
        'RESOURCE_GROUPS_TAGGING_API',
        r,
        () => factory.credentialsFor(accountId),
      ),

    sagemaker: (accountId, r) =>
      build(
        `sagemaker/${accountId}/${r}`,
        async () => (await import('@aws-sdk/client-sagemaker')).SageMakerClient as unknown as ClientCtor<SageMakerClient>,
        'SAGEMAKER',
        r,
        () => factory.credentialsFor(accountId),
      ),

    config: (accountId, r) =>
      build(
        `config/${accountId}/${r}`,
        async () => (await import('@aws-sdk/client-config-service')).ConfigServiceClient as unknown as ClientCtor<ConfigServiceClient>,
        'CONFIG_SERVICE',
        r,
        () => factory.credentialsFor(accountId),
      ),

    autoscaling: (accountId, r) =>
      build(
        `autoscaling/${accountId}/${r}`,
        async () => (await import('@aws-sdk/client-auto-scaling')).AutoScalingClient as unknown as ClientCtor<AutoScalingClient>,
        // The SDK's serviceId is "Auto Scaling": AWS_ENDPOINT_URL_AUTO_SCALING.
        'AUTO_SCALING',
        r,
        () => factory.credentialsFor(accountId),
      ),

    s3: (accountId, r) =>
      build(
        `s3/${accountId}/${r}`,
        async () => (await import('@aws-sdk/client-s3')).S3Client as unknown as ClientCtor<S3Client>,
        'S3',
        r,
        () => factory.credentialsFor(accountId),
        // Emulators behind a custom endpoint (moto, LocalStack, MinIO) serve buckets by path, not by host name.
        (endpoint) => ({ followRegionRedirects: true, ...(endpoint ? { forcePathStyle: true } : {}) }),
      ),

    iam: (accountId, r) =>
      build(
        `iam/${accountId}/${r}`,
        async () => (await import('@aws-sdk/client-iam')).IAMClient as unknown as ClientCtor<IAMClient>,
        'IAM',
        r,
        () => factory.credentialsFor(accountId),
      ),

    lambda: (accountId, r) =>
      build(
        `lambda/${accountId}/${r}`,
        async () => (await import('@aws-sdk/client-lambda')).LambdaClient as unknown as ClientCtor<LambdaClient>,
        'LAMBDA',
        r,
        () => factory.credentialsFor(accountId),
      ),

    organizations: async () =>
      build(
        'organizations',
        async () => (await import('@aws-sdk/client-organizations')).OrganizationsClient as unknown as ClientCtor<OrganizationsClient>,
        'ORGANIZATIONS',
        await homeRegion(),
        callerCreds,
      ),

    account: async (accountId) =>
      build(
        `account/${accountId}`,
        async () => (await import('@aws-sdk/client-account')).AccountClient as unknown as ClientCtor<AccountClient>,
        'ACCOUNT',
        await homeRegion(),
        () => factory.credentialsFor(accountId),
      ),

    apiCalls: () => Object.fromEntries([...calls.entries()].sort(([a], [b]) => a.localeCompare(b))),

    destroy() {
      for (const pending of clients.values()) pending.then((c) => c.destroy(), () => undefined);
      clients.clear();
    },
  };
  return factory;
}
