import { existsSync, lstatSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliDeps } from '../../../src/cli/deps.js';
import { runFix, type FixOptions } from '../../../src/fix/fix-command.js';
import { NON_PII_FIX_TYPES } from '../../../src/fix/plan.js';
import { resumeJournal } from '../../../src/fix/session.js';
import { runUndo, type UndoOptions } from '../../../src/fix/undo-command.js';
import { openVault } from '../../../src/fix/vault.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { bufferOut } from '../../support/cli.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { RENAMED, fixedJournal, type FixedJournal } from './fixed-journal.js';
import { lambda, planFromAudit } from './helpers.js';
import { MemoryCloud } from './memory-cloud.js';
import { applyWithJournal, tempDir, undoWithJournal } from './run.js';

const ENV = 'anycompany:workload:environment';
const EMAIL = 'jane.doe@example.com';

const noClients = (): ClientFactory => {
  throw new Error('no AWS in unit tests');
};

function deps(dir: string): CliDeps & { out: ReturnType<typeof bufferOut>; err: ReturnType<typeof bufferOut> } {
  const out = bufferOut();
  const err = bufferOut();
  return { stdout: out, stderr: err, out, err, env: {}, cwd: dir, now: () => new Date('2024-06-01T12:00:00Z'), interactive: false };
}

function undo(f: FixedJournal, o: Partial<UndoOptions>, d = deps(f.dir)): Promise<number> {
  return runUndo({ journal: f.journal, apply: false, yes: false, format: 'table', quiet: false, ...o }, d, { clients: noClients, backend: f.cloud.backend() });
}

async function renamed(): Promise<{ cloud: MemoryCloud; dir: string; journal: string }> {
  const cloud = new MemoryCloud({ [RENAMED.arn]: { ...RENAMED.tags } });
  const dir = tempDir();
  const journal = join(dir, 'fix.jsonl');
  await applyWithJournal(planFromAudit(anycompanyPolicy(), [RENAMED]), cloud, journal);
  expect(cloud.tags.get(RENAMED.arn)).toMatchObject({ [ENV]: 'production' });
  expect(cloud.tags.get(RENAMED.arn)!.env).toBeUndefined();
  return { cloud, dir, journal };
}

// Undo of a rename (env=prod → anycompany:workload:environment=production) is add-old then remove-new. The new key
// holds the only copy of the value the fix moved: it may go only if the old key gets its value back.
describe('undo of a rename whose old key cannot be restored', () => {
  it('someone re-created the old key with another value: the new key is kept (and reported), not removed', async () => {
    const { cloud, dir, journal } = await renamed();
    cloud.tags.get(RENAMED.arn)!.env = 'staging';
    const fixedState = cloud.snapshot()[RENAMED.arn];
    const { prepared } = await undoWithJournal(journal, cloud, join(dir, 'undo.jsonl'));
    expect(cloud.tags.get(RENAMED.arn)).toEqual(fixedState);
    expect(prepared.plan.resources).toEqual([]);
    expect(prepared.leftAlone).toEqual([
      { arn: RENAMED.arn, key: ENV, reason: 'kept: renamed from env, which is not restored (removing it would lose the value)' },
      { arn: RENAMED.arn, key: 'env', reason: 'changed by someone else since the fix; left as it is' },
    ]);
  });

  it('the dry run says so, and exits 1', async () => {
    const { cloud, dir, journal } = await renamed();
    cloud.tags.get(RENAMED.arn)!.env = 'staging';
    const d = deps(dir);
    const code = await runUndo({ journal, apply: false, yes: false, format: 'table', quiet: false }, d, { clients: noClients, backend: cloud.backend() });
    expect(code).toBe(1);
    expect(d.out.text()).toContain(`  ${RENAMED.arn}  ${ENV}: kept: renamed from env, which is not restored`);
    expect(d.out.text()).not.toContain('→ (removed)');
  });

  it('the old key already back with its old value (put back by hand): the new key is removed as usual', async () => {
    const { cloud, dir, journal } = await renamed();
    cloud.tags.get(RENAMED.arn)!.env = 'prod';
    const { prepared } = await undoWithJournal(journal, cloud, join(dir, 'undo.jsonl'));
    expect(prepared.leftAlone).toEqual([]);
    expect(cloud.tags.get(RENAMED.arn)).toEqual(RENAMED.tags);
  });

  it('only the rename that lost its old key is kept; another rename on the resource is undone', async () => {
    const r = lambda('two', tagsWith({ [ENV]: undefined, 'anycompany:finance:owner': undefined, env: 'prod', Owner: 'ml-platform' }));
    const cloud = new MemoryCloud({ [r.arn]: { ...r.tags } });
    const dir = tempDir();
    const journal = join(dir, 'fix.jsonl');
    await applyWithJournal(planFromAudit(anycompanyPolicy(), [r]), cloud, journal);
    expect(cloud.tags.get(r.arn)).toMatchObject({ [ENV]: 'production', 'anycompany:finance:owner': 'ml-platform' });
    cloud.tags.get(r.arn)!.env = 'staging';
    await undoWithJournal(journal, cloud, join(dir, 'undo.jsonl'));
    expect(cloud.tags.get(r.arn)).toEqual({ ...r.tags, env: 'staging', [ENV]: 'production' });
  });
});

