#!/usr/bin/env node
// Micro-benchmark: detectPii over typical clean tags drawn from realistic key/value distributions.
//   npm run build && node bench/pii-speed.mjs [--tags 10000000] [--pii-share 0.01]
// Target: well under 100 ns per tag on average, so PII checks on 1M resources × ~10 tags cost ~1 s.
import { detectPii } from '../dist/pii/detect.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const TOTAL = opt('--tags', 10_000_000);
const PII_SHARE = opt('--pii-share', 0);

let seed = 42;
const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
const pick = (a) => a[Math.floor(rnd() * a.length)];
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
const account = () => String(int(100000000000, 999999999999));
const region = () => pick(['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2']);
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
const slug = () => `${pick(['churn', 'fraud', 'recsys', 'forecast', 'nlp', 'vision', 'pricing', 'ltv'])}-${pick(['model', 'training', 'features', 'etl', 'api', 'batch'])}`;
const date = () => `20${int(20, 25)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
const stamp = () => `${date()}-${String(int(0, 23)).padStart(2, '0')}-${String(int(0, 59)).padStart(2, '0')}-${String(int(0, 59)).padStart(2, '0')}-${int(100, 999)}`;

// [key, value generator, weight] — weights roughly follow tag frequency in ML-platform / FinOps estates.
const TAGS = [
  ['Name', () => `${slug()}-${pick(['prod', 'dev', 'stg'])}-${int(1, 40)}`, 10],
  ['Environment', () => pick(['prod', 'dev', 'staging', 'sandbox', 'test']), 9],
  ['env', () => pick(['prod', 'dev', 'stg']), 4],
  ['Owner', () => pick(['ml-platform', 'data-science', 'SecOps', 'FinOps', 'Platform Engineering', 'Data Platform', 'team-ml']), 7],
  ['Team', () => pick(['ml-platform', 'Workload-1-Development-team', 'risk-analytics', 'growth']), 5],
  ['CostCenter', () => pick([`CC-${int(1000, 99999)}`, String(int(1000, 9999)), `Sales-${int(1000, 9999)}`]), 8],
  ['Project', () => slug(), 6],
  ['Application', () => slug(), 4],
  ['ManagedBy', () => pick(['terraform', 'cloudformation', 'cdk', 'manual']), 4],
  ['DataClassification', () => pick(['public', 'internal', 'confidential', 'restricted']), 3],
  ['aws:cloudformation:stack-name', () => `${slug()}-stack`, 4],
  ['aws:cloudformation:stack-id', () => `arn:aws:cloudformation:${region()}:${account()}:stack/${slug()}-stack/${uuid()}`, 4],
  ['aws:cloudformation:logical-id', () => pick(['NotebookInstance', 'TrainingRole', 'ModelBucket', 'EndpointConfig']), 4],
  ['sagemaker:domain-arn', () => `arn:aws:sagemaker:${region()}:${account()}:domain/d-${hex(12)}`, 2],
  ['sagemaker:user-profile-arn', () => `arn:aws:sagemaker:${region()}:${account()}:user-profile/d-${hex(12)}/${pick(['jdoe', 'asmith', 'default'])}`, 1],
  ['TrainingJob', () => `${pick(['xgboost', 'pytorch', 'hf'])}-${slug()}-${stamp()}`, 2],
  ['CreatedDate', date, 3],
  ['CreatedAt', () => `${date()}T${String(int(0, 23)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}:00Z`, 2],
  ['Version', () => `${int(0, 9)}.${int(0, 30)}.${int(0, 99)}`, 3],
  ['GitCommit', () => hex(40), 1],
  ['BackupPolicy', () => pick(['daily-35d', 'weekly', 'none']), 2],
  ['Schedule', () => pick(['cron(0 18 ? * MON-FRI *)', '0 20 * * 1-5', 'rate(1 hour)']), 1],
  ['S3Path', () => `s3://${slug()}-${account()}/models/${slug()}/v${int(1, 9)}/`, 1],
  ['ExecutionId', uuid, 2],
  ['InstanceId', () => `i-0${hex(16)}`, 1],
  ['SubnetCidr', () => `10.${int(0, 255)}.${int(0, 255)}.0/${pick([16, 20, 24])}`, 1],
  ['Purpose', () => pick(['Nightly batch inference for churn scores', 'Feature store offline tables', 'Temporary bucket, delete after Q3']), 1],
  ['PurchaseOrder', () => String(int(4500000000, 4509999999)), 1],
  ['AccountId', account, 1],
  ['map-migrated', () => `mig${int(10000, 99999)}`, 1],
];
const PII = [
  ['owner', () => `${pick(['jane.doe', 'priya.n', 'carlos.m'])}@example.com`],
  ['oncall', () => `+1 206 555 01${int(10, 99)}`],
  ['notes', () => `ssh to 10.0.${int(0, 255)}.${int(1, 254)}`],
  ['approver', () => pick(['Jane Doe', 'Wei Zhang', 'Priya Natarajan'])],
];

const weighted = TAGS.flatMap((t) => Array(t[2]).fill(t));
const N = 200_000;
const keys = new Array(N);
const values = new Array(N);
for (let i = 0; i < N; i++) {
  const [k, gen] = rnd() < PII_SHARE ? pick(PII) : pick(weighted);
  keys[i] = k;
  values[i] = gen();
}

// Calibration: the cheapest possible per-tag work (read every character of key and value once), so numbers from a
// loaded or slow machine can be compared with the target.
const touch = (s) => {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h + s.charCodeAt(i)) | 0;
  return h;
};
const timed = (fn) => {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = fn();
  const wall = Number(process.hrtime.bigint() - t0);
  const c = process.cpuUsage(c0);
  return { r, wall, cpu: (c.user + c.system) * 1000 };
};

for (let i = 0; i < N; i++) detectPii(keys[i], values[i]); // warm-up, fills the key cache
const base = timed(() => {
  let h = 0;
  for (let i = 0; i < TOTAL; i++) {
    const j = i % N;
    h ^= touch(keys[j]) + touch(values[j]);
  }
  return h;
});
const run = timed(() => {
  let n = 0;
  for (let i = 0; i < TOTAL; i++) {
    const j = i % N;
    n += detectPii(keys[j], values[j]).length;
  }
  return n;
});
const per = (x) => (x / TOTAL).toFixed(1);
console.log(`${TOTAL.toLocaleString()} tags (${N.toLocaleString()} distinct, PII share ${PII_SHARE}), ${run.r} hits`);
console.log(`detectPii:   ${(run.wall / 1e9).toFixed(2)} s wall, ${per(run.wall)} ns/tag wall, ${per(run.cpu)} ns/tag CPU`);
console.log(`calibration: ${per(base.wall)} ns/tag wall, ${per(base.cpu)} ns/tag CPU (read every character once)`);
console.log(`detectPii costs ${(run.cpu / base.cpu).toFixed(1)}× a single read of the tag`);
