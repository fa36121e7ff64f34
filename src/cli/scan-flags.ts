import { InvalidArgumentError, Option, type Command } from 'commander';
import type { OutputFormat } from '../report/sinks.js';
import type { FailOn } from '../audit/exit-code.js';
import { collecting } from './repeated-options.js';

// The choices are spelled out here rather than imported, so declaring the flags loads no report code (--help ≤ 150 ms).
const FORMATS: readonly OutputFormat[] = ['table', 'json', 'sarif'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'note', 'none'];
const SEVERITIES = ['error', 'warning', 'note'] as const;
/**
 * A SARIF category: what GitHub shows and groups uploads by; kept to characters that need no escaping anywhere, in
 * `/`-separated segments with none empty (`x/` and `x//y` would read as `x` and `x/y` to a person, not to GitHub).
 */
const SARIF_CATEGORY = /^(?=.{1,100}$)[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9._-]+)*$/;
const MIN_WIDTH = 40;

/**
 * Declares the flags `scan` and `fix` share (read back with scanOptionsFrom). Kept apart from scan-options.ts, which
 * the lazily loaded commands import, so that only start-up code imports commander and the CLI bundle can inline it.
 * `fix` prints a plan, not the audit table: it offers no SARIF on stdout and no --width.
 */
export function addScanOptions(cmd: Command, printsPlan = false): Command {
  const withWidth = (c: Command): Command =>
    printsPlan ? c : c.option('--width <columns>', `table width (default: the terminal's, ${MIN_WIDTH}–120; 100 when not a terminal)`, parseWidth);
  return withWidth(cmd
    .option('-d, --dictionary <file>', 'tagging dictionary (default: ./tagaudit.yaml, else the bundled dictionaries/anycompany.yaml)')
    .option(
      '-i, --inventory <file>',
      'audit this inventory file offline instead of scanning AWS (repeatable; - reads standard input): JSON Lines of resources, or the JSON of `aws resourcegroupstaggingapi get-resources`',
      collecting((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    )
    .option('--strict-inventory', 'stop at the first bad inventory line (exit 2) instead of skipping it (exit 3)')
    .addOption(new Option('-f, --format <format>', 'report format on stdout').choices(printsPlan ? FORMATS.filter((f) => f !== 'sarif') : FORMATS).default('table'))
    .option('--output-json <file>', `also write the JSON report to this file (a file: - is not stdout${printsPlan ? '' : '; --format json prints the report there'})`)
    .option('--output-sarif <file>', `also write a SARIF 2.1.0 log to this file (a file: - is not stdout${printsPlan ? '' : '; --format sarif prints it there'})`)
    .option(
      '--sarif-category <name>',
      'SARIF category (automationDetails.id tagaudit/<name>/) instead of the one derived from the scan scope: give each nightly job its own, fixed one',
      parseSarifCategory,
    )
    .addOption(new Option('--sarif-min-severity <severity>', 'only findings at or above this severity go into the SARIF (the JSON report keeps all)').choices(SEVERITIES))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(FAIL_ON).default('error'))
    .option('--no-color', 'no colors in the table (also: NO_COLOR=1; off anyway when stdout is not a terminal, unless FORCE_COLOR is set)'))
    .option('-q, --quiet', 'print no report on stdout and no notes on stderr (errors, and the journal path of fix --apply, still show; --output-* files are still written)');
}

function parseSarifCategory(value: string): string {
  if (!SARIF_CATEGORY.test(value))
    throw new InvalidArgumentError('expected 1 to 100 letters, digits and . _ / - (starting with a letter or digit; no empty segment or trailing /)');
  return value;
}

function parseWidth(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < MIN_WIDTH || n > 1000) throw new InvalidArgumentError(`expected a whole number of columns from ${MIN_WIDTH} to 1000`);
  return n;
}
