import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFix, type FixOptions } from '../../../src/fix/fix-command.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import { NON_PII_FIX_TYPES } from '../../../src/fix/plan.js';
import type { CliDeps } from '../../../src/cli/deps.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { bufferOut } from '../../support/cli.js';
import { MemoryCloud } from './memory-cloud.js';
import { tempDir } from './run.js';
import { finding, lambda, plannerOptions } from './helpers.js';
import { anycompanyPolicy } from '../../support/policies.js';
import { createPlanner } from '../../../src/fix/planner.js';
import { policyResourceMasker } from '../../../src/fix/mask.js';
import { planUndo, type UndoTarget } from '../../../src/fix/undo.js';
import { classify } from '../../../src/fix/effects.js';
import { digestId, tagDigest } from '../../../src/fix/digest.js';

// A PII string detected on one tag is masked on every tag of the resource, as the scan report masks it: the bare
// 9-digit number counts as an SSN only under the `ssn` key, and the name in capitals is the owner's.
const DICT = resolve('dictionaries/anycompany.yaml');
const SSN = '078051120';
const ARN = 'arn:aws:sagemaker:us-east-1:111122223333:endpoint/e5';
const TAGS = { owner: 'Jane Doe', Environment: 'prod', ssn: SSN, ticket: SSN, notes: 'JANE DOE' };
const NEEDLES = [SSN, 'jane doe'];
const ENV = 'anycompany:workload:environment';

function leaked(text: string): string[] {
  return NEEDLES.filter((n) => text.toLowerCase().includes(n));
}

function deps(dir: string): CliDeps & { out: ReturnType<typeof bufferOut>; err: ReturnType<typeof bufferOut> } {
  const out = bufferOut();
  const err = bufferOut();
  return { stdout: out, stderr: err, out, err, env: {}, cwd: dir, now: () => new Date('2024-06-01T12:00:00Z'), interactive: false };
}

function options(o: Partial<FixOptions>, inventory?: string): FixOptions {
  return {
    scan: { dictionary: DICT, inventories: inventory ? [inventory] : [], strictInventory: false, format: 'json', failOn: 'error', colorFlag: false, quiet: false },
    apply: false,
    yes: false,
    fixTypes: new Set(NON_PII_FIX_TYPES),
    fixTypesGiven: false,
    liveFlags: [],
    ...o,
  };
}

const noClients = (): ClientFactory => {
  throw new Error('no AWS in this test');
};

function workspace(): { dir: string; inventory: string; cloud: MemoryCloud } {
  const dir = tempDir();
  // The inventory (raw, as exported) lives apart from the files the fixer writes.
  const inventory = join(tempDir(), 'estate.jsonl');
  writeFileSync(inventory, `${JSON.stringify({ arn: ARN, tags: TAGS })}\n`);
  return { dir, inventory, cloud: new MemoryCloud({ [ARN]: { ...TAGS } }) };
}

