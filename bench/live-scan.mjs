#!/usr/bin/env node
// Live scan speed against moto_server. Seeds an organisation of 3 accounts × 2 regions with ≥ 12,000 resources
// once, then measures in one run:
//   floor       — a minimal script that only pages GetResources for the same slices, same parallelism
//   sequential  — the same pager, one slice at a time
//   same-calls  — the floor with, alongside, a minimal script making the SageMaker list calls tagaudit makes (same
//                 per-slice concurrency): what the same API work costs the server, without tagaudit's code
//   tagaudit    — startLiveScan (GetResources + SageMaker lists + Config), same parallelism
// in three settings:
//   moto as is              — one moto_server, answering in milliseconds from one Python process (its CPU is the
//                             bottleneck, and every service shares it)
//   moto + N ms             — the same behind a proxy adding --latency-ms per request (AWS-like round trips)
//   services split + N ms   — a router (bench/_service-router.mjs, a process of its own) sends SageMaker and Config to
//                             a second moto_server seeded with the same SageMaker resources, everything else to the
//                             first, both after the same delay: as on AWS, SageMaker answers no longer take CPU from
//                             the Tagging API's server. S3 ListBuckets answers carry BucketRegion there, as AWS's do
//                             (moto's lack it); the variant "tagaudit, moto S3" shows tagaudit with moto's answers.
// It prints wall times (median of --runs), ratios to the floor, CPU time of each process (moto backends, router,
// this Node process) per variant, API calls by operation, and in the split setting, from the router's trace, the time
// the backends took per call and what each slice's GetResources paging is made of (delay, backend, client time between
// pages). Goals: tagaudit ≤ 1.15 × floor; API calls for tagged resources = pages (no per-resource call).
//   npm run build && node bench/live-scan.mjs [--runs 3] [--per-slice-scale 1] [--latency-ms 80] [--split-latency-ms 80]
//     [--settings as-is,latency,split]
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { startLatencyProxy } from './_latency-proxy.mjs';
import { createOrg, credentialsFor, listSeededSageMakerArns, MANAGEMENT, sageMakerPart, seedSlice, SLICE_MIX, sliceSize, startMoto } from './_live-estate.mjs';
import { listSageMakerSlices, pageAllSlices } from './_live-pagers.mjs';
import { chainsOf } from './_router-trace.mjs';
import { startServiceRouter } from './_service-router.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const runs = arg('--runs', 3);
const scale = arg('--per-slice-scale', 1);
const latencyMs = arg('--latency-ms', 80);
const splitLatencyMs = arg('--split-latency-ms', latencyMs);
const settingsIndex = process.argv.indexOf('--settings');
const settings = new Set((settingsIndex < 0 ? 'as-is,latency,split' : process.argv[settingsIndex + 1]).split(','));
const REGIONS = ['us-east-1', 'eu-west-1'];
const CONCURRENCY = 6;
// tagaudit's SageMaker list calls in flight per slice (src/scan/sources/sagemaker.ts LIST_CONCURRENCY).
const SAGEMAKER_LIST_CONCURRENCY = 4;
// Calls made once per resource rather than once per page or per list: the goal is none for tagged resources.
const PER_RESOURCE_OPS = ['ListTags', 'DescribeEndpointConfig', 'ListTrainingJobsForHyperParameterTuningJob', 'GetBucketLocation'];

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
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/** CPU time a process has used so far, in ms (Linux /proc, 100 ticks a second). */
function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}
const nodeCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// Every process this benchmark starts is stopped on the way out: normal end, error, or Ctrl-C.
const stoppers = [];
const stopAll = async () => {
  while (stoppers.length) await stoppers.pop()().catch(() => undefined);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.once(signal, () => {
    console.error(`\n${signal}: stopping moto and the router`);
    stopAll().finally(() => process.exit(130));
  });
const started = (p) => {
  stoppers.push(p.stop);
  return p;
};

/**
 * Measures the variants in one setting. `processes`: [{ name, pid }] whose CPU time is reported (this Node process
 * is always added); `router`: the service router, whose per-call backend times are reported.
 */
async function measureSetting(label, { endpoint, env, accounts, processes, router }) {
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
      env: { ...env, AWS_ENDPOINT_URL: endpoint },
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
  const variants = [
    ['floor', floor],
    ['tagaudit', tagaudit],
    ['sequential', sequential],
    ['same-calls', sameCalls],
  ];
  if (router)
    variants.push([
      'tagaudit, moto S3',
      async () => {
        await router.setBucketRegion(false);
        try {
          return await tagaudit();
        } finally {
          await router.setBucketRegion(true);
        }
      },
    ]);

  // Warm-up: moto loads its backends on first use (and the router learns the buckets' regions).
  await floor();
  await tagaudit();

  const probes = [...processes, { name: 'node', cpu: nodeCpuMs }].map((p) => ({ name: p.name, cpu: p.cpu ?? (() => cpuMsOf(p.pid)) }));
  const wall = {};
  const cpu = {};
  const last = {};
  const loads = [];
  for (let i = 0; i < runs; i++) {
    for (const [name, fn] of variants) {
      if (router) await router.reset();
      const c0 = probes.map((p) => p.cpu());
      const t0 = epochMs();
      const r = await fn();
      const t1 = epochMs();
      const c1 = probes.map((p) => p.cpu());
      (wall[name] ??= []).push(r.ms);
      (cpu[name] ??= []).push(c1.map((c, k) => c - c0[k]));
      const stats = router ? await router.stats() : undefined;
      last[name] = { ...r, ...(stats ? { backend: stats.ops, chains: chainsOf(stats.trace, t0, t1) } : {}) };
    }
    loads.push(load());
  }
  for (const name of ['tagaudit', 'tagaudit, moto S3'])
    if (last[name]?.errors.length) {
      console.error(`${name}: the scan was partial: ${JSON.stringify(last[name].errors.slice(0, 3))}`);
      process.exitCode = 1;
    }

  const f = median(wall.floor);
  const w = Math.max(...variants.map(([n]) => n.length)) + 1;
  console.log(`\n${label}: median of ${runs} runs, ${CONCURRENCY} account-regions in parallel; load average after each run: ${loads.join(' | ')}`);
  console.log(`${'variant'.padEnd(w)}  wall ms   × floor   ${probes.map((p) => `${p.name} CPU ms`.padStart(14)).join('')}   resources`);
  for (const [name] of variants) {
    const m = median(wall[name]);
    const cpus = probes.map((_, k) => median(cpu[name].map((c) => c[k])));
    console.log(
      `${name.padEnd(w)} ${m.toFixed(0).padStart(7)}   ${(m / f).toFixed(2).padStart(6)}   ${cpus.map((c) => c.toFixed(0).padStart(14)).join('')}   ${String(last[name].resources).padStart(9)}`,
    );
  }
  const t = median(wall.tagaudit);
  console.log(`tagaudit / floor = ${(t / f).toFixed(2)} (goal ≤ 1.15: ${t / f <= 1.15 ? 'met' : 'not met'})`);
  console.log(`tagaudit / same-calls = ${(t / median(wall['same-calls'])).toFixed(2)} (tagaudit's own overhead over the cost of the same calls)`);
  console.log(`API calls, floor:    ${JSON.stringify(last.floor.calls)}`);
  console.log(`API calls, tagaudit: ${JSON.stringify(last.tagaudit.calls)}`);
  if (last['tagaudit, moto S3']) console.log(`API calls, tagaudit, moto S3: ${JSON.stringify(last['tagaudit, moto S3'].calls)}`);
  const perResource = PER_RESOURCE_OPS.filter((op) => last.tagaudit.calls[op]).map((op) => `${op} ${last.tagaudit.calls[op]}`);
  console.log(
    `GetResources calls: tagaudit ${last.tagaudit.calls.GetResources}, floor ${last.floor.calls.GetResources} (pages); ` +
      `per-resource calls by tagaudit: ${perResource.length ? perResource.join(', ') : 0}`,
  );
  if (router) {
    console.log('backend time per call (router → moto → router, the last run; mean / max ms, calls):');
    for (const [name] of variants) {
      const ops = Object.entries(last[name].backend).sort(([a], [b]) => a.localeCompare(b));
      const show = (re) =>
        ops
          .filter(([k]) => re.test(k))
          .map(([k, s]) => `${k} ${(s.ms / s.n).toFixed(1)} / ${s.maxMs.toFixed(0)} (${s.n})`)
          .join(', ');
      const sm = ops.filter(([k]) => k.startsWith('B ')).reduce((a, [, s]) => ({ n: a.n + s.n, ms: a.ms + s.ms, max: Math.max(a.max, s.maxMs) }), { n: 0, ms: 0, max: 0 });
      console.log(
        `  ${name.padEnd(w)} ${show(/ GetResources$/)}${sm.n ? `; B (SageMaker, Config) ${(sm.ms / sm.n).toFixed(1)} / ${sm.max.toFixed(0)} (${sm.n})` : ''}` +
          `${ops.some(([k]) => / (ListBuckets|GetBucketLocation)$/.test(k)) ? `; ${show(/ (ListBuckets|GetBucketLocation)$/)}` : ''}`,
      );
    }
    console.log(
      'GetResources paging of a slice (the last run; mean of the slices, ms): first page sent at | pages × (delay + backend) + client gaps ' +
        '(largest) = span | end of span → end of run; B calls of the slice end (before/after the span)',
    );
    for (const [name] of variants) {
      const c = last[name].chains;
      const fmt = (x) => x.toFixed(0);
      console.log(
        `  ${name.padEnd(w)} ${fmt(c.start)} | ${fmt(c.pages)} × (${fmt(c.delay / c.pages)} + ${fmt(c.server / c.pages)}) + ${fmt(c.gaps)} (${fmt(c.maxGap)}) = ${fmt(c.span)} | ${fmt(c.tail)}` +
          `${c.otherEnd === undefined ? '' : `; ${fmt(Math.abs(c.otherEnd))} ${c.otherEnd <= 0 ? 'before' : 'after'}`}` +
          `${c.bucketCallInGap ? `; the largest gap spans an S3 ListBuckets/GetBucketLocation of the account in ${c.bucketCallInGap} of ${c.slices} slices` : ''}`,
      );
    }
  }
  return last;
}

const epochMs = () => performance.timeOrigin + performance.now();

/** The second moto must hold the same SageMaker resources, reached as the same accounts through the router. */
async function checkSplit(a, router, accounts) {
  let each = 0;
  for (const account of accounts)
    for (const region of REGIONS) {
      const onA = (await listSeededSageMakerArns(a.endpoint, region, await credentialsFor(a.endpoint, account))).sort();
      const viaRouter = (await listSeededSageMakerArns(router.endpoint, region, await credentialsFor(router.endpoint, account))).sort();
      const tagging = new ResourceGroupsTaggingAPIClient({ endpoint: a.endpoint, region, credentials: await credentialsFor(a.endpoint, account) });
      const tagged = [];
      let token;
      do {
        const out = await tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['sagemaker'], ResourcesPerPage: 100, ...(token ? { PaginationToken: token } : {}) }));
        for (const m of out.ResourceTagMappingList ?? []) tagged.push(m.ResourceARN);
        token = out.PaginationToken || undefined;
      } while (token);
      tagging.destroy();
      const listed = new Set(viaRouter);
      const wrongAccount = viaRouter.filter((arn) => arn.split(':')[4] !== account || arn.split(':')[3] !== region);
      if (!onA.length || JSON.stringify(onA) !== JSON.stringify(viaRouter) || wrongAccount.length || !tagged.length || tagged.some((arn) => !listed.has(arn)))
        throw new Error(
          `split check failed in ${account}/${region}: ${onA.length} SageMaker ARNs on the first moto, ${viaRouter.length} through the router ` +
            `(${wrongAccount.length} of another account or region), ${tagged.filter((arn) => !listed.has(arn)).length} of ${tagged.length} tagged ones missing`,
        );
      each = onA.length;
    }
  return each;
}

