import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { TextOut } from '../cli/deps.js';
import { arnMasker } from '../pii/arn-mask.js';
import { DEFAULT_PII_POLICY, type PiiPolicy } from '../pii/policy.js';
import type { Finding } from '../rules/types.js';
import { PACKAGE_ROOT } from '../version.js';
import { displayPath, maskNameText } from './display-path.js';
import { createJsonSink } from './json.js';
import { createSarifSink, type SarifOptions } from './sarif.js';
import { discardOutput, type ChunkWriter, type ReportSink } from './sink.js';
import { createTableSink } from './table.js';
import type { Report } from './types.js';
import { fileWriter, stdoutWriter, teeWriter } from './writers.js';

export type OutputFormat = 'table' | 'json' | 'sarif';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'sarif'];

export interface SinkOptions {
  /** What goes to stdout. */
  readonly format: OutputFormat;
  /** Undefined: no report on stdout (--quiet), so none is built either. */
  readonly stdout: TextOut | undefined;
  /** Table colors (see terminalOptions). */
  readonly color: boolean;
  /** Table width in columns (see terminalOptions). */
  readonly width: number;
  /** Also write the JSON report to this file. */
  readonly outputJson?: string;
  /** Also write SARIF to this file. */
  readonly outputSarif?: string;
  /** SARIF category / severity floor overrides; informationUri defaults to package.json's homepage. */
  readonly sarif?: SarifOptions;
  /**
   * The dictionary's PII settings (policy.pii): every report masks e-mail addresses inside ARNs under them (none
   * with `enabled: false`, allowed ones shown). Default: the default settings.
   */
  readonly pii?: PiiPolicy;
}

/** Every sink of one scan behind one ReportSink: add() fans out, finish() finishes them all. */
export interface Sinks extends ReportSink {
  readonly sinks: readonly ReportSink[];
  /**
   * finish() runs every sink even when one fails (a SARIF over GitHub's limits must not cost the JSON report),
   * closes every output, then throws the first error; an output whose sink failed is not written (its file keeps
   * what it held before). close() releases outputs without finishing and writes no file: call it in a `finally` so
   * an aborted scan (exit 2) leaves the previous reports as they were; it is a no-op after finish().
   */
  close(): Promise<void>;
}

/**
 * Opens every output up front, so a bad `--output-json` / `--output-sarif` path is a UsageError (exit 2) before
 * the scan starts.
 */
