import { partitionBackend } from '../../../src/fix/aws-backend.js';
import type { TagBackend } from '../../../src/fix/backend.js';
import { fakeClient, type Sent } from './fake-send-client.js';

/** An SDK error as the SageMaker client throws it (modelled or not: name = the error code). */
export function sdkError(code: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name: code, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

/** SageMaker's answer for a resource it cannot find (see src/fix/sagemaker-gone.ts for the sources). */
export const couldNotFind = (arn: string): Error => sdkError('ValidationException', `Could not find model "${arn}".`);

/**
 * SageMaker resources behind SDK-level fakes of SageMaker (ListTags / AddTags / DeleteTags) and of the Tagging API
 * (TagResources / UntagResources), as AWS answers them: a resource not in `tags` was deleted, and SageMaker says it
 * cannot find it. moto cannot stand in here: it answers HTTP 500 for a missing SageMaker ARN.
 */
export class FakeSageMaker {
  readonly tags = new Map<string, Record<string, string>>();
  /** Deleted right before the first write call that names them (deleted between the read and the write). */
  readonly deleteOnWrite = new Set<string>();
  /** Answers a SageMaker call instead of the estate (an Error is thrown). */
  hook?: (s: Sent) => Error | undefined;
  /** The Tagging API answers SageMaker ARNs "not supported" (as moto's UntagResources does): writes go to SageMaker. */
  taggingUnsupported = false;

  readonly sagemaker = fakeClient((s) => this.answerSageMaker(s));
  readonly tagging = fakeClient((s) => this.answerTagging(s));

  constructor(estate: Readonly<Record<string, Record<string, string>>> = {}) {
    for (const [arn, t] of Object.entries(estate)) this.tags.set(arn, { ...t });
  }

  backend(): TagBackend {
    const none = fakeClient(() => new Error('not used in SageMaker tests'));
    return async () => partitionBackend({ tagging: async () => this.tagging, sagemaker: async () => this.sagemaker, autoscaling: async () => none, iam: async () => none });
  }

  /** Write calls sent to either API, with the ARNs they name. */
  writes(): { name: string; arns: string[] }[] {
    return [...this.tagging.sent, ...this.sagemaker.sent]
      .filter((s) => s.name !== 'ListTagsCommand' && s.name !== 'GetResourcesCommand')
      .map((s) => ({ name: s.name, arns: s.input.ResourceArn ? [s.input.ResourceArn as string] : [...((s.input.ResourceARNList as string[]) ?? [])] }));
  }

  private deleteBeforeWrite(arns: readonly string[]): void {
    for (const arn of arns) {
      if (!this.deleteOnWrite.delete(arn)) continue;
      this.tags.delete(arn);
    }
  }

  private answerSageMaker(s: Sent): unknown {
    const hooked = this.hook?.(s);
    if (hooked) return hooked;
    const arn = s.input.ResourceArn as string;
    if (s.name !== 'ListTagsCommand') this.deleteBeforeWrite([arn]);
    const tags = this.tags.get(arn);
    if (!tags) return couldNotFind(arn);
    switch (s.name) {
      case 'ListTagsCommand':
        return { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
      case 'AddTagsCommand':
        for (const t of s.input.Tags as { Key: string; Value: string }[]) tags[t.Key] = t.Value;
        return {};
      case 'DeleteTagsCommand':
        for (const k of s.input.TagKeys as string[]) delete tags[k];
        return {};
      default:
        return new Error(`unexpected SageMaker call ${s.name}`);
    }
  }

  private answerTagging(s: Sent): unknown {
    if (s.name !== 'TagResourcesCommand' && s.name !== 'UntagResourcesCommand') return new Error(`the Tagging API must not be asked ${s.name} for SageMaker resources`);
    const arns = s.input.ResourceARNList as string[];
    this.deleteBeforeWrite(arns);
    const failed: Record<string, { StatusCode: number; ErrorCode: string; ErrorMessage: string }> = {};
    for (const arn of arns) {
      const tags = this.tags.get(arn);
      if (this.taggingUnsupported) failed[arn] = { StatusCode: 500, ErrorCode: 'InternalServiceException', ErrorMessage: 'Service not yet supported' };
      else if (!tags) failed[arn] = { StatusCode: 400, ErrorCode: 'ValidationException', ErrorMessage: `Could not find model "${arn}".` };
      else if (s.name === 'TagResourcesCommand') Object.assign(tags, s.input.Tags as Record<string, string>);
      else for (const k of s.input.TagKeys as string[]) delete tags[k];
    }
    return { FailedResourcesMap: failed };
  }
}
