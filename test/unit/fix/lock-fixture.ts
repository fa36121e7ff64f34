import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { expect } from 'vitest';
import type { LockHolder } from '../../../src/fix/journal-lock.js';
import { processStartTime, thisHost } from '../../../src/fix/process-identity.js';

/** When the lock files these tests write say their run started. */
export const STARTED = '2024-06-01T11:59:00.000Z';

/**
 * A lock file's text as a run of this host writes it (its boot and pid namespace where /proc tells them, and the real
 * start time of `pid`), changed by `extra`; a lock of another host when `host` names one.
 */
export function holderText(pid: number, command: string, o: { host?: string; extra?: Partial<LockHolder> } = {}): string {
  const host = o.host ?? hostname();
  const { bootId, pidNamespace } = host === hostname() ? thisHost() : {};
  const pidStart = host === hostname() ? processStartTime(pid) : undefined;
  const holder = {
    pid,
    hostname: host,
    startedAt: STARTED,
    command,
    ...(bootId !== undefined ? { bootId } : {}),
    ...(pidNamespace !== undefined ? { pidNamespace } : {}),
    ...(pidStart !== undefined ? { pidStart } : {}),
    ...o.extra,
  };
  return `${JSON.stringify(holder)}\n`;
}

/** A pid that ran on this host and no longer runs: a child that has exited (and been reaped). */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  expect(child.status).toBe(0);
  return child.pid!;
}
