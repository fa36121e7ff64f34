import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePlanFile } from '../../../src/fix/plan-file.js';
import { runCli } from '../../support/cli.js';
import { anycompanyPolicy } from '../../support/policies.js';
import { RENAMED, fixedJournal } from './fixed-journal.js';
import { planFromAudit } from './helpers.js';

// A plan given where a journal is read, or a journal given as a plan, is named for what it is (as the inventory reader
// names a report), with what to run instead: one line, exit 2, not a JSON error at its first or second line.
describe('a file of the wrong kind', () => {
  it('undo --journal of a plan file: it is a plan, to apply with fix --plan', async () => {
    const f = await fixedJournal();
    const plan = join(f.dir, 'plan.json');
    await writePlanFile(plan, planFromAudit(anycompanyPolicy(), [RENAMED]));
    const r = await runCli(['undo', '--journal', plan], { cwd: f.dir });
    expect(r.stderr).toBe(`tagaudit: ${plan}: this is a tagaudit plan, not a journal: apply it with fix --plan FILE --apply\n`);
    expect(r.code).toBe(2);
  });

  it('fix --resume of a plan file: the same', async () => {
    const f = await fixedJournal();
    const plan = join(f.dir, 'plan.json');
    await writePlanFile(plan, planFromAudit(anycompanyPolicy(), [RENAMED]));
    const r = await runCli(['fix', '--resume', plan, '--apply', '--yes'], { cwd: f.dir });
    expect(r.stderr).toBe(`tagaudit: ${plan}: this is a tagaudit plan, not a journal: apply it with fix --plan FILE --apply\n`);
    expect(r.code).toBe(2);
  });

  it('fix --plan of a journal: it is a journal, to finish with fix --resume or reverse with undo', async () => {
    const f = await fixedJournal();
    const r = await runCli(['fix', '--plan', f.journal], { cwd: f.dir });
    expect(r.stderr).toBe(
      `tagaudit: ${f.journal}: this is a tagaudit journal, not a plan: use fix --resume FILE --apply to finish its run, or undo --journal FILE to reverse it\n`,
    );
    expect(r.code).toBe(2);
  });

  it('a PII vault given as either is named too, and never quoted', async () => {
    const f = await fixedJournal();
    const plan = await runCli(['fix', '--plan', f.vault], { cwd: f.dir });
    expect(plan.stderr).toBe(`tagaudit: ${f.vault}: this is a tagaudit PII vault (undo reads it beside its journal), not a plan\n`);
    const undo = await runCli(['undo', '--journal', f.vault], { cwd: f.dir });
    expect(undo.stderr).toBe(`tagaudit: ${f.vault}: this is a tagaudit PII vault (undo reads it beside its journal), not a journal\n`);
    expect([plan.code, undo.code]).toEqual([2, 2]);
  });
});
