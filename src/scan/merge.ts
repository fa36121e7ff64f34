import { tryParseArn } from '../inventory/arn.js';
import type { Resource } from '../inventory/resource.js';
import { resourceParents } from '../inventory/sagemaker-parents.js';
import type { ListedItem, Slice, TaggedItem, Tags } from './types.js';

/** What the sources know about one resource, before it becomes a Resource. */
export interface Candidate {
  readonly arn: string;
  readonly tags: Tags;
  readonly source: string;
  readonly state?: string;
  readonly createdAt?: string;
  readonly parentArns?: readonly string[];
}

/**
 * The Resource for a candidate found in `slice`. The ARN decides account and region; an ARN without a region (S3
 * buckets) is `global` whichever region's query returned it (the runner then looks up a bucket's own region), and
 * one without an account takes the slice's account.
 */
export function toResource(c: Candidate, slice: Slice): Resource | undefined {
  const parsed = tryParseArn(c.arn);
  if (!parsed) return undefined;
  const parents = resourceParents(c.arn, parsed.service, c.tags, c.parentArns);
  return {
    arn: c.arn,
    accountId: parsed.accountId || slice.accountId,
    region: parsed.region || 'global',
    service: parsed.service,
    resourceType: parsed.resourceType,
    tags: { ...c.tags },
    source: c.source,
    ...(c.state ? { state: c.state } : {}),
    ...(c.createdAt ? { createdAt: c.createdAt } : {}),
    ...(parents && parents.length > 0 ? { parentArns: parents } : {}),
  };
}

export interface SageMakerMergeInput {
  /** SageMaker resources GetResources returned in the slice, by lower-cased ARN. */
  readonly tagged: ReadonlyMap<string, TaggedItem>;
  readonly listed: readonly ListedItem[];
  /** Types whose listing completed. */
  readonly listedTypes: ReadonlySet<string>;
  readonly windowedTypes: ReadonlySet<string>;
  /** Whether GetResources returned every tagged resource of a type in this slice. */
  readonly answers: (resourceType: string) => boolean;
}

export interface SageMakerMergePlan {
  readonly ready: readonly Candidate[];
  /** Listed resources whose tags nobody returned: only ListTags can tell. */
  readonly needTags: readonly ListedItem[];
  /** Tagged jobs the window excludes (created before --since). */
  readonly outsideWindow: number;
}

/**
 * Joins the SageMaker lists with GetResources by ARN. A listed resource GetResources did not return is never-tagged
 * (`{}`) — but only where GetResources answered for its type; otherwise its tags come from the list itself (Search)
 * or, as a last resort, from ListTags.
 */
export function planSageMakerMerge(input: SageMakerMergeInput): SageMakerMergePlan {
  const tagged = new Map(input.tagged);
  const ready: Candidate[] = [];
  const needTags: ListedItem[] = [];
  for (const item of input.listed) {
    const key = item.arn.toLowerCase();
    const t = tagged.get(key);
    tagged.delete(key);
    const extra = {
      ...(item.state ? { state: item.state } : {}),
      ...(item.createdAt ? { createdAt: item.createdAt } : {}),
      ...(item.parentArns ? { parentArns: item.parentArns } : {}),
    };
    if (t) ready.push({ arn: t.arn, tags: t.tags, source: 'tagging-api', ...extra });
    else if (item.tags) ready.push({ arn: item.arn, tags: item.tags, source: 'sagemaker', ...extra });
    else if (input.answers(item.resourceType)) ready.push({ arn: item.arn, tags: {}, source: 'sagemaker', ...extra });
    else needTags.push(item);
  }
  let outsideWindow = 0;
  for (const t of tagged.values()) {
    const type = tryParseArn(t.arn)?.resourceType ?? '';
    if (input.windowedTypes.has(type) && input.listedTypes.has(type)) {
      outsideWindow++;
      continue;
    }
    ready.push({ arn: t.arn, tags: t.tags, source: 'tagging-api' });
  }
  return { ready, needTags, outsideWindow };
}

/** Every ARN emitted so far, so each resource leaves the scan once (S3 buckets come back in every region). */
export class SeenArns {
  private readonly arns = new Set<string>();

  /** True the first time `arn` is offered. */
  add(arn: string): boolean {
    if (this.arns.has(arn)) return false;
    this.arns.add(arn);
    return true;
  }

  has(arn: string): boolean {
    return this.arns.has(arn);
  }

  get size(): number {
    return this.arns.size;
  }
}
