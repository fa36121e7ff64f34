import type { TextOut } from './deps.js';
import type { ScanOptions } from './scan-options.js';

/**
 * Notes on stderr (none under -q) for flags that were given but change nothing in this run: a nightly job whose
 * --sarif-category goes nowhere, because it writes no SARIF, should hear of it once, not find out from GitHub.
 * Not errors: the run is what it would be without them. `printsPlan`: for fix (no SARIF on stdout, no --width).
 */
export function noteIdleFlags(options: ScanOptions, notes: TextOut, printsPlan = false): void {
  for (const note of idleFlagNotes(options, printsPlan)) notes.write(`tagaudit: ${note}\n`);
}

export function idleFlagNotes(options: ScanOptions, printsPlan = false): string[] {
  const out: string[] = [];
  const sarifFlags = [
    ...(options.sarifCategory !== undefined ? ['--sarif-category'] : []),
    ...(options.sarifMinSeverity !== undefined ? ['--sarif-min-severity'] : []),
  ];
  if (sarifFlags.length > 0 && options.outputSarif === undefined && options.format !== 'sarif') {
    const has = sarifFlags.length > 1 ? 'have' : 'has';
    out.push(`${sarifFlags.join(' and ')} ${has} no effect without SARIF output (${printsPlan ? '--output-sarif' : '--output-sarif or --format sarif'})`);
  }
  if (options.width !== undefined && options.format !== 'table') out.push(`--width has no effect with --format ${options.format} (it sets the table's width)`);
  if (options.inventories.length === 0 && typeof options.threads === 'number' && options.threads > 1)
    out.push('--threads applies to --inventory files; a live scan runs on one thread');
  return out;
}
