#!/usr/bin/env node
// Fix batching: 10,000 resources in 2 accounts × 2 regions with a few distinct edit sets, planned by the real
// auditor + planner and applied by the real applier (journal with fsync, AWS SDK v3 client) against a local Tagging
// API stub that answers after a fixed latency (an AWS-like round trip). Prints, in one run:
//   - write calls made vs the lower bound (for every distinct payload: ceil(resources / 20), summed) — goal ≤ 1.05×
//   - apply wall time vs the same applier sending one ARN per call (the one-call-per-resource baseline)
//   npm run build && node bench/fix-batching.mjs [--resources 10000] [--latency-ms 20]
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(process.env.TAGAUDIT_DIST ?? join(root, 'dist'));
const load = (p) => import(pathToFileURL(join(dist, p)).href);
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const N = arg('--resources', 10_000);
const LATENCY = arg('--latency-ms', 20);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { compilePolicy } = await load('dictionary/policy.js');
const { DEFAULT_PII_POLICY } = await load('pii/policy.js');
const { createAuditor } = await load('rules/engine.js');
const { createPlanner } = await load('fix/planner.js');
const { policyTagMasker } = await load('fix/mask.js');
const { NON_PII_FIX_TYPES } = await load('fix/plan.js');
const { applyPlan, userTags } = await load('fix/apply.js');
const { partitionBackend } = await load('fix/aws-backend.js');
const { beginJournal } = await load('fix/session.js');
const { classify } = await load('fix/effects.js');

const ENV = 'anycompany:workload:environment';
const APP = 'anycompany:workload:application-id';
const CLASS = 'anycompany:security:data-classification';
const policy = compilePolicy({
  pii: DEFAULT_PII_POLICY,
  tags: [
    { key: APP, mandatory: true, pattern: /^app-[0-9]{4}$/u },
    { key: ENV, mandatory: true, values: ['development', 'production'], valueAliases: { prod: 'production' }, aliases: ['env'] },
    { key: CLASS, mandatory: true, values: ['internal', 'confidential'], default: 'internal' },
  ],
});

// Four edit sets: rename (40 %), normalise (30 %), add a default (20 %), rename + add (10 %).
const SETS = [
  { share: 0.4, tags: { [APP]: 'app-1234', env: 'prod', [CLASS]: 'internal' } },
  { share: 0.3, tags: { [APP]: 'app-1234', [ENV]: 'Prod', [CLASS]: 'internal' } },
  { share: 0.2, tags: { [APP]: 'app-1234', [ENV]: 'production' } },
  { share: 0.1, tags: { [APP]: 'app-1234', env: 'prod' } },
];
const PARTITIONS = [
  ['111122223333', 'us-east-1'],
  ['111122223333', 'eu-west-1'],
  ['444455556666', 'us-east-1'],
  ['444455556666', 'eu-west-1'],
];
const resources = [];
for (let i = 0; i < N; i++) {
  const [accountId, region] = PARTITIONS[i % PARTITIONS.length];
  let x = ((i * 7919) % N) / N;
  const set = SETS.find((s) => (x -= s.share) < 0) ?? SETS[SETS.length - 1];
  const arn = `arn:aws:lambda:${region}:${accountId}:function:fn-${String(i).padStart(5, '0')}`;
  resources.push({ arn, accountId, region, service: 'lambda', resourceType: 'lambda:function', tags: { ...set.tags }, source: 'bench' });
}

const auditor = createAuditor(policy);
const planner = createPlanner({ policy, fixTypes: new Set(NON_PII_FIX_TYPES), maskTag: policyTagMasker(policy) });
for (const r of resources) planner.add(r, auditor.audit(r));
const plan = planner.finish({ createdAt: new Date().toISOString(), toolVersion: 'bench' });

// The fewest calls any applier can make: per account × region, per distinct payload (tags written, or keys removed).
let lowerBound = 0;
const payloads = new Set();
for (const [accountId, region] of PARTITIONS) {
  const counts = new Map();
  for (const r of plan.resources.filter((p) => p.accountId === accountId && p.region === region)) {
    const c = classify(r, userTags(resources.find((x) => x.arn === r.arn)?.tags), new Map());
    const writes = JSON.stringify(Object.entries(c.edits.writes).sort());
    const removes = JSON.stringify([...c.edits.removes].sort());
    if (Object.keys(c.edits.writes).length) counts.set(`w${writes}`, (counts.get(`w${writes}`) ?? 0) + 1);
    if (c.edits.removes.length) counts.set(`r${removes}`, (counts.get(`r${removes}`) ?? 0) + 1);
  }
  for (const [k, n] of counts) {
    payloads.add(k);
    lowerBound += Math.ceil(n / 20);
  }
}

