#!/usr/bin/env node
// Writes a deterministic JSON Lines inventory for the scan benchmark: N resources (default 1,000,000), about ten tags
// each, about 30 % drifted against dictionaries/anycompany.yaml the way real estates drift.
//   node bench/make-inventory.mjs [count] [out]     (default out: bench/.data/inventory-<count>.jsonl)
import { createWriteStream, mkdirSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from '../scripts/prng.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const count = Number(process.argv[2] ?? 1_000_000);
const out = process.argv[3] ?? join(here, '.data', `inventory-${count}.jsonl`);

export function inventoryPath(n = count) {
  return join(here, '.data', `inventory-${n}.jsonl`);
}


const rand = prng(20240601);
const pick = (list) => list[Math.floor(rand() * list.length)];
const ACCOUNTS = ['111122223333', '444455556666', '777788889999'];
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2'];
const ENVS = { '111122223333': 'development', '444455556666': 'production', '777788889999': 'staging' };
const UNITS = ['Finance', 'Retail', 'Sales', 'DevOps', 'HR', 'Shared'];
const OWNERS = ['ml-platform', 'fraud-team', 'recsys-team', 'forecasting', 'SecOps', 'data-eng'];
const CLASSES = ['public', 'internal', 'confidential', 'restricted'];
const COST_KEYS = [
  'anycompany:workload:application-id',
  'anycompany:workload:environment',
  'anycompany:finance:owner',
  'anycompany:finance:business-unit',
  'anycompany:finance:cost-center',
];

function cleanTags(account, i) {
  return {
    'anycompany:workload:application-id': `app-${String(1000 + (i % 9000)).padStart(4, '0')}`,
    'anycompany:workload:environment': ENVS[account],
    'anycompany:finance:owner': pick(OWNERS),
    'anycompany:finance:business-unit': pick(UNITS),
    'anycompany:finance:cost-center': `${pick(['Sales-', 'HR-', ''])}${4000 + (i % 997)}`,
    'anycompany:security:data-classification': pick(CLASSES),
    'anycompany:workload:name': `wl-${i % 5000}`,
    'anycompany:workload:version': `v${i % 4}.${i % 10}.0`,
    'anycompany:operations:backup': pick(['none', 'daily', 'weekly']),
    'anycompany:automation:encryption': 'true',
  };
}

// Each drift is one mistake real estates show; a drifted resource gets one or two.
const DRIFTS = [
  (t) => rename(t, 'anycompany:finance:cost-center', 'CostCenter'),
  (t) => rename(t, 'anycompany:workload:environment', 'Environment'),
  (t) => rename(t, 'anycompany:workload:environment', 'env'),
  (t) => void (t['anycompany:workload:environment'] = pick(['Prod', 'prd', 'dev', 'PRODUCTION'])),
  (t) => void delete t['anycompany:finance:business-unit'],
  (t) => void delete t['anycompany:workload:application-id'],
  (t) => void (t['anycompany:finance:cost-center'] = ''),
  (t) => void (t['project'] = pick(['churn', 'fraud', 'recsys'])),
  (t) => void (t['anycompany:finance:owner'] = 'jane.doe@example.com'),
  (t) => void (t['anycompany:finance:business-unit'] = pick(['Fin', 'Ops', 'marketing'])),
];
function rename(t, from, to) {
  if (from in t) {
    t[to] = t[from];
    delete t[from];
  }
}

function resourceLine(i, tuningJob) {
  const roll = rand();
  // Only training jobs have a tuning job as parent; they live in its account and region.
  const parent = roll < 0.45 ? tuningJob : undefined;
  const account = parent?.account ?? ACCOUNTS[i % 3];
  const region = parent?.region ?? REGIONS[(i >> 2) % 3];
  let arn;
  let extra = '';
  if (roll < 0.45) {
    arn = `arn:aws:sagemaker:${region}:${account}:training-job/job-${i.toString(36)}`;
    extra = `,"state":"${pick(['Completed', 'Completed', 'Failed', 'InProgress'])}","createdAt":"2024-0${1 + (i % 9)}-1${i % 10}T08:00:00Z"`;
    if (parent) extra += `,"parentArns":[${JSON.stringify(parent.arn)}]`;
  } else if (roll < 0.55) arn = `arn:aws:sagemaker:${region}:${account}:model/model-${i.toString(36)}`;
  else if (roll < 0.6) arn = `arn:aws:sagemaker:${region}:${account}:endpoint/ep-${i.toString(36)}`;
  else if (roll < 0.75) arn = `arn:aws:s3:::bucket-${account}-${i.toString(36)}`;
  else if (roll < 0.9) arn = `arn:aws:lambda:${region}:${account}:function:fn-${i.toString(36)}`;
  else arn = `arn:aws:ec2:${region}:${account}:instance/i-${(0x10000000 + i).toString(16)}abcdef00`;
  // A job launched by a tuning job carries its cost-allocation tags (SageMaker copies them at launch).
  const tags = parent ? { ...cleanTags(account, i), ...parent.costTags } : cleanTags(account, i);
  if (rand() < 0.3) {
    pick(DRIFTS)(tags);
    if (rand() < 0.3) pick(DRIFTS)(tags);
  }
  return `{"arn":${JSON.stringify(arn)},"tags":${JSON.stringify(tags)}${extra}}\n`;
}

async function main() {
  if (existsSync(out) && statSync(out).size > 0 && !process.env.REGENERATE) {
    console.error(`${out} exists (REGENERATE=1 to rebuild)`);
    return;
  }
  mkdirSync(dirname(out), { recursive: true });
  const stream = createWriteStream(out);
  let buf = '';
  let tuning;
  for (let i = 0; i < count; i++) {
    // Every 200th resource is a tuning job; the next few training jobs name it as parent.
    if (i % 200 === 0) {
      const account = ACCOUNTS[(i / 200) % 3];
      const region = REGIONS[Math.floor(i / 600) % 3];
      const tags = cleanTags(account, i);
      const costTags = {};
      for (const k of COST_KEYS) costTags[k] = tags[k];
      tuning = { account, region, costTags, arn: `arn:aws:sagemaker:${region}:${account}:hyper-parameter-tuning-job/hpo-${i.toString(36)}` };
      buf += `{"arn":${JSON.stringify(tuning.arn)},"tags":${JSON.stringify(tags)}}\n`;
      continue;
    }
    buf += resourceLine(i, i % 200 < 20 ? tuning : undefined);
    if (buf.length > 1 << 20) {
      if (!stream.write(buf)) await new Promise((r) => stream.once('drain', r));
      buf = '';
    }
  }
  stream.write(buf);
  await new Promise((r) => stream.end(r));
  console.error(`wrote ${count} resources to ${out} (${(statSync(out).size / 1e6).toFixed(0)} MB)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
