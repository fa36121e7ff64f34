#!/usr/bin/env node
// Live scan speed against moto_server. Seeds an organisation of 3 accounts × 2 regions with ≥ 12,000 resources
// once, then measures in one run, on the same server:
//   floor       — a minimal script that only pages GetResources for the same slices, same parallelism
//   sequential  — the same pager, one slice at a time
//   same-calls  — the floor with, alongside, a minimal script making the SageMaker list calls tagaudit makes (same
//                 per-slice concurrency): what the same API work costs the server, without tagaudit's code
//   tagaudit    — startLiveScan (GetResources + SageMaker lists + Config), same parallelism
// in two settings: moto as it is (answers in milliseconds, from one Python process: the server's CPU is the
// bottleneck), and behind a proxy adding --latency-ms per request (AWS-like round trips). It prints wall times
// (median of --runs), ratios to the floor, moto's CPU time per variant, and API calls by operation.
// Goals: tagaudit ≤ 1.15 × floor; API calls for tagged resources = pages (no per-resource call).
//   npm run build && node bench/live-scan.mjs [--runs 3] [--per-slice-scale 1] [--latency-ms 80]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startLatencyProxy } from './_latency-proxy.mjs';
import { createOrg, seedSlice, SLICE_MIX, sliceSize, startMoto, MANAGEMENT } from './_live-estate.mjs';
import { listSageMakerSlices, pageAllSlices } from './_live-pagers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const runs = arg('--runs', 3);
const scale = arg('--per-slice-scale', 1);
const latencyMs = arg('--latency-ms', 80);
const REGIONS = ['us-east-1', 'eu-west-1'];
const CONCURRENCY = 6;
// tagaudit's SageMaker list calls in flight per slice (src/scan/sources/sagemaker.ts LIST_CONCURRENCY).
const SAGEMAKER_LIST_CONCURRENCY = 4;

// TAGAUDIT_DIST: another build directory (default dist/).
const liveScanModule = resolve(process.env.TAGAUDIT_DIST ?? join(root, 'dist'), 'scan', 'live-scan.js');
if (!existsSync(liveScanModule)) {
  console.error('bench/live-scan.mjs needs the build: npm run build');
  process.exit(1);
}
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { startLiveScan } = await import(pathToFileURL(liveScanModule).href);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mix = Object.fromEntries(Object.entries(SLICE_MIX).map(([k, v]) => [k, Math.max(1, Math.round(v * scale))]));

