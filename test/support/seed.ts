/**
 * Seeds a moto_server with real AWS SDK calls: an organisation with member accounts, and Lambda, RDS, S3 and
 * SageMaker resources per account and region, some tagged, some never tagged. Every helper returns what it
 * created, so tests compare a scan against ground truth rather than against another scan.
 */
import { AutoScalingClient, CreateAutoScalingGroupCommand, CreateLaunchConfigurationCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateOrganizationCommand, CreateAccountCommand, ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateBucketCommand, PutBucketTaggingCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateHyperParameterTuningJobCommand,
  CreateModelCommand,
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  CreateNotebookInstanceCommand,
  CreatePipelineCommand,
  CreateProcessingJobCommand,
  CreateTrainingJobCommand,
  CreateTransformJobCommand,
  DeleteEndpointConfigCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfigServiceClient, PutConfigurationRecorderCommand, PutDeliveryChannelCommand, StartConfigurationRecorderCommand } from '@aws-sdk/client-config-service';

export const MANAGEMENT_ACCOUNT = '123456789012';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The part of a MotoServer the seeders need. */
export interface MotoTarget {
  readonly endpoint: string;
}

/** What a seeder created: the ground truth a scan must find. */
export interface SeededResource {
  readonly arn: string;
  readonly accountId: string;
  /** An S3 bucket's is the region it was created in (LocationConstraint), though its ARN has none. */
  readonly region: string;
  readonly resourceType: string;
  readonly tags: Readonly<Record<string, string>>;
}

export type Tags = Readonly<Record<string, string>>;

/** An Auto Scaling group's tags as Auto Scaling keeps them: a value and PropagateAtLaunch per key. */
export type GroupTags = Readonly<Record<string, { readonly value: string; readonly propagate: boolean }>>;

/** Tags every one of which propagates at launch. */
export const propagated = (tags: Tags): GroupTags => Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, { value, propagate: true }]));

const tagList = (tags: Tags | undefined) => Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));

const TEST_CREDENTIALS: Credentials = { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' };

/** SDK client settings that point at moto (the management account's test keys unless `credentials` are given). */
export function clientConfig(moto: MotoTarget, region: string, credentials: Credentials = TEST_CREDENTIALS) {
  return { endpoint: moto.endpoint, region, credentials, maxAttempts: 3 };
}

/**
 * Creates an organisation (management account 123456789012) with `members` new accounts; returns their ids, and the
 * role CreateAccount makes in each new account (OrganizationAccountAccessRole, untagged), which a scan of IAM finds.
 */
export async function createOrganization(
  moto: MotoTarget,
  members: number,
): Promise<{ management: string; members: string[]; accessRoles: SeededResource[] }> {
  const org = new OrganizationsClient(clientConfig(moto, 'us-east-1', TEST_CREDENTIALS));
  try {
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    for (let i = 0; i < members; i++) await org.send(new CreateAccountCommand({ AccountName: `member-${i}`, Email: `member-${i}@example.com` }));
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await org.send(new ListAccountsCommand({ NextToken: token }));
      for (const a of page.Accounts ?? []) if (a.Id && a.Id !== MANAGEMENT_ACCOUNT) ids.push(a.Id);
      token = page.NextToken;
    } while (token);
    ids.sort();
    const accessRoles = ids.map((accountId) => ({
      arn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
      accountId,
      region: 'global',
      resourceType: 'iam:role',
      tags: {},
    }));
    return { management: MANAGEMENT_ACCOUNT, members: ids, accessRoles };
  } finally {
    org.destroy();
  }
}

/** Credentials acting in `accountId` (the management account uses the test keys). */
export async function credentialsFor(moto: MotoTarget, accountId: string, roleName = 'OrganizationAccountAccessRole'): Promise<Credentials> {
  if (accountId === MANAGEMENT_ACCOUNT) return TEST_CREDENTIALS;
  const sts = new STSClient(clientConfig(moto, 'us-east-1', TEST_CREDENTIALS));
  try {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: 'seed' }));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}) };
  } finally {
    sts.destroy();
  }
}

