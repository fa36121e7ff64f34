import { describe, it, expect } from 'vitest';
import { runAudit, type AuditorLike } from '../../../src/audit/pipeline.js';
import type { Resource } from '../../../src/inventory/resource.js';
import type { ReportSink } from '../../../src/report/sink.js';
import type { Finding } from '../../../src/rules/types.js';

const ACCOUNT = '111122223333';
function res(type: string, name: string, tags: Record<string, string> = {}, parentArns?: string[]): Resource {
  const arn = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:${type}/${name}`;
  return { arn, accountId: ACCOUNT, region: 'us-east-1', service: 'sagemaker', resourceType: `sagemaker:${type}`, tags, source: 'inventory', parentArns };
}

/** Reports one finding per resource, saying which of its parents the lookup could see (and their cost-center). */
function recordingAuditor(): AuditorLike & { calls: { arn: string; parents: (string | undefined)[] }[] } {
  const calls: { arn: string; parents: (string | undefined)[] }[] = [];
  return {
    calls,
    rules: [],
    audit(resource, lookup) {
      const parents = (resource.parentArns ?? []).map((p) => lookup(p)?.tags['cost-center']);
      calls.push({ arn: resource.arn, parents });
      return [
        {
          ruleId: 'fake',
          severity: resource.tags.bad ? 'error' : 'note',
          message: 'seen',
          resource: { arn: resource.arn, accountId: resource.accountId, region: resource.region, service: resource.service, resourceType: resource.resourceType },
          fingerprint: resource.arn,
        },
      ];
    },
  };
}

function collectingSink(): ReportSink & { findings: Finding[] } {
  const findings: Finding[] = [];
  return { findings, add: (f) => void findings.push(f), finish: async () => {} };
}

async function* stream<T>(items: T[]): AsyncGenerator<T> {
  for (const i of items) yield i;
}

describe('runAudit', () => {
  it('audits every resource once, sends every finding to every sink and to onFinding, and counts them', async () => {
    const auditor = recordingAuditor();
    const a = collectingSink();
    const b = collectingSink();
    const seen: string[] = [];
    const resources = [res('model', 'm1', { bad: 'x' }), res('model', 'm2'), res('notebook-instance', 'n1')];
    const out = await runAudit({ resources: stream([[resources[0]!, resources[1]!], resources[2]!]), auditor, sinks: [a, b], onFinding: (f, r) => seen.push(`${f.ruleId}:${r.arn}`) });
    expect(auditor.calls.map((c) => c.arn)).toEqual(resources.map((r) => r.arn));
    expect(a.findings).toHaveLength(3);
    expect(b.findings).toEqual(a.findings);
    expect(seen).toEqual(resources.map((r) => `fake:${r.arn}`));
    expect(out.summary.result()).toMatchObject({ resources: 3, findings: 3, bySeverity: { error: 1, warning: 0, note: 2 } });
    expect(out.summary.atOrAbove('error')).toBe(1);
    expect(out.duplicates).toBe(0);
  });

  it('audits a resource listed twice (two inventories) once, keeping the first', async () => {
    const auditor = recordingAuditor();
    const first = res('model', 'm1', { v: '1' });
    const again = res('model', 'm1', { v: '2' });
    const out = await runAudit({ resources: [[first, res('model', 'm2')], [again]], auditor, sinks: [] });
    expect(auditor.calls.map((c) => c.arn)).toEqual([first.arn, res('model', 'm2').arn]);
    expect(out.duplicates).toBe(1);
    expect(out.summary.result().resources).toBe(2);
  });

  it('lets a child see a parent listed before it', async () => {
    const auditor = recordingAuditor();
    const hpo = res('hyper-parameter-tuning-job', 'hpo', { 'cost-center': 'cc-1' });
    const job = res('training-job', 'job', {}, [hpo.arn]);
    await runAudit({ resources: [hpo, job], auditor, sinks: [] });
    expect(auditor.calls).toEqual([
      { arn: hpo.arn, parents: [] },
      { arn: job.arn, parents: ['cc-1'] },
    ]);
  });

  it('holds a child listed before its parent until the parent arrives, whatever the parent type', async () => {
    const auditor = recordingAuditor();
    // A parent of a type not kept by default (a training job as a model's source) is kept because a child asked.
    const source = res('training-job', 'src', { 'cost-center': 'cc-7' });
    const model = res('model', 'm', {}, [source.arn]);
    const endpoint = res('endpoint', 'e', {}, [res('endpoint-config', 'cfg').arn]);
    const config = res('endpoint-config', 'cfg', { 'cost-center': 'cc-9' }, [model.arn]);
    const out = await runAudit({ resources: stream([model, endpoint, res('notebook-instance', 'n'), source, config]), auditor, sinks: [] });
    expect(auditor.calls).toEqual([
      { arn: res('notebook-instance', 'n').arn, parents: [] },
      { arn: source.arn, parents: [] },
      { arn: model.arn, parents: ['cc-7'] },
      { arn: config.arn, parents: [undefined] },
      { arn: endpoint.arn, parents: ['cc-9'] },
    ]);
    expect(out.orphans).toBe(0);
  });

  it('waits for every parent of a child with several', async () => {
    const auditor = recordingAuditor();
    const m1 = res('model', 'm1', { 'cost-center': 'a' });
    const m2 = res('model', 'm2', { 'cost-center': 'b' });
    const cfg = res('endpoint-config', 'cfg', {}, [m1.arn, m2.arn]);
    await runAudit({ resources: [cfg, m1, m2], auditor, sinks: [] });
    expect(auditor.calls.map((c) => c.arn)).toEqual([m1.arn, m2.arn, cfg.arn]);
    expect(auditor.calls[2]?.parents).toEqual(['a', 'b']);
  });

  it('audits a child whose parent never appears at the end, without the parent', async () => {
    const auditor = recordingAuditor();
    const job = res('training-job', 'job', {}, [res('hyper-parameter-tuning-job', 'gone').arn]);
    const out = await runAudit({ resources: [job, res('model', 'm')], auditor, sinks: [] });
    expect(auditor.calls).toEqual([
      { arn: res('model', 'm').arn, parents: [] },
      { arn: job.arn, parents: [undefined] },
    ]);
    expect(out.orphans).toBe(1);
    expect(out.summary.result().resources).toBe(2);
  });

  it('bounds how many children wait: past maxDeferred the oldest is audited without its parent', async () => {
    const auditor = recordingAuditor();
    const hpo = res('hyper-parameter-tuning-job', 'late', { 'cost-center': 'cc-1' });
    const jobs = [1, 2, 3, 4].map((i) => res('training-job', `j${i}`, {}, [hpo.arn]));
    const out = await runAudit({ resources: [...jobs, hpo], auditor, sinks: [], maxDeferred: 2 });
    expect(auditor.calls).toEqual([
      { arn: jobs[0]!.arn, parents: [undefined] },
      { arn: jobs[1]!.arn, parents: [undefined] },
      { arn: hpo.arn, parents: [] },
      { arn: jobs[2]!.arn, parents: ['cc-1'] },
      { arn: jobs[3]!.arn, parents: ['cc-1'] },
    ]);
    expect(out.orphans).toBe(2);
  });

  it('does not count a self-reference as a missing parent forever', async () => {
    const auditor = recordingAuditor();
    const odd = res('model', 'self', { 'cost-center': 'x' });
    const selfRef = { ...odd, parentArns: [odd.arn] };
    await runAudit({ resources: [selfRef], auditor, sinks: [] });
    expect(auditor.calls.map((c) => c.arn)).toEqual([odd.arn]);
  });
});
