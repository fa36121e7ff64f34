import type { Finding } from '../rules/types.js';
import type { Report } from './types.js';

/**
 * Where findings go while a scan runs. The JSON sink streams each finding out as it arrives (a 1 M-resource
 * inventory must not be held in memory); table and SARIF sinks buffer and render once at the end.
 */
export interface ReportSink {
  add(finding: Finding): void;
  /** `report.findings` is empty here: the sink already saw every finding through add(). */
  finish(report: Report): Promise<void>;
}

/** A destination for text chunks: stdout or a file. close() resolves once everything is flushed. */
export interface ChunkWriter {
  write(chunk: string): void;
  close(): Promise<void>;
}
