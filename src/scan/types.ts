import { setTag } from '../inventory/resource.js';
/** The places a live scan reads resources from. `iam` is global: read once per account, not per region. */
export type SourceName = 'tagging-api' | 'sagemaker' | 'config' | 'iam';
export const ALL_SOURCES: readonly SourceName[] = ['tagging-api', 'sagemaker', 'config', 'iam'];

/** One account × region: the unit of parallel work. */
export interface Slice {
  readonly accountId: string;
  readonly region: string;
}

/** A resource as GetResources returns it. */
export interface TaggedItem {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A resource as a service's own List / Search call returns it. */
export interface ListedItem {
  readonly arn: string;
  /** `service:type`. */
  readonly resourceType: string;
  readonly state?: string;
  /** ISO-8601. */
  readonly createdAt?: string;
  readonly parentArns?: readonly string[];
  /** Present only when the call itself returned the resource's tags (Search does); absent means unknown. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A failure one source met in one slice; the runner turns it into a ScanError with the account and region. */
export interface SourceFailure {
  readonly source: SourceName;
  /** What could not be read, e.g. `sagemaker:endpoint-config` or `ListModels`. */
  readonly what: string;
  readonly error: unknown;
}

export type Tags = Readonly<Record<string, string>>;

/** AWS `[{Key, Value}]` tag lists → a key/value record (a missing Value is the empty string). */
export function tagRecord(list: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list ?? []) if (t.Key !== undefined) setTag(out, t.Key, t.Value ?? '');
  return out;
}
