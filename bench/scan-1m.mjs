#!/usr/bin/env node
// Speed and memory of `tagaudit scan` on a 1,000,000-resource JSON Lines inventory, measured against the floor
// (read the file and JSON.parse each line, nothing else) in the same run. Goals: scan ≤ 1.3× floor, peak RSS ≤ 512 MB.
//   npm run build && node bench/scan-1m.mjs [--count N] [--runs R] [--pii-off] [--threads N]
// The scan runs as users run it, with the default `--threads auto` (worker threads for an inventory this large when
// there are 2 CPUs or more); the same scan with `--threads N` (default 1: one thread) is measured beside it
// (`--threads 0`: not).
// --pii-off also runs the scan with the bundled dictionary's `pii.enabled: false`, to show what PII detection costs
// (goal: at most +25 %).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { measure, median } from './measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const count = arg('--count', 1_000_000);
const runs = arg('--runs', 3);
const file = join(here, '.data', `inventory-${count}.jsonl`);
const piiOff = process.argv.includes('--pii-off');
const threads = arg('--threads', 1);

if (!existsSync(join(root, 'dist', 'cli', 'run.js'))) {
  console.error('dist/ is missing: run `npm run build` first (npm run bench does)');
  process.exit(2);
}
if (!existsSync(file)) {
  const gen = spawnSync(process.execPath, [join(here, 'make-inventory.mjs'), String(count), file], { stdio: 'inherit' });
  if (gen.status !== 0) process.exit(gen.status ?? 1);
}

const node = process.execPath;
const commands = {
  floor: [join(here, 'floor.mjs'), file],
  reader: [join(here, 'reader-floor.mjs'), file],
  scan: [join(root, 'bin', 'tagaudit'), 'scan', '--inventory', file, '--format', 'json', '--output-json', '/dev/null'],
};
if (piiOff) {
  // The bundled dictionary with PII detection switched off, everything else the same.
  const bundled = readFileSync(join(root, 'dictionaries', 'anycompany.yaml'), 'utf8');
  const off = bundled.replace(/^(pii:\n(?:\s*#.*\n)*)\s+enabled: true\n/m, '$1  enabled: false\n');
  if (off === bundled) {
    console.error('scan-1m: could not find `pii: enabled: true` in dictionaries/anycompany.yaml');
    process.exit(2);
  }
  const dictionary = join(here, '.data', 'anycompany-pii-off.yaml');
  writeFileSync(dictionary, off);
  commands.piiOff = [...commands.scan, '--dictionary', dictionary];
}
if (threads > 0) commands.threads = [...commands.scan, '--threads', String(threads)];
const results = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
// Interleaved, so a burst of load from elsewhere on the machine hits all three alike; the median is reported.
for (let r = 0; r < runs; r++) {
  for (const [name, args] of Object.entries(commands)) {
    const m = await measure(node, args);
    if (name === 'scan' || name === 'piiOff' || name === 'threads' ? m.code !== 0 && m.code !== 1 : m.code !== 0) {
      console.error(`${name} failed (exit ${m.code}):\n${m.stderr}`);
      process.exit(1);
    }
    results[name].push(m);
    console.error(`  run ${r + 1}/${runs} ${name.padEnd(7)} ${(m.ms / 1000).toFixed(2)} s (CPU ${(m.cpuMs / 1000).toFixed(2)} s), peak RSS ${m.peakRssMb} MB`);
  }
}

const floor = median(results.floor.map((m) => m.ms));
const reader = median(results.reader.map((m) => m.ms));
const scan = median(results.scan.map((m) => m.ms));
const cpu = (name) => median(results[name].map((m) => m.cpuMs));
const scanRss = Math.max(...results.scan.map((m) => m.peakRssMb));
const ratio = scan / floor;
const line = (label, ms, extra = '') => console.log(`${label.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(6)} s${extra}`);
const cpuNote = (name) => `   CPU ${(cpu(name) / 1000).toFixed(2)} s (${(cpu(name) / cpu('floor')).toFixed(2)}× floor's)`;
console.log(`\nscan-1m: ${count.toLocaleString('en-US')} resources, median of ${runs} runs, Node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? '?'})`);
line('floor (read + JSON.parse each line)', floor, `             CPU ${(cpu('floor') / 1000).toFixed(2)} s`);
line("tagaudit reader (floor + Resource building)", reader, `   ${(reader / floor).toFixed(2)}×${cpuNote('reader')}`);
line('tagaudit scan -f json --output-json (auto)', scan, `   ${ratio.toFixed(2)}×${cpuNote('scan')}   (goal ≤ 1.30×)`);
if (piiOff) {
  const off = median(results.piiOff.map((m) => m.ms));
  const extra = scan / off - 1;
  const cpuExtra = cpu('scan') / cpu('piiOff') - 1;
  line('same scan, dictionary pii.enabled: false', off, `   ${(off / floor).toFixed(2)}×${cpuNote('piiOff')}`);
  console.log(`${'PII detection adds'.padEnd(44)} ${(extra * 100).toFixed(0).padStart(6)} %  (CPU ${(cpuExtra * 100).toFixed(0)} %; goal ≤ 25 %)`);
}
if (threads > 0) {
  const t = median(results.threads.map((m) => m.ms));
  const rss = Math.max(...results.threads.map((m) => m.peakRssMb));
  line(`same scan, --threads ${threads}`, t, `   ${(t / floor).toFixed(2)}×${cpuNote('threads')}   peak RSS ${rss} MB`);
}
console.log(`${'scan peak RSS (--threads auto)'.padEnd(44)} ${String(scanRss).padStart(6)} MB  (goal ≤ 512)`);
console.log(`scan-1m: ratio ${ratio.toFixed(2)} ${ratio <= 1.3 ? 'MET' : 'NOT MET'}, peak RSS ${scanRss} MB ${scanRss <= 512 ? 'MET' : 'NOT MET'}`);