/** The smallest valid zip archive (an empty one), for Lambda's Code.ZipFile. */
const EMPTY_ZIP = Buffer.concat([Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]);

/** Creates resources in one account × region with real SDK calls and remembers each one. */
export class Seeder {
  readonly created: SeededResource[] = [];
  private readonly sagemaker: SageMakerClient;
  private roleArn: string | undefined;
  private launchConfiguration: string | undefined;

  constructor(
    readonly moto: MotoTarget,
    readonly accountId: string,
    readonly region: string,
    readonly credentials: Credentials,
  ) {
    this.sagemaker = new SageMakerClient(clientConfig(moto, region, credentials));
  }

  static async forAccount(moto: MotoTarget, accountId: string, region: string): Promise<Seeder> {
    return new Seeder(moto, accountId, region, await credentialsFor(moto, accountId));
  }

  /** Runs `seed` with a Seeder for `accountId` × `region`, and closes it whatever happens. */
  static async using<T>(moto: MotoTarget, accountId: string, region: string, seed: (s: Seeder) => Promise<T>): Promise<T> {
    const s = await Seeder.forAccount(moto, accountId, region);
    try {
      return await seed(s);
    } finally {
      s.close();
    }
  }

  private remember(arn: string, resourceType: string, tags: Tags | undefined, region = this.region): string {
    this.created.push({ arn, accountId: this.accountId, region, resourceType, tags: { ...(tags ?? {}) } });
    return arn;
  }

