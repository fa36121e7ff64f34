import { InvalidArgumentError, Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import type { OutputFormat } from '../report/sinks.js';
import type { FailOn } from '../audit/exit-code.js';
import type { CliDeps, TextOut } from './deps.js';

// The choices are spelled out here rather than imported, so declaring the flags loads no report code (--help ≤ 150 ms).
const FORMATS: readonly OutputFormat[] = ['table', 'json', 'sarif'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'note', 'none'];
const MIN_WIDTH = 40;

/** What `scan` and `fix` share: where resources and the dictionary come from, and how results are reported. */
export interface ScanOptions {
  readonly dictionary?: string;
  /** Inventory files in the order given; empty means a live scan. */
  readonly inventories: readonly string[];
  readonly strictInventory: boolean;
  readonly format: OutputFormat;
  readonly outputJson?: string;
  readonly outputSarif?: string;
  readonly failOn: FailOn;
  /** false with --no-color (NO_COLOR and non-TTY stdout are applied later, with the stream at hand). */
  readonly colorFlag: boolean;
  /** --width, when given. */
  readonly width?: number;
  readonly quiet: boolean;
}

/** Declares the shared flags on a command. */
export function addScanOptions(cmd: Command): Command {
  return cmd
    .option('-d, --dictionary <file>', 'tagging dictionary (default: ./tagaudit.yaml, else the bundled dictionaries/anycompany.yaml)')
    .option(
      '-i, --inventory <file>',
      'audit this inventory file offline instead of scanning AWS (repeatable): JSON Lines of resources, or the JSON of `aws resourcegroupstaggingapi get-resources`',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--strict-inventory', 'stop at the first bad inventory line (exit 2) instead of skipping it (exit 3)')
    .addOption(new Option('-f, --format <format>', 'report format on stdout').choices(FORMATS).default('table'))
    .option('--output-json <file>', 'also write the JSON report to this file')
    .option('--output-sarif <file>', 'also write a SARIF 2.1.0 log to this file')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(FAIL_ON).default('error'))
    .option('--no-color', 'no colors in the table (also: NO_COLOR=1; off anyway when stdout is not a terminal)')
    .option('--width <columns>', `table width (default: the terminal's, ${MIN_WIDTH}–120; 100 when not a terminal)`, parseWidth)
    .option('-q, --quiet', 'print no report on stdout and no notes on stderr (errors still show; --output-* files are still written)');
}

/** Reads the parsed flags back into ScanOptions, rejecting combinations commander cannot express. */
export function scanOptionsFrom(raw: Readonly<Record<string, unknown>>): ScanOptions {
  const inventories = (raw.inventory as string[] | undefined) ?? [];
  const outputJson = raw.outputJson as string | undefined;
  const outputSarif = raw.outputSarif as string | undefined;
  for (const p of inventories) if (p.trim() === '') throw new UsageError('--inventory needs a file name');
  if (raw.strictInventory && inventories.length === 0) throw new UsageError('--strict-inventory applies to --inventory files; none given');
  return {
    dictionary: raw.dictionary as string | undefined,
    inventories,
    strictInventory: Boolean(raw.strictInventory),
    format: raw.format as OutputFormat,
    outputJson,
    outputSarif,
    failOn: raw.failOn as FailOn,
    colorFlag: raw.color !== false,
    width: raw.width as number | undefined,
    quiet: Boolean(raw.quiet),
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

function parseWidth(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < MIN_WIDTH || n > 1000) throw new InvalidArgumentError(`expected a whole number of columns from ${MIN_WIDTH} to 1000`);
  return n;
}
