import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { readJournal } from '../../../src/fix/journal.js';
import { tagDigest } from '../../../src/fix/digest.js';
import { jsonErrorOffset } from '../../../src/inventory/json-error-offset.js';
import { readPlanFile, writePlanFile } from '../../../src/fix/plan-file.js';
import { beginJournal, resumeJournal } from '../../../src/fix/session.js';
import { anycompanyPolicy, tagsWith } from '../../support/policies.js';
import { lambda, planFromAudit } from './helpers.js';
import { tempDir } from './run.js';

const plan = planFromAudit(anycompanyPolicy(), [lambda('a', tagsWith({ 'anycompany:workload:environment': undefined, env: 'prod' }))]);

async function planError(text: string): Promise<string> {
  const file = join(tempDir(), 'plan.json');
  writeFileSync(file, text);
  try {
    await readPlanFile(file);
  } catch (err) {
    if (err instanceof UsageError) return err.toLine().replace(file, 'plan.json');
    throw err;
  }
  throw new Error('no error');
}

describe('plan files', () => {
  it('round-trips', async () => {
    const file = join(tempDir(), 'plan.json');
    await writePlanFile(file, plan);
    expect(await readPlanFile(file)).toEqual(plan);
  });

  it('is readable by its owner only (it holds tag values and PII digests)', async () => {
    const file = join(tempDir(), 'plan.json');
    await writePlanFile(file, plan);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('names the line and column of a bad value', async () => {
    const text = JSON.stringify(plan, null, 2).replace('"op": "rename"', '"op": "delete"');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('"delete"'));
    const col = lines[line]!.indexOf('"delete"') + 1;
    expect(await planError(text)).toBe(`plan.json:${line + 1}:${col}: "op" must be add, set, rename or remove (at resources.0.edits.0.op)`);
  });

  it('refuses edits of aws: tags and removals that are not PII removals', async () => {
    const aws = JSON.stringify(plan, null, 2).replace('"from": "env"', '"from": "aws:env"');
    expect(await planError(aws)).toContain("tags starting with 'aws:' are never changed (at resources.0.edits.0.from)");
    const remove = JSON.parse(JSON.stringify(plan));
    remove.resources[0].edits = [{ op: 'remove', type: 'rename-key', key: 'env', expected: 'prod' }];
    expect(await planError(JSON.stringify(remove))).toContain('only pii-remove edits may remove a tag');
  });

  it('refuses edits that would drop a value: a rename onto its own key, two edits disagreeing on one key', async () => {
    const edited = (edits: unknown[]): string => {
      const p = JSON.parse(JSON.stringify(plan));
      p.resources[0].edits = edits;
      return JSON.stringify(p);
    };
    // Applied, either would remove team=ml without copying it anywhere (the write and the removal hit one key).
    const self = edited([{ op: 'rename', type: 'rename-key', from: 'team', to: 'team', expected: 'ml', value: 'ml' }]);
    expect(await planError(self)).toContain('disagree on what one tag ends up holding (a value would be lost) (at resources.0.edits.0)');
    const twice = edited([
      { op: 'rename', type: 'rename-key', from: 'team', to: 'owner', expected: 'ml', value: 'ml' },
      { op: 'add', type: 'add-default', key: 'owner', value: 'nobody' },
    ]);
    expect(await planError(twice)).toContain('disagree on what one tag ends up holding (a value would be lost) (at resources.0.edits.1)');
    // A PII edit addresses its tag by digest: a plain edit of the same raw key is the same tag.
    const pii = edited([
      { op: 'add', type: 'add-default', key: 'contact', value: 'x' },
      { op: 'remove', type: 'pii-remove', key: 'c*****t', expected: 'j***@e*****e.com', digest: tagDigest('contact', 'jane@example.com') },
    ]);
    expect(await planError(pii)).toContain('(at resources.0.edits.1)');
    // Two renames of aliases onto one key with one value agree (the planner makes such plans).
    const agree = JSON.parse(edited([
      { op: 'rename', type: 'rename-key', from: 'env', to: 'environment', expected: 'prod', value: 'production', valueType: 'normalize-value' },
      { op: 'rename', type: 'rename-key', from: 'Env', to: 'environment', expected: 'prod', value: 'production', valueType: 'normalize-value' },
    ]));
    agree.resources[0].expectedTags.push({ key: 'Env', value: 'prod' });
    const file = join(tempDir(), 'plan.json');
    writeFileSync(file, JSON.stringify(agree));
    await expect(readPlanFile(file)).resolves.toEqual(agree);
  });

  it('names where broken JSON breaks, even when V8 does not', async () => {
    expect(await planError('{\n  "kind": \n}')).toMatch(/^plan\.json:3:1: invalid JSON/);
    expect(jsonErrorOffset('{"a": [1, 2,]}')).toBe(12);
    expect(jsonErrorOffset('{"a": "x\\q"}')).toBe(9);
    expect(jsonErrorOffset('{"a": 1}')).toBeUndefined();
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
  });

  it('rejects something that is not a plan', async () => {
    expect(await planError('{"kind": "report"}')).toBe('plan.json:1:10: not a tagaudit plan ("kind" must be "tagaudit-fix-plan") (at kind)');
    expect(await planError('{"kind": "tagaudit-fix-plan"}')).toMatch(/^plan\.json(:1:1)?: "version" is missing \(expected 1\)/);
  });
});

describe('journal files', () => {
  it('never overwrites an existing journal', async () => {
    const path = join(tempDir(), 'j.jsonl');
    await beginJournal({ path, kind: 'fix', plan, now: new Date(), tool: 't' }).journal.close();
    expect(() => beginJournal({ path, kind: 'fix', plan, now: new Date(), tool: 't' })).toThrow(/already exists/);
  });

  it('a line cut short by a kill is ignored when read and dropped when resumed', async () => {
    const path = join(tempDir(), 'j.jsonl');
    await beginJournal({ path, kind: 'fix', plan, now: new Date(), tool: 't' }).journal.close();
    appendFileSync(path, '{"t":"call","seq":1,"arns":["arn:aws:lam');
    expect(readJournal(path).truncatedTail).toBe(true);
    expect(readJournal(path).records.map((r) => r.t)).toEqual(['begin', 'plan']);
    const session = resumeJournal(path, new Date('2024-06-01T12:00:00Z'));
    await session.journal.close();
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).t)).toEqual(['begin', 'plan', 'resume']);
  });

  it("checks a resumed journal's plan like a --plan file: an edited plan that writes an aws: key is refused", async () => {
    const path = join(tempDir(), 'j.jsonl');
    await beginJournal({ path, kind: 'fix', plan, now: new Date(), tool: 't' }).journal.close();
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    const tampered = lines.map((l) => {
      const rec = JSON.parse(l);
      if (rec.t === 'plan') rec.plan.resources[0].edits.push({ op: 'add', type: 'add-default', key: 'aws:createdBy', value: 'me' });
      return JSON.stringify(rec);
    });
    writeFileSync(path, `${tampered.join('\n')}\n`);
    expect(() => resumeJournal(path, new Date())).toThrow(UsageError);
    expect(() => resumeJournal(path, new Date())).toThrow(/aws:/);
  });

  it('a bad line in the middle is an error naming the line', async () => {
    const path = join(tempDir(), 'j.jsonl');
    await beginJournal({ path, kind: 'fix', plan, now: new Date(), tool: 't' }).journal.close();
    appendFileSync(path, 'garbage\n{"t":"resume","at":"x"}\n');
    expect(() => readJournal(path)).toThrow(expect.objectContaining({ line: 3 }));
  });
});

describe('group commit', () => {
  it('every flush resolves with what was appended before it on disk, concurrent flushes included', async () => {
    const { GroupCommitFile } = await import('../../../src/fix/journal.js');
    const { openSync } = await import('node:fs');
    const path = join(tempDir(), 'g.jsonl');
    const file = new GroupCommitFile(path, openSync(path, 'wx'));
    const flushes: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      file.push(`${i}\n`);
      const n = i;
      flushes.push(file.flush().then(() => expect(readFileSync(path, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThan(n)));
    }
    await Promise.all(flushes);
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe(Array.from({ length: 50 }, (_, i) => `${i}\n`).join(''));
  });
});
