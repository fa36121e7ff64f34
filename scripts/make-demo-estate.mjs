#!/usr/bin/env node
// Generates the bundled demo estate, deterministically (seeded PRNG, fixed clock):
//   examples/demo-estate.jsonl   ~300 resources, accounts 111122223333 (ml-dev) and 444455556666 (ml-prod) ×
//                                us-east-1 and eu-west-1; SageMaker-heavy, with parent links, job states and
//                                creation times; drifted against dictionaries/anycompany.yaml as real estates drift.
//   examples/get-resources.json  a small sample in the shape `aws resourcegroupstaggingapi get-resources` prints.
// Run: node scripts/make-demo-estate.mjs [OUT_DIR]   (default examples/; a test checks the committed files match)
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from './prng.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.argv[2] ?? join(root, 'examples');

const rand = prng(42);
const pick = (list) => list[Math.floor(rand() * list.length)];
const chance = (p) => rand() < p;
const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');

const K = {
  app: 'anycompany:workload:application-id',
  env: 'anycompany:workload:environment',
  owner: 'anycompany:finance:owner',
  bu: 'anycompany:finance:business-unit',
  cc: 'anycompany:finance:cost-center',
  dc: 'anycompany:security:data-classification',
  enc: 'anycompany:automation:encryption',
  name: 'anycompany:workload:name',
  cluster: 'anycompany:workload:cluster',
  version: 'anycompany:workload:version',
  backup: 'anycompany:operations:backup',
  framework: 'anycompany:regulatory:framework',
};

const ACCOUNTS = [
  { id: '111122223333', env: 'development', label: 'dev' },
  { id: '444455556666', env: 'production', label: 'prod' },
];
const REGIONS = ['us-east-1', 'eu-west-1'];
const APPS = [
  { short: 'fraud', id: 'app-1042', owner: 'fraud-ml', bu: 'Finance', cc: 'Finance-5045', dc: 'confidential', framework: 'PCI-DSS', regions: ['us-east-1', 'eu-west-1'] },
  { short: 'churn', id: 'app-2210', owner: 'growth-ds', bu: 'Sales', cc: 'Sales-5120', dc: 'internal', regions: ['us-east-1'] },
  { short: 'recsys', id: 'app-3307', owner: 'recsys-team', bu: 'Retail', cc: 'Retail-4410', dc: 'internal', regions: ['us-east-1', 'eu-west-1'] },
  { short: 'forecast', id: 'app-4120', owner: 'forecasting', bu: 'Retail', cc: 'Retail-4415', dc: 'internal', regions: ['eu-west-1'] },
];
const PLATFORM = { short: 'platform', id: 'app-0001', owner: 'ml-platform', bu: 'Shared', cc: 'Shared-1000', dc: 'internal' };

// 2024-03-01 .. 2024-05-31, so job ages look like a quarter of activity.
const START = Date.UTC(2024, 2, 1);
const SPAN = 92 * 86400_000;
const timeAt = () => new Date(START + Math.floor(rand() * SPAN / 1000) * 1000);
const iso = (d) => d.toISOString().replace('.000Z', 'Z');
const stamp = (d) => iso(d).slice(0, 19).replace(/[T:]/g, '-');

const resources = [];
function add(r) {
  resources.push(r);
  return r;
}
const sm = (region, account, type, name) => `arn:aws:sagemaker:${region}:${account.id}:${type}/${name}`;

/** The tags a well-run team puts on a resource of an application. */
function baseTags(app, account, extra = {}) {
  return { [K.app]: app.id, [K.env]: account.env, [K.owner]: app.owner, [K.bu]: app.bu, [K.cc]: app.cc, [K.dc]: app.dc, ...extra };
}

/**
 * The drift real estates show, each applied to a share of resources: console-typed keys (CostCenter,
 * Environment, env), values typed by hand (Prod, prd, dev), forgotten mandatory keys, blanks, team habits.
 */
