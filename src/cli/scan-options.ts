import { UsageError } from '../errors.js';
import type { SarifOptions } from '../report/sarif.js';
import type { OutputFormat } from '../report/sinks.js';
import type { FailOn } from '../audit/exit-code.js';
import type { Severity } from '../rules/types.js';
import type { CliDeps, TextOut } from './deps.js';
import { fileFlag } from './file-flags.js';

/** What `scan` and `fix` share: where resources and the dictionary come from, and how results are reported. */
export interface ScanOptions {
  readonly dictionary?: string;
  /** Inventory files in the order given; empty means a live scan. */
  readonly inventories: readonly string[];
  readonly strictInventory: boolean;
  readonly format: OutputFormat;
  readonly outputJson?: string;
  readonly outputSarif?: string;
  /** --sarif-category: replaces the category derived from the scope. */
  readonly sarifCategory?: string;
  /** --sarif-min-severity: the least severe findings the SARIF keeps. */
  readonly sarifMinSeverity?: Severity;
  readonly failOn: FailOn;
  /** false with --no-color (NO_COLOR and non-TTY stdout are applied later, with the stream at hand). */
  readonly colorFlag: boolean;
  /** --width, when given. */
  readonly width?: number;
  readonly quiet: boolean;
  /** scan --allow-empty: inventories that hold no resource at all make a complete run (otherwise an incomplete one, exit 3). */
  readonly allowEmpty?: boolean;
  /** --threads: worker threads auditing JSON Lines inventories, or 'auto' (the default; undefined: none). */
  readonly threads?: number | 'auto';
}

/**
 * Reads the flags addScanOptions (scan-flags.ts) declares back into ScanOptions, rejecting what commander cannot
 * express. `printsPlan`: for fix, as given to addScanOptions (its stdout has the plan, not the report).
 */
export function scanOptionsFrom(raw: Readonly<Record<string, unknown>>, printsPlan = false): ScanOptions {
  const inventories = (raw.inventory as string[] | undefined) ?? [];
  for (const p of inventories) if (p.trim() === '') throw new UsageError('--inventory needs a file name');
  // Read twice, standard input is empty the second time: say so before reading anything.
  if (inventories.filter((p) => p === '-').length > 1) throw new UsageError('--inventory -: standard input can be read only once');
  const stdout = 'standard output';
  const outputJson = fileFlag('--output-json', raw.outputJson, printsPlan ? { stream: stdout } : { stream: stdout, hint: '--format json prints the report there' });
  const outputSarif = fileFlag('--output-sarif', raw.outputSarif, printsPlan ? { stream: stdout } : { stream: stdout, hint: '--format sarif prints the SARIF log there' });
  if (raw.strictInventory && inventories.length === 0) throw new UsageError('--strict-inventory applies to --inventory files; none given');
  return {
    dictionary: raw.dictionary as string | undefined,
    inventories,
    strictInventory: Boolean(raw.strictInventory),
    format: raw.format as OutputFormat,
    outputJson,
    outputSarif,
    ...(raw.sarifCategory !== undefined ? { sarifCategory: raw.sarifCategory as string } : {}),
    ...(raw.sarifMinSeverity !== undefined ? { sarifMinSeverity: raw.sarifMinSeverity as Severity } : {}),
    failOn: raw.failOn as FailOn,
    colorFlag: raw.color !== false,
    width: raw.width as number | undefined,
    quiet: Boolean(raw.quiet),
    threads: raw.threads as number | 'auto' | undefined,
  };
}

/** --sarif-category and --sarif-min-severity, for the SARIF sink. */
export function sarifOptions(options: ScanOptions): SarifOptions {
  return {
    ...(options.sarifCategory !== undefined ? { category: options.sarifCategory } : {}),
    ...(options.sarifMinSeverity !== undefined ? { minSeverity: options.sarifMinSeverity } : {}),
  };
}

/** stdout as the report sees it: silent under --quiet. */
export function reportOut(options: ScanOptions, deps: CliDeps): TextOut {
  return options.quiet ? { write: () => true, isTTY: deps.stdout.isTTY, columns: deps.stdout.columns } : deps.stdout;
}

/** stderr for notes (bundled dictionary, duplicates, …): silent under --quiet. Errors always use deps.stderr. */
export function notesOut(options: ScanOptions, deps: CliDeps): TextOut {
  return options.quiet ? { write: () => true } : deps.stderr;
}

/** -q prints no report: with --format json|sarif and no output file, the run would write nothing at all (an empty artifact in CI). */
export function refuseQuietFormat(options: ScanOptions): void {
  if (!options.quiet || options.format === 'table' || options.outputJson !== undefined || options.outputSarif !== undefined) return;
  throw new UsageError(`-q prints no report, so --format ${options.format} writes nothing: add --output-${options.format} FILE to write it to a file, or drop -q`);
}

/** fix's dry run with -q --format json prints no plan and saves none: it would write nothing at all. */
export function refuseQuietPlan(options: ScanOptions, planOut: string | undefined, apply: boolean): void {
  if (!options.quiet || options.format === 'table' || apply || planOut !== undefined || options.outputJson !== undefined || options.outputSarif !== undefined) return;
  throw new UsageError('-q prints no plan, so --format json writes nothing: add --plan-out FILE to save the plan, or drop -q');
}