// A Tagging API stub: state per ARN, ResourceARNList honoured (as AWS does), every answer after LATENCY ms.
let state = new Map();
let calls = {};
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const op = String(req.headers['x-amz-target'] ?? '').split('.').pop();
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    calls[op] = (calls[op] ?? 0) + 1;
    let out = { FailedResourcesMap: {} };
    if (op === 'GetResources') {
      out = {
        ResourceTagMappingList: (body.ResourceARNList ?? [])
          .filter((a) => state.has(a))
          .map((a) => ({ ResourceARN: a, Tags: Object.entries(state.get(a)).map(([Key, Value]) => ({ Key, Value })) })),
      };
    } else if (op === 'TagResources') {
      for (const a of body.ResourceARNList) Object.assign(state.get(a), body.Tags);
    } else if (op === 'UntagResources') {
      for (const a of body.ResourceARNList) for (const k of body.TagKeys) delete state.get(a)[k];
    }
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(out));
    }, LATENCY);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const endpoint = `http://127.0.0.1:${server.address().port}`;

const clients = new Map();
const backend = async (accountId, region) => {
  const key = `${accountId}/${region}`;
  if (!clients.has(key)) {
    clients.set(key, new ResourceGroupsTaggingAPIClient({ endpoint, region, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 }));
  }
  const client = clients.get(key);
  return partitionBackend({ tagging: async () => client, sagemaker: async () => client, autoscaling: async () => client });
};

async function run(label, arnsPerCall) {
  state = new Map(resources.map((r) => [r.arn, { ...r.tags }]));
  calls = {};
  const dir = mkdtempSync(join(tmpdir(), 'tagaudit-bench-fix-'));
  const session = beginJournal({ path: join(dir, 'journal.jsonl'), kind: 'fix', plan, now: new Date(), tool: 'bench' });
  const t0 = performance.now();
  const result = await applyPlan({ plan, backend, journal: session.journal, vault: session.vault, secrets: session.secrets, arnsPerCall });
  const ms = performance.now() - t0;
  session.journal.close();
  session.vault.close();
  rmSync(dir, { recursive: true, force: true });
  const fixed = result.outcomes.filter((o) => o.status === 'fixed').length;
  const writes = (calls.TagResources ?? 0) + (calls.UntagResources ?? 0);
  const after = auditor.audit({ ...resources[0], tags: state.get(resources[0].arn) }).filter((f) => f.fix);
  if (fixed !== plan.resources.length || after.length > 0) throw new Error(`${label}: ${fixed} of ${plan.resources.length} fixed`);
  console.log(`${label.padEnd(30)} ${String(writes).padStart(6)} write calls (TagResources ${calls.TagResources ?? 0}, UntagResources ${calls.UntagResources ?? 0})  ${(ms / 1000).toFixed(2)} s`);
  return { writes, ms };
}

console.log(
  `${N} resources, ${plan.resources.length} to fix, ${PARTITIONS.length} account-regions, ${SETS.length} edit sets, ` +
    `${payloads.size} distinct write payloads; stub latency ${LATENCY} ms per call; node ${process.version}`,
);
try {
  const batched = await run('batched (≤ 20 ARNs a call)', 20);
  const baseline = await run('baseline (1 ARN a call)', 1);
  const ratio = batched.writes / lowerBound;
  console.log(`lower bound ${lowerBound} write calls; batched/lower bound = ${ratio.toFixed(3)} (goal ≤ 1.05)`);
  console.log(`apply wall time: batched ${(batched.ms / 1000).toFixed(2)} s vs baseline ${(baseline.ms / 1000).toFixed(2)} s = ${(baseline.ms / batched.ms).toFixed(1)}× faster; ${(baseline.writes / batched.writes).toFixed(1)}× fewer calls`);
  if (ratio > 1.05) process.exitCode = 1;
} finally {
  for (const c of clients.values()) c.destroy();
  server.close();
}
