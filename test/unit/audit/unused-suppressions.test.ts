import { describe, expect, it } from 'vitest';
import { runAudit } from '../../../src/audit/pipeline.js';
import { noteUnusedSuppressions, suppressionUses, unusedSuppressionNotes, type SuppressedRun } from '../../../src/audit/unused-suppressions.js';
import { compilePolicy } from '../../../src/dictionary/policy.js';
import { compileSuppression, type RawSuppression, type Suppression } from '../../../src/dictionary/suppression.js';
import type { Resource } from '../../../src/inventory/resource.js';
import { createSummaryCounter } from '../../../src/report/summary.js';
import type { RunInfo, ScanScope } from '../../../src/report/types.js';
import { createAuditor } from '../../../src/rules/engine.js';
import { DEFAULT_PII_POLICY } from '../../../src/pii/policy.js';
import type { Severity } from '../../../src/rules/types.js';

const A = '111122223333';
const B = '444455556666';
const TODAY = '2026-11-24';

const sup = (raw: Omit<RawSuppression, 'reason'>, line?: number) => compileSuppression({ reason: 'test', ...raw }, line);

/** A dictionary at `path` with these suppressions, every rule on unless `levels` turns it off. */
function policyOf(path: string, suppressions: readonly Suppression[], levels: Record<string, Severity | 'off'> = {}) {
  return compilePolicy({ path, conventions: { unknownKeys: 'warning' }, ruleSeverity: levels, pii: DEFAULT_PII_POLICY, tags: [], suppressions });
}

/** A finished run whose suppressions took `counts` findings (by index), with the given status and scope. */
function run(counts: readonly number[], status: RunInfo['status'] = 'complete', scope: ScanScope = { mode: 'inventory', inventories: ['x.jsonl'] }): SuppressedRun {
  const summary = createSummaryCounter();
  counts.forEach((n, i) => {
    for (let k = 0; k < n; k++) summary.countSuppressed(i);
  });
  return {
    summary,
    report: { run: { status, scope, startedAt: '', finishedAt: '', dictionary: { path: 'tagaudit.yaml', sha256: '' } } },
  };
}

