#!/usr/bin/env node
// Streams N findings (default 500k) through the JSON sink into /dev/null and prints the cost, next to:
//   - the bare minimum: JSON.stringify of each finding, results discarded;
//   - the scan floor for 1M resources: JSON.parse of 1M inventory lines (what `scan` must stay within 1.3x of).
// Findings are generated on the fly, so the RSS figure shows what the sink itself holds.
// Usage: npm run build && node bench/json-sink.mjs [findings]
import { performance } from 'node:perf_hooks';

const dist = new URL('../dist/report/', import.meta.url);
const { createJsonSink } = await import(new URL('json.js', dist).href);
const { fileWriter } = await import(new URL('writers.js', dist).href);
const { createSummaryCounter } = await import(new URL('summary.js', dist).href);

const N = Number(process.argv[2] ?? 500_000);
const RESOURCES = 1_000_000;

// About two findings per resource, arriving together, as the rules engine emits them.
function* findings(n) {
  let resource;
  for (let i = 0; i < n; i += 1) {
    if (i % 2 === 0) {
      const r = i >> 1;
      const account = r % 2 ? '123456789012' : '210987654321';
      const region = r % 3 ? 'us-east-1' : 'eu-west-1';
      const arn = `arn:aws:sagemaker:${region}:${account}:training-job/fraud-xgb-${r}`;
      resource = { arn, accountId: account, region, service: 'sagemaker', resourceType: 'sagemaker:training-job' };
    }
    const fingerprint = (i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(8);
    switch (i % 3) {
      case 0:
        yield { ruleId: 'missing-mandatory-tag', severity: 'error', message: 'Missing mandatory tag "CostCenter".', resource, fingerprint, tag: { key: 'CostCenter' }, fix: [{ op: 'add', type: 'inherit', key: 'CostCenter', value: '1234' }] };
        break;
      case 1:
        yield { ruleId: 'miscased-key', severity: 'warning', message: 'Key "env" should be "Environment".', resource, fingerprint, tag: { key: 'env', value: 'prod' }, fix: [{ op: 'rename', type: 'rename-key', from: 'env', to: 'Environment', expected: 'prod', value: 'production' }] };
        break;
      default:
        yield { ruleId: 'pii-in-tag', severity: 'error', message: 'Tag "Owner" holds an email address (j***@e******.com).', resource, fingerprint, tag: { key: 'Owner', value: 'j***@e******.com' }, data: { piiKind: 'email', where: 'value' } };
    }
  }
}

function inventoryLine(i) {
  return JSON.stringify({
    arn: `arn:aws:sagemaker:us-east-1:123456789012:training-job/fraud-xgb-${i}`,
    accountId: '123456789012',
    region: 'us-east-1',
    service: 'sagemaker',
    resourceType: 'sagemaker:training-job',
    tags: { CostCenter: '1234', Environment: 'production', Owner: 'ml-platform', Project: `fraud-${i % 50}`, env: 'prod' },
    source: 'inventory',
    state: 'Completed',
    createdAt: '2024-06-01T12:00:00Z',
  });
}

function time(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

let peakRss = 0;
const sampleRss = () => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
};

const run = { status: 'complete', startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), dictionary: { path: 'd.yaml', sha256: '0'.repeat(64) }, scope: { mode: 'inventory' } };

async function sinkRun(n) {
  const counter = createSummaryCounter();
  const s = createJsonSink(fileWriter('/dev/null'));
  let i = 0;
  for (const f of findings(n)) {
    counter.add(f);
    s.add(f);
    if (++i % 50_000 === 0) sampleRss();
  }
  await s.finish({ schemaVersion: 1, tool: { name: 'tagaudit', version: 'bench' }, run, summary: counter.result(), findings: [], errors: [], rules: [] });
}

// The floor is measured on 100k distinct pre-built lines parsed 10 times (1M lines would not fit in memory as strings).
const LINES = Array.from({ length: RESOURCES / 10 }, (_, i) => inventoryLine(i));
const parseFloor = () => {
  let n = 0;
  for (let k = 0; k < 10; k += 1) for (const line of LINES) n += JSON.parse(line).arn.length;
  if (n === 0) throw new Error('unreachable');
};

// Warm up every path so JIT state is comparable, then keep the best of several interleaved rounds (shared CPUs).
for (const f of findings(20_000)) JSON.stringify(f);
await sinkRun(20_000);
const best = { generate: Infinity, stringify: Infinity, sink: Infinity, floor: Infinity };
const rssBefore = process.memoryUsage.rss();
for (let round = 0; round < 3; round += 1) {
  best.generate = Math.min(best.generate, time(() => {
    let n = 0;
    for (const f of findings(N)) n += f.fingerprint.length;
    if (n === 0) throw new Error('unreachable');
  }));
  best.stringify = Math.min(best.stringify, time(() => {
    let n = 0;
    for (const f of findings(N)) n += JSON.stringify(f).length;
    if (n === 0) throw new Error('unreachable');
  }));
  const start = performance.now();
  await sinkRun(N);
  best.sink = Math.min(best.sink, performance.now() - start);
  best.floor = Math.min(best.floor, time(parseFloor));
}

const net = (ms) => Math.max(0, ms - best.generate);
const fmt = (ms) => `${ms.toFixed(0).padStart(6)} ms`;
const perFinding = (ms) => `${((ms / N) * 1e6).toFixed(0)} ns/finding`;
console.log(`tagaudit JSON sink, ${N.toLocaleString('en-US')} findings, node ${process.version} (best of 3 rounds)`);
console.log(`  ${'generate findings (subtracted below)'.padEnd(44)}${fmt(best.generate)}`);
console.log(`  ${'JSON.stringify each finding'.padEnd(44)}${fmt(net(best.stringify))}  (${perFinding(net(best.stringify))})`);
console.log(`  ${'JSON sink + summary → /dev/null'.padEnd(44)}${fmt(net(best.sink))}  (${perFinding(net(best.sink))})`);
console.log(`  ${'sink / plain JSON.stringify'.padEnd(44)}${(net(best.sink) / Math.max(1, net(best.stringify))).toFixed(2)}x`);
console.log(`  ${`scan floor: JSON.parse ${RESOURCES.toLocaleString('en-US')} inventory lines`.padEnd(44)}${fmt(best.floor)}`);
console.log(`  ${'sink cost / floor'.padEnd(44)}${((net(best.sink) / best.floor) * 100).toFixed(1)}%  (whole scan may add 30% to the floor)`);
console.log(`  ${'RSS growth while streaming'.padEnd(44)}${((peakRss - rssBefore) / 1048576).toFixed(1)} MB (peak RSS ${(peakRss / 1048576).toFixed(0)} MB)`);
