import { describe, expect, it } from 'vitest';
import { arnMasker } from '../../../src/pii/arn-mask.js';
import { maskPii } from '../../../src/pii/mask.js';
import { makePiiPolicy } from '../../../src/pii/policy.js';
import { DEFAULT_ARN_MASK, showFinding } from '../../../src/report/arn-display.js';
import { createJsonSink, renderJson } from '../../../src/report/json.js';
import { renderSarif } from '../../../src/report/sarif.js';
import { renderTable } from '../../../src/report/table.js';
import { checkGithubSarif } from '../../support/github-sarif-rules.js';
import { finding, makeReport, memoryWriter, ref, TRAINING_JOB } from './fixtures.js';
import { reportSchemaErrors, sarifSchemaErrors } from './validators.js';

// Acceptance s13 defect 2: a '+' phone number in an ARN reaches every report masked, by the path e-mail addresses
// take (the resource, a parent quoted in a message and in data); fingerprints stay those of the raw ARN.
const NUMBER = '+14155552671';
const MASKED = maskPii('phone', NUMBER);
const FN_ARN = `arn:aws:lambda:us-east-1:123456789012:function:call-${NUMBER}`;
const SHOWN_FN = `arn:aws:lambda:us-east-1:123456789012:function:call-${MASKED}`;
const USER_ARN = `arn:aws:iam::123456789012:user/${NUMBER}`;
const SHOWN_USER = `arn:aws:iam::123456789012:user/${MASKED}`;
const RAW = /4155552671/;

function phoneFindings() {
  return [
    finding('missing-mandatory-tag', 'error', ref(FN_ARN), 'Missing mandatory tag "CostCenter".', { tag: { key: 'CostCenter' } }),
    finding('inherited-tag-drift', 'note', TRAINING_JOB, `tag "CostCenter" is "9999" while its parent ${USER_ARN} carries "1234"`, {
      tag: { key: 'CostCenter', value: '9999' },
      data: { dictionaryKey: 'CostCenter', parentArn: USER_ARN, parentValue: '1234' },
    }),
  ];
}

describe('reports mask + phone numbers in ARNs', () => {
  it('JSON: resource.arn, message and data.parentArn masked, fingerprints raw; the streaming sink writes the same', async () => {
    const findings = phoneFindings();
    const text = renderJson(makeReport(findings));
    expect(text).not.toMatch(RAW);
    const doc = JSON.parse(text) as { findings: { fingerprint: string; resource: { arn: string }; message: string; data?: { parentArn?: string } }[] };
    expect(reportSchemaErrors(doc)).toEqual([]);
    expect(doc.findings.map((f) => f.fingerprint)).toEqual(findings.map((f) => f.fingerprint));
    expect(doc.findings[0]!.resource.arn).toBe(SHOWN_FN);
    expect(doc.findings[1]!.message).toContain(`parent ${SHOWN_USER} carries`);
    expect(doc.findings[1]!.data?.parentArn).toBe(SHOWN_USER);
    const out = memoryWriter();
    const sink = createJsonSink(out);
    for (const f of findings) sink.add(f);
    await sink.finish({ ...makeReport(findings), findings: [] });
    expect(out.text()).toBe(text);
    // without the phone detector the number is shown
    expect(renderJson(makeReport(findings), arnMasker(makePiiPolicy({ detectors: ['email'] })))).toContain(FN_ARN);
  });

  it('SARIF: artifact URI, logical location name and fully qualified name, message masked; fingerprints raw', () => {
    const findings = phoneFindings();
    const log = renderSarif(makeReport(findings));
    const text = JSON.stringify(log);
    expect(text).not.toMatch(RAW);
    expect(text).not.toContain('%2B14155552671');
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(checkGithubSarif(log)).toEqual([]);
    const first = log.runs[0]!.results[0]!;
    expect(first.locations[0].logicalLocations[0].fullyQualifiedName).toBe(SHOWN_FN);
    expect(first.locations[0].logicalLocations[0].name).toBe(`call-${MASKED}`);
    expect(first.locations[0].physicalLocation.artifactLocation.uri).toContain(encodeURIComponent(`call-${MASKED}`));
    expect(log.runs[0]!.results.map((r) => r.partialFingerprints['tagaudit/v1'])).toEqual(findings.map((f) => f.fingerprint));
    expect(JSON.stringify(renderSarif(makeReport(findings), { arnMask: arnMasker(makePiiPolicy({ enabled: false })) }))).toContain(FN_ARN);
  });

  it('table: the resource header and the parent in a message masked', () => {
    const text = renderTable(makeReport(phoneFindings()), { color: false, width: 200 });
    expect(text).not.toMatch(RAW);
    expect(text).toContain(`call-${MASKED}`);
    expect(text).toContain(`parent ${SHOWN_USER} carries`);
  });

  it('showFinding masks the parent in data too, and leaves the finding and its fingerprint alone', () => {
    const drift = phoneFindings()[1]!;
    const shown = showFinding(drift, DEFAULT_ARN_MASK);
    expect(shown.data?.parentArn).toBe(SHOWN_USER);
    expect(shown.fingerprint).toBe(drift.fingerprint);
    expect(drift.data?.parentArn).toBe(USER_ARN);
  });
});