const DRIFTS = [
  ['CostCenter instead of the canonical key', (t) => rename(t, K.cc, 'CostCenter')],
  ['Environment instead of the canonical key', (t) => rename(t, K.env, 'Environment')],
  ['env instead of the canonical key', (t) => rename(t, K.env, 'env')],
  ['Owner instead of the canonical key', (t) => rename(t, K.owner, 'Owner')],
  ['canonical key typed with capitals', (t) => rename(t, K.owner, 'anycompany:finance:Owner')],
  ['canonical key typed in camel case', (t) => rename(t, K.bu, 'anycompany:finance:businessUnit')],
  ['environment value typed by hand', (t) => t[K.env] !== undefined && (t[K.env] = pick(t[K.env] === 'production' ? ['Prod', 'prd', 'PRODUCTION', 'prod'] : ['dev', 'Dev', 'Development']))],
  ['business unit abbreviated', (t) => t[K.bu] !== undefined && (t[K.bu] = pick(['Fin', 'retail', 'sales', 'Ops']))],
  ['cost center forgotten', (t) => delete t[K.cc]],
  ['application id forgotten', (t) => delete t[K.app]],
  ['data classification forgotten', (t) => delete t[K.dc]],
  ['cost center left blank', (t) => t[K.cc] !== undefined && (t[K.cc] = '')],
  ['cost center without its format', (t) => t[K.cc] !== undefined && (t[K.cc] = t[K.cc].replace(/^[A-Za-z]+-/, '').replace(/^(\d)/, 'cc-$1'))],
  ['a team key outside the dictionary', (t) => (t[pick(['project', 'jira', 'created-by', 'experiment'])] = pick(['q2-refresh', 'MLP-1423', 'terraform', 'baseline-v2']))],
  ['classification with a synonym', (t) => t[K.dc] !== undefined && (t[K.dc] = pick(['Confidential', 'private', 'Internal']))],
];
function rename(t, from, to) {
  if (t[from] === undefined) return;
  t[to] = t[from];
  delete t[from];
}
function drift(tags, p = 0.4) {
  if (!chance(p)) return tags;
  pick(DRIFTS)[1](tags);
  if (chance(0.25)) pick(DRIFTS)[1](tags);
  return tags;
}

function jobState() {
  return pick(['Completed', 'Completed', 'Completed', 'Completed', 'Failed', 'Stopped', 'InProgress']);
}