const moto = await startMoto(join(root, 'bench', '.data'));
/** CPU time moto_server has used so far, in ms (Linux /proc). */
const motoCpuMs = () => {
  try {
    const f = readFileSync(`/proc/${moto.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
};

async function measureSetting(label, endpoint, accounts) {
  const env = { ...moto.env, AWS_ENDPOINT_URL: endpoint };
  const floor = () => pageAllSlices({ endpoint, accounts, regions: REGIONS, caller: MANAGEMENT, concurrency: CONCURRENCY });
  const sequential = () => pageAllSlices({ endpoint, accounts, regions: REGIONS, caller: MANAGEMENT, concurrency: 1 });
  const since = new Date(Date.now() - 90 * 86_400_000);
  const sameCalls = async () => {
    const t0 = performance.now();
    const [paged, listed] = await Promise.all([
      floor(),
      listSageMakerSlices({ endpoint, accounts, regions: REGIONS, caller: MANAGEMENT, since, perSlice: SAGEMAKER_LIST_CONCURRENCY }),
    ]);
    return { ms: performance.now() - t0, calls: { ...paged.calls, SageMakerLists: listed.calls }, resources: paged.resources };
  };
  const tagaudit = async () => {
    const t0 = performance.now();
    const scan = startLiveScan({
      env,
      accounts,
      regions: REGIONS,
      roleName: 'OrganizationAccountAccessRole',
      since,
      concurrency: CONCURRENCY,
    });
    let resources = 0;
    for await (const _ of scan.resources()) resources++;
    return { ms: performance.now() - t0, calls: scan.apiCalls(), resources, errors: scan.errors };
  };

  // Warm-up: moto loads its backends on first use.
  await floor();
  await tagaudit();

  const wall = { floor: [], tagaudit: [], sequential: [], 'same-calls': [] };
  const cpu = { floor: [], tagaudit: [], sequential: [], 'same-calls': [] };
  const last = {};
  for (let i = 0; i < runs; i++) {
    for (const [name, fn] of [['floor', floor], ['tagaudit', tagaudit], ['sequential', sequential], ['same-calls', sameCalls]]) {
      const c0 = motoCpuMs();
      const r = await fn();
      cpu[name].push(motoCpuMs() - c0);
      wall[name].push(r.ms);
      last[name] = r;
    }
  }
  if (last.tagaudit.errors.length) {
    console.error(`tagaudit's scan was partial: ${JSON.stringify(last.tagaudit.errors.slice(0, 3))}`);
    process.exitCode = 1;
  }
  const f = median(wall.floor);
  console.log(`\n${label}: median of ${runs} runs, ${CONCURRENCY} account-regions in parallel`);
  console.log('variant      wall ms   × floor   moto CPU ms   resources');
  for (const name of ['floor', 'tagaudit', 'sequential', 'same-calls']) {
    const m = median(wall[name]);
    console.log(
      `${name.padEnd(12)} ${m.toFixed(0).padStart(7)}   ${(m / f).toFixed(2).padStart(6)}   ${median(cpu[name]).toFixed(0).padStart(11)}   ${String(last[name].resources).padStart(9)}`,
    );
  }
  const ratio = median(wall.tagaudit) / f;
  console.log(`tagaudit / floor = ${ratio.toFixed(2)} (goal ≤ 1.15: ${ratio <= 1.15 ? 'met' : 'not met'})`);
  console.log(`tagaudit / same-calls = ${(median(wall.tagaudit) / median(wall['same-calls'])).toFixed(2)} (tagaudit's own overhead over the server's cost of the same calls)`);
  return last;
}

try {
  const tSeed = performance.now();
  const accounts = await createOrg(moto.endpoint, 2);
  let created = 0;
  let tagged = 0;
  let n = 0;
  for (const a of accounts)
    for (const r of REGIONS) {
      const s = await seedSlice(moto.endpoint, a, r, n++, mix);
      created += s.created;
      tagged += s.tagged;
    }
  console.log(
    `seeded ${created} resources (${tagged} tagged) over ${accounts.length} accounts × ${REGIONS.length} regions in ` +
      `${((performance.now() - tSeed) / 1000).toFixed(0)} s (${sliceSize(mix)} per account-region: ${JSON.stringify(mix)}); Node ${process.version}`,
  );

  const raw = await measureSetting('moto as is', moto.endpoint, accounts);
  console.log(`\nAPI calls, floor:    ${JSON.stringify(raw.floor.calls)}`);
  console.log(`API calls, tagaudit: ${JSON.stringify(raw.tagaudit.calls)}`);
  const perResource = ['ListTags', 'DescribeEndpointConfig', 'ListTrainingJobsForHyperParameterTuningJob'].reduce((s, op) => s + (raw.tagaudit.calls[op] ?? 0), 0);
  console.log(
    `GetResources calls: tagaudit ${raw.tagaudit.calls.GetResources}, floor ${raw.floor.calls.GetResources} (pages); per-resource calls by tagaudit: ${perResource}`,
  );

  if (latencyMs > 0) {
    const proxy = await startLatencyProxy(moto.endpoint, latencyMs);
    try {
      await measureSetting(`moto + ${latencyMs} ms per request`, proxy.endpoint, accounts);
    } finally {
      await proxy.stop();
    }
  }
} finally {
  await moto.stop();
}