// With the vault deleted (the documented way to make a PII removal final), the ssn tag is gone for good and nothing on
// the resource tells this run's redactor that ticket's bare 9-digit number is an SSN; the journal does (digest).
describe('undo without the PII vault never shows a value the fix journalled as PII', () => {
  const SSN = '078051120';
  const ARN = 'arn:aws:sagemaker:us-east-1:111122223333:endpoint/e5';
  const TAGS = { Environment: 'prod', ssn: SSN, ticket: SSN };

  function fixOptions(inventory: string): FixOptions {
    return {
      scan: { dictionary: resolve('dictionaries/anycompany.yaml'), inventories: [inventory], strictInventory: false, format: 'json', failOn: 'error', colorFlag: false, quiet: false },
      apply: true,
      yes: true,
      journal: 'j.jsonl',
      fixPii: 'remove',
      fixTypes: new Set(NON_PII_FIX_TYPES),
      fixTypesGiven: false,
      liveFlags: [],
    };
  }

  it('dry run (table and JSON), --apply output, and the undo journal', async () => {
    const dir = tempDir();
    const inventory = join(tempDir(), 'estate.jsonl');
    writeFileSync(inventory, `${JSON.stringify({ arn: ARN, tags: TAGS })}\n`);
    const cloud = new MemoryCloud({ [ARN]: { ...TAGS } });
    await runFix(fixOptions(inventory), deps(dir), { clients: noClients, backend: cloud.backend() });
    // The fix removes the copy under ticket too (a copy of PII is PII); someone puts it back by hand.
    expect(cloud.tags.get(ARN)!.ticket).toBeUndefined();
    expect(cloud.tags.get(ARN)!.ssn).toBeUndefined();
    cloud.tags.get(ARN)!.ticket = SSN;
    rmSync(join(dir, 'j.jsonl.pii-vault.jsonl'));

    const f: FixedJournal = { dir, journal: 'j.jsonl', vault: '', cloud };
    for (const format of ['table', 'json'] as const) {
      const d = deps(dir);
      expect(await undo(f, { format }, d)).toBe(1);
      expect(d.out.text()).toContain('Environment');
      expect(d.out.text() + d.err.text()).not.toContain(SSN);
    }
    const d = deps(dir);
    expect(await undo(f, { apply: true, yes: true, format: 'json', undoJournal: 'u.jsonl' }, d)).toBe(1);
    expect(cloud.tags.get(ARN)).toMatchObject({ Environment: 'prod', ticket: SSN });
    expect(d.out.text() + d.err.text()).not.toContain(SSN);
    expect(readFileSync(join(dir, 'u.jsonl'), 'utf8')).not.toContain(SSN);
    // The undo restores and removes no PII (ticket holds its value from before already): it keeps no copy of it either,
    // not even in a vault of its own. Its journal records ticket by digest, which is all an undo of it needs.
    expect(existsSync(join(dir, 'u.jsonl.pii-vault.jsonl'))).toBe(false);
    expect(d.err.text()).not.toContain('tagaudit: PII vault:');
  });
});

describe('undo notes show control characters visibly', () => {
  it('a key from the journal holding terminal escapes (an EC2 key may hold any character)', async () => {
    const f = await fixedJournal();
    const BAD = 'env\u001b[2J\u001b]0;owned\u0007';
    const lines = readFileSync(f.journal, 'utf8').split('\n');
    writeFileSync(
      f.journal,
      lines
        .map((l) => {
          if (!l.includes('"t":"resource"') || !l.includes(RENAMED.arn)) return l;
          const r = JSON.parse(l) as { changes: { before: { key: string } | null }[] };
          for (const c of r.changes) if (c.before?.key === 'env') c.before.key = BAD;
          return JSON.stringify(r);
        })
        .join('\n'),
    );
    f.cloud.tags.get(RENAMED.arn)![BAD] = 'someone else';
    const d = deps(f.dir);
    expect(await undo(f, {}, d)).toBe(1);
    expect(d.out.text()).toContain('env\\x1b[2J\\x1b]0;owned\\x07: changed by someone else since the fix');
    // eslint-disable-next-line no-control-regex
    expect(d.out.text()).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });
});

