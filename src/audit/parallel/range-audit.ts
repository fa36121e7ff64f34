import { MAX_LINE_BYTES, parseInventoryLine, type Problem } from '../../inventory/read-inventory.js';
import { forEachLine } from '../../inventory/line-blocks.js';
import type { Resource } from '../../inventory/resource.js';
import type { ArnMask } from '../../pii/arn-mask.js';
import { FINDING_SEPARATOR, findingJson } from '../../report/json.js';
import type { ScanError } from '../../report/types.js';
import { SEVERITIES } from '../../rules/types.js';
import type { AuditorLike } from '../audit-flow.js';
import { isParentKind } from '../parent-index.js';
import { hashCanonicalArn } from '../seen-arns.js';
import { lineHash } from './reread-line.js';
import { SLOT, suppressedCode, type RangeProblem, type RangeResult, type RangeTask } from './range-result.js';
import { readRangeBlocks } from './range-reader.js';
import { Utf8Builder } from './utf8-builder.js';

const NO_PARENTS = (): undefined => undefined;
const SEVERITY_INDEX: Readonly<Record<string, number>> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

/**
 * Reads one range and audits every resource in it that names no parent, serializing the findings as the JSON sink
 * would (with the same ARN mask: arnMasker(policy.pii)). What depends on the rest of the input (duplicates, parents,
 * children) is left to the main thread: see RangeResult and AuditFlow.claimAudited.
 */
export function auditRange(task: RangeTask, auditor: AuditorLike, arnMask: ArnMask): RangeResult {
  const ruleIds: string[] = [];
  const ruleIndex = new Map<string, number>();
  const codeOf = (ruleId: string, severity: string): number => {
    let i = ruleIndex.get(ruleId);
    if (i === undefined) {
      i = ruleIds.push(ruleId) - 1;
      ruleIndex.set(ruleId, i);
    }
    return i * 4 + SEVERITY_INDEX[severity]!;
  };
  const problems: RangeProblem[] = [];
  const bad: Problem = (code, message, line, col) =>
    problems.push(col === undefined ? { kind: 'bad', code, message, line } : { kind: 'bad', code, message, line, col });
  const recorded = (error: ScanError, line: number): void => {
    problems.push({ kind: 'recorded', error, line });
  };
  // Slot columns grow as lines are read; each resource is audited as soon as its line is parsed, so none outlives it.
  const hashes: number[] = [];
  const kinds: number[] = [];
  const offsets: number[] = [];
  const jsonEnds: number[] = [];
  const codeEnds: number[] = [];
  const codeList: number[] = [];
  const pushSuppressed = (suppression: number): void => void codeList.push(suppressedCode(suppression));
  const childLines: string[] = [];
  const childRefs: number[] = [];
  const parentLineHashes: number[] = [];
  const json = new Utf8Builder(Math.max(1 << 16, (task.range.end - task.range.start) >> 1), task.spare);
  const hash = new Uint32Array(2);
  const parsed: Resource[] = [];
  let lastChildLine = -1;
  let hashedLine = -1;
  let lastLineHash = 0;
  const { lines } = readRangeBlocks(
    task.range,
    MAX_LINE_BYTES,
    (line) => bad('line-too-long', `line longer than ${MAX_LINE_BYTES} bytes`, line),
    (block) =>
      forEachLine(block, (line, lineNo, byteOffset, byteLength, invalidUtf8Col) => {
        parseInventoryLine(line, lineNo, parsed, bad, recorded, byteLength, invalidUtf8Col);
        for (let k = 0; k < parsed.length; k++) {
          const r = parsed[k]!;
          // The canonical ARN's hash: both what duplicates are told by and what a child finds this resource by.
          hashCanonicalArn(r.arn, hash, 0);
          hashes.push(hash[0]!, hash[1]!);
          offsets.push(byteOffset);
          if (r.parentArns !== undefined && r.parentArns.length > 0) {
            kinds.push(SLOT.child);
            if (lastChildLine !== lineNo) {
              childLines.push(ownCopy(line));
              lastChildLine = lineNo;
            }
            childRefs.push(childLines.length - 1, k);
          } else {
            const findings = auditor.audit(r, NO_PARENTS, pushSuppressed);
            for (let f = 0; f < findings.length; f++) {
              const finding = findings[f]!;
              json.append(FINDING_SEPARATOR);
              json.append(findingJson(finding, arnMask));
              codeList.push(codeOf(finding.ruleId, finding.severity));
            }
            if (isParentKind(r)) {
              kinds.push(SLOT.auditedParent);
              // Once per line: a get-resources page line can hold a hundred models.
              if (hashedLine !== lineNo) {
                hashedLine = lineNo;
                lastLineHash = lineHash(line);
              }
              parentLineHashes.push(lastLineHash);
            } else kinds.push(SLOT.audited);
          }
          jsonEnds.push(json.length);
          codeEnds.push(codeList.length);
        }
        parsed.length = 0;
      }),
  );

  return {
    index: task.index,
    lines,
    count: kinds.length,
    hashes: Uint32Array.from(hashes),
    kinds: Uint8Array.from(kinds),
    lineOffsets: Float64Array.from(offsets),
    parentLineHashes: Uint32Array.from(parentLineHashes),
    jsonEnds: Uint32Array.from(jsonEnds),
    json: json.bytes(),
    codeEnds: Uint32Array.from(codeEnds),
    codes: Uint32Array.from(codeList),
    ruleIds,
    childLines,
    childRefs: Uint32Array.from(childRefs),
    problems,
  };
}

/**
 * The line as a string of its own. A line is a slice of its block's text (~64 KiB), and keeping the slice would keep
 * the whole block alive until the range ends: the young-generation GC then copies every such block again and again.
 * Concatenating flattens into a new string of the line's size; slicing one character off it keeps only that one.
 */
function ownCopy(line: string): string {
  return ` ${line}`.slice(1);
}
