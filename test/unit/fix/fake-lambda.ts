import { partitionBackend, type AwsClients } from '../../../src/fix/aws-backend.js';
import type { TagBackend } from '../../../src/fix/backend.js';
import { sdkError } from './fake-sagemaker.js';
import { fakeClient, type Sent } from './fake-send-client.js';

/** Lambda's answer for a function that does not exist (as AWS and moto word it). */
export const functionNotFound = (arn: string): Error => sdkError('ResourceNotFoundException', `Function not found: ${arn}`, 404);

/**
 * Lambda functions behind SDK-level fakes of the Tagging API (GetResources by ResourceARNList, TagResources,
 * UntagResources) and of Lambda's ListTags, as AWS answers them: a function not in `tags` was deleted; GetResources
 * returns only functions that exist with at least one tag and that are not `unindexed` (its index lags behind).
 */
export class FakeLambda {
  readonly tags = new Map<string, Record<string, string>>();
  /** Functions GetResources leaves out although they exist with tags (its index lagging behind). */
  readonly unindexed = new Set<string>();
  /** Answers a ListTags call instead of the estate (an Error is thrown). */
  hook?: (s: Sent) => Error | undefined;

  readonly lambda = fakeClient((s) => this.answerLambda(s));
  readonly tagging = fakeClient((s) => this.answerTagging(s));

  constructor(estate: Readonly<Record<string, Record<string, string>>> = {}) {
    for (const [arn, t] of Object.entries(estate)) this.tags.set(arn, { ...t });
  }

  /** The real backend over the fakes; `withLambda: false` is a backend wired without a Lambda client. */
  backend(withLambda = true): TagBackend {
    const none = fakeClient(() => new Error('not used in Lambda tests'));
    const clients: AwsClients = {
      tagging: async () => this.tagging,
      sagemaker: async () => none,
      autoscaling: async () => none,
      iam: async () => none,
      ...(withLambda ? { lambda: async () => this.lambda } : {}),
    };
    return async () => partitionBackend(clients);
  }

  /** The functions ListTags was asked about, in order. */
  listTagsAsked(): string[] {
    return this.lambda.sent.filter((s) => s.name === 'ListTagsCommand').map((s) => s.input.Resource as string);
  }

  /** Write calls sent to the Tagging API, with the ARNs they name. */
  writes(): { name: string; arns: string[] }[] {
    return this.tagging.sent.filter((s) => s.name !== 'GetResourcesCommand').map((s) => ({ name: s.name, arns: [...(s.input.ResourceARNList as string[])] }));
  }

  private answerLambda(s: Sent): unknown {
    const hooked = this.hook?.(s);
    if (hooked) return hooked;
    if (s.name !== 'ListTagsCommand') return new Error(`unexpected Lambda call ${s.name}`);
    const arn = s.input.Resource as string;
    const tags = this.tags.get(arn);
    return tags ? { Tags: { ...tags } } : functionNotFound(arn);
  }

  private answerTagging(s: Sent): unknown {
    const arns = (s.input.ResourceARNList as string[] | undefined) ?? [];
    if (s.name === 'GetResourcesCommand') {
      if (!s.input.ResourceARNList) return new Error('this fake answers GetResources by ResourceARNList only');
      const listed = arns.filter((arn) => Object.keys(this.tags.get(arn) ?? {}).length > 0 && !this.unindexed.has(arn));
      return { ResourceTagMappingList: listed.map((arn) => ({ ResourceARN: arn, Tags: Object.entries(this.tags.get(arn)!).map(([Key, Value]) => ({ Key, Value })) })) };
    }
    const failed: Record<string, { StatusCode: number; ErrorCode: string; ErrorMessage: string }> = {};
    for (const arn of arns) {
      const tags = this.tags.get(arn);
      if (!tags) failed[arn] = { StatusCode: 404, ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Function not found: ${arn}` };
      else if (s.name === 'TagResourcesCommand') Object.assign(tags, s.input.Tags as Record<string, string>);
      else if (s.name === 'UntagResourcesCommand') for (const k of s.input.TagKeys as string[]) delete tags[k];
      else return new Error(`unexpected Tagging API call ${s.name}`);
    }
    return { FailedResourcesMap: failed };
  }
}
