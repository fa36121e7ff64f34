import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePlanFile } from '../../../src/fix/plan-file.js';
import { runCli } from '../../support/cli.js';
import { anycompanyPolicy } from '../../support/policies.js';
import { EMAIL, WITH_PII, fixedJournal, undoDryRun } from './fixed-journal.js';
import { planFromAudit } from './helpers.js';
import { tempDir } from './run.js';

const CANNOT_RESTORE = 'Cannot restore:';

// The PII vault holds raw PII: a problem with it is one line naming the vault file (exit 2), never quoting it.
describe('undo with a PII vault that cannot be used', () => {
  it.each([
    [['undo', '--journal']],
    [['fix', '--apply', '--yes', '--resume']],
  ])('a directory where the vault should be: %j', async (args) => {
    const f = await fixedJournal();
    rmSync(f.vault);
    mkdirSync(f.vault);
    const r = await runCli([...args, f.journal], { cwd: f.dir });
    expect(r.stderr).toBe(`tagaudit: ${f.vault}: cannot read the PII vault: is a directory, not a vault file\n`);
    expect(r.code).toBe(2);
  });

  it('a line that is not JSON (not the last one): names the line, quotes nothing', async () => {
    const f = await fixedJournal();
    writeFileSync(f.vault, `{garbage ${EMAIL}\n${readFileSync(f.vault, 'utf8')}`);
    const r = await runCli(['undo', '--journal', f.journal], { cwd: f.dir });
    expect(r.stderr).toBe(`tagaudit: ${f.vault}:1: not a PII vault entry (invalid JSON)\n`);
    expect(r.code).toBe(2);
  });

  it('a JSON line that is not an entry', async () => {
    const f = await fixedJournal();
    appendFileSync(f.vault, '{"digest":5}\n');
    const r = await runCli(['undo', '--journal', f.journal], { cwd: f.dir });
    expect(r.stderr).toBe(`tagaudit: ${f.vault}:2: not a PII vault entry (expected {digest, key, value})\n`);
    expect(r.code).toBe(2);
  });

  it('an entry whose value was edited (its digest no longer matches): refused, named as the journal masks it, with what to do', async () => {
    const f = await fixedJournal();
    writeFileSync(f.vault, readFileSync(f.vault, 'utf8').replace(EMAIL, 'john.roe@example.com'));
    const r = await runCli(['undo', '--journal', f.journal], { cwd: f.dir });
    expect(r.stderr).toBe(
      `tagaudit: ${f.vault}:1: the entry for owner_email="j***@e*****e.com": its digest does not match its key and value (the vault was edited or damaged); ` +
        'restore the vault from a backup to undo everything, or move it away: undo then restores all but the personal data the vault held, which it lists under "Cannot restore"\n',
    );
    expect(r.stderr).not.toContain('john.roe');
    expect(r.code).toBe(2);

    // As it says: moved away, the rest is undone and the PII tag is listed as not restorable.
    renameSync(f.vault, `${f.vault}.edited`);
    const without = await undoDryRun(f);
    expect(without.stdout).toContain(CANNOT_RESTORE);
    expect(without.stdout).toContain('undo rename-key');
  });

  it('an edited entry on fix --resume: restore the vault first (the run appends to it)', async () => {
    const f = await fixedJournal();
    writeFileSync(f.vault, readFileSync(f.vault, 'utf8').replace(EMAIL, 'john.roe@example.com'));
    const r = await runCli(['fix', '--resume', f.journal, '--apply', '--yes'], { cwd: f.dir });
    expect(r.stderr).toContain(`tagaudit: ${f.vault}:1: the entry for owner_email="j***@e*****e.com": its digest does not match`);
    expect(r.stderr).toContain('restore the vault from a backup before going on: this run appends to it, and an undo of the journal needs the raw text it keeps\n');
    expect(r.code).toBe(2);
  });

  it('an edited entry no record of the journal names: still named by its line, never quoted', async () => {
    const f = await fixedJournal();
    const other = { digest: { keySha256: 'a'.repeat(64), valueSha256: 'b'.repeat(64) }, key: 'k', value: 'john.roe@example.com' };
    writeFileSync(f.vault, `${readFileSync(f.vault, 'utf8')}${JSON.stringify(other)}\n`);
    const r = await runCli(['undo', '--journal', f.journal], { cwd: f.dir });
    expect(r.stderr).toMatch(new RegExp(`^tagaudit: ${f.vault.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: the entry's digest does not match its key and value`));
    expect(r.stderr).not.toContain('john.roe');
    expect(r.code).toBe(2);
  });

  it('fix --resume reads the vault the same way', async () => {
    const f = await fixedJournal();
    writeFileSync(f.vault, `{garbage\n${readFileSync(f.vault, 'utf8')}`);
    const r = await runCli(['fix', '--resume', f.journal, '--apply', '--yes'], { cwd: f.dir });
    expect(r.stderr).toBe(`tagaudit: ${f.vault}:1: not a PII vault entry (invalid JSON)\n`);
    expect(r.code).toBe(2);
  });
});

