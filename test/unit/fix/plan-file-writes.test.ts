import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFix, type FixOptions } from '../../../src/fix/fix-command.js';
import { NON_PII_FIX_TYPES } from '../../../src/fix/plan.js';
import type { CliDeps } from '../../../src/cli/deps.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { bufferOut, runCli } from '../../support/cli.js';
import { MemoryCloud } from './memory-cloud.js';
import { tempDir } from './run.js';

// A saved plan can be edited by hand before `fix --plan … --apply`: what it writes is checked when it is loaded.
const DICT = resolve('dictionaries/anycompany.yaml');
const EMAIL = 'jane.doe@example.com';
const ENV = 'anycompany:workload:environment';
const ARN = 'arn:aws:sagemaker:us-east-1:111122223333:endpoint/e1';
const TAGS = {
  'anycompany:workload:application-id': 'app-1234',
  'anycompany:workload:name': 'scorer',
  'anycompany:finance:cost-center': 'CC-1234',
  'anycompany:finance:owner': 'ml-platform',
  'anycompany:workload:business-unit': 'research',
  contact: EMAIL,
};

const noClients = (): ClientFactory => {
  throw new Error('no AWS in this test');
};

function deps(dir: string): CliDeps & { out: ReturnType<typeof bufferOut>; err: ReturnType<typeof bufferOut> } {
  const out = bufferOut();
  const err = bufferOut();
  return { stdout: out, stderr: err, out, err, env: {}, cwd: dir, now: () => new Date('2024-06-01T12:00:00Z'), interactive: false };
}

function applyOptions(dictionary?: string): FixOptions {
  return {
    scan: { ...(dictionary ? { dictionary } : {}), inventories: [], strictInventory: false, format: 'table', failOn: 'error', colorFlag: false, quiet: false },
    apply: true,
    yes: true,
    planFile: 'plan.json',
    journal: 'j.jsonl',
    fixTypes: new Set(NON_PII_FIX_TYPES),
    fixTypesGiven: false,
    liveFlags: [],
  };
}

type Edit = { op: string; type: string; key?: string; value?: string };

/** Plans from an inventory (one add-default of the environment, one PII redaction) and returns the editable plan. */
async function savedPlan(): Promise<{ dir: string; plan: { resources: { edits: Edit[] }[] } }> {
  const dir = tempDir();
  const inventory = join(tempDir(), 'estate.jsonl');
  writeFileSync(inventory, `${JSON.stringify({ arn: ARN, tags: TAGS })}\n`);
  const made = await runCli(['fix', '-d', DICT, '-i', inventory, '--fix-pii', 'redact', '--plan-out', 'plan.json'], { cwd: dir });
  expect(made.code).toBe(1);
  return { dir, plan: JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) };
}

function edit(plan: { resources: { edits: Edit[] }[] }, type: string, key?: string): Edit {
  const e = plan.resources[0]!.edits.find((x) => x.type === type && (key === undefined || x.key === key));
  expect(e, type).toBeDefined();
  return e!;
}

function save(dir: string, plan: unknown): string {
  const text = `${JSON.stringify(plan, null, 2)}\n`;
  writeFileSync(join(dir, 'plan.json'), text);
  return text;
}

/** line:col of the n-th occurrence of `needle` in text (1-based), pointing at the value after "field": . */
function at(text: string, field: string, value: string): string {
  const needle = `"${field}": ${JSON.stringify(value)}`;
  const offset = text.indexOf(needle) + needle.length - JSON.stringify(value).length;
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

describe('fix --plan: what a loaded plan writes', () => {
  it('the unchanged plan applies', async () => {
    const { dir } = await savedPlan();
    const cloud = new MemoryCloud({ [ARN]: { ...TAGS } });
    const d = deps(dir);
    await runFix(applyOptions(DICT), d, { clients: noClients, backend: cloud.backend() });
    expect(cloud.tags.get(ARN)![ENV]).toBe('development');
    expect(d.out.text() + d.err.text()).not.toContain(EMAIL);
  });

  it('an add-default changed to an e-mail address is refused at file:line:col, masked, before any write (exit 2)', async () => {
    const { dir, plan } = await savedPlan();
    edit(plan, 'add-default', ENV).value = EMAIL;
    const text = save(dir, plan);
    const cloud = new MemoryCloud({ [ARN]: { ...TAGS } });
    const d = deps(dir);
    const run = runFix(applyOptions(DICT), d, { clients: noClients, backend: cloud.backend() });
    await expect(run).rejects.toThrow(/holds personal data \(email: j\*+@/);
    await expect(run).rejects.not.toThrow(EMAIL);
    expect(cloud.writes()).toEqual([]);

    // Through the CLI: one line naming the place, exit 2, nothing raw.
    const cli = await runCli(['fix', '-d', DICT, '--plan', 'plan.json', '--apply', '--yes'], { cwd: dir });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`plan.json:${at(text, 'value', EMAIL)}: this add-default edit's value holds personal data (email: `);
    expect(cli.stderr + cli.stdout).not.toContain(EMAIL);
    expect(cli.stderr.trim().split('\n').filter((l) => l.includes('plan.json:'))).toHaveLength(1);
  });

  it('a resource whose type the ARN contradicts is refused at file:line:col (writes are routed by type)', async () => {
    const { dir, plan } = await savedPlan();
    const resource = (plan as unknown as { resources: { resourceType: string }[] }).resources[0]!;
    resource.resourceType = 'iam:user';
    const text = save(dir, plan);
    const cli = await runCli(['fix', '-d', DICT, '--plan', 'plan.json'], { cwd: dir });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`plan.json:${at(text, 'resourceType', 'iam:user')}: "resourceType" does not match the ARN's type`);
  });

  it('a pii-redact whose written value is PII again is refused', async () => {
    const { dir, plan } = await savedPlan();
    edit(plan, 'pii-redact').value = 'bob.smith@example.org';
    save(dir, plan);
    const cli = await runCli(['fix', '-d', DICT, '--plan', 'plan.json'], { cwd: dir });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain("this pii-redact edit's value holds personal data (email: ");
    expect(cli.stderr).not.toContain('bob.smith@example.org');
  });

  it("an add-default changed to a value the plan's dictionary does not give is refused; with another dictionary only PII is checked", async () => {
    const { dir, plan } = await savedPlan();
    edit(plan, 'add-default', ENV).value = 'staging';
    const text = save(dir, plan);
    const cli = await runCli(['fix', '-d', DICT, '--plan', 'plan.json'], { cwd: dir });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`plan.json:${at(text, 'value', 'staging')}: the dictionary gives no default "staging" for ${ENV} (the plan was changed since it was made)`);

    const other = join(tempDir(), 'other.yaml');
    writeFileSync(other, `${readFileSync(DICT, 'utf8')}\n# another revision\n`);
    const shown = await runCli(['fix', '-d', other, '--plan', 'plan.json'], { cwd: dir });
    expect(shown.code).toBe(1);
    expect(shown.stderr).toContain('is not the dictionary the plan was made with');
    expect(shown.stdout).toContain(`${ENV}="staging"`);
  });
});