/** Every file the run wrote except the PII vaults (the one place raw PII may go). */
function nonVaultText(dir: string): string {
  return readdirSync(dir)
    .filter((f) => !f.endsWith('.pii-vault.jsonl'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

describe('fix: one redactor per resource', () => {
  it('the plan (file and stdout) masks a tag holding PII detected only on another tag, and names it by digest', async () => {
    const { dir, inventory } = workspace();
    const d = deps(dir);
    await runFix(options({ planOut: 'plan.json', fixPii: 'remove' }, inventory), d, { clients: noClients });
    expect(leaked(d.out.text() + d.err.text())).toEqual([]);
    const text = readFileSync(join(dir, 'plan.json'), 'utf8');
    expect(leaked(text)).toEqual([]);
    const planned = JSON.parse(text).resources[0];
    const byKey = (k: string) => planned.expectedTags.find((t: { key: string }) => t.key === k);
    expect(byKey('ticket')).toMatchObject({ value: expect.not.stringContaining(SSN), digest: { keySha256: expect.any(String) } });
    expect(byKey('notes')).toMatchObject({ digest: { keySha256: expect.any(String) } });
    expect(byKey('Environment')).toEqual({ key: 'Environment', value: 'prod' });
  });

  it('--apply journals only masked text (raw in the vault), keeps the other tags, and undo restores without showing it', async () => {
    const { dir, inventory, cloud } = workspace();
    const d = deps(dir);
    await runFix(options({ apply: true, yes: true, journal: 'j.jsonl', fixPii: 'remove' }, inventory), d, { clients: noClients, backend: cloud.backend() });
    const after = cloud.tags.get(ARN)!;
    expect(after.ssn).toBeUndefined();
    // Copies of the PII under other keys are PII findings of their own, removed with it.
    expect(after.ticket).toBeUndefined();
    expect(after.notes).toBeUndefined();
    expect(leaked(d.out.text() + d.err.text())).toEqual([]);
    expect(leaked(nonVaultText(dir))).toEqual([]);
    expect(readFileSync(join(dir, 'j.jsonl.pii-vault.jsonl'), 'utf8')).toContain(SSN);

    const u = deps(dir);
    const code = await runUndo({ journal: 'j.jsonl', apply: true, yes: true, format: 'json', quiet: false, undoJournal: 'u.jsonl' }, u, {
      clients: noClients,
      backend: cloud.backend(),
    });
    expect(code).toBe(0);
    expect(cloud.tags.get(ARN)).toEqual(TAGS);
    // The ssn tag is gone from the live tags undo reads; the vault's raw text still marks the ticket as PII.
    expect(leaked(u.out.text() + u.err.text())).toEqual([]);
    expect(leaked(nonVaultText(dir))).toEqual([]);
  });

  it('a masked tag that changed after the plan is drift (compared by digest): nothing is written', async () => {
    const { dir, inventory, cloud } = workspace();
    await runFix(options({ planOut: 'plan.json', fixPii: 'remove' }, inventory), deps(dir), { clients: noClients });
    cloud.tags.get(ARN)!.ticket = '078051121';
    const d = deps(dir);
    const code = await runFix(options({ planFile: 'plan.json', apply: true, yes: true, journal: 'j.jsonl' }), d, { clients: noClients, backend: cloud.backend() });
    expect(code).toBe(1);
    expect(cloud.writes()).toEqual([]);
    expect(d.out.text()).toContain('"status": "drifted"');
  });
});

describe('planner and undo planner: one redactor per resource', () => {
  const policy = anycompanyPolicy();
  const masker = policyResourceMasker(policy);

  it('skips a non-PII edit whose text holds PII found on another tag, and masks it in conflicts and skips', () => {
    const r = lambda('p', { ssn: SSN, env: SSN });
    const rename = finding(r, 'deprecated-tag-key', [{ op: 'rename', type: 'rename-key', from: 'env', to: ENV, expected: SSN, value: SSN }]);
    const plan = createPlanner(plannerOptions(policy));
    plan.add(r, [rename]);
    const out = plan.finish({ createdAt: 'now', toolVersion: 'test' });
    expect(out.resources).toEqual([]);
    expect(out.skipped).toEqual([expect.objectContaining({ reason: 'unsupported-edit', detail: expect.stringContaining('personal data') })]);
    expect(JSON.stringify(out)).not.toContain(SSN);
  });

  it('undo masks a live tag by the PII of a tag the fix removed (raw from the vault), and records it by digest', () => {
    const ssnDigest = tagDigest('ssn', SSN);
    const target: UndoTarget = {
      arn: ARN,
      accountId: '111122223333',
      region: 'us-east-1',
      resourceType: 'sagemaker:endpoint',
      before: [
        { key: 'ssn', value: '*****1120', digest: ssnDigest },
        { key: 'ticket', value: '*****1120', digest: tagDigest('ticket', SSN) },
      ],
      changes: [{ type: 'pii-remove', before: { key: 'ssn', value: '*****1120', digest: ssnDigest }, after: null }],
    };
    const secrets = new Map([[digestId(ssnDigest), { key: 'ssn', value: SSN }]]);
    const live = new Map([[ARN, { ticket: SSN, other: `see ${SSN}` }]]);
    const { plan } = planUndo([target], live, secrets, masker, { createdAt: 'now', toolVersion: 'test', dictionary: { path: '', sha256: '' } });
    expect(JSON.stringify(plan)).not.toContain(SSN);
    const tags = plan.resources[0]!.expectedTags;
    expect(tags.find((t) => t.key === 'ticket')).toMatchObject({ digest: tagDigest('ticket', SSN) });
    expect(tags.find((t) => t.key === 'other')).toMatchObject({ digest: tagDigest('other', `see ${SSN}`) });
    // The restore is still exact: the applier resolves every masked tag by digest.
    const cls = classify(plan.resources[0]!, live.get(ARN)!, secrets);
    expect(cls).toMatchObject({ state: 'pending', edits: { writes: { ssn: SSN } } });
  });
});