for (const account of ACCOUNTS) {
  // One Studio domain per account, in the home region, with a user profile per team.
  const home = 'us-east-1';
  const domainId = `d-${hex(12)}`;
  const domain = add({
    arn: sm(home, account, 'domain', domainId),
    tags: drift(baseTags(PLATFORM, account, { [K.name]: `studio-${account.label}` }), 0.2),
    state: 'InService',
    createdAt: iso(new Date(START - 200 * 86400_000)),
  });
  const profiles = new Map();
  for (const app of APPS) {
    const profile = add({
      arn: sm(home, account, 'user-profile', `${domainId}/${app.owner}`),
      tags: drift(baseTags(app, account), 0.2),
      state: 'InService',
      createdAt: iso(new Date(START - 150 * 86400_000)),
    });
    profiles.set(app.short, profile);
  }

  for (const region of REGIONS) {
    for (const app of APPS.filter((a) => a.regions.includes(region))) {
      const studio = { 'sagemaker:domain-arn': domain.arn, 'sagemaker:user-profile-arn': profiles.get(app.short).arn };
      const pipeline = add({
        arn: sm(region, account, 'pipeline', `${app.short}-training-pipeline`),
        tags: drift(baseTags(app, account, { [K.version]: `v${1 + Math.floor(rand() * 3)}.${Math.floor(rand() * 6)}.0` }), 0.3),
        createdAt: iso(new Date(START - 60 * 86400_000)),
      });

      // Hyper-parameter tuning: the tuning job's tags reach the training jobs it launches, at launch time only.
      for (let h = 0; h < (account.label === 'dev' ? 2 : 1); h++) {
        const created = timeAt();
        const hpoName = `${app.short}-hpo-${stamp(created).slice(2, 10).replace(/-/g, '')}-${h}`;
        const hpoTags = drift(baseTags(app, account, studio), 0.2);
        const hpo = add({ arn: sm(region, account, 'hyper-parameter-tuning-job', hpoName), tags: hpoTags, state: pick(['Completed', 'Completed', 'InProgress']), createdAt: iso(created) });
        const n = 3 + Math.floor(rand() * 3);
        for (let j = 1; j <= n; j++) {
          // Children carry what the tuning job had when they were launched; someone fixed the parent later.
          const inherited = { ...hpoTags };
          if (chance(0.2) && inherited[K.cc] !== undefined) inherited[K.cc] = pick(['Finance-5044', 'Sales-5100', '9999']);
          add({
            arn: sm(region, account, 'training-job', `${hpoName}-${String(j).padStart(3, '0')}-${hex(8)}`),
            tags: drift(inherited, 0.15),
            state: jobState(),
            createdAt: iso(new Date(created.getTime() + j * 600_000)),
            parentArns: [hpo.arn],
          });
        }
      }

      // Pipeline runs: processing and training steps; a few hand-launched experiments besides.
      for (let run = 0; run < 2; run++) {
        const created = timeAt();
        const exec = hex(12);
        for (const step of ['preprocess', 'train', 'evaluate']) {
          const type = step === 'train' ? 'training-job' : 'processing-job';
          add({
            arn: sm(region, account, type, `pipelines-${exec}-${step}-${hex(10)}`),
            tags: drift(baseTags(app, account, { 'sagemaker:pipeline-step-name': step }), 0.3),
            state: jobState(),
            createdAt: iso(created),
            parentArns: [pipeline.arn],
          });
        }
      }
      for (let x = 0; x < (account.label === 'dev' ? 3 : 1); x++) {
        const created = timeAt();
        // Hand-launched notebooks experiments: the least disciplined tags in any estate.
        const tags = drift(baseTags(app, account, studio), 0.7);
        add({ arn: sm(region, account, 'training-job', `${app.short}-exp-${stamp(created)}`), tags, state: jobState(), createdAt: iso(created) });
      }

      // Serving: model → endpoint config → endpoint; batch transform from the model; registry.
      const group = add({
        arn: sm(region, account, 'model-package-group', `${app.short}-models`),
        tags: drift(baseTags(app, account), 0.2),
        createdAt: iso(new Date(START - 90 * 86400_000)),
      });
      for (let v = 1; v <= 2; v++) {
        add({
          arn: sm(region, account, 'model-package', `${app.short}-models/${v}`),
          tags: drift(baseTags(app, account, { [K.version]: `v${v}.0.0` }), 0.3),
          state: v === 2 ? 'Approved' : 'Rejected',
          createdAt: iso(timeAt()),
          parentArns: [group.arn],
        });
      }
      const modelCreated = timeAt();
      const model = add({
        arn: sm(region, account, 'model', `${app.short}-model-${stamp(modelCreated)}`),
        tags: drift(baseTags(app, account, { [K.version]: `v2.${Math.floor(rand() * 4)}.0` }), 0.3),
        createdAt: iso(modelCreated),
      });
      const config = add({
        arn: sm(region, account, 'endpoint-config', `${app.short}-config-${stamp(modelCreated)}`),
        tags: drift(baseTags(app, account), 0.3),
        createdAt: iso(modelCreated),
        parentArns: [model.arn],
      });
      if (account.label === 'prod' || app.short === 'fraud') {
        add({
          arn: sm(region, account, 'endpoint', `${app.short}-${account.label === 'prod' ? 'live' : 'staging'}`),
          tags: drift(baseTags(app, account, { [K.backup]: 'none' }), 0.4),
          state: 'InService',
          createdAt: iso(modelCreated),
          parentArns: [config.arn],
        });
      }
      add({
        arn: sm(region, account, 'transform-job', `${app.short}-batch-${stamp(timeAt())}`),
        tags: drift(baseTags(app, account), 0.4),
        state: jobState(),
        createdAt: iso(timeAt()),
        parentArns: [model.arn],
      });

      // The data and glue around the models.
      add({
        arn: `arn:aws:s3:::anycompany-${app.short}-${account.label}-${region}-data`,
        accountId: account.id,
        region,
        tags: drift(baseTags(app, account, { [K.enc]: 'true', [K.backup]: pick(['daily', 'weekly', 'nightly']) }), 0.4),
        createdAt: iso(new Date(START - 300 * 86400_000)),
      });
      add({
        arn: `arn:aws:lambda:${region}:${account.id}:function:${app.short}-feature-refresh`,
        tags: drift(baseTags(app, account, { 'aws:cloudformation:stack-name': `${app.short}-features` }), 0.4),
        createdAt: iso(new Date(START - 120 * 86400_000)),
      });
    }

    // Per account and region: notebooks, an ingest instance, a feature database, the artifact bucket.
    for (const owner of ['data-eng', 'research']) {
      add({
        arn: sm(region, account, 'notebook-instance', `${owner}-${region.split('-')[1]}-${hex(4)}`),
        tags: drift(baseTags({ ...PLATFORM, owner }, account), 0.6),
        state: pick(['InService', 'Stopped']),
        createdAt: iso(timeAt()),
      });
    }
    add({
      arn: `arn:aws:ec2:${region}:${account.id}:instance/i-0${hex(16)}`,
      tags: drift(baseTags(PLATFORM, account, { Name: `ingest-${account.label}-${region}`, [K.cluster]: 'ingest' }), 0.5),
      state: 'running',
      createdAt: iso(new Date(START - 45 * 86400_000)),
    });
    add({
      arn: `arn:aws:rds:${region}:${account.id}:db:features-${account.label}`,
      tags: drift(baseTags(PLATFORM, account, { [K.backup]: 'daily', [K.enc]: pick(['true', 'yes', 'enabled']) }), 0.4),
      createdAt: iso(new Date(START - 400 * 86400_000)),
    });
    add({
      arn: `arn:aws:s3:::anycompany-ml-artifacts-${account.label}-${region}`,
      accountId: account.id,
      region,
      tags: drift(baseTags(PLATFORM, account, { [K.enc]: 'true' }), 0.3),
      createdAt: iso(new Date(START - 500 * 86400_000)),
    });
  }
}