  /** The execution role every Lambda function and SageMaker resource here uses (created once per account). */
  async executionRole(): Promise<string> {
    if (this.roleArn) return this.roleArn;
    const iam = new IAMClient(clientConfig(this.moto, 'us-east-1', this.credentials));
    try {
      const name = 'tagaudit-seed-role';
      try {
        this.roleArn = (await iam.send(new GetRoleCommand({ RoleName: name }))).Role?.Arn;
      } catch {
        const out = await iam.send(
          new CreateRoleCommand({
            RoleName: name,
            AssumeRolePolicyDocument: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'sagemaker.amazonaws.com'] }, Action: 'sts:AssumeRole' }],
            }),
          }),
        );
        this.roleArn = out.Role?.Arn;
        // IAM is global: the seeder that creates the role (first in its account) remembers it, untagged.
        if (this.roleArn) this.remember(this.roleArn, 'iam:role', {}, 'global');
      }
      if (!this.roleArn) throw new Error('no role ARN');
      return this.roleArn;
    } finally {
      iam.destroy();
    }
  }

  async lambda(name: string, tags?: Tags): Promise<string> {
    const client = new LambdaClient(clientConfig(this.moto, this.region, this.credentials));
    try {
      const out = await client.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs20.x',
          Role: await this.executionRole(),
          Handler: 'index.handler',
          Code: { ZipFile: EMPTY_ZIP },
          ...(tags ? { Tags: { ...tags } } : {}),
        }),
      );
      return this.remember(out.FunctionArn!, 'lambda:function', tags);
    } finally {
      client.destroy();
    }
  }

  async rdsInstance(id: string, tags?: Tags): Promise<string> {
    const client = new RDSClient(clientConfig(this.moto, this.region, this.credentials));
    try {
      const out = await client.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          Engine: 'postgres',
          DBInstanceClass: 'db.t3.micro',
          AllocatedStorage: 20,
          MasterUsername: 'admin',
          MasterUserPassword: 'not-a-real-password',
          ...(tags ? { Tags: tagList(tags) } : {}),
        }),
      );
      return this.remember(out.DBInstance!.DBInstanceArn!, 'rds:db', tags);
    } finally {
      client.destroy();
    }
  }

  /** Bucket names are global: pass a name unique to the test. */
  async s3Bucket(name: string, tags?: Tags): Promise<string> {
    const client = new S3Client({ ...clientConfig(this.moto, this.region, this.credentials), forcePathStyle: true });
    try {
      await client.send(
        new CreateBucketCommand({
          Bucket: name,
          ...(this.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: this.region as BucketLocationConstraint } }),
        }),
      );
      if (tags) await client.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: tagList(tags) } }));
      return this.remember(`arn:aws:s3:::${name}`, 's3:bucket', tags);
    } finally {
      client.destroy();
    }
  }

  async sagemakerModel(name: string, tags?: Tags): Promise<string> {
    const out = await this.sagemaker.send(
      new CreateModelCommand({
        ModelName: name,
        ExecutionRoleArn: await this.executionRole(),
        PrimaryContainer: { Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest' },
        ...(tags ? { Tags: tagList(tags) } : {}),
      }),
    );
    return this.remember(out.ModelArn!, 'sagemaker:model', tags);
  }

  /** Note: while an endpoint config exists in a region, moto's GetResources fails for SageMaker. */
  async endpointConfig(name: string, modelName: string, tags?: Tags): Promise<string> {
    const out = await this.sagemaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: name,
        ProductionVariants: [{ VariantName: 'main', ModelName: modelName, InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }],
        ...(tags ? { Tags: tagList(tags) } : {}),
      }),
    );
    return this.remember(out.EndpointConfigArn!, 'sagemaker:endpoint-config', tags);
  }

  /** Deletes an endpoint config (endpoints using it keep running, as in AWS) and forgets it. */
  async deleteEndpointConfig(name: string): Promise<void> {
    await this.sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: name }));
    const at = this.created.findIndex((r) => r.resourceType === 'sagemaker:endpoint-config' && r.arn.endsWith(`/${name}`));
    if (at >= 0) this.created.splice(at, 1);
  }

  async endpoint(name: string, configName: string, tags?: Tags): Promise<string> {
    const out = await this.sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: configName, ...(tags ? { Tags: tagList(tags) } : {}) }));
    return this.remember(out.EndpointArn!, 'sagemaker:endpoint', tags);
  }

  async trainingJob(name: string, tags?: Tags): Promise<string> {
    const out = await this.sagemaker.send(
      new CreateTrainingJobCommand({
        TrainingJobName: name,
        AlgorithmSpecification: { TrainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/train:latest', TrainingInputMode: 'File' },
        RoleArn: await this.executionRole(),
        OutputDataConfig: { S3OutputPath: 's3://seed-output/training' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 10 },
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
        ...(tags ? { Tags: tagList(tags) } : {}),
      }),
    );
    return this.remember(out.TrainingJobArn!, 'sagemaker:training-job', tags);
  }

  async processingJob(name: string, tags?: Tags): Promise<string> {
    const out = await this.sagemaker.send(
      new CreateProcessingJobCommand({
        ProcessingJobName: name,
        ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 10 } },
        AppSpecification: { ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/process:latest' },
        RoleArn: await this.executionRole(),
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
        ...(tags ? { Tags: tagList(tags) } : {}),
      }),
    );
    return this.remember(out.ProcessingJobArn!, 'sagemaker:processing-job', tags);
  }

  async transformJob(name: string, modelName: string, tags?: Tags): Promise<string> {
    const out = await this.sagemaker.send(
      new CreateTransformJobCommand({
        TransformJobName: name,
        ModelName: modelName,
        TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://seed-input/batch' } } },
        TransformOutput: { S3OutputPath: 's3://seed-output/batch' },
        TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
        ...(tags ? { Tags: tagList(tags) } : {}),
      }),
    );
    return this.remember(out.TransformJobArn!, 'sagemaker:transform-job', tags);
  }

  async tuningJob(name: string, tags?: Tags): Promise<string> {
    const out = await this.sagemaker.send(
      new CreateHyperParameterTuningJobCommand({
        HyperParameterTuningJobName: name,
        HyperParameterTuningJobConfig: { Strategy: 'Bayesian', ResourceLimits: { MaxNumberOfTrainingJobs: 2, MaxParallelTrainingJobs: 1 } },
        TrainingJobDefinition: {
          AlgorithmSpecification: { TrainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/train:latest', TrainingInputMode: 'File' },
          RoleArn: await this.executionRole(),
          OutputDataConfig: { S3OutputPath: 's3://seed-output/tuning' },
          ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 10 },
          StoppingCondition: { MaxRuntimeInSeconds: 3600 },
        },
        ...(tags ? { Tags: tagList(tags) } : {}),
      }),
    );
    return this.remember(out.HyperParameterTuningJobArn!, 'sagemaker:hyper-parameter-tuning-job', tags);
  }

  async notebook(name: string, tags?: Tags): Promise<string> {
    const out = await this.sagemaker.send(
      new CreateNotebookInstanceCommand({
        NotebookInstanceName: name,
        InstanceType: 'ml.t3.medium',
        RoleArn: await this.executionRole(),
        ...(tags ? { Tags: tagList(tags) } : {}),
      }),
    );
    return this.remember(out.NotebookInstanceArn!, 'sagemaker:notebook-instance', tags);
  }

  async pipeline(name: string, tags?: Tags): Promise<string> {
    const out = await this.sagemaker.send(
      new CreatePipelineCommand({
        PipelineName: name,
        RoleArn: await this.executionRole(),
        PipelineDefinition: JSON.stringify({ Version: '2020-12-01', Steps: [] }),
        ClientRequestToken: `seed-${name}-${'x'.repeat(32)}`.slice(0, 64),
        ...(tags ? { Tags: tagList(tags) } : {}),
      }),
    );
    return this.remember(out.PipelineArn!, 'sagemaker:pipeline', tags);
  }

  /** Note: while a model package exists in a region, moto's GetResources fails for SageMaker. */
  async modelPackageGroup(name: string, tags?: Tags): Promise<string> {
    const out = await this.sagemaker.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: name, ...(tags ? { Tags: tagList(tags) } : {}) }));
    return this.remember(out.ModelPackageGroupArn!, 'sagemaker:model-package-group', tags);
  }

  async modelPackage(groupName: string): Promise<string> {
    const out = await this.sagemaker.send(
      new CreateModelPackageCommand({
        ModelPackageGroupName: groupName,
        InferenceSpecification: {
          Containers: [{ Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest' }],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
        },
      }),
    );
    return this.remember(out.ModelPackageArn!, 'sagemaker:model-package', undefined);
  }

  /** An Auto Scaling group of no instances (moto's GetResources never returns one: only Auto Scaling's own API does). */
  async autoScalingGroup(name: string, tags: GroupTags = {}): Promise<string> {
    const client = new AutoScalingClient(clientConfig(this.moto, this.region, this.credentials));
    try {
      if (!this.launchConfiguration) {
        await client.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'seed-lc', ImageId: 'ami-12c6146b', InstanceType: 't2.micro' }));
        this.launchConfiguration = 'seed-lc';
      }
      await client.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: name,
          LaunchConfigurationName: this.launchConfiguration,
          MinSize: 0,
          MaxSize: 1,
          AvailabilityZones: [`${this.region}a`],
          Tags: Object.entries(tags).map(([Key, t]) => ({ Key, Value: t.value, PropagateAtLaunch: t.propagate })),
        }),
      );
      const group = (await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups?.[0];
      if (!group?.AutoScalingGroupARN) throw new Error(`Auto Scaling group ${name} was not created`);
      return this.remember(group.AutoScalingGroupARN, 'autoscaling:autoScalingGroup', Object.fromEntries(Object.entries(tags).map(([k, t]) => [k, t.value])));
    } finally {
      client.destroy();
    }
  }

  /** Starts an AWS Config recorder in this region (so the config source runs). */
  async startConfigRecorder(): Promise<void> {
    const client = new ConfigServiceClient(clientConfig(this.moto, this.region, this.credentials));
    try {
      await client.send(
        new PutConfigurationRecorderCommand({
          ConfigurationRecorder: { name: 'default', roleARN: await this.executionRole(), recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } },
        }),
      );
      await client.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'config-delivery' } }));
      await client.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
    } finally {
      client.destroy();
    }
  }

  close(): void {
    this.sagemaker.destroy();
  }
}
