import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync, ftruncateSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runFix, type FixOptions } from '../../../src/fix/fix-command.js';
import { NON_PII_FIX_TYPES, type FixPlan } from '../../../src/fix/plan.js';
import { checkPlanTags } from '../../../src/fix/plan-tags.js';
import { Invalid } from '../../../src/fix/plan-invalid.js';
import { tagDigest } from '../../../src/fix/digest.js';
import type { CliDeps } from '../../../src/cli/deps.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { bufferOut, runCli } from '../../support/cli.js';
import { MemoryCloud } from './memory-cloud.js';
import { tempDir } from './run.js';

// docs/fixing.md, "The plan file": a plan file edited by hand loads only if it is safe — no edit drops a value it has
// not copied where it belongs. Each case below is an edit a planner never makes (acceptance s14, D1–D6, D15).

const DICT = resolve('dictionaries/anycompany.yaml');
const EMAIL = 'jane.doe@example.com';
const BU = 'anycompany:finance:business-unit';
const DC = 'anycompany:security:data-classification';
const LAMBDA = 'arn:aws:lambda:us-east-1:111122223333:function:pe-0';
const MODEL = 'arn:aws:sagemaker:us-east-1:111122223333:model/m';
const CONFIG = 'arn:aws:sagemaker:us-east-1:111122223333:endpoint-config/c';
const LAMBDA_TAGS = {
  CostCenter: 'Sales-5120',
  Owner: 'ml-team',
  env: 'prod',
  [BU]: 'Sales',
  [DC]: 'Internal',
  'anycompany:workload:application-id': 'app-0001',
  contact: EMAIL,
};

type Json = Record<string, unknown>;
type Edit = Json & { op: string; type: string };
type Resource = { arn: string; expectedTags: Json[]; edits: Edit[]; parentArns?: string[] };
type Plan = { dictionary: { sha256: string }; resources: Resource[] };

let made: { dir: string; text: string };

