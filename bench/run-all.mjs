#!/usr/bin/env node
// Runs every benchmark in bench/, one after another (never in parallel: they measure time). `npm run bench`.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Modules and programs the benchmarks use, not benchmarks themselves.
const HELPERS = new Set(['run-all.mjs', 'measure.mjs', 'floor.mjs', 'reader-floor.mjs', 'make-inventory.mjs']);
const FIRST = ['startup.mjs', 'scan-1m.mjs'];
const found = readdirSync(here).filter((f) => f.endsWith('.mjs') && !HELPERS.has(f) && !f.startsWith('_'));
const order = [...FIRST.filter((f) => found.includes(f)), ...found.filter((f) => !FIRST.includes(f)).sort()];

let failed = 0;
for (const file of order) {
  console.log(`\n=== bench/${file}`);
  const res = spawnSync(process.execPath, [join(here, file), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (res.status !== 0) {
    failed++;
    console.log(`bench/${file} exited ${res.status}`);
  }
}
console.log(`\n${order.length - failed} benchmarks ran, ${failed} failed`);
process.exit(failed ? 1 : 0);