// Hand-placed cases every demo should show.
const byArn = (suffix) => {
  const r = resources.find((x) => x.arn.endsWith(suffix));
  if (!r) throw new Error(`demo estate: no resource ending with ${suffix}`);
  return r;
};
{
  // PII: a person as owner, a phone number in an on-call tag, a team list that the dictionary allows.
  const nb = resources.find((r) => r.arn.includes(':notebook-instance/research-') && r.arn.includes(':111122223333:'));
  nb.tags = { ...nb.tags, [K.owner]: 'jane.doe@anycompany.com' };
  const fn = byArn(':function:fraud-feature-refresh');
  fn.tags = { ...fn.tags, oncall: '+1 206 555 0142' };
  const ep = byArn(':endpoint/fraud-live');
  ep.tags = { ...ep.tags, contact: 'ml-oncall@lists.anycompany.com' };
  // Two spellings of one key with different values: which is right is for a person to say.
  const ep2 = byArn(':endpoint/recsys-live');
  delete ep2.tags[K.env];
  ep2.tags = { ...ep2.tags, env: 'prd', environment: 'production' };
  // An ingest instance tagged by a Kubernetes-era tool, three tags away from the 50-tag limit.
  const ec2 = resources.find((r) => r.arn.includes(':ec2:us-east-1:444455556666:'));
  const labels = {};
  for (let i = 0; Object.keys(ec2.tags).length + Object.keys(labels).length < 47; i++) labels[`k8s.anycompany.com/label-${String(i).padStart(2, '0')}`] = `v${i}`;
  ec2.tags = { ...ec2.tags, ...labels, 'aws:autoscaling:groupName': 'ingest-asg' };
  // A training job listed before the tuning job that launched it (exports are not ordered).
  const child = resources.findIndex((r) => r.arn.includes(':444455556666:training-job/recsys-hpo-'));
  const [moved] = resources.splice(child, 1);
  const parentAt = resources.findIndex((r) => r.arn === moved.parentArns[0]);
  resources.splice(parentAt, 0, moved);
}

const lines = resources.map((r) => {
  const { arn, accountId, region, tags, state, createdAt, parentArns } = r;
  return JSON.stringify({ arn, ...(accountId ? { accountId, region } : {}), tags, ...(state ? { state } : {}), ...(createdAt ? { createdAt } : {}), ...(parentArns ? { parentArns } : {}) });
});
writeFileSync(join(outDir, 'demo-estate.jsonl'), `${lines.join('\n')}\n`);

// The AWS CLI shape: what `aws resourcegroupstaggingapi get-resources --region eu-west-1` prints (one account,
// one region, a few resources; no parent links, states or times: the Tagging API has none).
const sample = resources.filter((r) => r.arn.includes(':eu-west-1:111122223333:')).slice(0, 12);
const doc = {
  PaginationToken: '',
  ResourceTagMappingList: sample.map((r) => ({ ResourceARN: r.arn, Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })) })),
};
writeFileSync(join(outDir, 'get-resources.json'), `${JSON.stringify(doc, null, 4)}\n`);

const count = (pred) => resources.filter(pred).length;
console.error(
  `examples/demo-estate.jsonl: ${resources.length} resources (${count((r) => r.arn.includes(':sagemaker:'))} SageMaker), ` +
    `examples/get-resources.json: ${sample.length}`,
);
