#!/usr/bin/env node
// How fast `tagaudit --help` answers (goal ≤ 150 ms): the CLI must not load the AWS SDK, ajv or the rules to print help.
//   npm run build && node bench/startup.mjs [--runs N]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--runs');
const runs = i < 0 ? 21 : Number(process.argv[i + 1]);
const bin = join(root, 'bin', 'tagaudit');

const results = [];
for (const args of [['--help'], ['scan', '--help'], ['--version']]) {
  await measure(process.execPath, [bin, ...args]); // warm the file cache
  const times = [];
  const cpu = [];
  for (let r = 0; r < runs; r++) {
    const m = await measure(process.execPath, [bin, ...args]);
    if (m.code !== 0) {
      console.error(`tagaudit ${args.join(' ')} exited ${m.code}:\n${m.stderr}`);
      process.exit(1);
    }
    times.push(m.ms);
    cpu.push(m.cpuMs);
  }
  results.push({ args, median: median(times), min: Math.min(...times), cpu: median(cpu) });
}
const bareRuns = [];
for (let r = 0; r < 7; r++) bareRuns.push(await measure(process.execPath, ['-e', '0']));
const bare = median(bareRuns.map((m) => m.ms));
const bareCpu = median(bareRuns.map((m) => m.cpuMs));
console.log(`\nstartup: median of ${runs} runs, Node ${process.version} (a bare \`node -e 0\` takes ${bare.toFixed(0)} ms, CPU ${bareCpu.toFixed(0)} ms, here)`);
for (const r of results)
  console.log(`  tagaudit ${r.args.join(' ').padEnd(14)} ${r.median.toFixed(0).padStart(5)} ms   (min ${r.min.toFixed(0)} ms, CPU ${r.cpu.toFixed(0)} ms)`);
const help = results[0].median;
console.log(`startup: tagaudit --help ${help.toFixed(0)} ms ${help <= 150 ? 'MET' : 'NOT MET'} (goal ≤ 150 ms)`);
