// Runs a command as a child process and measures its wall time and peak RSS (VmHWM, polled from /proc).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setInterval, clearInterval } from 'node:timers';

function peakRssKb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

// utime + stime of a live process, in ms (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 10 ms).
function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** @returns {Promise<{ms: number, cpuMs: number, peakRssMb: number, code: number | null, stdout: string, stderr: string}>} */
export function measure(cmd, args, { stdoutToNull = true, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', stdoutToNull ? 'ignore' : 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let peak = 0;
    let cpu = 0;
    // VmHWM and CPU time only grow, so the last reading before exit is the figure (to within one 50 ms interval).
    const timer = setInterval(() => {
      peak = Math.max(peak, peakRssKb(child.pid));
      cpu = Math.max(cpu, cpuMs(child.pid));
    }, 50);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const result = () => ({ ms, cpuMs: cpu, peakRssMb: Math.round(peak / 1024), code, stdout, stderr });
      child.stderr.once('end', () => resolve(result()));
      if (child.stderr.readableEnded) resolve(result());
    });
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
