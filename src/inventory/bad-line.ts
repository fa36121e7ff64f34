/**
 * Why an inventory line (or an element of a JSON document) was skipped: the `code` of its errors[] entry. The report
 * keeps the first error of every cause past its first 1,000 entries, so each kind of bad line needs a cause of its
 * own: 1,500 lines of garbage must not hide 50 invalid ARNs. Published in docs/output-formats.md; never renamed.
 */
export type BadLineCode =
  /** Not JSON at all. */
  | 'invalid-json'
  /** A byte sequence that is not UTF-8. */
  | 'not-utf8'
  /** Longer than MAX_LINE_BYTES. */
  | 'line-too-long'
  /** JSON, but not an object: a list, a string, a number, null. */
  | 'not-an-object'
  /** An object without a string "arn" / "ResourceARN". */
  | 'missing-arn'
  /** An "arn" / "ResourceARN" that is not an ARN, or names no AWS partition or region, or lacks one its service has. */
  | 'invalid-arn'
  /** An object that gives one member name twice ("arn", a tag key …): JSON would keep only the last. */
  | 'duplicate-key'
  /** A field a JSON Lines resource does not have (a misspelt "Tags"). */
  | 'unknown-field'
  /** "tags" / "Tags" of the wrong shape, a value that is not a string, a key listed twice. */
  | 'bad-tags'
  /** Another field of the wrong type or value: "region", "accountId", "parentArns" … */
  | 'bad-field'
  /** A field that contradicts the ARN: "accountId", "region", "service", "resourceType". */
  | 'arn-mismatch'
  /** An Auto Scaling group in a GetResources export, whose tags that API leaves out. */
  | 'tagless-auto-scaling-group'
  /** A `{"scanError": …}` record that is not well-formed. */
  | 'bad-scan-error'
  /** A get-resources listing cut short (its last page has a NextToken). */
  | 'truncated-listing';

/** Why a record is not a resource. */
export class BadRecord {
  constructor(
    readonly code: BadLineCode,
    readonly message: string,
  ) {}
}

/** Receives a bad line (or document element) at a 1-based line and, when known, column. */
export type BadLineSink = (code: BadLineCode, message: string, line: number, col?: number) => void;