describe('undo with a PII vault it can use', () => {
  it('restores the PII from an intact vault', async () => {
    const f = await fixedJournal();
    const r = await undoDryRun(f);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain(CANNOT_RESTORE);
  });

  it('ignores a last entry cut short by a kill (never flushed, so no journal record refers to it)', async () => {
    const f = await fixedJournal();
    appendFileSync(f.vault, '{"digest":{"keySha256":"9f86d08');
    const r = await undoDryRun(f);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain(CANNOT_RESTORE);
    expect(r.code).toBe(1);
  });

  it('finds the vault of a journal renamed together with it', async () => {
    const f = await fixedJournal();
    const moved = join(f.dir, 'moved.jsonl');
    renameSync(f.journal, moved);
    renameSync(f.vault, `${moved}.pii-vault.jsonl`);
    const r = await undoDryRun(f, moved);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain(CANNOT_RESTORE);
  });

  it('a missing vault (deleted to make PII removals permanent): a note naming where it looked, the rest restored', async () => {
    const f = await fixedJournal();
    rmSync(f.vault);
    const r = await undoDryRun(f);
    expect(r.stderr).toBe(`tagaudit: the PII vault of this journal is missing (looked for ${f.vault}): removed PII cannot be restored\n`);
    expect(r.stdout).toContain(CANNOT_RESTORE);
    expect(r.stdout).toContain('2 resources written by the journal');
    expect(r.code).toBe(1);
  });

  it('a missing vault of a renamed journal: the note names both places it looked', async () => {
    const f = await fixedJournal();
    const moved = join(f.dir, 'moved.jsonl');
    renameSync(f.journal, moved);
    rmSync(f.vault);
    const r = await undoDryRun(f, moved);
    expect(r.stderr).toBe(`tagaudit: the PII vault of this journal is missing (looked for ${f.vault} and ${moved}.pii-vault.jsonl): removed PII cannot be restored\n`);
    expect(r.code).toBe(1);
  });
});

describe('fix --apply with a new journal whose vault path is taken', () => {
  it('refuses before writing anything, naming the vault path', async () => {
    const dir = tempDir();
    const plan = join(dir, 'plan.json');
    await writePlanFile(plan, planFromAudit(anycompanyPolicy(), [WITH_PII], { fixPii: 'remove' }));
    const vault = join(dir, 'j.jsonl.pii-vault.jsonl');
    mkdirSync(vault);
    const r = await runCli(['fix', '--plan', plan, '--apply', '--yes', '--journal', 'j.jsonl'], { cwd: dir });
    expect(r.stderr.split('\n').filter(Boolean).at(-1)).toBe(`tagaudit: ${vault}: cannot use this path for the PII vault: it exists and is not a file`);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'j.jsonl'))).toBe(false);
  });
});
