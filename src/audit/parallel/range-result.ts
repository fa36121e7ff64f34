import type { BadLineCode } from '../../inventory/bad-line.js';
import type { ScanError } from '../../report/types.js';
import type { ByteRange } from './range-plan.js';

/** What a worker is asked: audit the resources of one range. */
export interface RangeTask {
  /** Position of the range in the run (results are replayed in this order). */
  readonly index: number;
  readonly range: ByteRange;
  /** The file as the user named it, for messages. */
  readonly display: string;
  /**
   * Memory for the findings' bytes: the `json` buffer of a result already written out, handed back so that workers
   * do not take fresh memory for every range (fresh pages and external memory cost more than the encoding).
   */
  readonly spare?: ArrayBuffer;
}

/** How the main thread must treat a resource a worker read. */
export const SLOT = {
  /** Audited by the worker; cannot be anyone's parent unless a child asks for its ARN. */
  audited: 0,
  /** Audited by the worker, and a parent kind: the main thread keeps it by hash, to read again if a child names it. */
  auditedParent: 1,
  /** Names parents: its line comes along, for the main thread to parse and audit with its parents known. */
  child: 2,
} as const;

/**
 * The low two bits of the code of a finding a dictionary suppression covered (severities take 0–2): it has no JSON,
 * and code >>> 2 is the index of the suppression in policy.suppressions (see suppressedCode).
 */
export const SUPPRESSED = 3;

/** The code of a finding suppression number `suppression` covered. */
export function suppressedCode(suppression: number): number {
  return suppression * 4 + SUPPRESSED;
}

/** A bad line or a recorded gap met in the range; `line` counts from the range's first line (1). */
export type RangeProblem =
  | { readonly kind: 'bad'; readonly code: BadLineCode; readonly message: string; readonly line: number; readonly col?: number }
  | { readonly kind: 'recorded'; readonly error: ScanError; readonly line: number };

/**
 * A range's resources in input order ("slots"), as compact columns (typed arrays, transferred without a copy).
 * The findings of audited slots are already serialized: slot i's are json[jsonEnds[i-1] .. jsonEnds[i]), each
 * preceded by FINDING_SEPARATOR, and counted by codes[codeEnds[i-1] .. codeEnds[i]) (which also count the slot's
 * suppressed findings, each by the suppression that took it, without JSON).
 */
export interface RangeResult {
  readonly index: number;
  /** Lines the range owns, for the line numbers of the next range's problems. */
  readonly lines: number;
  readonly count: number;
  /**
   * hashCanonicalArn of slot i at [2i, 2i + 1]: what duplicates are told by (SeenArns) and, being the hash of its
   * parent key, what a child finds it by (ParentIndex).
   */
  readonly hashes: Uint32Array;
  /** SLOT value per slot. */
  readonly kinds: Uint8Array;
  /** Byte offset in the file of the line slot i was read from (to read it again if a child asks for it). */
  readonly lineOffsets: Float64Array;
  /**
   * lineHash of the line each SLOT.auditedParent slot was read from, in slot order: the line is read again later,
   * and must still be the one audited here.
   */
  readonly parentLineHashes: Uint32Array;
  readonly jsonEnds: Uint32Array;
  readonly json: Uint8Array;
  readonly codeEnds: Uint32Array;
  /** 32 bits, so that any suppression index fits (16 would stop at 16 383 suppressions). */
  readonly codes: Uint32Array;
  /**
   * Rule of each code: ruleIds[code >>> 2], severity SEVERITIES[code & 3]; when code & 3 is SUPPRESSED, a suppressed
   * finding, of suppression code >>> 2.
   */
  readonly ruleIds: readonly string[];
  /**
   * The lines holding SLOT.child slots, each once. Child slot c (counting child slots only) is resource number
   * childRefs[2c + 1] of those parsed from line childLines[childRefs[2c]] (a get-resources page may hold several).
   */
  readonly childLines: readonly string[];
  readonly childRefs: Uint32Array;
  readonly problems: readonly RangeProblem[];
}

/** The typed arrays of a result, for postMessage's transfer list. */
export function transferablesOf(r: RangeResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const a of [r.hashes, r.kinds, r.lineOffsets, r.parentLineHashes, r.jsonEnds, r.json, r.codeEnds, r.codes, r.childRefs]) {
    if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  }
  return [...buffers];
}
