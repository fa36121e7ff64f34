// Helpers for bench/live-scan.mjs: a moto_server of the benchmark's own, and a seeded estate
// (an organisation of 3 accounts × 2 regions, thousands of resources each), created with real SDK calls.
import { Buffer } from 'node:buffer';
import { setTimeout } from 'node:timers';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateAccountCommand, CreateOrganizationCommand, ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateBucketCommand, PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelCommand,
  CreateNotebookInstanceCommand,
  CreatePipelineCommand,
  CreateProcessingJobCommand,
  CreateTrainingJobCommand,
  ListModelsCommand,
  ListNotebookInstancesCommand,
  ListPipelinesCommand,
  ListProcessingJobsCommand,
  ListTrainingJobsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

export const MANAGEMENT = '123456789012';
const TEST_CREDS = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `python3 -m moto.server` on a free port; stop() kills exactly that process. */
export async function startMoto(logDir) {
  if (spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' }).status !== 0)
    throw new Error("moto_server is not installed: pip install 'moto[server]'");
  mkdirSync(logDir, { recursive: true });
  const port = await freePort();
  const fd = openSync(join(logDir, `moto-live-scan-${port}.log`), 'a');
  const env = { ...process.env };
  delete env.MOTO_ACCOUNT_ID;
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  // Should this process end without stop() (an uncaught error, a closed stdout), moto goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
    try {
      if ((await globalThis.fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('moto_server did not start');
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    endpoint,
    pid: child.pid,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_SESSION_TOKEN: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
    stop: () =>
      new Promise((resolve) => {
        process.off('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

const cfg = (endpoint, region, credentials) => ({ endpoint, region, credentials, maxAttempts: 5 });

export async function createOrg(endpoint, members) {
  const org = new OrganizationsClient(cfg(endpoint, 'us-east-1', TEST_CREDS));
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  for (let i = 0; i < members; i++) await org.send(new CreateAccountCommand({ AccountName: `bench-${i}`, Email: `bench-${i}@example.com` }));
  const ids = [];
  let token;
  do {
    const page = await org.send(new ListAccountsCommand({ NextToken: token }));
    for (const a of page.Accounts ?? []) if (a.Id !== MANAGEMENT) ids.push(a.Id);
    token = page.NextToken;
  } while (token);
  org.destroy();
  return [MANAGEMENT, ...ids.sort()];
}

export async function credentialsFor(endpoint, accountId) {
  if (accountId === MANAGEMENT) return TEST_CREDS;
  const sts = new STSClient(cfg(endpoint, 'us-east-1', TEST_CREDS));
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'bench' }));
  sts.destroy();
  const c = out.Credentials;
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

async function pool(n, limit, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/** The mix of one account × region: ~2,000 resources, about one in eight never tagged. */
export const SLICE_MIX = {
  lambda: 500,
  rds: 50,
  s3: 50,
  model: 500,
  modelUntagged: 100,
  trainingJob: 400,
  trainingJobUntagged: 100,
  processingJob: 100,
  notebook: 100,
  pipeline: 100,
};

export function sliceSize(mix = SLICE_MIX) {
  return Object.values(mix).reduce((a, b) => a + b, 0);
}

/** The SageMaker part of a mix (for a second moto_server that serves SageMaker only). */
export function sageMakerPart(mix = SLICE_MIX) {
  return { ...mix, lambda: 0, rds: 0, s3: 0 };
}

/**
 * The ARNs of the SageMaker kinds seedSlice creates, as SageMaker's own lists return them in one account × region
 * (by whichever credentials reach it: the account is the key's, or the router's x-moto-account-id).
 */
export async function listSeededSageMakerArns(endpoint, region, credentials) {
  const sm = new SageMakerClient(cfg(endpoint, region, credentials));
  const arns = [];
  const lists = [
    [ListModelsCommand, 'Models', 'ModelArn'],
    [ListTrainingJobsCommand, 'TrainingJobSummaries', 'TrainingJobArn'],
    [ListProcessingJobsCommand, 'ProcessingJobSummaries', 'ProcessingJobArn'],
    [ListNotebookInstancesCommand, 'NotebookInstances', 'NotebookInstanceArn'],
    [ListPipelinesCommand, 'PipelineSummaries', 'PipelineArn'],
  ];
  try {
    for (const [Command, field, arnField] of lists) {
      let token;
      do {
        const out = await sm.send(new Command({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }));
        for (const x of out[field] ?? []) arns.push(x[arnField]);
        token = out.NextToken || undefined;
      } while (token);
    }
  } finally {
    sm.destroy();
  }
  return arns;
}

const ZIP = Buffer.concat([Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]);
const tags = (i, extra = {}) => ({ 'anycompany:workload:application-id': `app-${String(i % 10000).padStart(4, '0')}`, team: `team-${i % 7}`, ...extra });
const tagList = (t) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

/** Seeds one account × region; returns how many resources were created (and how many carry tags). */
export async function seedSlice(endpoint, accountId, region, sliceNo, mix = SLICE_MIX, parallel = 8) {
  const credentials = await credentialsFor(endpoint, accountId);
  const iam = new IAMClient(cfg(endpoint, 'us-east-1', credentials));
  let roleArn;
  try {
    roleArn = (await iam.send(new CreateRoleCommand({ RoleName: 'bench-exec', AssumeRolePolicyDocument: '{}' }))).Role.Arn;
  } catch {
    roleArn = `arn:aws:iam::${accountId}:role/bench-exec`;
  }
  iam.destroy();
  const sm = new SageMakerClient(cfg(endpoint, region, credentials));
  const lambda = new LambdaClient(cfg(endpoint, region, credentials));
  const rds = new RDSClient(cfg(endpoint, region, credentials));
  const s3 = new S3Client({ ...cfg(endpoint, region, credentials), forcePathStyle: true });
  const p = `s${sliceNo}`;
  let created = 0;
  let tagged = 0;
  const run = async (count, make, isTagged = true) => {
    await pool(count, parallel, async (i) => {
      await make(i);
      created++;
      if (isTagged) tagged++;
    });
  };
  const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/x:latest';
  const job = (name, t) => ({
    TrainingJobName: name,
    AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: 'File' },
    RoleArn: roleArn,
    OutputDataConfig: { S3OutputPath: 's3://bench/out' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 10 },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    ...(t ? { Tags: tagList(t) } : {}),
  });
  await run(mix.lambda, (i) =>
    lambda.send(new CreateFunctionCommand({ FunctionName: `${p}-fn-${i}`, Runtime: 'nodejs20.x', Role: roleArn, Handler: 'i.h', Code: { ZipFile: ZIP }, Tags: tags(i) })),
  );
  await run(mix.rds, (i) =>
    rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: `${p}-db-${i}`,
        Engine: 'postgres',
        DBInstanceClass: 'db.t3.micro',
        AllocatedStorage: 20,
        MasterUsername: 'admin',
        MasterUserPassword: 'not-a-real-password',
        Tags: tagList(tags(i)),
      }),
    ),
  );
  await run(mix.s3, async (i) => {
    const Bucket = `bench-${accountId}-${region}-${i}`;
    await s3.send(new CreateBucketCommand({ Bucket, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region } }) }));
    await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: tagList(tags(i)) } }));
  });
  await run(mix.model, (i) => sm.send(new CreateModelCommand({ ModelName: `${p}-model-${i}`, ExecutionRoleArn: roleArn, PrimaryContainer: { Image: image }, Tags: tagList(tags(i)) })));
  await run(mix.modelUntagged, (i) => sm.send(new CreateModelCommand({ ModelName: `${p}-bare-model-${i}`, ExecutionRoleArn: roleArn, PrimaryContainer: { Image: image } })), false);
  await run(mix.trainingJob, (i) => sm.send(new CreateTrainingJobCommand(job(`${p}-train-${i}`, tags(i)))));
  await run(mix.trainingJobUntagged, (i) => sm.send(new CreateTrainingJobCommand(job(`${p}-bare-train-${i}`))), false);
  await run(mix.processingJob, (i) =>
    sm.send(
      new CreateProcessingJobCommand({
        ProcessingJobName: `${p}-proc-${i}`,
        ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 10 } },
        AppSpecification: { ImageUri: image },
        RoleArn: roleArn,
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
        Tags: tagList(tags(i)),
      }),
    ),
  );
  await run(mix.notebook, (i) =>
    sm.send(new CreateNotebookInstanceCommand({ NotebookInstanceName: `${p}-nb-${i}`, InstanceType: 'ml.t3.medium', RoleArn: roleArn, Tags: tagList(tags(i)) })),
  );
  await run(mix.pipeline, (i) =>
    sm.send(
      new CreatePipelineCommand({
        PipelineName: `${p}-pipe-${i}`,
        RoleArn: roleArn,
        PipelineDefinition: JSON.stringify({ Version: '2020-12-01', Steps: [] }),
        ClientRequestToken: `${p}-pipe-${i}-${'x'.repeat(40)}`.slice(0, 64),
        Tags: tagList(tags(i)),
      }),
    ),
  );
  for (const c of [sm, lambda, rds, s3]) c.destroy();
  return { created, tagged };
}
