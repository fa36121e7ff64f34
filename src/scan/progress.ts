import type { TextOut } from '../cli/deps.js';
import type { ScanProgress } from './runner.js';

export interface ProgressDisplay {
  /** Pass to LiveScanOptions.progress. */
  readonly update: (p: ScanProgress) => void;
  /** Clears the line; call once the scan ends (before anything else is written to stderr). */
  finish(): void;
}

const NONE: ProgressDisplay = { update: () => undefined, finish: () => undefined };

/** Off a terminal, one plain progress line at most this often: CI systems kill a job silent for 10 minutes. */
const LOG_INTERVAL_MS = 60_000;

function progressText(p: ScanProgress): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const total = p.slicesTotal > 0 ? n(p.slicesTotal) : '?';
  return `scanning ${n(p.slicesDone)}/${total} account-regions and IAM passes · ${n(p.resources)} resources · ${n(p.errors)} error${p.errors === 1 ? '' : 's'}`;
}

/**
 * One self-rewriting line on stderr — `scanning 3/6 account-regions and IAM passes · 1,234 resources · 0 errors` — when stderr is
 * a terminal. Off a terminal (CI logs), a plain `tagaudit: scanning …` line once a minute, the first after a minute,
 * so short scans print nothing. Nothing with --quiet.
 */
export function createProgressDisplay(stderr: TextOut, options: { quiet?: boolean; intervalMs?: number; now?: () => number } = {}): ProgressDisplay {
  if (options.quiet) return NONE;
  const now = options.now ?? Date.now;
  if (!stderr.isTTY) {
    let due = now() + (options.intervalMs ?? LOG_INTERVAL_MS);
    return {
      update(p) {
        const t = now();
        if (t < due) return;
        due = t + (options.intervalMs ?? LOG_INTERVAL_MS);
        stderr.write(`tagaudit: ${progressText(p)}\n`);
      },
      finish: () => undefined,
    };
  }
  const interval = options.intervalMs ?? 100;
  let last = -Infinity;
  let shown = false;

  const draw = (p: ScanProgress): void => {
    let line = progressText(p);
    const width = stderr.columns && stderr.columns > 10 ? stderr.columns - 1 : 200;
    if (line.length > width) line = line.slice(0, width);
    stderr.write(`\r\x1b[2K${line}`);
    shown = true;
  };

  return {
    update(p) {
      const t = now();
      // Redraw at most every `interval` ms, but always when a slice finishes.
      if (t - last < interval && p.slicesDone !== p.slicesTotal) return;
      last = t;
      draw(p);
    },
    finish() {
      if (shown) stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
