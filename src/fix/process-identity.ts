import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * What tells one running process from another beyond its pid, for judging whether the holder of a journal's lock
 * still runs. A hostname alone does not say "same pid space": containers with host networking share the host's name
 * but not its pids, and containers with a fixed hostname all have a pid 1. On Linux the boot id and the pid namespace
 * do; where /proc cannot tell (macOS), both are absent and the hostname is all there is.
 */
export interface HostIdentity {
  readonly hostname: string;
  /** /proc/sys/kernel/random/boot_id: changes at every boot. */
  readonly bootId?: string;
  /** The target of /proc/self/ns/pid, e.g. `pid:[4026531836]`: one per pid namespace. */
  readonly pidNamespace?: string;
}

function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

export function thisHost(): HostIdentity {
  const bootId = attempt(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  const pidNamespace = attempt(() => readlinkSync('/proc/self/ns/pid'));
  return { hostname: hostname(), ...(bootId ? { bootId } : {}), ...(pidNamespace ? { pidNamespace } : {}) };
}

/**
 * When a process of this pid namespace started (clock ticks since boot: field 22 of /proc/<pid>/stat), or undefined
 * where that cannot be read (no such process, no /proc). A pid reused by a later process has another start time.
 */
export function processStartTime(pid: number): number | undefined {
  const text = attempt(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (text === undefined) return undefined;
  // Field 2 is the command name in parentheses and may itself hold spaces and parentheses: count from the last ')'.
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 1).trim().split(/\s+/);
  // fields[0] is field 3 (the state), so field 22 is fields[19].
  const start = Number(fields[19]);
  return Number.isSafeInteger(start) && start >= 0 ? start : undefined;
}
