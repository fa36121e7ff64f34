import { statSync } from 'node:fs';
import { badLineError, parseInventoryLine, recordedGapError } from '../../inventory/read-inventory.js';
import type { Resource } from '../../inventory/resource.js';
import type { ReportSink } from '../../report/sink.js';
import type { ScanError } from '../../report/types.js';
import { SEVERITIES } from '../../rules/types.js';
import { AuditFlow, type AuditorLike } from '../audit-flow.js';
import type { AuditOutcome } from '../pipeline.js';
import { planRanges, type ByteRange } from './range-plan.js';
import type { RangePool } from './range-pool.js';
import { SLOT, SUPPRESSED, type RangeResult } from './range-result.js';
import { LineRereader } from './reread-line.js';

const NOTHING = (): void => undefined;
/** A JSON Lines resource with ~10 tags takes 300–600 bytes; a low guess only makes the dedupe table grow once more. */
const BYTES_PER_RESOURCE_GUESS = 600;

export interface ParallelAuditOptions {
  /** JSON Lines inventories, read in this order; `display` is how messages name each. */
  readonly files: readonly { readonly path: string; readonly display: string }[];
  readonly pool: RangePool;
  /** The auditor of this thread, for children (resources naming parents), which need every parent seen so far. */
  readonly auditor: AuditorLike;
  /** Must take pre-serialized findings (addEncoded): the JSON sink. */
  readonly sink: ReportSink;
  readonly onError: (error: ScanError) => void;
  readonly maxDeferred: number;
  /** Bytes per range (default: about 8 ranges per worker, between 16 KiB and 4 MiB). */
  readonly rangeBytes?: number;
}

/**
 * The worker-thread audit of JSON Lines inventories, with the same report as runAudit: workers read, audit and
 * serialize ranges of the files; this thread replays their results in input order through AuditFlow (first ARN
 * wins, parents, deferred children, summary), writing the workers' bytes as they are and auditing the children.
 */
export async function runParallelAudit(options: ParallelAuditOptions): Promise<AuditOutcome> {
  const { pool, sink } = options;
  const addEncoded = sink.addEncoded?.bind(sink);
  if (!addEncoded) throw new Error('internal error: the parallel audit needs a sink that takes serialized findings');

  const sizes = options.files.map((f) => statSync(f.path).size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const rangeBytes = options.rangeBytes ?? Math.min(4 << 20, Math.max(16 << 10, Math.ceil(total / (pool.size * 8))));
  const ranges: { range: ByteRange; display: string; file: number }[] = [];
  options.files.forEach((f, i) => {
    for (const range of planRanges(f.path, sizes[i]!, rangeBytes)) ranges.push({ range, display: f.display, file: i });
  });

  // Findings of consecutive worker-audited resources are written in one piece: [runStart, runEnd) of `runJson`.
  let runJson: Uint8Array | undefined;
  let runStart = 0;
  let runEnd = 0;
  let runFindings = 0;
  const flushRun = (): void => {
    if (runJson && runFindings > 0) addEncoded(runJson.subarray(runStart, runEnd), runFindings);
    runStart = runEnd;
    runFindings = 0;
  };
  const flow = new AuditFlow(
    options.auditor,
    (finding) => {
      flushRun();
      sink.add(finding);
    },
    options.maxDeferred,
    Math.floor(total / BYTES_PER_RESOURCE_GUESS),
  );

  // Results come back in any order; they are replayed in range order, with a bounded number in flight.
  const inFlight = new Map<number, Promise<RangeResult>>();
  // Each worker busy plus one result waiting: enough to keep them busy, few results held in memory.
  const window = pool.size + 1;
  let next = 0;
  const launch = (): void => {
    while (next < ranges.length && inFlight.size < window) {
      const index = next++;
      const promise = pool.run({ index, range: ranges[index]!.range, display: ranges[index]!.display });
      promise.catch(() => undefined); // awaited in order below; a rejection must not go unhandled meanwhile
      inFlight.set(index, promise);
    }
  };

  const rereader = new LineRereader();
  let linesBefore = 0;
  // By position in the list, not by path: the same file may be given twice, and its line numbers start again.
  let file = -1;
  try {
    for (let index = 0; index < ranges.length; index++) {
      launch();
      const result = await inFlight.get(index)!;
      inFlight.delete(index);
      const { range, display, file: fileIndex } = ranges[index]!;
      if (fileIndex !== file) {
        file = fileIndex;
        linesBefore = 0;
      }
      for (const p of result.problems) {
        const line = linesBefore + p.line;
        options.onError(p.kind === 'bad' ? badLineError(display, p.code, p.message, line, p.col) : recordedGapError(display, p.error, line));
      }
      replay(result, range.path, display);
      flushRun();
      runJson = undefined;
      if (result.json.buffer instanceof ArrayBuffer) pool.recycle(result.json.buffer);
      linesBefore += result.lines;
    }
    flow.finish();
  } finally {
    await Promise.allSettled(inFlight.values());
    rereader.close();
  }
  return { summary: flow.summary, duplicates: flow.duplicates, orphans: flow.orphans };

  function replay(result: RangeResult, file: string, display: string): void {
    const { hashes, kinds, jsonEnds, codeEnds, codes, ruleIds, childLines, childRefs, lineOffsets, parentLineHashes } = result;
    let parent = 0;
    runJson = result.json;
    runStart = runEnd = 0;
    runFindings = 0;
    let child = 0;
    // The resources of the child line parsed last (a get-resources page may hold several children).
    let parsedLine = -1;
    const parsed: Resource[] = [];
    for (let i = 0; i < result.count; i++) {
      const kind = kinds[i];
      if (kind === SLOT.child) {
        const line = childRefs[2 * child]!;
        const at = childRefs[2 * child + 1]!;
        child++;
        if (line !== parsedLine) {
          parsed.length = 0;
          parseInventoryLine(childLines[line]!, 0, parsed, NOTHING, NOTHING, 0);
          parsedLine = line;
        }
        flow.take(parsed[at]!);
        continue;
      }
      // The canonical ARN's hash: the resource's identity for duplicates, the hash of its parent key, and what finds it
      // again on its line.
      const h1 = hashes[2 * i]!;
      const h2 = hashes[2 * i + 1]!;
      // Counted before the duplicate check: the hashes are per parent-kind slot, duplicates included.
      const lineCheck = kind === SLOT.auditedParent ? parentLineHashes[parent++] : undefined;
      if (!flow.claimAudited(h1, h2)) continue;
      const codeStart = i === 0 ? 0 : codeEnds[i - 1]!;
      const codeEnd = codeEnds[i]!;
      let reported = 0;
      for (let c = codeStart; c < codeEnd; c++) {
        const code = codes[c]!;
        if ((code & 3) === SUPPRESSED) flow.summary.countSuppressed(code >>> 2);
        else {
          flow.summary.addCount(ruleIds[code >>> 2]!, SEVERITIES[code & 3]!);
          reported++;
        }
      }
      if (reported > 0) {
        const jsonStart = i === 0 ? 0 : jsonEnds[i - 1]!;
        if (runEnd !== jsonStart) flushRun();
        if (runFindings === 0) runStart = jsonStart;
        runEnd = jsonEnds[i]!;
        runFindings += reported;
      }
      const offset = lineOffsets[i]!;
      if (flow.mayWant(h1, h2)) flow.adoptAudited(rereader.resource(file, display, offset, h1, h2, lineCheck));
      else if (lineCheck !== undefined) flow.adoptLazyParent(h1, h2, () => rereader.resource(file, display, offset, h1, h2, lineCheck));
    }
  }
}
