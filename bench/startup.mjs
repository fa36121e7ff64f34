#!/usr/bin/env node
// How fast `tagaudit --help` answers (goal ≤ 150 ms): the CLI must not load the AWS SDK, ajv or the rules to print help.
//   npm run build && node bench/startup.mjs [--runs N]
// The cases run interleaved (bare node, --help, scan --help, --version, bare node, …), so a load spike on a shared
// machine hits them all alike. CPU is the mean user + sys time per run, from the children's times the kernel adds to
// this process (/proc/self/stat, in 10 ms ticks): within ~1 ms over 21 runs, where polling a 150 ms process every
// 50 ms misses up to a third of it.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--runs');
const runs = i < 0 ? 21 : Number(process.argv[i + 1]);
const bin = join(root, 'bin', 'tagaudit');

// bin/tagaudit falls back to tsc's unbundled output when the start-up bundle is missing or older than it.
const mtimeMs = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
if (mtimeMs(join(root, 'dist', 'cli', 'run.bundle.js')) < mtimeMs(join(root, 'dist', 'cli', 'run.js'))) {
  console.error('startup: dist/cli/run.bundle.js is missing or older than dist/cli/run.js: run `npm run build` first');
  process.exit(1);
}

/** CPU ms (user + sys) of this process's finished, waited-for children; undefined where /proc is missing. */
function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime, in clock ticks of 10 ms
  } catch {
    return undefined;
  }
}

const cases = [
  { label: 'bare', args: ['-e', '0'] },
  ...[['--help'], ['scan', '--help'], ['--version']].map((args) => ({ label: `tagaudit ${args.join(' ')}`, args: [bin, ...args] })),
];
// Node reads NODE_EXTRA_CA_CERTS at every start (tens of ms for a system CA bundle): where it is set, also show both
// figures without it, so a slow bare Node is told apart from a slow CLI. The goal is judged as the environment is.
const { NODE_EXTRA_CA_CERTS: extraCaCerts, ...envWithoutCaCerts } = process.env;
if (extraCaCerts !== undefined)
  for (const c of cases.slice(0, 2)) cases.push({ ...c, label: `${c.label}, no NODE_EXTRA_CA_CERTS`, env: envWithoutCaCerts });
for (const c of cases) Object.assign(c, { times: [], polledCpu: [], cpuTotal: 0 });

for (const c of cases) await measure(process.execPath, c.args, { env: c.env }); // warm the file cache
for (let r = 0; r < runs; r++) {
  for (const c of cases) {
    const cpuBefore = childrenCpuMs();
    const m = await measure(process.execPath, c.args, { env: c.env });
    const cpuAfter = childrenCpuMs();
    if (m.code !== 0) {
      console.error(`${c.label} exited ${m.code}:\n${m.stderr}`);
      process.exit(1);
    }
    c.times.push(m.ms);
    c.polledCpu.push(m.cpuMs);
    if (cpuBefore !== undefined && cpuAfter !== undefined) c.cpuTotal += cpuAfter - cpuBefore;
  }
}

const exactCpu = childrenCpuMs() !== undefined;
const cpuOf = (c) => (exactCpu ? c.cpuTotal / runs : median(c.polledCpu));
const [bare, ...tagaudit] = cases.slice(0, 4);
const bareMs = median(bare.times);
const line = (c, base) => {
  const ms = median(c.times);
  return (
    `  ${c.label.padEnd(23)} ${ms.toFixed(0).padStart(5)} ms   (min ${Math.min(...c.times).toFixed(0)} ms, ` +
    `CPU ${cpuOf(c).toFixed(0)} ms; bare node + ${(ms - median(base.times)).toFixed(0)} ms, CPU + ${(cpuOf(c) - cpuOf(base)).toFixed(0)} ms)`
  );
};
console.log(
  `\nstartup: median of ${runs} runs, Node ${process.version} (a bare \`node -e 0\` takes ${bareMs.toFixed(0)} ms, ` +
    `CPU ${cpuOf(bare).toFixed(0)} ms, here)`,
);
for (const c of tagaudit) console.log(line(c, bare));
if (extraCaCerts !== undefined) {
  const [bareNoCa, helpNoCa] = cases.slice(4);
  console.log(
    `  without NODE_EXTRA_CA_CERTS (set here): a bare \`node -e 0\` takes ${median(bareNoCa.times).toFixed(0)} ms, ` +
      `CPU ${cpuOf(bareNoCa).toFixed(0)} ms`,
  );
  console.log(line({ ...helpNoCa, label: 'tagaudit --help' }, bareNoCa));
}
const help = median(tagaudit[0].times);
console.log(`startup: tagaudit --help ${help.toFixed(1)} ms ${help <= 150 ? 'MET' : 'NOT MET'} (goal ≤ 150 ms)`);
