import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { JournalLinks } from '../../../src/fix/journal-links.js';
import type { JournalRecord } from '../../../src/fix/journal.js';
import { RENAMED, WITH_PII, fixedJournal, journalRecords } from './fixed-journal.js';

type Rec = Record<string, unknown>;
const NO_RESOURCE = "names a resource with no resource record before it (one is written before a resource's first write)";

function writeRecords(path: string, recs: readonly Rec[]): void {
  writeFileSync(path, recs.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

/** The journal without the `resource` record of `arn`; the 1-based line of the first record that names it after that. */
function dropResourceRecord(path: string, arn: string): number {
  const recs = journalRecords(path).filter((r) => !(r.t === 'resource' && r.arn === arn));
  writeRecords(path, recs);
  return recs.findIndex((r) => r.t === 'call' && (r.arns as string[]).includes(arn)) + 1;
}

// undo restores each resource from its `resource` record, written before the resource's first write: a journal whose
// writes name a resource without one would be undone as if nothing had been written (exit 0), so it is malformed.
describe('a journal whose writes name a resource with no resource record before them', () => {
  it.each([
    ['the PII resource', WITH_PII.arn],
    ['the renamed resource', RENAMED.arn],
  ])('undo refuses it at the first write naming %s (exit 2, no ARN quoted)', async (_name, arn) => {
    const f = await fixedJournal();
    const line = dropResourceRecord(f.journal, arn);
    const r = await runCli(['undo', '--journal', f.journal], { cwd: f.dir });
    expect(r.stderr).toBe(`tagaudit: ${f.journal}:${line}: call record: ${NO_RESOURCE} (at arns.0)\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('fix --resume refuses it the same way', async () => {
    const f = await fixedJournal();
    const line = dropResourceRecord(f.journal, RENAMED.arn);
    const r = await runCli(['fix', '--resume', f.journal, '--apply', '--yes'], { cwd: f.dir });
    expect(r.stderr).toBe(`tagaudit: ${f.journal}:${line}: call record: ${NO_RESOURCE} (at arns.0)\n`);
    expect(r.code).toBe(2);
  });

  it('a resource record of a resource the plan does not name is refused at its line', async () => {
    const f = await fixedJournal();
    const recs = journalRecords(f.journal);
    const i = recs.findIndex((r) => r.t === 'resource');
    recs[i]!.arn = 'arn:aws:lambda:us-east-1:111122223333:function:jane.doe@example.com';
    writeRecords(f.journal, recs);
    const r = await runCli(['undo', '--journal', f.journal], { cwd: f.dir });
    expect(r.stderr).toBe(`tagaudit: ${f.journal}:${i + 1}: resource record: names a resource that is not in the journal's plan (at arn)\n`);
    expect(r.code).toBe(2);
  });

  it('a resource record before the plan record is refused', async () => {
    const f = await fixedJournal();
    const recs = journalRecords(f.journal);
    const [begin, plan, resource, ...rest] = recs;
    writeRecords(f.journal, [begin!, resource!, plan!, ...rest]);
    const r = await runCli(['undo', '--journal', f.journal], { cwd: f.dir });
    expect(r.stderr).toBe(`tagaudit: ${f.journal}:2: resource record: comes before the journal's plan record\n`);
    expect(r.code).toBe(2);
  });
});

describe('JournalLinks', () => {
  const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:a';
  const OTHER = 'arn:aws:lambda:us-east-1:111122223333:function:b';
  const plan = (arns: string[]): JournalRecord => ({ t: 'plan', plan: { resources: arns.map((arn) => ({ arn })) } }) as unknown as JournalRecord;
  const begin = (kind: 'fix' | 'undo'): JournalRecord => ({ t: 'begin', version: 1, kind, at: '', tool: '', vault: 'v' });
  const resource = (arn: string): JournalRecord => ({ t: 'resource', arn, accountId: '', region: '', resourceType: 'lambda:function', before: [], changes: [] });
  const result = (ok: string[], failed: string[] = []): JournalRecord => ({
    t: 'result',
    seq: 1,
    at: '',
    ok,
    failed: Object.fromEntries(failed.map((a) => [a, { code: 'X', message: 'x' }])),
  });
  const problems = (records: JournalRecord[]): (string | undefined)[] => {
    const links = new JournalLinks();
    return records.map((r) => links.problem(r));
  };

  it('a result or a `fixed` done record of a resource without a resource record', () => {
    expect(problems([begin('fix'), plan([ARN]), result([ARN])]).at(-1)).toBe(`result record: ${NO_RESOURCE} (at ok.0)`);
    expect(problems([begin('fix'), plan([ARN]), result([], [ARN])]).at(-1)).toBe(`result record: ${NO_RESOURCE} (at failed)`);
    expect(problems([begin('fix'), plan([ARN]), { t: 'done', arn: ARN, status: 'fixed' }]).at(-1)).toBe(`done record: ${NO_RESOURCE} (at arn)`);
  });

  it('accepts what the writers write: done records of resources never written, a resumed run, a continued undo', () => {
    // A fix's unread / drifted / already-fixed resources, and an undo's settled ones, get a done record and no resource record.
    for (const status of ['already-fixed', 'drifted', 'unread', 'failed']) {
      expect(problems([begin('undo'), plan([ARN]), { t: 'done', arn: OTHER, status }])).toEqual([undefined, undefined, undefined]);
    }
    // A resumed fix writes a resource recorded by its first run without a new resource record.
    expect(problems([begin('fix'), plan([ARN]), resource(ARN), { t: 'resume', at: '' }, result([ARN]), { t: 'done', arn: ARN, status: 'fixed' }]).every((p) => p === undefined)).toBe(true);
    // A continued undo plans again, without a plan record: it may write a resource its recorded plan does not name.
    expect(problems([begin('undo'), plan([ARN]), { t: 'resume', at: '' }, resource(OTHER), result([OTHER])]).every((p) => p === undefined)).toBe(true);
    // A fix journal's resume writes only what its plan names.
    expect(problems([begin('fix'), plan([ARN]), { t: 'resume', at: '' }, resource(OTHER)]).at(-1)).toBe("resource record: names a resource that is not in the journal's plan (at arn)");
  });
});
