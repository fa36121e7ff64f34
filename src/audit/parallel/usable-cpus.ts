import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Reads a small system file, or undefined when it is not there. */
export type ReadSystemFile = (path: string) => string | undefined;

const readIfThere: ReadSystemFile = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * CPUs this process can keep busy: os.availableParallelism() (the CPUs it may run on), capped by the CPU quotas of
 * its cgroups, which Node 20's count ignores: a pod limited to 1 CPU on a 16-core node would otherwise start 16
 * workers. A quota of 1.5 CPUs counts as 1, as libuv and Rust count it.
 */
export function usableCpus(read: ReadSystemFile = readIfThere, cpus = availableParallelism()): number {
  const quota = cpuQuota(read);
  return quota === undefined ? cpus : Math.max(1, Math.min(cpus, Math.floor(quota)));
}

/**
 * The smallest CPU quota on the way from the cgroup root to the process's own cgroup, in CPUs, or undefined when none
 * is set. cgroup v2: `cpu.max` ("<quota> <period>", or "max <period>" for none); v1: `cpu.cfs_quota_us` (-1 for
 * none) and `cpu.cfs_period_us`, under the cpu controller's mount.
 */
function cpuQuota(read: ReadSystemFile): number | undefined {
  const own = ownCgroups(read('/proc/self/cgroup') ?? '');
  let smallest: number | undefined;
  const consider = (quota: number | undefined): void => {
    if (quota !== undefined && (smallest === undefined || quota < smallest)) smallest = quota;
  };
  for (const dir of lineage('/sys/fs/cgroup', own.v2)) {
    const max = read(`${dir}/cpu.max`)?.trim().split(/\s+/);
    if (max?.length === 2 && max[0] !== 'max') consider(ratio(max[0], max[1]));
  }
  for (const dir of lineage('/sys/fs/cgroup/cpu', own.v1)) {
    const quota = read(`${dir}/cpu.cfs_quota_us`)?.trim();
    if (quota !== undefined && !quota.startsWith('-')) consider(ratio(quota, read(`${dir}/cpu.cfs_period_us`)?.trim()));
  }
  return smallest;
}

/** The process's cgroup paths from /proc/self/cgroup: the v2 one (`0::/path`) and the v1 cpu controller's. */
function ownCgroups(text: string): { v2?: string; v1?: string } {
  const out: { v2?: string; v1?: string } = {};
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1).trim(); // may itself hold ':'
    if (line.slice(0, first) === '0' && controllers === '') out.v2 = path;
    else if (controllers.split(',').includes('cpu')) out.v1 = path;
  }
  return out;
}

/** `root` and every folder under it down to root + `path` (just `root` when the path is unknown). */
function lineage(root: string, path: string | undefined): string[] {
  const dirs = [root];
  let dir = root;
  for (const part of (path ?? '').split('/')) {
    if (part === '' || part === '.' || part === '..') continue;
    dir = `${dir}/${part}`;
    dirs.push(dir);
  }
  return dirs;
}

function ratio(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  return Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0 ? q / p : undefined;
}
