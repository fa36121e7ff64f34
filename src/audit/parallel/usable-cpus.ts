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
 * CPUs this process can keep busy: os.availableParallelism() (the CPUs it may run on), capped by a container's CPU
 * quota, which Node 20's count ignores: a pod limited to 1 CPU on a 16-core node would otherwise start 16 workers.
 * cgroup v2 (`cpu.max`: "<quota> <period>" or "max <period>") and v1 (`cpu.cfs_quota_us`, -1 for none) are read, both
 * at the root a container sees and under the process's own cgroup path.
 */
export function usableCpus(read: ReadSystemFile = readIfThere, cpus = availableParallelism()): number {
  const quota = cpuQuota(read);
  return quota === undefined ? cpus : Math.max(1, Math.min(cpus, Math.ceil(quota)));
}

function cpuQuota(read: ReadSystemFile): number | undefined {
  const ownPaths = (read('/proc/self/cgroup') ?? '').split('\n');
  const v2Path = ownPaths.find((l) => l.startsWith('0::'))?.slice(3).trim();
  const v1Path = ownPaths
    .map((l) => l.split(':'))
    .find((parts) => parts.length >= 3 && parts[1]!.split(',').includes('cpu'))?.[2]
    ?.trim();
  for (const dir of unique(['/sys/fs/cgroup', v2Path ? `/sys/fs/cgroup${v2Path}` : undefined])) {
    const max = read(`${dir}/cpu.max`)?.trim().split(/\s+/);
    if (max && max.length === 2) return max[0] === 'max' ? undefined : ratio(max[0], max[1]);
  }
  for (const dir of unique(['/sys/fs/cgroup/cpu', v1Path ? `/sys/fs/cgroup/cpu${v1Path}` : undefined])) {
    const quota = read(`${dir}/cpu.cfs_quota_us`)?.trim();
    if (quota !== undefined) return quota.startsWith('-') ? undefined : ratio(quota, read(`${dir}/cpu.cfs_period_us`)?.trim());
  }
  return undefined;
}

function ratio(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  return Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0 ? q / p : undefined;
}

function unique(dirs: readonly (string | undefined)[]): string[] {
  return [...new Set(dirs.filter((d): d is string => d !== undefined && !d.endsWith('/')))];
}
