import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliDeps } from '../../../src/cli/deps.js';
import { runFix } from '../../../src/fix/fix-command.js';
import { ALL_FIX_TYPES } from '../../../src/fix/plan.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { bufferOut, runCli } from '../../support/cli.js';
import { MemoryCloud } from './memory-cloud.js';

// `fix --format json` prints the plan for reading (it is pasted into tickets). The digests of personal data it names
// are unsalted SHA-256 of the raw key and value: from `***-**-1120` and its digest an SSN comes back in milliseconds.
// They stay in the plan file (--plan-out, mode 0600), which the applier needs; the printed plan leaves them out.

const DICTIONARY = new URL('../../../dictionaries/anycompany.yaml', import.meta.url).pathname;
const RESOURCE = {
  arn: 'arn:aws:lambda:us-east-1:111122223333:function:scorer',
  tags: { ssn: '078-05-1120', contact: 'jane.doe@example.com', env: 'Prod' },
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-printed-plan-'));
  writeFileSync(join(dir, 'inv.jsonl'), `${JSON.stringify(RESOURCE)}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fix = (...args: string[]) => runCli(['fix', '-d', DICTIONARY, ...args], { cwd: dir });

describe('the plan fix --format json prints', () => {
  it('holds no digest; the --plan-out file of the same run holds them, readable by its owner only', async () => {
    const r = await fix('-i', 'inv.jsonl', '--fix-pii', 'remove', '-f', 'json', '--plan-out', 'plan.json');
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/Sha256|"digest"|"write"/);
    const printed = JSON.parse(r.stdout) as { digestsLeftOut?: number; resources: { edits: { type: string }[] }[] };
    expect(printed.resources[0]!.edits.filter((e) => e.type === 'pii-remove')).toHaveLength(2);
    // The SSN and the address, each in expectedTags and in its pii-remove edit.
    expect(printed.digestsLeftOut).toBe(4);
    const saved = readFileSync(join(dir, 'plan.json'), 'utf8');
    expect(saved.match(/"valueSha256"/g)).toHaveLength(4);
    expect(saved).not.toContain('digestsLeftOut');
    expect(statSync(join(dir, 'plan.json')).mode & 0o777).toBe(0o600);
  });

  it('says nothing about digests when it names no personal data', async () => {
    writeFileSync(join(dir, 'clean.jsonl'), `${JSON.stringify({ ...RESOURCE, tags: { env: 'Prod' } })}\n`);
    const r = await fix('-i', 'clean.jsonl', '-f', 'json');
    expect(r.stdout).not.toContain('digestsLeftOut');
  });

  it('is refused by fix --plan with one line pointing to --plan-out, exit 2', async () => {
    const r = await fix('-i', 'inv.jsonl', '--fix-pii', 'remove', '-f', 'json');
    writeFileSync(join(dir, 'printed.json'), r.stdout);
    const refused = await fix('--plan', 'printed.json');
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      /^tagaudit: \S*printed\.json:\d+:\d+: this pii-remove edit has no "digest", which names the tag it changes: a plan printed by fix --format json leaves them out; save a plan to apply with --plan-out \(at resources\.0\.edits\.\d\)\n$/,
    );
  });

  it('with no PII edit, its digestsLeftOut still has it refused: its expectedTags lost their digests', async () => {
    const r = await fix('-i', 'inv.jsonl', '-f', 'json');
    const plan = JSON.parse(r.stdout) as { digestsLeftOut?: number; resources: { edits: { type: string }[] }[] };
    expect(plan.resources[0]!.edits.map((e) => e.type)).not.toContain('pii-remove');
    expect(plan.digestsLeftOut).toBe(2);
    writeFileSync(join(dir, 'printed-no-pii-edit.json'), r.stdout);
    const refused = await fix('--plan', 'printed-no-pii-edit.json');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^tagaudit: \S*printed-no-pii-edit\.json:\d+:\d+: this plan has no digests of the personal data it names: a plan printed by fix --format json leaves them out; save a plan to apply with --plan-out \(at digestsLeftOut\)\n$/,
    );
  });

  it('a pii-redact edit without its digest is refused too', async () => {
    const r = await fix('-i', 'inv.jsonl', '--fix-pii', 'redact', '--plan-out', 'redact.json');
    expect(r.code).toBe(1);
    const plan = JSON.parse(readFileSync(join(dir, 'redact.json'), 'utf8')) as { resources: { edits: Record<string, unknown>[] }[] };
    const redact = plan.resources[0]!.edits.find((e) => e.type === 'pii-redact')!;
    delete redact.digest;
    writeFileSync(join(dir, 'redact-nodigest.json'), JSON.stringify(plan, null, 2));
    const refused = await fix('--plan', 'redact-nodigest.json');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('this pii-redact edit has no "digest", which names the tag it changes');
  });

  it('the saved plan is still read back', async () => {
    const r = await fix('--plan', 'plan.json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });
});

describe('the undo plan undo --format json prints', () => {
  it('holds no digest of the values it would restore', async () => {
    const noClients = (): ClientFactory => {
      throw new Error('no AWS in this test');
    };
    const cloud = new MemoryCloud({ [RESOURCE.arn]: { ...RESOURCE.tags } });
    const deps = (): CliDeps & { out: ReturnType<typeof bufferOut> } => {
      const out = bufferOut();
      return { stdout: out, stderr: bufferOut(), out, env: {}, cwd: dir, now: () => new Date('2024-06-01T12:00:00Z'), interactive: false };
    };
    const scan = { dictionary: DICTIONARY, inventories: [join(dir, 'inv.jsonl')], strictInventory: false, format: 'json' as const, failOn: 'error' as const, colorFlag: false, quiet: false };
    const fixed = { scan, apply: true, yes: true, journal: 'j.jsonl', fixPii: 'remove' as const, fixTypes: new Set(ALL_FIX_TYPES), fixTypesGiven: false, liveFlags: [] };
    expect(await runFix(fixed, deps(), { clients: noClients, backend: cloud.backend() })).toBeLessThan(2);
    expect(readFileSync(join(dir, 'j.jsonl'), 'utf8')).toContain('valueSha256');

    const d = deps();
    expect(await runUndo({ journal: 'j.jsonl', apply: false, yes: false, format: 'json', quiet: false }, d, { clients: noClients, backend: cloud.backend() })).toBe(1);
    const printed = JSON.parse(d.out.text()) as { plan: { digestsLeftOut?: number; resources: { edits: { op: string }[] }[] } };
    // The SSN and the address put back (and the renamed env): the first two are named by digest in the journal.
    expect(printed.plan.resources[0]!.edits.filter((e) => e.op === 'add')).toHaveLength(3);
    expect(printed.plan.digestsLeftOut).toBeGreaterThan(0);
    expect(d.out.text()).not.toMatch(/Sha256|"digest"|"write"/);
  });
});
