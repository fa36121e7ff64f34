import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { inventoryWorkspace, type InventoryWorkspace } from '../../support/fix-command.js';

// The tester's tenant example (s13 defect 5 and 7): finished training jobs of running tuning jobs (one parent each),
// whose cost-allocation tenant id the plan would copy from the parent.
const DICTIONARY = [
  'version: 1',
  'name: tenant-test',
  'tags:',
  '  - key: tenant',
  '    category: financial',
  '    purpose: the tenant billed',
  '    mandatory: [sagemaker:training-job]',
  '    costAllocation: true',
  "    pattern: '^t-[0-9a-f]{8}$'",
  '    aliases: [TenantId]',
  '',
].join('\n');
const HPO = (n: string): string => `arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/${n}`;
const JOB = (n: string): string => `arn:aws:sagemaker:us-east-1:123456789012:training-job/${n}-001`;
const job = (n: string, tags: Record<string, string>, state: string): object[] => [
  { arn: HPO(n), tags: { tenant: 't-0000000a' }, state: 'InProgress' },
  { arn: JOB(n), tags, state, parentArns: [HPO(n)] },
];
const RESOURCES = [
  ...job('renamed', { TenantId: 't-0000000c' }, 'Completed'),
  ...job('overwritten', { tenant: 't-0000000c' }, 'Completed'),
  ...job('added', {}, 'Completed'),
  ...job('running', { tenant: 't-0000000c' }, 'InProgress'),
];
const NOTE = [
  '  finished job (Completed): AWS never applies tags retroactively, so an edit marked',
  '    [no past cost] attributes none of the cost the job already incurred',
];
const HEADER = (n: string): string => `${JOB(n)}  (123456789012 us-east-1 sagemaker:training-job)`;

const workspace = (): InventoryWorkspace => inventoryWorkspace(RESOURCES, DICTIONARY);

function expectPreview(stdout: string, title: string): void {
  expect(stdout).toContain([HEADER('added'), ...NOTE, `  inherit     (no tenant) → tenant="t-0000000a" (from ${HPO('added')}) [no past cost]`, ''].join('\n'));
  expect(stdout).toContain([HEADER('renamed'), ...NOTE, '  rename-key  TenantId="t-0000000c" → tenant="t-0000000c" [no past cost]', ''].join('\n'));
  expect(stdout).toContain([HEADER('running'), `  inherit     tenant="t-0000000c" → tenant="t-0000000a" (from ${HPO('running')})`, ''].join('\n'));
  expect(stdout).not.toContain(HEADER('overwritten'));
  expect(stdout).toContain(`  ${JOB('overwritten')}  inherited-tag-drift "tenant": the job has finished (Completed): its parent's "t-0000000a" written over`);
  expect(stdout).toContain(`  ${JOB('renamed')}  inherited-tag-drift "TenantId": TenantId is renamed to tenant keeping its value: the job has finished`);
  expect(stdout.trimEnd().split('\n').at(-1)).toBe(
    `${title}: 3 resources to change, 3 edits (inherit 2, rename-key 1; 2 of them on finished jobs [no past cost]); 0 conflicts; 2 skipped (finished-job 2)`,
  );
}

describe('tagaudit fix: finished jobs and inherited values', () => {
  it('the dry run marks edits on finished jobs, names the parent of each inherited value, and skips overwrites', async () => {
    const { dir, inventory, dictionary } = workspace();
    const { code, stdout, stderr } = await runCli(['fix', '-d', dictionary, '-i', inventory], { cwd: dir });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expectPreview(stdout, 'Plan (dry run; nothing written — add --apply)');
  });

  it('--format json carries finishedJob, noPastCost and parentArn; --plan-out saves them and --plan shows the same', async () => {
    const { dir, inventory, dictionary } = workspace();
    const printed = JSON.parse((await runCli(['fix', '-d', dictionary, '-i', inventory, '--format', 'json'], { cwd: dir })).stdout);
    const byArn = new Map(printed.resources.map((r: { arn: string }) => [r.arn, r]));
    expect(byArn.get(JOB('added'))).toMatchObject({
      finishedJob: 'Completed',
      edits: [{ op: 'add', type: 'inherit', key: 'tenant', value: 't-0000000a', parentArn: HPO('added'), noPastCost: true }],
    });
    expect(byArn.get(JOB('running'))).not.toHaveProperty('finishedJob');
    expect(printed.skipped.map((s: { reason: string }) => s.reason)).toEqual(['finished-job', 'finished-job']);

    expect((await runCli(['fix', '-d', dictionary, '-i', inventory, '--plan-out', 'plan.json'], { cwd: dir })).code).toBe(1);
    const saved = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    expect(saved.resources).toEqual(printed.resources);
    const again = await runCli(['fix', '-d', dictionary, '--plan', 'plan.json'], { cwd: dir });
    expect(again.stderr).toBe('');
    expectPreview(again.stdout, 'Plan (dry run; nothing written — add --apply)');
  });

  it("scan's last lines count what fix would do: the overwrite on a finished job is left out", async () => {
    const { dir, inventory, dictionary } = workspace();
    const { stdout } = await runCli(['scan', '-d', dictionary, '-i', inventory, '--fail-on', 'none'], { cwd: dir });
    expect(stdout).toContain('3 findings can be fixed with tagaudit fix; 1 other would overwrite a value on a finished job and is\nleft out.\n');
  });
});
