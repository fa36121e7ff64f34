import type { TextOut } from '../cli/deps.js';
import type { ScanProgress } from './runner.js';

export interface ProgressDisplay {
  /** Pass to LiveScanOptions.progress. */
  readonly update: (p: ScanProgress) => void;
  /** Clears the line; call once the scan ends (before anything else is written to stderr). */
  finish(): void;
}

export interface ProgressOptions {
  readonly quiet?: boolean;
  /** On a terminal: the least time between redraws (default 100 ms). Off one: the time between lines (default 1 min). */
  readonly intervalMs?: number;
  readonly now?: () => number;
  /** Where a terminal's line listens for Ctrl-C / SIGTERM (default: the process); tests pass an emitter. */
  readonly signals?: SignalSource;
}

/** What the display needs of `process` to hear an interruption. */
export interface SignalSource {
  once(signal: NodeJS.Signals, listener: () => void): unknown;
  removeListener(signal: NodeJS.Signals, listener: () => void): unknown;
  listenerCount(signal: NodeJS.Signals): number;
  kill(pid: number, signal: NodeJS.Signals): unknown;
  readonly pid: number;
}

const NONE: ProgressDisplay = { update: () => undefined, finish: () => undefined };

/** Off a terminal, one plain progress line this often: CI systems kill a job silent for 10 minutes. */
const LOG_INTERVAL_MS = 60_000;
/** Units named in a plain line; the rest are counted. */
const RUNNING_SHOWN = 3;
const INTERRUPTS = ['SIGINT', 'SIGTERM'] as const;

function counts(p: ScanProgress): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const total = p.slicesTotal > 0 ? n(p.slicesTotal) : '?';
  const units = p.iamPasses ? 'account-regions and IAM passes' : 'account-regions';
  return `${n(p.slicesDone)}/${total} ${units} · ${n(p.resources)} resources · ${n(p.errors)} error${p.errors === 1 ? '' : 's'}`;
}

function progressText(p: ScanProgress): string {
  return `scanning ${counts(p)}`;
}

/** `· running 123456789012/eu-west-1, 123456789012/iam (+4 more)`: where a stalled scan is stuck. */
function runningText(p: ScanProgress): string {
  const running = p.running ?? [];
  if (running.length === 0) return '';
  const more = running.length - RUNNING_SHOWN;
  return ` · running ${running.slice(0, RUNNING_SHOWN).join(', ')}${more > 0 ? ` (+${more} more)` : ''}`;
}

/**
 * One self-rewriting line on stderr — `scanning 3/6 account-regions · 1,234 resources · 0 errors` — when stderr is a
 * terminal; interrupted (Ctrl-C, SIGTERM) while it shows, it is ended with one `tagaudit: interrupted; …` line. Off
 * a terminal (CI logs), a plain `tagaudit: scanning …` line once a minute whether anything changed or not, naming the
 * account-regions still running, the first after a minute, so short scans print nothing. Nothing with --quiet.
 */
export function createProgressDisplay(stderr: TextOut, options: ProgressOptions = {}): ProgressDisplay {
  if (options.quiet) return NONE;
  return stderr.isTTY ? terminalLine(stderr, options) : plainLines(stderr, options.intervalMs ?? LOG_INTERVAL_MS);
}

function plainLines(stderr: TextOut, intervalMs: number): ProgressDisplay {
  let latest: ScanProgress | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    update(p) {
      latest = p;
      // A timer, not the updates: a scan stuck on a silent endpoint sends none, and is when the line matters most.
      timer ??= setInterval(() => {
        if (latest) stderr.write(`tagaudit: ${progressText(latest)}${runningText(latest)}\n`);
      }, intervalMs);
      // Never what keeps the process alive.
      timer.unref?.();
    },
    finish() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

function terminalLine(stderr: TextOut, options: ProgressOptions): ProgressDisplay {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 100;
  const signals: SignalSource = options.signals ?? process;
  let last = -Infinity;
  let shown = false;
  let latest: ScanProgress | undefined;

  const onSignal = (signal: NodeJS.Signals) => (): void => {
    release();
    if (shown && latest) stderr.write(`\r\x1b[2Ktagaudit: interrupted; stopped at ${counts(latest)}; no report written\n`);
    shown = false;
    // Then die of the signal (128 + its number) as if nobody had listened, unless another listener (the removal of
    // unfinished report files) is still to run and does so itself.
    if (signals.listenerCount(signal) === 0) signals.kill(signals.pid, signal);
  };
  const listeners = new Map(INTERRUPTS.map((s) => [s, onSignal(s)]));
  let listening = false;
  const listen = (): void => {
    if (listening) return;
    listening = true;
    for (const [s, l] of listeners) signals.once(s, l);
  };
  const release = (): void => {
    if (!listening) return;
    listening = false;
    for (const [s, l] of listeners) signals.removeListener(s, l);
  };

  const draw = (p: ScanProgress): void => {
    let line = progressText(p);
    const width = stderr.columns && stderr.columns > 10 ? stderr.columns - 1 : 200;
    if (line.length > width) line = line.slice(0, width);
    stderr.write(`\r\x1b[2K${line}`);
    shown = true;
    listen();
  };

  return {
    update(p) {
      latest = p;
      const t = now();
      // Redraw at most every `interval` ms, but always when a slice finishes.
      if (t - last < interval && p.slicesDone !== p.slicesTotal) return;
      last = t;
      draw(p);
    },
    finish() {
      release();
      if (shown) stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
