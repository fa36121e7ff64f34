import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFix } from '../../../src/fix/fix-command.js';
import { runUndo } from '../../../src/fix/undo-command.js';
import { deps, fixOptions, noClients, undoOptions } from './command-fixture.js';
import { MemoryCloud } from './memory-cloud.js';
import { tempDir } from './run.js';

// A fix without --fix-pii still keeps the raw PII tags of the resources it changes in the journal's vault (undo needs
// them to check and restore those resources): the user did not ask for PII handling, so the run says where that
// file is and that it is to be deleted once the change is accepted.
const DICT = resolve('dictionaries/anycompany.yaml');
const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:f1';
const CLEAN = 'arn:aws:lambda:us-east-1:111122223333:function:f2';

function estate(tags: Record<string, string>, arn = ARN) {
  const dir = tempDir();
  const inventory = join(tempDir(), 'estate.jsonl');
  writeFileSync(inventory, `${JSON.stringify({ arn, tags })}\n`);
  return { dir, inventory, cloud: new MemoryCloud({ [arn]: { ...tags } }) };
}

describe('the PII vault note', () => {
  it('names the vault when a fix without --fix-pii stored PII tags in it; an undo that restores no PII writes none', async () => {
    const e = estate({ Environment: 'prod', oncall: 'jane.doe@example.com' });
    const d = deps(e.dir);
    const code = await runFix(fixOptions(DICT, { inventory: e.inventory, apply: true, yes: true, journal: 'j.jsonl' }), d, { clients: noClients, backend: e.cloud.backend() });
    expect(code).not.toBe(2);
    const vault = join(e.dir, 'j.jsonl.pii-vault.jsonl');
    expect(existsSync(vault)).toBe(true);
    expect(statSync(vault).mode & 0o777).toBe(0o600);
    expect(d.err.text()).toContain(`tagaudit: PII vault: ${vault} (mode 0600) holds the raw text of 1 personal-data tag of the resources changed`);
    expect(d.err.text()).not.toContain('jane.doe');

    // The undo puts Environment back and leaves oncall as it is: no raw PII of it goes to another file.
    const u = deps(e.dir);
    const undone = await runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), u, { clients: noClients, backend: e.cloud.backend() });
    expect(undone).toBe(0);
    expect(e.cloud.tags.get(ARN)).toEqual({ Environment: 'prod', oncall: 'jane.doe@example.com' });
    expect(existsSync(join(e.dir, 'u.jsonl.pii-vault.jsonl'))).toBe(false);
    expect(u.err.text()).not.toContain('PII vault');
  });

  it('an undo that restores removed PII keeps it in a vault of its own, and names it', async () => {
    const e = estate({ Environment: 'prod', oncall: 'jane.doe@example.com' });
    const d = deps(e.dir);
    await runFix(fixOptions(DICT, { inventory: e.inventory, apply: true, yes: true, journal: 'j.jsonl', fixPii: 'remove' }), d, {
      clients: noClients,
      backend: e.cloud.backend(),
    });
    expect(e.cloud.tags.get(ARN)).not.toHaveProperty('oncall');
    const u = deps(e.dir);
    await runUndo(undoOptions('j.jsonl', { undoJournal: 'u.jsonl' }), u, { clients: noClients, backend: e.cloud.backend() });
    expect(e.cloud.tags.get(ARN)).toEqual({ Environment: 'prod', oncall: 'jane.doe@example.com' });
    expect(u.err.text()).toContain(`tagaudit: PII vault: ${join(e.dir, 'u.jsonl.pii-vault.jsonl')} (mode 0600) holds the raw text of 1 personal-data tag of`);
  });

  it('counts tags, not values: one address on two resources is two tags (one distinct value)', async () => {
    const tags = { Environment: 'prod', oncall: 'jane.doe@example.com' };
    const dir = tempDir();
    const inventory = join(tempDir(), 'estate.jsonl');
    writeFileSync(inventory, [ARN, CLEAN].map((arn) => `${JSON.stringify({ arn, tags })}\n`).join(''));
    const cloud = new MemoryCloud({ [ARN]: { ...tags }, [CLEAN]: { ...tags } });
    const d = deps(dir);
    await runFix(fixOptions(DICT, { inventory, apply: true, yes: true, journal: 'j.jsonl' }), d, { clients: noClients, backend: cloud.backend() });
    expect(d.err.text()).toContain(
      `tagaudit: PII vault: ${join(dir, 'j.jsonl.pii-vault.jsonl')} (mode 0600) holds the raw text of 2 personal-data tags of the resources changed (1 distinct value), so that undo can restore them;`,
    );
  });

  it('says nothing when no PII was stored', async () => {
    const e = estate({ Environment: 'prod' }, CLEAN);
    const d = deps(e.dir);
    await runFix(fixOptions(DICT, { inventory: e.inventory, apply: true, yes: true, journal: 'j.jsonl' }), d, { clients: noClients, backend: e.cloud.backend() });
    expect(existsSync(join(e.dir, 'j.jsonl.pii-vault.jsonl'))).toBe(false);
    expect(d.err.text()).not.toContain('PII vault');
  });
});
