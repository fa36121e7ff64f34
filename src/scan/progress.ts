import type { TextOut } from '../cli/deps.js';
import type { ScanProgress } from './runner.js';

export interface ProgressDisplay {
  /** Pass to LiveScanOptions.progress. */
  readonly update: (p: ScanProgress) => void;
  /** Clears the line; call once the scan ends (before anything else is written to stderr). */
  finish(): void;
}

const NONE: ProgressDisplay = { update: () => undefined, finish: () => undefined };

/**
 * One self-rewriting line on stderr — `scanning 3/6 account-regions · 1,234 resources · 0 errors` — only when stderr
 * is a terminal and not --quiet; otherwise nothing at all, so logs and CI output stay clean.
 */
export function createProgressDisplay(stderr: TextOut, options: { quiet?: boolean; intervalMs?: number; now?: () => number } = {}): ProgressDisplay {
  if (options.quiet || !stderr.isTTY) return NONE;
  const interval = options.intervalMs ?? 100;
  const now = options.now ?? Date.now;
  let last = -Infinity;
  let shown = false;

  const draw = (p: ScanProgress): void => {
    const n = (x: number) => x.toLocaleString('en-US');
    const total = p.slicesTotal > 0 ? n(p.slicesTotal) : '?';
    let line = `scanning ${n(p.slicesDone)}/${total} account-regions · ${n(p.resources)} resources · ${n(p.errors)} error${p.errors === 1 ? '' : 's'}`;
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
