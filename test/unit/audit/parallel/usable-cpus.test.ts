import { describe, expect, it } from 'vitest';
import { usableCpus } from '../../../../src/audit/parallel/usable-cpus.js';

const files = (entries: Record<string, string>) => (path: string) => entries[path];

describe('usableCpus', () => {
  it('is the CPU count where no quota is set or readable', () => {
    expect(usableCpus(files({}), 8)).toBe(8);
    expect(usableCpus(files({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' }), 8)).toBe(8);
    expect(usableCpus(files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' }), 8)).toBe(8);
    expect(usableCpus(files({ '/sys/fs/cgroup/cpu.max': 'garbage\n' }), 8)).toBe(8);
  });

  it("caps it by a cgroup v2 quota, rounded down, at the root or under the process's own cgroup", () => {
    expect(usableCpus(files({ '/sys/fs/cgroup/cpu.max': '100000 100000\n' }), 16)).toBe(1);
    expect(usableCpus(files({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' }), 16)).toBe(1);
    expect(usableCpus(files({ '/sys/fs/cgroup/cpu.max': '250000 100000\n' }), 16)).toBe(2);
    expect(usableCpus(files({ '/sys/fs/cgroup/cpu.max': '50000 100000\n' }), 16)).toBe(1);
    expect(usableCpus(files({ '/sys/fs/cgroup/cpu.max': '800000 100000\n' }), 4)).toBe(4); // never above the CPUs
    const own = { '/proc/self/cgroup': '0::/kubepods/pod1/c1\n', '/sys/fs/cgroup/kubepods/pod1/c1/cpu.max': '200000 100000\n' };
    expect(usableCpus(files(own), 16)).toBe(2);
  });

  it('takes the smallest quota on the way from the root to its own cgroup, past levels that set none', () => {
    const v2 = {
      '/proc/self/cgroup': '0::/user.slice/user-0.slice/session-1.scope\n',
      '/sys/fs/cgroup/user.slice/cpu.max': '300000 100000\n',
      '/sys/fs/cgroup/user.slice/user-0.slice/cpu.max': 'max 100000\n',
      '/sys/fs/cgroup/user.slice/user-0.slice/session-1.scope/cpu.max': '800000 100000\n',
    };
    expect(usableCpus(files(v2), 16)).toBe(3);
    const v2Leaf = { '/proc/self/cgroup': '0::/app\n', '/sys/fs/cgroup/cpu.max': 'max 100000\n', '/sys/fs/cgroup/app/cpu.max': '100000 100000\n' };
    expect(usableCpus(files(v2Leaf), 16)).toBe(1);
    const v1 = {
      '/proc/self/cgroup': '3:cpu,cpuacct:/system.slice/x.service\n',
      '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n',
      '/sys/fs/cgroup/cpu/system.slice/x.service/cpu.cfs_quota_us': '100000\n',
      '/sys/fs/cgroup/cpu/system.slice/x.service/cpu.cfs_period_us': '100000\n',
    };
    expect(usableCpus(files(v1), 16)).toBe(1);
    const colon = {
      '/proc/self/cgroup': '3:cpu:/pods/a:b\n',
      '/sys/fs/cgroup/cpu/pods/a:b/cpu.cfs_quota_us': '200000\n',
      '/sys/fs/cgroup/cpu/pods/a:b/cpu.cfs_period_us': '100000\n',
    };
    expect(usableCpus(files(colon), 16)).toBe(2);
  });

  it('caps it by a cgroup v1 quota', () => {
    const v1 = { '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '300000\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' };
    expect(usableCpus(files(v1), 16)).toBe(3);
    const own = {
      '/proc/self/cgroup': '4:memory:/x\n3:cpu,cpuacct:/docker/abc\n0::/\n',
      '/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_quota_us': '100000\n',
      '/sys/fs/cgroup/cpu/docker/abc/cpu.cfs_period_us': '100000\n',
    };
    expect(usableCpus(files(own), 16)).toBe(1);
  });

  it('reads this machine without failing', () => {
    expect(usableCpus()).toBeGreaterThanOrEqual(1);
  });
});