try {
  console.log(`Node ${process.version}, load average ${load()} at start`);
  const tSeed = performance.now();
  const a = started(await startMoto(join(root, 'bench', '.data')));
  const b = settings.has('split') ? started(await startMoto(join(root, 'bench', '.data'))) : undefined;
  const accounts = await createOrg(a.endpoint, 2);
  const slices = accounts.flatMap((account) => REGIONS.map((region) => ({ account, region })));
  // Both backends are seeded side by side, slice by slice; names (and so ARNs) are the same on both.
  const [onA, onB] = await Promise.all([
    (async () => {
      let created = 0;
      let tagged = 0;
      for (const [n, s] of slices.entries()) {
        const r = await seedSlice(a.endpoint, s.account, s.region, n, mix);
        created += r.created;
        tagged += r.tagged;
      }
      return { created, tagged };
    })(),
    (async () => {
      let created = 0;
      if (b) for (const [n, s] of slices.entries()) created += (await seedSlice(b.endpoint, s.account, s.region, n, sageMakerPart(mix))).created;
      return { created };
    })(),
  ]);
  console.log(
    `seeded ${onA.created} resources (${onA.tagged} tagged) over ${accounts.length} accounts × ${REGIONS.length} regions` +
      `${b ? `, and the ${onB.created} SageMaker ones again on a second moto_server,` : ''} in ` +
      `${((performance.now() - tSeed) / 1000).toFixed(0)} s (${sliceSize(mix)} per account-region: ${JSON.stringify(mix)})`,
  );

  const motoA = { name: 'moto', pid: a.pid };
  if (settings.has('as-is')) await measureSetting('moto as is', { endpoint: a.endpoint, env: a.env, accounts, processes: [motoA] });

  if (settings.has('latency')) {
    const proxy = started(await startLatencyProxy(a.endpoint, latencyMs));
    await measureSetting(`moto + ${latencyMs} ms per request (proxy in this Node process)`, { endpoint: proxy.endpoint, env: a.env, accounts, processes: [motoA] });
    await proxy.stop();
  }

  if (b) {
    const router = started(
      await startServiceRouter({
        backends: { A: a.endpoint, B: b.endpoint },
        routes: { default: 'A', sagemaker: 'B', config: 'B' },
        keyIssuer: 'A',
        callerKeys: { [a.env.AWS_ACCESS_KEY_ID]: MANAGEMENT },
        latencyMs: splitLatencyMs,
        bucketRegion: true,
      }),
    );
    const each = await checkSplit(a, router, accounts);
    console.log(
      `\nsplit check: in each of the ${slices.length} account-regions, the second moto_server lists through the router the same ${each} ` +
        `SageMaker ARNs (that account's, that region's) as the first, and every SageMaker ARN the first's GetResources returns is among them`,
    );
    await measureSetting(`services split + ${splitLatencyMs} ms per request (moto A: all but SageMaker and Config; moto B: SageMaker, Config)`, {
      endpoint: router.endpoint,
      env: a.env,
      accounts,
      processes: [
        { name: 'moto A', pid: a.pid },
        { name: 'moto B', pid: b.pid },
        { name: 'router', pid: router.pid },
      ],
      router,
    });
  }
} finally {
  await stopAll();
}
