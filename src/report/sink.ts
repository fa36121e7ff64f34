import type { Finding } from '../rules/types.js';
import type { Report } from './types.js';

/**
 * Where findings go while a scan runs. The JSON sink streams each finding out as it arrives (a 1 M-resource
 * inventory must not be held in memory); table and SARIF sinks buffer and render once at the end.
 */
export interface ReportSink {
  add(finding: Finding): void;
  /**
   * Findings already serialized elsewhere (a worker thread), as UTF-8: each finding's JSON preceded by
   * FINDING_SEPARATOR. Only the JSON sink has it; a run uses worker threads only when every sink does.
   */
  addEncoded?(bytes: Uint8Array, findings: number): void;
  /** `report.findings` is empty here: the sink already saw every finding through add(). */
  finish(report: Report): Promise<void>;
}

/**
 * A destination for text chunks: stdout or a file. close() resolves once everything is flushed (and a file is in
 * place); discard(), for a report that failed, drops what a file would have received and keeps the old file.
 */
export interface ChunkWriter {
  write(chunk: string): void;
  /**
   * Already-encoded UTF-8 text (writers that do not take bytes get it decoded). The bytes are the writer's only
   * during the call: it copies or writes them before returning, since the caller reuses the memory.
   */
  writeBytes?(bytes: Uint8Array): void;
  close(): Promise<void>;
  discard?(): Promise<void>;
}

/** discard() where the writer has it; close() for one that cannot take back what it wrote (stdout). */
export function discardOutput(w: ChunkWriter): Promise<void> {
  return w.discard ? w.discard() : w.close();
}
