import type { FailedArns, OwnerTagger, PartitionBackend, TagBackend } from '../../../src/fix/backend.js';
import type { CallFailure } from '../../../src/fix/journal.js';

export type CloudApi = 'read' | 'TagResources' | 'UntagResources' | 'sagemaker:AddTags' | 'sagemaker:DeleteTags';

export interface CloudCall {
  readonly api: CloudApi;
  readonly accountId: string;
  readonly region: string;
  readonly arns: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly keys?: readonly string[];
}

/**
 * What a hook may do with a call before it reaches the in-memory tags: return per-ARN failures (those ARNs are not
 * written), throw (the whole call fails, nothing written), or return a promise that never settles (a process killed
 * mid-call, as far as the caller can tell). `n` counts write calls from 1.
 */
export type CloudHook = (call: CloudCall, n: number) => FailedArns | void | Promise<FailedArns | void>;

/** An in-memory tagging service per account and region, behaving like AWS for the calls the fixer makes. */
export class MemoryCloud {
  readonly tags = new Map<string, Record<string, string>>();
  readonly calls: CloudCall[] = [];
  hook?: CloudHook;
  /** Runs after a write was applied (a promise that never settles: the answer is lost). */
  afterHook?: (call: CloudCall, n: number) => void | Promise<void>;
  /** Resource types the Tagging API rejects per ARN as unsupported (like moto's UntagResources on SageMaker). */
  readonly taggingUnsupported = new Set<string>();

  constructor(initial: Record<string, Record<string, string>> = {}) {
    for (const [arn, t] of Object.entries(initial)) this.tags.set(arn, { ...t });
  }

  snapshot(): Record<string, Record<string, string>> {
    return Object.fromEntries([...this.tags].map(([arn, t]) => [arn, { ...t }]));
  }

  writes(): CloudCall[] {
    return this.calls.filter((c) => c.api !== 'read');
  }

  private async run(call: CloudCall): Promise<FailedArns> {
    this.calls.push(call);
    const n = this.writes().length;
    const failed: Record<string, CallFailure> = { ...((await this.hook?.(call, n)) ?? {}) };
    for (const arn of call.arns) {
      if (failed[arn]) continue;
      const type = arn.split(':')[2] ?? '';
      if ((call.api === 'TagResources' || call.api === 'UntagResources') && this.taggingUnsupported.has(type)) {
        failed[arn] = { code: 'InternalServiceException', message: 'Service not yet supported' };
        continue;
      }
      const t = this.tags.get(arn);
      if (!t) {
        failed[arn] = { code: 'ResourceNotFoundException', message: 'no such resource' };
        continue;
      }
      if (call.tags) Object.assign(t, call.tags);
      for (const k of call.keys ?? []) delete t[k];
    }
    await this.afterHook?.(call, n);
    return failed;
  }

  backend(): TagBackend {
    return async (accountId, region) => {
      const owner: OwnerTagger = {
        addApi: 'sagemaker:AddTags',
        deleteApi: 'sagemaker:DeleteTags',
        addTags: async (arn, tags) => this.throwIfFailed(await this.run({ api: 'sagemaker:AddTags', accountId, region, arns: [arn], tags }), arn),
        deleteTags: async (arn, keys) => this.throwIfFailed(await this.run({ api: 'sagemaker:DeleteTags', accountId, region, arns: [arn], keys }), arn),
      };
      const backend: PartitionBackend = {
        readTags: async (resources) => {
          this.calls.push({ api: 'read', accountId, region, arns: resources.map((r) => r.arn) });
          const tags = new Map<string, Record<string, string>>();
          for (const r of resources) {
            const t = this.tags.get(r.arn);
            if (t) tags.set(r.arn, { ...t });
          }
          return { tags, failed: new Map() };
        },
        tagResources: (arns, tags) => this.run({ api: 'TagResources', accountId, region, arns, tags }),
        untagResources: (arns, keys) => this.run({ api: 'UntagResources', accountId, region, arns, keys }),
        ownerTagger: (type) => (type.startsWith('sagemaker:') ? owner : undefined),
      };
      return backend;
    };
  }

  private throwIfFailed(failed: FailedArns, arn: string): void {
    const f = failed[arn];
    if (f) throw Object.assign(new Error(f.message), { name: f.code });
  }
}

/** A promise that never settles: the call hangs forever, like a process killed while waiting for AWS. */
export function hang(): Promise<never> {
  return new Promise<never>(() => undefined);
}
