#!/usr/bin/env node
// Speed of the rules engine alone: audits N resources (default 200,000) of the scan benchmark's inventory (about
// ten tags each, ~30 % drifted against dictionaries/anycompany.yaml) and prints ns per resource, next to the cost of
// JSON.parse-ing the same lines (the floor the whole scan is measured against).
//   npm run build && node bench/audit-speed.mjs [--count N] [--rounds R]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const count = arg('--count', 200_000);
const rounds = arg('--rounds', 5);

if (!existsSync(join(root, 'dist', 'rules', 'engine.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const { createAuditor } = await import('../dist/rules/engine.js');
const { loadDictionary } = await import('../dist/dictionary/load-dictionary.js');
const { resourceFromRecord } = await import('../dist/inventory/resource-from-json.js');

const file = join(here, '.data', `inventory-${count}.jsonl`);
if (!existsSync(file)) {
  const gen = spawnSync(process.execPath, [join(here, 'make-inventory.mjs'), String(count), file], { stdio: 'inherit' });
  if (gen.status !== 0) process.exit(gen.status ?? 1);
}
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);

const policy = await loadDictionary(join(root, 'dictionaries', 'anycompany.yaml'));
const resources = lines.map((l) => {
  const r = resourceFromRecord(JSON.parse(l));
  if (typeof r === 'string') throw new Error(r);
  return r;
});
const byArn = new Map(resources.map((r) => [r.arn, r]));
const lookup = (arn) => byArn.get(arn);

// Parse and audit are timed in alternating chunks of CHUNK resources, so load from elsewhere on the machine hits
// both alike; the ratio is the sum over all chunks, the ns figures the fastest chunk (closest to an idle machine).
const CHUNK = 10_000;
let parseTotal = 0;
let auditTotal = 0;
let parseBest = Infinity;
let auditBest = Infinity;
let findings = 0;
let fixable = 0;
for (let round = 0; round <= rounds; round++) {
  // A fresh auditor per round, as each scan builds one (round 0 is a warm-up for the JIT and is not counted).
  const auditor = createAuditor(policy);
  for (let c = 0; c < resources.length; c += CHUNK) {
    const end = Math.min(c + CHUNK, resources.length);
    let t0 = process.hrtime.bigint();
    let sink = 0;
    for (let i = c; i < end; i++) sink += JSON.parse(lines[i]).arn.length;
    const parseNs = Number(process.hrtime.bigint() - t0);
    t0 = process.hrtime.bigint();
    for (let i = c; i < end; i++) {
      const f = auditor.audit(resources[i], lookup);
      if (round === 1) {
        findings += f.length;
        for (const x of f) if (x.fix) fixable++;
      }
      sink += f.length;
    }
    const auditNs = Number(process.hrtime.bigint() - t0);
    if (sink < 0) console.log(sink); // keep the work observable
    if (round === 0) continue;
    parseTotal += parseNs;
    auditTotal += auditNs;
    parseBest = Math.min(parseBest, parseNs / (end - c));
    auditBest = Math.min(auditBest, auditNs / (end - c));
  }
}
const n = resources.length * rounds;
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}, node ${process.version}, load ${loadavg()[0].toFixed(1)}`);
console.log(`resources: ${resources.length.toLocaleString('en')} (${(lines.reduce((s, l) => s + l.length, 0) / lines.length) | 0} bytes/line), rounds: ${rounds}`);
console.log(`findings: ${findings.toLocaleString('en')} (${(findings / resources.length).toFixed(2)} per resource, ${fixable.toLocaleString('en')} with a fix)`);
console.log(`JSON.parse per line:  ${(parseTotal / n).toFixed(0)} ns mean, ${parseBest.toFixed(0)} ns best chunk`);
console.log(`audit per resource:   ${(auditTotal / n).toFixed(0)} ns mean, ${auditBest.toFixed(0)} ns best chunk`);
console.log(`audit / JSON.parse:   ${(auditTotal / parseTotal).toFixed(2)}`);