describe("the undo's own journal", () => {
  it('a default name already taken (a second undo in the same millisecond, by the same process): the error names --undo-journal', async () => {
    const f = await fixedJournal();
    const fixedState = f.cloud.snapshot();
    expect(await undo(f, { apply: true, yes: true })).toBe(0);
    for (const [arn, tags] of Object.entries(fixedState)) f.cloud.tags.set(arn, tags);
    const taken = join(f.dir, `tagaudit-undo-journal-20240601T120000.000Z-${process.pid}.jsonl`);
    // --force: the journal was undone just above.
    await expect(undo(f, { apply: true, yes: true, force: true })).rejects.toThrow(
      expect.objectContaining({ location: taken, message: 'journal already exists; a journal is never overwritten (choose another --undo-journal)' }),
    );
  });

  it('a symbolic link planted at its vault path: refused before anything is written; the link target untouched', async () => {
    const f = await fixedJournal();
    const target = join(f.dir, 'shared-notes.txt');
    writeFileSync(target, 'notes\n', { mode: 0o644 });
    const vault = join(f.dir, 'u.jsonl.pii-vault.jsonl');
    symlinkSync(target, vault);
    const before = f.cloud.snapshot();
    await expect(undo(f, { apply: true, yes: true, undoJournal: 'u.jsonl' })).rejects.toThrow(
      expect.objectContaining({ location: vault, message: 'cannot use this path for the PII vault: it is a symbolic link (raw PII is never written through a link)' }),
    );
    expect(readFileSync(target, 'utf8')).toBe('notes\n');
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(existsSync(join(f.dir, 'u.jsonl'))).toBe(false);
    expect(f.cloud.snapshot()).toEqual(before);
  });

  it('a vault file left at its path by another journal: refused, never appended to', async () => {
    const f = await fixedJournal();
    const vault = join(f.dir, 'u.jsonl.pii-vault.jsonl');
    writeFileSync(vault, 'left over\n', { mode: 0o644 });
    await expect(undo(f, { apply: true, yes: true, undoJournal: 'u.jsonl' })).rejects.toThrow(
      expect.objectContaining({ location: vault, message: expect.stringContaining('cannot use this path for the PII vault: it already exists') }),
    );
    expect(readFileSync(vault, 'utf8')).toBe('left over\n');
    expect(existsSync(join(f.dir, 'u.jsonl'))).toBe(false);
  });

  it('a new vault is created exclusively: a link that appears at its path after the check is not followed', async () => {
    const dir = tempDir();
    const target = join(dir, 'target.txt');
    writeFileSync(target, '');
    const path = join(dir, 'v.jsonl');
    const vault = openVault(path, new Map(), { create: 'new' });
    symlinkSync(target, path);
    expect(() => vault.put('owner_email', EMAIL)).toThrow(/EEXIST/);
    expect(readFileSync(target, 'utf8')).toBe('');
  });

  it('a resumed vault is never appended to (nor its "torn tail" cut) through a link', async () => {
    const dir = tempDir();
    const target = join(dir, 'target.txt');
    writeFileSync(target, 'line one\nno newline at the end');
    const path = join(dir, 'v.jsonl');
    symlinkSync(target, path);
    const vault = openVault(path, new Map());
    expect(() => vault.put('owner_email', EMAIL)).toThrow(/ELOOP/);
    expect(readFileSync(target, 'utf8')).toBe('line one\nno newline at the end');
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
  });

  it('fix --resume of a journal whose vault is a link: refused, naming the vault', async () => {
    const f = await fixedJournal();
    const elsewhere = join(f.dir, 'elsewhere.jsonl');
    writeFileSync(elsewhere, readFileSync(f.vault));
    rmSync(f.vault);
    symlinkSync(elsewhere, f.vault);
    const journalBefore = readFileSync(f.journal, 'utf8');
    expect(() => resumeJournal(f.journal, new Date('2024-06-01T12:00:00Z'))).toThrow(
      expect.objectContaining({ location: f.vault, message: 'cannot use this path for the PII vault: it is a symbolic link (raw PII is never written through a link)' }),
    );
    expect(readFileSync(f.journal, 'utf8')).toBe(journalBefore);
    expect(readdirSync(f.dir).sort()).toEqual(['elsewhere.jsonl', 'fix.jsonl', 'fix.jsonl.pii-vault.jsonl']);
  });
});