export function createSinks(options: SinkOptions): Sinks {
  const files = [options.outputJson, options.outputSarif].filter((p): p is string => p !== undefined);
  if (files.some((p) => p.trim() === '')) throw new UsageError('an output file path is empty');
  if (files.length === 2 && resolve(files[0]!) === resolve(files[1]!) && !isDevNull(files[0]!)) {
    throw new UsageError('--output-json and --output-sarif name the same file', displayPath(files[0]!));
  }
  if (options.sarif?.category !== undefined) refusePiiCategory(options.sarif.category);

  const writers: ChunkWriter[] = [];
  const open = (make: () => ChunkWriter): ChunkWriter => {
    const w = make();
    writers.push(w);
    return w;
  };
  const arnMask = arnMasker(options.pii ?? DEFAULT_PII_POLICY);
  const sarifOptions: SarifOptions = { informationUri: packageHomepage(), ...options.sarif, arnMask };
  const sinks: ReportSink[] = [];
  try {
    const stdout = options.stdout === undefined ? undefined : open(() => stdoutWriter(options.stdout!));
    if (!stdout) {
      if (options.outputJson !== undefined) sinks.push(createJsonSink(open(() => fileWriter(options.outputJson!)), arnMask));
    } else if (options.format === 'json' && options.outputJson !== undefined) {
      // The same JSON report twice: one sink serializes each finding once and writes it to both places.
      const file = open(() => fileWriter(options.outputJson!));
      const both = teeWriter([stdout, file]);
      // First in the list: closing it flushes what it gathered into both before they close.
      writers.unshift(both);
      sinks.push(createJsonSink(both, arnMask));
    } else {
      sinks.push(
        options.format === 'json'
          ? createJsonSink(stdout, arnMask)
          : options.format === 'sarif'
            ? createSarifSink(stdout, sarifOptions)
            : createTableSink(stdout, { color: options.color, width: options.width, arnMask }),
      );
      if (options.outputJson !== undefined) sinks.push(createJsonSink(open(() => fileWriter(options.outputJson!)), arnMask));
    }
    if (options.outputSarif !== undefined) sinks.push(createSarifSink(open(() => fileWriter(options.outputSarif!)), sarifOptions));
  } catch (err) {
    void Promise.allSettled(writers.map((w) => discardOutput(w)));
    throw err;
  }

  const settle = async (each: (w: ChunkWriter) => Promise<void>): Promise<void> => {
    const results = await Promise.allSettled(writers.map(each));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };

  const encoded = sinks.every((s) => s.addEncoded !== undefined);
  return {
    sinks,
    add(finding: Finding) {
      for (const sink of sinks) sink.add(finding);
    },
    ...(encoded
      ? {
          addEncoded(bytes: Uint8Array, findings: number) {
            for (const sink of sinks) sink.addEncoded!(bytes, findings);
          },
        }
      : {}),
    async finish(report: Report) {
      const failures: unknown[] = [];
      for (const sink of sinks) {
        try {
          await sink.finish(report);
        } catch (err) {
          failures.push(err);
        }
      }
      try {
        await settle((w) => w.close());
      } catch (err) {
        failures.push(err);
      }
      if (failures.length > 0) throw failures[0];
    },
    close: () => settle(discardOutput),
  };
}

export interface TerminalOptions {
  readonly color: boolean;
  readonly width: number;
}

/**
 * Table colors and width for a stream. Colors: off with `--no-color` (flag false) or a non-empty NO_COLOR
 * (no-color.org); on with FORCE_COLOR (other than '0'/'false'); otherwise only on a TTY that is not TERM=dumb.
 * Width: the terminal's columns clamped to 40..120 (longer lines read badly); 100 when not a terminal.
 */
export function terminalOptions(
  out: TextOut,
  env: Readonly<Record<string, string | undefined>>,
  colorFlag?: boolean,
): TerminalOptions {
  let color: boolean;
  if (colorFlag === false || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) color = false;
  else if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') color = true;
  else color = Boolean(out.isTTY) && env.TERM !== 'dumb';
  const columns = out.isTTY && out.columns ? out.columns : 100;
  return { color, width: Math.min(120, Math.max(40, columns)) };
}

/**
 * --sarif-category goes verbatim into automationDetails.id, which GitHub shows beside every alert to every reader of
 * the repository: a category holding personal data (an SSN, a card or phone number) is refused, quoted masked.
 * Checked here, where both scan and fix open their reports, rather than with the other flags: those are parsed at
 * start-up, before the PII detectors are loaded.
 */
function refusePiiCategory(category: string): void {
  const masked = maskNameText(category);
  if (masked === category) return;
  throw new UsageError(
    `--sarif-category: ${JSON.stringify(masked)} holds personal data, and GitHub shows the category with every alert; name the job or the scope instead (e.g. nightly-ml-prod)`,
  );
}

function isDevNull(path: string): boolean {
  return resolve(path) === '/dev/null';
}

let homepage: string | null | undefined;

/** package.json's "homepage", for SARIF's tool.driver.informationUri; undefined until the package declares one. */
function packageHomepage(): string | undefined {
  if (homepage === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as { homepage?: unknown };
      homepage = typeof pkg.homepage === 'string' && pkg.homepage ? pkg.homepage : null;
    } catch {
      homepage = null;
    }
  }
  return homepage ?? undefined;
}