describe('unusedSuppressionNotes', () => {
  const policy = policyOf('tagaudit.yaml', [
    sup({ rules: ['unknown-tag-key'], tags: ['Name'] }, 80),
    sup({ rules: ['tag-limit'], accounts: ['999999999999'] }, 88),
    sup({ rules: ['missing-tag', 'invalid-tag-value'], resources: ['arn:aws:s3:::vendor-*'] }, 93),
  ]);

  it('names, by file and line, each suppression that took no finding after a complete run', () => {
    expect(unusedSuppressionNotes(policy, run([4, 0, 0]), TODAY)).toEqual([
      'tagaudit: tagaudit.yaml:88: suppression (tag-limit) matched no finding in this scan; remove it if it is no longer needed',
      'tagaudit: tagaudit.yaml:93: suppression (missing-tag, invalid-tag-value) matched no finding in this scan; remove it if it is no longer needed',
    ]);
    expect(unusedSuppressionNotes(policy, run([4, 1, 1]), TODAY)).toEqual([]);
  });

  it('after a partial run names none, and says why in one line (only when some took nothing)', () => {
    expect(unusedSuppressionNotes(policy, run([4, 0, 0], 'partial'), TODAY)).toEqual([
      'tagaudit: 2 suppressions matched no finding, but the scan is incomplete: they may cover what could not be read, so they are not reported as unused',
    ]);
    expect(unusedSuppressionNotes(policy, run([4, 0, 3], 'partial'), TODAY)).toEqual([
      'tagaudit: 1 suppression matched no finding, but the scan is incomplete: it may cover what could not be read, so it is not reported as unused',
    ]);
    expect(unusedSuppressionNotes(policy, run([4, 1, 1], 'partial'), TODAY)).toEqual([]);
  });

  it('leaves an expired suppression to the expiry note, also when it was kept in the policy', () => {
    const expiring = policyOf('tagaudit.yaml', [
      sup({ rules: ['tag-limit'], accounts: [A], expires: '2026-11-23' }, 10),
      sup({ rules: ['tag-limit'], accounts: [B], expires: TODAY }, 20),
    ]);
    // The first expired yesterday; the second still applies today.
    expect(unusedSuppressionNotes(expiring, run([0, 0]), TODAY)).toEqual([
      'tagaudit: tagaudit.yaml:20: suppression (tag-limit) matched no finding in this scan; remove it if it is no longer needed',
    ]);
    expect(unusedSuppressionNotes(expiring, run([0, 0], 'partial'), TODAY)).toEqual([expect.stringMatching(/^tagaudit: 1 suppression matched no finding/)]);
  });

  it('says so when every rule a suppression names is off, and numbers one that has no line', () => {
    const noLine = policyOf('inline', [sup({ rules: ['tag-limit'], accounts: [A] }), sup({ rules: ['pii-in-tag', 'tag-limit'], accounts: [A] })], { 'tag-limit': 'off' });
    expect(unusedSuppressionNotes(noLine, run([0, 0]), TODAY)).toEqual([
      'tagaudit: inline (suppression 1): suppression (tag-limit) matched no finding in this scan: every rule it names is off; remove it if it is no longer needed',
      'tagaudit: inline (suppression 2): suppression (pii-in-tag, tag-limit) matched no finding in this scan; remove it if it is no longer needed',
    ]);
  });

  it('judges "off" on the levels the scan runs at, not only on rules: (unknown-tag-key is off unless conventions.unknownKeys sets it)', () => {
    const suppressions = [sup({ rules: ['unknown-tag-key'], tags: ['Name'] }, 5), sup({ rules: ['pii-in-tag'], tags: ['contact'] }, 9)];
    const defaults = compilePolicy({ path: 'd.yaml', pii: { ...DEFAULT_PII_POLICY, enabled: false }, tags: [], suppressions });
    expect(unusedSuppressionNotes(defaults, run([0, 0]), TODAY)).toEqual([
      'tagaudit: d.yaml:5: suppression (unknown-tag-key) matched no finding in this scan: every rule it names is off; remove it if it is no longer needed',
      'tagaudit: d.yaml:9: suppression (pii-in-tag) matched no finding in this scan: every rule it names is off; remove it if it is no longer needed',
    ]);
    const on = compilePolicy({ path: 'd.yaml', conventions: { unknownKeys: 'off' }, ruleSeverity: { 'unknown-tag-key': 'note' }, pii: DEFAULT_PII_POLICY, tags: [], suppressions });
    expect(unusedSuppressionNotes(on, run([0, 0]), TODAY).filter((l) => l.includes('is off'))).toEqual([]);
  });

  it('keeps quiet about a suppression a live scan of other accounts or regions could not reach', () => {
    const live: ScanScope = { mode: 'live', accounts: [A], regions: ['us-east-1'] };
    const scoped = policyOf('d.yaml', [
      sup({ rules: ['tag-limit'], accounts: [B] }, 1), // other account: out of reach
      sup({ rules: ['tag-limit'], accounts: [A, B] }, 2), // one scanned: named
      sup({ rules: ['tag-limit'], resources: [`arn:aws:sagemaker:*:${B}:endpoint/legacy-*`] }, 3), // other account
      sup({ rules: ['tag-limit'], resources: [`arn:aws:sagemaker:eu-west-1:${A}:*`] }, 4), // other region
      sup({ rules: ['tag-limit'], resources: [`arn:aws:sagemaker:eu-west-1:${A}:*`, `arn:aws:sagemaker:*:${A}:model/*`] }, 5), // one pattern in reach
      sup({ rules: ['tag-limit'], resources: ['arn:aws:s3:::vendor-*'] }, 6), // no account or region in the ARN
      sup({ rules: ['tag-limit'], resources: ['arn:aws:sagemaker:*'] }, 7), // region and account: anything
    ]);
    const lines = (scope: ScanScope): string[] => unusedSuppressionNotes(scoped, run([0, 0, 0, 0, 0, 0, 0], 'complete', scope), TODAY).map((l) => l.split(':')[2]!);
    expect(lines(live)).toEqual(['2', '5', '6', '7']);
    // An inventory's scope names no accounts or regions: nothing is out of reach.
    expect(lines({ mode: 'inventory', inventories: ['x.jsonl'] })).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('writes one line each to the notes, and none when nothing is unused', () => {
    const out: string[] = [];
    noteUnusedSuppressions(policy, run([0, 2, 0]), { write: (c: string) => out.push(c) }, new Date(`${TODAY}T12:00:00Z`));
    expect(out).toEqual([
      'tagaudit: tagaudit.yaml:80: suppression (unknown-tag-key) matched no finding in this scan; remove it if it is no longer needed\n',
      'tagaudit: tagaudit.yaml:93: suppression (missing-tag, invalid-tag-value) matched no finding in this scan; remove it if it is no longer needed\n',
    ]);
  });
});

describe('counting suppressed findings per suppression (one thread)', () => {
  const res = (name: string, tags: Record<string, string>, parentArns?: string[], type = 'training-job'): Resource => ({
    arn: `arn:aws:sagemaker:us-east-1:${A}:${type}/${name}`,
    accountId: A,
    region: 'us-east-1',
    service: 'sagemaker',
    resourceType: `sagemaker:${type}`,
    tags,
    source: 'inventory',
    ...(parentArns ? { parentArns } : {}),
  });

  it('counts each suppressed finding against the first suppression covering it, children waiting for a parent included', async () => {
    const policy = compilePolicy({
      path: 'd.yaml',
      conventions: { keyCase: 'any', unknownKeys: 'warning' },
      pii: DEFAULT_PII_POLICY,
      tags: [{ key: 'team', category: 'workload', purpose: 'owner', mandatory: false, costAllocation: true }],
      suppressions: [
        sup({ rules: ['unknown-tag-key'], tags: ['scratch'] }),
        sup({ rules: ['unknown-tag-key'], tags: ['scratch', 'tmp'] }), // takes only what the first leaves: tmp
        sup({ rules: ['inherited-tag-drift'], resourceTypes: ['sagemaker:training-job'] }),
        sup({ rules: ['tag-limit'], accounts: [B] }),
      ],
    });
    const hpo = `arn:aws:sagemaker:us-east-1:${A}:hyper-parameter-tuning-job/h`;
    const resources = [
      res('a', { scratch: '1', tmp: '1' }),
      res('b', { scratch: '1' }),
      // Listed before its parent: waits, then is audited when the parent comes.
      res('child', { team: 'x' }, [hpo]),
      res('h', { team: 'y' }, undefined, 'hyper-parameter-tuning-job'),
    ];
    const outcome = await runAudit({ resources, auditor: createAuditor(policy), sinks: [] });
    expect(outcome.summary.suppressedBy(4)).toEqual([2, 1, 1, 0]);
    expect(outcome.summary.result().suppressed).toBe(4);
    expect(suppressionUses(policy, { summary: outcome.summary, report: run([]).report }).map((u) => u.matched)).toEqual([2, 1, 1, 0]);
  });
});
