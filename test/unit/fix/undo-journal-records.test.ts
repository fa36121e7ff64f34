import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { EMAIL, editRecord, fixedJournal, undoDryRun } from './fixed-journal.js';

type Rec = Record<string, unknown>;
const TAG_OF = (r: Rec, field: 'before' | 'changes'): Rec[] => r[field] as Rec[];

// Every journal record is checked for the shape the journal writer gives it; a bad one is one usage line naming
// JOURNAL:LINE and what is wrong (exit 2), and never quotes a value from the file (tag values may be PII).
describe('undo refuses a journal record the journal writer would not have written', () => {
  it.each<[string, string, (r: Rec) => void, string]>([
    ['a change of an unknown type', 'resource', (r) => (r.changes = [{ type: 'bogus' }]), 'resource record: "type" must be one of rename-key, normalize-value, add-default, inherit, pii-remove, pii-redact (at changes.0.type)'],
    ['a change with no "before"', 'resource', (r) => delete TAG_OF(r, 'changes')[0]!.before, 'resource record: "before" must be a tag or null (at changes.0.before)'],
    ['a change with neither side', 'resource', (r) => (r.changes = [{ type: 'pii-remove', before: null, after: null }]), 'resource record: a change needs a "before" or an "after" tag (at changes.0)'],
    ['"before" that is not a list', 'resource', (r) => (r.before = 'notalist'), 'resource record: "before" must be an array (at before)'],
    ['"changes" missing', 'resource', (r) => delete r.changes, 'resource record: "changes" must be an array (at changes)'],
    ['a tag value that is not a string (its key is PII)', 'resource', (r) => (TAG_OF(r, 'before')[0] = { key: EMAIL, value: 42 }), 'resource record: "value" must be a string (at before.0.value)'],
    ['a bad digest', 'resource', (r) => (TAG_OF(r, 'changes')[0]!.before = { key: 'x', value: 'y', digest: { keySha256: 'x' } }), 'resource record: "digest" must be {keySha256, valueSha256} (64 lowercase hex digits each) (at changes.0.before.digest)'],
    ['an ARN that is not one (and holds an e-mail address)', 'resource', (r) => (r.arn = `not-an-arn:${EMAIL}`), 'resource record: not an ARN (at arn)'],
    ['a region that is not one', 'resource', (r) => (r.region = 'mars-1'), 'resource record: "region" is not an AWS region name (at region)'],
    ['a region other than the ARN\'s', 'resource', (r) => (r.region = 'eu-west-1'), 'resource record: "region" is not the region in the ARN (at region)'],
    ['an account other than the ARN\'s', 'resource', (r) => (r.accountId = '444455556666'), 'resource record: "accountId" is not the account in the ARN (at accountId)'],
    ['an empty resource type', 'resource', (r) => (r.resourceType = ''), 'resource record: "resourceType" must not be empty (at resourceType)'],
    ['a resource type that is not a string', 'resource', (r) => (r.resourceType = 7), 'resource record: "resourceType" must be a string (at resourceType)'],
    ['a call with no ARN list', 'call', (r) => (r.arns = 'arn:aws:lambda:us-east-1:111122223333:function:rename'), 'call record: "arns" must be an array (at arns)'],
    ['a call naming something that is not an ARN', 'call', (r) => (r.arns = [EMAIL]), 'call record: not an ARN (at arns.0)'],
    ['a call to an unknown API', 'call', (r) => (r.api = 'DeleteEverything'), 'call record: "api" must be one of TagResources, UntagResources, sagemaker:AddTags, sagemaker:DeleteTags, autoscaling:CreateOrUpdateTags, autoscaling:DeleteTags, iam:TagUser, iam:UntagUser, iam:TagRole, iam:UntagRole (at api)'],
    ['a call with a bad sequence number', 'call', (r) => (r.seq = 0), 'call record: "seq" must be a whole number from 1 (at seq)'],
    ['a call with bad written tags', 'call', (r) => (r.tags = [{ key: EMAIL }]), 'call record: "value" must be a string (at tags.0.value)'],
    ['a result whose failures are not a map', 'result', (r) => (r.failed = []), 'result record: "failed" must be an object (at failed)'],
    ['a result with a bad failure (keyed by an ARN)', 'result', (r) => (r.failed = { [`arn:aws:lambda:us-east-1:111122223333:function:${EMAIL}`]: { code: 5 } }), 'result record: "failed" must map each ARN to {code, message} (at failed)'],
    ['a result with "ok" not a list', 'result', (r) => (r.ok = {}), 'result record: "ok" must be an array (at ok)'],
    ['a done record with an unknown status', 'done', (r) => (r.status = 'bogus'), 'done record: "status" must be one of fixed, already-fixed, drifted, failed, unread (at status)'],
    ['a begin record of an unknown kind', 'begin', (r) => (r.kind = 'bogus'), 'begin record: "kind" must be fix or undo (at kind)'],
    ['a begin record whose vault is a path elsewhere', 'begin', (r) => (r.vault = '../../home/me/.ssh/id_rsa'), 'begin record: "vault" must be a file name (the vault lies beside its journal) (at vault)'],
    ['a begin record with a bad timestamp', 'begin', (r) => (r.at = 'yesterday'), 'begin record: "at" must be an ISO 8601 UTC time (at at)'],
    ['a plan with no dictionary', 'plan', (r) => ((r.plan as Rec).dictionary = 'anycompany.yaml'), 'the journal\'s plan is invalid: "dictionary" must be {path, sha256} (at plan.dictionary)'],
  ])('%s', async (_name, t, edit, message) => {
    const f = await fixedJournal();
    const line = editRecord(f.journal, t, edit);
    const r = await runCli(['undo', '--journal', f.journal], { cwd: f.dir });
    expect(r.stderr).toBe(`tagaudit: ${f.journal}:${line}: ${message}\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a record of an unknown type, or a second begin record, in the middle of the journal', async () => {
    const f = await fixedJournal();
    const lines = readFileSync(f.journal, 'utf8').split('\n');
    const withUnknown = [...lines.slice(0, 3), JSON.stringify({ t: 'bogus', note: EMAIL }), ...lines.slice(3)].join('\n');
    writeFileSync(f.journal, withUnknown);
    let r = await runCli(['undo', '--journal', f.journal], { cwd: f.dir });
    expect(r.stderr).toBe(`tagaudit: ${f.journal}:4: unknown record type (written by a newer tagaudit?): expected begin, plan, resume, resource, call, result, done, end or undone\n`);
    expect(r.code).toBe(2);

    writeFileSync(f.journal, [...lines.slice(0, 3), lines[0], ...lines.slice(3)].join('\n'));
    r = await runCli(['undo', '--journal', f.journal], { cwd: f.dir });
    expect(r.stderr).toBe(`tagaudit: ${f.journal}:4: a second begin record (a journal has one, on its first line)\n`);
    expect(r.code).toBe(2);
  });

  it('fix --resume checks the records the same way', async () => {
    const f = await fixedJournal();
    const line = editRecord(f.journal, 'resource', (r) => (r.before = 'notalist'));
    const r = await runCli(['fix', '--resume', f.journal, '--apply', '--yes'], { cwd: f.dir });
    expect(r.stderr).toBe(`tagaudit: ${f.journal}:${line}: resource record: "before" must be an array (at before)\n`);
    expect(r.code).toBe(2);
  });
});

describe('undo accepts what the journal writer writes', () => {
  it('a complete journal: plans the restore (dry run)', async () => {
    const f = await fixedJournal();
    const r = await undoDryRun(f);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('2 resources written by the journal; 0 already as before');
    expect(r.code).toBe(1);
  });

  it('a last line cut short by a kill is ignored (it was never flushed, so nothing depended on it)', async () => {
    const f = await fixedJournal();
    appendFileSync(f.journal, '{"t":"call","seq":4,"at":"2024-06-01T12:00:00.000Z","api":"TagRes');
    const r = await undoDryRun(f);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('2 resources written by the journal; 0 already as before');
    expect(r.code).toBe(1);
  });
});
