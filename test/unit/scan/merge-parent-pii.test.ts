import { describe, expect, it } from 'vitest';
import { runAudit } from '../../../src/audit/pipeline.js';
import { compilePolicy } from '../../../src/dictionary/policy.js';
import type { Resource } from '../../../src/inventory/resource.js';
import { DEFAULT_PII_POLICY } from '../../../src/pii/policy.js';
import { createAuditor } from '../../../src/rules/engine.js';
import type { Finding } from '../../../src/rules/types.js';
import { toResource, type Candidate } from '../../../src/scan/merge.js';

// The live scan's resources (merge.ts) through the audit pipeline: a parent's value that is personal data only because
// another tag of the parent holds it reaches no child, whether the child names its parent in its list entry (a
// training job, lower-cased as SageMaker returns it) or only in its tags (a Studio app's domain). Acceptance s14, D1.

const P = 'arn:aws:sagemaker:eu-west-1:111122223333:';
const slice = { accountId: '111122223333', region: 'eu-west-1' };
const policy = compilePolicy({
  pii: DEFAULT_PII_POLICY,
  tags: [
    { key: 'cc', costAllocation: true, mandatory: true },
    { key: 'team', costAllocation: true, mandatory: true },
  ],
});

const live = (c: Candidate): Resource => toResource(c, slice)!;

describe('live scan: a parent value that is personal data on the parent', () => {
  it('is neither quoted nor copied onto the children', async () => {
    const resources = [
      live({ arn: `${P}training-job/HPO-1-001`.toLowerCase(), tags: { team: 'ml' }, source: 'sagemaker', state: 'InProgress', parentArns: [`${P}hyper-parameter-tuning-job/hpo-1`] }),
      live({ arn: `${P}training-job/hpo-1-002`, tags: { cc: '9999', team: 'ml' }, source: 'tagging-api', state: 'InProgress', parentArns: [`${P}hyper-parameter-tuning-job/hpo-1`] }),
      live({ arn: `${P}hyper-parameter-tuning-job/HPO-1`, tags: { cc: '4155552671', team: 'ml', oncall: '+1 415-555-2671' }, source: 'tagging-api' }),
      live({ arn: `${P}domain/d-1`, tags: { cc: '078051120', team: 'ml', ssn: '078-05-1120' }, source: 'tagging-api' }),
      live({ arn: `${P}app/d-1/alice/jupyterserver/default`, tags: { team: 'ml', 'sagemaker:domain-arn': `${P}domain/d-1` }, source: 'tagging-api' }),
    ];
    expect(resources[4]!.parentArns).toEqual([`${P}domain/d-1`]);
    const findings: Finding[] = [];
    await runAudit({ resources: [resources], auditor: createAuditor(policy), sinks: [{ add: (f) => findings.push(f), finish: async () => undefined }] });
    const children = findings.filter((f) => /training-job|app\//.test(f.resource.arn));
    expect(children.map((f) => f.ruleId).sort()).toEqual(['missing-tag', 'missing-tag']);
    for (const f of children) {
      expect(f.fix).toBeUndefined();
      expect(f.message).toContain('which holds personal data and is not copied');
    }
    const text = JSON.stringify(findings);
    for (const raw of ['4155552671', '415-555-2671', '078051120', '078-05-1120']) expect(text).not.toContain(raw);
  });
});