beforeAll(async () => {
  const dir = tempDir();
  const inventory = join(dir, 'estate.jsonl');
  const lines = [
    { arn: LAMBDA, tags: LAMBDA_TAGS },
    { arn: MODEL, tags: { [BU]: 'HR' } },
    { arn: CONFIG, tags: { [BU]: 'Sales' }, parentArns: [MODEL] },
  ];
  writeFileSync(inventory, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const r = await runCli(['fix', '-d', DICT, '-i', inventory, '--fix-pii', 'remove', '--plan-out', 'plan.json'], { cwd: dir });
  expect(r.code).toBe(1);
  made = { dir, text: readFileSync(join(dir, 'plan.json'), 'utf8') };
});

function fresh(): Plan {
  return JSON.parse(made.text) as Plan;
}

function resourceOf(plan: Plan, arn: string): Resource {
  const r = plan.resources.find((x) => x.arn === arn);
  expect(r, arn).toBeDefined();
  return r!;
}

function editOf(r: Resource, match: (e: Edit) => boolean): Edit {
  const e = r.edits.find(match);
  expect(e).toBeDefined();
  return e!;
}

/** Saves the plan in a directory of its own; returns it and the text. */
function save(plan: unknown): { dir: string; text: string } {
  const dir = tempDir();
  const text = `${JSON.stringify(plan, null, 2)}\n`;
  writeFileSync(join(dir, 'plan.json'), text);
  return { dir, text };
}

/** `fix --plan plan.json` (a dry run) on a saved plan. */
async function load(plan: unknown, ...flags: string[]): Promise<{ code: number; stderr: string; stdout: string; text: string }> {
  const { dir, text } = save(plan);
  const r = await runCli(['fix', '-d', DICT, '--plan', 'plan.json', ...flags], { cwd: dir });
  return { ...r, text };
}

/**
 * Expects one refusal line, exit 2: `plan.json:L:C: <message> (at <path>)`, where L:C is the start of the value
 * `startsWith` names in the file (a field's value, or the key of an object member).
 */
function expectRefusal(r: { code: number; stderr: string; text: string }, message: string, path: string, startsWith: string): void {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  const m = /plan\.json:(\d+):(\d+): (.*)$/.exec(lines[0]!);
  expect(m, r.stderr).not.toBeNull();
  expect(m![3]).toContain(message);
  expect(m![3]).toContain(`(at ${path})`);
  const line = r.text.split('\n')[Number(m![1]) - 1]!;
  expect(line.slice(Number(m![2]) - 1)).toMatch(new RegExp(`^${startsWith.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  expect(r.stderr + r.text).not.toContain(EMAIL.slice(1));
}

const noClients = (): ClientFactory => {
  throw new Error('no AWS in this test');
};

function applyOptions(): FixOptions {
  return {
    scan: { dictionary: DICT, inventories: [], strictInventory: false, format: 'table', failOn: 'error', colorFlag: false, quiet: false },
    apply: true,
    yes: true,
    planFile: 'plan.json',
    journal: 'j.jsonl',
    fixTypes: new Set(NON_PII_FIX_TYPES),
    fixTypesGiven: false,
    liveFlags: [],
  };
}

function deps(dir: string): CliDeps {
  return { stdout: bufferOut(), stderr: bufferOut(), env: {}, cwd: dir, now: () => new Date('2024-06-01T12:00:00Z'), interactive: false };
}

describe('fix --plan: a plan that loads is a safe plan', () => {
  it('the plan as saved loads (a rename, a normalisation, a PII removal, an inherit naming its parent)', async () => {
    const plan = fresh();
    const config = resourceOf(plan, CONFIG);
    expect(editOf(config, (e) => e.type === 'inherit')).toMatchObject({ op: 'set', key: BU, expected: 'Sales', value: 'HR', parentArn: MODEL });
    const r = await load(plan);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });

  it('D1: a rename onto a key that expectedTags show holding another value is refused at "to", before any write', async () => {
    const plan = fresh();
    const lambda = resourceOf(plan, LAMBDA);
    lambda.edits = [{ op: 'rename', type: 'rename-key', from: 'Owner', to: BU, expected: 'ml-team', value: 'ml-team' }];
    const r = await load(plan);
    expectRefusal(r, "this rename writes onto a key that the resource's expectedTags show holding another value, which would be lost", 'resources.0.edits.0.to', `"${BU}"`);

    const { dir } = save(plan);
    const cloud = new MemoryCloud({ [LAMBDA]: { ...LAMBDA_TAGS } });
    await expect(runFix(applyOptions(), deps(dir), { clients: noClients, backend: cloud.backend() })).rejects.toThrow(/holding another value/);
    expect(cloud.writes()).toEqual([]);
  });

  it('D1: an add of a key the resource holds is refused (it would overwrite the value)', async () => {
    const plan = fresh();
    resourceOf(plan, LAMBDA).edits = [{ op: 'add', type: 'add-default', key: DC, value: 'internal' }];
    expectRefusal(await load(plan), 'this add writes a key the resource already holds', 'resources.0.edits.0.key', `"${DC}"`);
  });

  it('D2: a pii-remove of a tag that holds no personal data is refused, whether its digest is on the edit alone or on expectedTags too', async () => {
    const plan = fresh();
    const lambda = resourceOf(plan, LAMBDA);
    const digest = tagDigest('CostCenter', 'Sales-5120');
    lambda.edits = [{ op: 'remove', type: 'pii-remove', key: 'CostCenter', expected: 'Sales-5120', digest }];
    lambda.expectedTags = lambda.expectedTags.map((t) => (t.key === 'CostCenter' ? { ...t, digest } : t));
    const r = await load(plan);
    expectRefusal(r, "this pii-remove edit names a tag that holds no personal data under the dictionary's PII settings", 'resources.0.edits.0.key', '"CostCenter"');

    // The labels masked on the edit, the tag shown as it is in expectedTags (no digest there): still its text.
    const masked = fresh();
    resourceOf(masked, LAMBDA).edits = [{ op: 'remove', type: 'pii-remove', key: 'C*********', expected: 'S***-5120', digest }];
    expectRefusal(await load(masked), 'holds no personal data', 'resources.0.edits.0.digest', '{');
  });

  // Both the edit and expectedTags show the tag only masked: the loader cannot judge it, the applier does.
  it('D2: a pii-remove whose labels are all masks, of a tag that holds no personal data, is refused when applied, nothing written', async () => {
    const plan = fresh();
    const lambda = resourceOf(plan, LAMBDA);
    const digest = tagDigest('CostCenter', 'Sales-5120');
    lambda.edits = [{ op: 'remove', type: 'pii-remove', key: 'C*********', expected: 'S***-5120', digest }];
    lambda.expectedTags = lambda.expectedTags.map((t) => (t.key === 'CostCenter' ? { key: 'C*********', value: 'S***-5120', digest } : t));
    plan.resources = [lambda];
    const { dir } = save(plan);
    const cloud = new MemoryCloud({ [LAMBDA]: { ...LAMBDA_TAGS } });
    const d = deps(dir);
    const out = d.stdout as ReturnType<typeof bufferOut>;
    const err = d.stderr as ReturnType<typeof bufferOut>;
    const code = await runFix(applyOptions(), d, { clients: noClients, backend: cloud.backend() });
    expect(code).toBe(1);
    expect(cloud.writes()).toEqual([]);
    expect(out.text()).toContain("the plan's pii-remove edit names tag CostCenter, which holds no personal data");
    expect(out.text() + err.text()).not.toContain(EMAIL.slice(1));
  });

  it('D2: a pii-remove showing the personal data as it is, or labelled with neither the text nor a mask, is refused', async () => {
    const plan = fresh();
    const pii = editOf(resourceOf(plan, LAMBDA), (e) => e.type === 'pii-remove');
    pii.expected = EMAIL;
    const shown = await load(plan);
    expect(shown.code).toBe(2);
    expect(shown.stderr).toContain("this pii-remove edit's tag is shown unmasked (email: j");
    expect(shown.stderr).not.toContain(EMAIL);

    pii.expected = 'someone';
    expectRefusal(await load(plan), `this pii-remove edit's "expected" is neither the text of the tag its digest names nor a mask of it`, 'resources.0.edits.4.expected', '"someone"');
  });

  it('D2: with a dictionary whose PII detection is off, a PII removal is refused', async () => {
    const plan = fresh();
    const off = join(tempDir(), 'no-pii.yaml');
    writeFileSync(off, readFileSync(DICT, 'utf8').replace(/^pii:\n {2}(#.*\n {2})*enabled: true/m, (m) => m.replace('enabled: true', 'enabled: false')));
    expect(readFileSync(off, 'utf8')).toContain('enabled: false');
    const { dir, text } = save(plan);
    const r = await runCli(['fix', '-d', off, '--plan', 'plan.json'], { cwd: dir });
    const refusal = r.stderr.trim().split('\n').at(-1)!;
    expect(r.code).toBe(2);
    expect(refusal).toContain('PII detection off (pii.enabled: false): it sees no personal data to be removed (at resources.0.edits.4.type)');
    expect(text).toContain('"pii-remove"');
  });

  it('D3: a rename whose value was changed without a value-changing type is refused at "value"', async () => {
    const plan = fresh();
    const rename = editOf(resourceOf(plan, LAMBDA), (e) => e.from === 'CostCenter');
    expect(rename.valueType).toBeUndefined();
    rename.value = 'Fin-9999';
    expectRefusal(await load(plan), 'a rename without "valueType" moves the value as it is: "value" must be "expected"', 'resources.0.edits.0.value', '"Fin-9999"');
  });

  it('D4: a normalize-value must write the form the dictionary gives the value it replaces, not any canonical value', async () => {
    const plan = fresh();
    const normalize = editOf(resourceOf(plan, LAMBDA), (e) => e.type === 'normalize-value' && e.key === DC);
    expect(normalize.value).toBe('internal');
    normalize.value = 'public';
    expectRefusal(await load(plan), `the dictionary's form of "Internal" for ${DC} is "internal", not "public" (the plan was changed since it was made)`, 'resources.0.edits.3.value', '"public"');

    // The same on a rename that normalises (env=prod → environment=production).
    const renamed = fresh();
    const rename = editOf(resourceOf(renamed, LAMBDA), (e) => e.valueType === 'normalize-value');
    rename.value = 'staging';
    expectRefusal(await load(renamed), 'the dictionary\'s form of "prod" for anycompany:workload:environment is "production", not "staging"', 'resources.0.edits.2.value', '"staging"');
  });

  it('D4: a rename to another key than the one its old key means is refused (with the plan\'s dictionary)', async () => {
    const plan = fresh();
    editOf(resourceOf(plan, LAMBDA), (e) => e.from === 'Owner').to = 'anycompany:workload:name';
    expectRefusal(await load(plan), 'Owner means anycompany:finance:owner in the dictionary, not anycompany:workload:name', 'resources.0.edits.1.to', '"anycompany:workload:name"');
  });

  it('D4: an inherit over a value needs a child and its parent: none on a resource without parents, no parent the resource lacks, none unnamed', async () => {
    const orphan = fresh();
    resourceOf(orphan, LAMBDA).edits = [{ op: 'set', type: 'inherit', key: BU, expected: 'Sales', value: 'HR' }];
    expectRefusal(await load(orphan), 'this edit writes a parent\'s value (inherit), but the resource names no parent ("parentArns")', 'resources.0.edits.0.type', '"inherit"');

    const stranger = fresh();
    const inherit = editOf(resourceOf(stranger, CONFIG), (e) => e.type === 'inherit');
    inherit.parentArn = 'arn:aws:sagemaker:us-east-1:111122223333:model/other';
    const at = stranger.resources.findIndex((x) => x.arn === CONFIG);
    const j = resourceOf(stranger, CONFIG).edits.indexOf(inherit);
    expectRefusal(await load(stranger), `"parentArn" is not one of the resource's "parentArns"`, `resources.${at}.edits.${j}.parentArn`, '"arn:aws:sagemaker:us-east-1:111122223333:model/other"');

    const unnamed = fresh();
    delete editOf(resourceOf(unnamed, CONFIG), (e) => e.type === 'inherit').parentArn;
    const r = await load(unnamed);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('this edit writes a parent\'s value over "Sales" but names no parent it copies it from ("parentArn")');
    expect(r.stderr).toContain(`(at resources.${at}.edits.${j})`);
  });

  it('D4: a parent named in another case (SageMaker) is that parent', async () => {
    const plan = fresh();
    editOf(resourceOf(plan, CONFIG), (e) => e.type === 'inherit').parentArn = MODEL.toUpperCase().replace('ARN:AWS:SAGEMAKER', 'arn:aws:sagemaker');
    const r = await load(plan);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });

  it('an add-default over a value that is not blank is refused', async () => {
    const plan = fresh();
    resourceOf(plan, LAMBDA).edits = [{ op: 'set', type: 'add-default', key: DC, expected: 'Internal', value: 'internal' }];
    expectRefusal(await load(plan), 'an add-default only fills a blank value', 'resources.0.edits.0.expected', '"Internal"');
  });

  it('D5: an edit naming a tag that is not in expectedTags is refused: a PII digest matching none, a rename or set of another value or key', async () => {
    const digest = fresh();
    const pii = editOf(resourceOf(digest, LAMBDA), (e) => e.type === 'pii-remove') as Edit & { digest: { valueSha256: string } };
    pii.digest.valueSha256 = createHash('sha256').update('other').digest('hex');
    expectRefusal(await load(digest), `this pii-remove edit's "digest" names no tag in the resource's expectedTags`, 'resources.0.edits.4.digest', '{');

    const absent = fresh();
    resourceOf(absent, LAMBDA).edits = [{ op: 'rename', type: 'rename-key', from: 'Nope', to: 'anycompany:finance:owner', expected: 'x', value: 'x' }];
    expectRefusal(await load(absent), `"from" names no tag in the resource's expectedTags`, 'resources.0.edits.0.from', '"Nope"');

    const other = fresh();
    const set = editOf(resourceOf(other, LAMBDA), (e) => e.type === 'normalize-value' && e.key === DC);
    set.expected = 'INTERNAL';
    expectRefusal(await load(other), `"expected" is not the value the resource's expectedTags show for this key`, 'resources.0.edits.3.expected', '"INTERNAL"');
  });

  it('D6: with a dictionary checksum that is not the dictionary\'s, the note names the file once, shows both checksums and says the values went unchecked', async () => {
    const plan = fresh();
    plan.dictionary.sha256 = '0'.repeat(64);
    editOf(resourceOf(plan, LAMBDA), (e) => e.type === 'normalize-value' && e.key === DC).value = 'public';
    const r = await load(plan);
    expect(r.code).toBe(1);
    const note = r.stderr.trim().split('\n');
    expect(note).toHaveLength(1);
    const sha = createHash('sha256').update(readFileSync(DICT)).digest('hex');
    expect(note[0]).toBe(
      `tagaudit: ${DICT} is not the dictionary the plan was made with (sha256 ${sha} here, ${'0'.repeat(64)} in the plan): ` +
        "the plan's add-default, normalize-value, inherit and rename values were not checked against it (only for personal data and against the plan's own tags) and are applied as reviewed; the check after applying uses it",
    );
  });

  it('D15: a key listed twice in expectedTags is refused at the second', async () => {
    const plan = fresh();
    const lambda = resourceOf(plan, LAMBDA);
    lambda.expectedTags.push({ key: 'CostCenter', value: 'Other-1111' });
    const j = lambda.expectedTags.length - 1;
    const r = await load(plan);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`this key appears twice in expectedTags (also at expectedTags.0): a resource holds each key once (at resources.0.expectedTags.${j}.key)`);
    const [, line] = /plan\.json:(\d+):/.exec(r.stderr)!;
    expect(r.text.split('\n')[Number(line) - 1]).toContain('"key": "CostCenter"');
    expect(r.text.split('\n')[Number(line)]).toContain('"Other-1111"');
  });

  it('D15: a plan file too large to read whole says so, with the limit', async () => {
    const dir = tempDir();
    const file = join(dir, 'plan.json');
    const fd = openSync(file, 'w');
    try {
      ftruncateSync(fd, bufferConstants.MAX_STRING_LENGTH + 1); // sparse: nothing is written or read
    } finally {
      closeSync(fd);
    }
    const r = await runCli(['fix', '-d', DICT, '--plan', 'plan.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tagaudit: \S*plan\.json: the plan file is too large \(limit 512 MiB, the longest text Node\.js can read\)\n$/);
  });
});

describe('checkPlanTags', () => {
  const base = (resourceType: string, arn: string, expectedTags: Json[], edits: Json[]): FixPlan =>
    ({ resources: [{ arn, accountId: '111122223333', region: 'global', resourceType, expectedTags, edits, ruleIds: [] }] }) as unknown as FixPlan;
  const problem = (plan: FixPlan): string | undefined => {
    try {
      checkPlanTags(plan);
      return undefined;
    } catch (err) {
      if (err instanceof Invalid) return `${err.message} @${err.path.join('.')}`;
      throw err;
    }
  };

  it('IAM keys ignore case: a rename onto another spelling of a key holding another value is refused; a case-only rename is not', () => {
    const user = 'arn:aws:iam::111122223333:user/alice';
    const onto = base('iam:user', user, [{ key: 'team', value: 'ml' }, { key: 'owner', value: 'data' }], [
      { op: 'rename', type: 'rename-key', from: 'team', to: 'Owner', expected: 'ml', value: 'ml' },
    ]);
    expect(problem(onto)).toMatch(/holding another value.*@resources\.0\.edits\.0\.to$/);
    // The same on a type whose keys are case-sensitive is two keys.
    expect(problem(base('lambda:function', 'arn:aws:lambda:us-east-1:111122223333:function:f', [{ key: 'team', value: 'ml' }, { key: 'owner', value: 'data' }], [
      { op: 'rename', type: 'rename-key', from: 'team', to: 'Owner', expected: 'ml', value: 'ml' },
    ]))).toBeUndefined();
    const caseOnly = base('iam:user', user, [{ key: 'owner', value: 'data' }], [{ op: 'rename', type: 'rename-key', from: 'owner', to: 'Owner', expected: 'data', value: 'data' }]);
    expect(problem(caseOnly)).toBeUndefined();
  });

  it('a digest is only on a PII edit: a normalize-value addressing its tag by digest (its value then checked against nothing) is refused', () => {
    const arn = 'arn:aws:lambda:us-east-1:111122223333:function:f';
    const digest = tagDigest('Env', 'Prod');
    expect(problem(base('lambda:function', arn, [{ key: 'Env', value: 'Prod' }], [
      { op: 'set', type: 'normalize-value', key: 'E**', expected: 'P***', value: 'production', digest },
    ]))).toMatch(/only a pii-redact or pii-remove edit has one @resources\.0\.edits\.0\.digest$/);
  });

  it('a rename onto a PII tag\'s key (known by its digest only) with another value is refused; a PII tag named twice too', () => {
    const arn = 'arn:aws:lambda:us-east-1:111122223333:function:f';
    const pii = { key: 'c*****t', value: 'j***@e*****e.com', digest: tagDigest('contact', EMAIL) };
    expect(problem(base('lambda:function', arn, [{ key: 'Owner', value: 'x' }, pii], [
      { op: 'rename', type: 'rename-key', from: 'Owner', to: 'contact', expected: 'x', value: 'x' },
    ]))).toMatch(/holding another value.*@resources\.0\.edits\.0\.to$/);
    expect(problem(base('lambda:function', arn, [{ key: 'contact', value: 'y' }, pii], [{ op: 'add', type: 'add-default', key: 'Owner', value: 'x' }]))).toMatch(
      /appears twice in expectedTags \(also at expectedTags\.1\).*@resources\.0\.expectedTags\.0\.key$/,
    );
  });
});
