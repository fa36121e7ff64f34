import { MAX_LINE_BYTES, parseInventoryLine, type Problem } from '../../inventory/read-inventory.js';
import { forEachLine } from '../../inventory/line-blocks.js';
import type { Resource } from '../../inventory/resource.js';
import { FINDING_SEPARATOR, findingJson } from '../../report/json.js';
import type { ScanError } from '../../report/types.js';
import { SEVERITIES } from '../../rules/types.js';
import type { AuditorLike } from '../audit-flow.js';
import { isParentKind } from '../parent-index.js';
import { hashArn } from '../seen-arns.js';
import { SLOT, type RangeProblem, type RangeResult, type RangeTask } from './range-result.js';
import { readRangeBlocks } from './range-reader.js';
import { Utf8Builder } from './utf8-builder.js';

const NO_PARENTS = (): undefined => undefined;
const SEVERITY_INDEX: Readonly<Record<string, number>> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

/**
 * Reads one range and audits every resource in it that names no parent, serializing the findings as the JSON sink
 * would. What depends on the rest of the input (duplicates, parents, children) is left to the main thread: see
 * RangeResult and AuditFlow.takeAudited.
 */
export function auditRange(task: RangeTask, auditor: AuditorLike): RangeResult {
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
  const parsed: Resource[] = [];
  const offsets: number[] = [];
  const bad: Problem = (message, line, col) => problems.push(col === undefined ? { kind: 'bad', message, line } : { kind: 'bad', message, line, col });
  const recorded = (error: ScanError, line: number): void => {
    problems.push({ kind: 'recorded', error, line });
  };
  const { lines } = readRangeBlocks(
    task.range,
    MAX_LINE_BYTES,
    (line) => bad(`line longer than ${MAX_LINE_BYTES} bytes`, line),
    (block) =>
      forEachLine(block, (line, lineNo, byteOffset, byteLength) => {
        const before = parsed.length;
        parseInventoryLine(line, lineNo, parsed, bad, recorded, byteLength);
        for (let i = before; i < parsed.length; i++) offsets.push(byteOffset);
      }),
  );

  const count = parsed.length;
  const hashes = new Uint32Array(2 * count);
  const kinds = new Uint8Array(count);
  const jsonEnds = new Uint32Array(count);
  const codeEnds = new Uint32Array(count);
  const codeList: number[] = [];
  const json = new Utf8Builder(Math.max(1 << 16, (task.range.end - task.range.start) >> 1));
  const resources: Resource[] = [];
  for (let i = 0; i < count; i++) {
    const r = parsed[i]!;
    hashArn(r.arn, hashes, 2 * i);
    if (r.parentArns !== undefined && r.parentArns.length > 0) {
      kinds[i] = SLOT.child;
      resources.push(r);
    } else {
      const findings = auditor.audit(r, NO_PARENTS);
      for (let f = 0; f < findings.length; f++) {
        const finding = findings[f]!;
        json.append(FINDING_SEPARATOR);
        json.append(findingJson(finding));
        codeList.push(codeOf(finding.ruleId, finding.severity));
      }
      if (isParentKind(r)) {
        kinds[i] = SLOT.auditedParent;
        resources.push(r);
      } else kinds[i] = SLOT.audited;
    }
    jsonEnds[i] = json.length;
    codeEnds[i] = codeList.length;
  }
  return {
    index: task.index,
    lines,
    count,
    hashes,
    kinds,
    lineOffsets: Float64Array.from(offsets),
    jsonEnds,
    json: json.bytes(),
    codeEnds,
    codes: Uint16Array.from(codeList),
    ruleIds,
    resources,
    problems,
  };
}
