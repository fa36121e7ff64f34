import { describe, expect, it } from 'vitest';
import { arnMasker } from '../../../src/pii/arn-mask.js';
import { maskPii } from '../../../src/pii/mask.js';
import { DEFAULT_PII_POLICY, makePiiPolicy } from '../../../src/pii/policy.js';
import { PII_KINDS } from '../../../src/pii/kinds.js';
import { showFinding } from '../../../src/report/arn-display.js';
import { createJsonSink, findingJson, renderJson } from '../../../src/report/json.js';
import { renderSarif } from '../../../src/report/sarif.js';
import { renderTable } from '../../../src/report/table.js';
import { checkGithubSarif } from '../../support/github-sarif-rules.js';
import { finding, makeReport, memoryWriter, ref, TRAINING_JOB } from './fixtures.js';
import { reportSchemaErrors, sarifSchemaErrors } from './validators.js';

const ADDRESS = 'jane.doe@example.com';
const MASKED = maskPii('email', ADDRESS); // j***@e*****e.com, as a tag value holding it is masked
const USER_ARN = `arn:aws:iam::123456789012:user/${ADDRESS}`;
const USER = ref(USER_ARN, { region: 'global' });
const OTHER_ADDRESS = 'john.roe@example.com'; // masks to the same text as ADDRESS
const OTHER_USER = ref(`arn:aws:iam::123456789012:user/${OTHER_ADDRESS}`, { region: 'global' });
const mask = arnMasker(DEFAULT_PII_POLICY);

/** Every finding an IAM user named by e-mail can carry: its own ARN, and as a parent in another's message and data. */
function userFindings() {
  return [
    finding('missing-mandatory-tag', 'error', USER, 'Missing mandatory tag "CostCenter".', {
      tag: { key: 'CostCenter' },
      fix: [{ op: 'add', type: 'add-default', key: 'CostCenter', value: '1234' }],
    }),
    finding('inherited-tag-drift', 'note', TRAINING_JOB, `tag "CostCenter" is "9999" while its parent ${USER_ARN} carries "1234"`, {
      tag: { key: 'CostCenter', value: '9999' },
      fix: [{ op: 'set', type: 'inherit', key: 'CostCenter', expected: '9999', value: '1234' }],
      data: { dictionaryKey: 'CostCenter', parentArn: USER_ARN, parentValue: '1234' },
    }),
    finding('missing-mandatory-tag', 'error', OTHER_USER, 'Missing mandatory tag "CostCenter".', { tag: { key: 'CostCenter' } }),
  ];
}

describe('arnMasker', () => {
  it('masks the e-mail address in an ARN exactly as a tag value holding it is masked', () => {
    expect(MASKED).toBe('j***@e*****e.com');
    expect(mask(USER_ARN)).toBe(`arn:aws:iam::123456789012:user/${MASKED}`);
    expect(mask('arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123abcd/jane.doe@example.com')).toBe(
      `arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123abcd/${MASKED}`,
    );
    expect(mask('arn:aws:iam::123456789012:user/ops/jane+ml@sub.example.co.uk')).toBe(`arn:aws:iam::123456789012:user/ops/${maskPii('email', 'jane+ml@sub.example.co.uk')}`);
  });

  it('reads no bare digits as a phone number: ids, timestamps and account ids stay as they are', () => {
    const plain = [
      'arn:aws:sagemaker:us-east-1:123456789012:training-job/train-20240101123456',
      'arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0',
      'arn:aws:iam::123456789012:user/ops-4155552671',
    ];
    for (const arn of plain) expect(mask(arn)).toBe(arn);
    // An address beside a timestamp and a phone-shaped number: only the address goes.
    expect(mask(`arn:aws:iam::123456789012:user/batch-20240101123456/4155552671/${ADDRESS}`)).toBe(
      `arn:aws:iam::123456789012:user/batch-20240101123456/4155552671/${MASKED}`,
    );
    // An '@' that is no address (an image digest) is left alone.
    expect(mask('arn:aws:ecr:us-east-1:123456789012:repository/app@sha256')).toBe('arn:aws:ecr:us-east-1:123456789012:repository/app@sha256');
  });

  it('masks ARNs quoted in text and JSON, and leaves other text alone', () => {
    expect(mask(`its parent ${USER_ARN} carries "1234"`)).toBe(`its parent arn:aws:iam::123456789012:user/${MASKED} carries "1234"`);
    expect(mask(`(${USER_ARN}).`)).toBe(`(arn:aws:iam::123456789012:user/${MASKED}).`);
    const json = JSON.stringify({ parentArn: USER_ARN, note: `copied from ${USER_ARN}` });
    const masked = mask(json);
    expect(masked).not.toContain(ADDRESS);
    expect(JSON.parse(masked)).toEqual({ parentArn: `arn:aws:iam::123456789012:user/${MASKED}`, note: `copied from arn:aws:iam::123456789012:user/${MASKED}` });
    // Only ARNs: an address elsewhere is the tag masking's business, and "learn:" is no ARN.
    expect(mask(`write to ${ADDRESS}`)).toBe(`write to ${ADDRESS}`);
    expect(mask(`learn:aws:x:${ADDRESS}`)).toBe(`learn:aws:x:${ADDRESS}`);
    // Masking twice changes nothing more.
    expect(mask(mask(USER_ARN))).toBe(mask(USER_ARN));
  });

  it("follows the dictionary's PII settings: off, without the e-mail detector, allowed values and patterns", () => {
    expect(arnMasker(makePiiPolicy({ enabled: false }))(USER_ARN)).toBe(USER_ARN);
    expect(arnMasker(makePiiPolicy({ detectors: PII_KINDS.filter((k) => k !== 'email') }))(USER_ARN)).toBe(USER_ARN);
    const allowValue = arnMasker(makePiiPolicy({ allowValues: ['Jane.Doe@example.com'] }));
    expect(allowValue(USER_ARN)).toBe(USER_ARN);
    expect(allowValue(OTHER_USER.arn)).not.toContain(OTHER_ADDRESS);
    const allowPattern = arnMasker(makePiiPolicy({ allowPatterns: [/^[a-z0-9-]+@lists\.example\.com$/] }));
    expect(allowPattern('arn:aws:iam::123456789012:user/ml-platform@lists.example.com')).toBe('arn:aws:iam::123456789012:user/ml-platform@lists.example.com');
    expect(allowPattern(USER_ARN)).toBe(`arn:aws:iam::123456789012:user/${MASKED}`);
  });

  it('is one function per settings object, so every output of a run shares it', () => {
    expect(arnMasker(DEFAULT_PII_POLICY)).toBe(mask);
  });
});

describe('reports mask addresses in ARNs and keep fingerprints', () => {
  it('JSON: resource.arn, message and data.parentArn; the fingerprint is the raw ARN one', () => {
    const findings = userFindings();
    const text = renderJson(makeReport(findings));
    expect(text).not.toContain(ADDRESS);
    expect(text).not.toContain(OTHER_ADDRESS);
    const doc = JSON.parse(text) as { findings: { fingerprint: string; resource: { arn: string }; message: string; data?: { parentArn?: string } }[] };
    expect(reportSchemaErrors(doc)).toEqual([]);
    expect(doc.findings.map((f) => f.fingerprint)).toEqual(findings.map((f) => f.fingerprint));
    expect(doc.findings[0]!.resource.arn).toBe(`arn:aws:iam::123456789012:user/${MASKED}`);
    expect(doc.findings[1]!.data?.parentArn).toBe(`arn:aws:iam::123456789012:user/${MASKED}`);
    expect(doc.findings[1]!.message).toContain(`user/${MASKED} carries`);
    // The streaming sink writes the same bytes.
    const out = memoryWriter();
    const sink = createJsonSink(out);
    for (const f of findings) sink.add(f);
    return sink.finish({ ...makeReport(findings), findings: [] }).then(() => expect(out.text()).toBe(text));
  });

  it('JSON: an ARN without an address is written exactly as before; PII off writes it as it is', () => {
    const plain = finding('missing-mandatory-tag', 'error', TRAINING_JOB, 'Missing mandatory tag "CostCenter".', { tag: { key: 'CostCenter' } });
    const expected =
      `{"fingerprint":${JSON.stringify(plain.fingerprint)},"ruleId":"missing-mandatory-tag","severity":"error",` +
      `"message":"Missing mandatory tag \\"CostCenter\\".","resource":${JSON.stringify(TRAINING_JOB)},"tag":{"key":"CostCenter"}}`;
    expect(findingJson(plain)).toBe(expected);
    const off = arnMasker(makePiiPolicy({ enabled: false }));
    expect(findingJson(userFindings()[0]!, off)).toContain(USER_ARN);
    expect(findingJson(userFindings()[0]!, mask)).not.toContain(ADDRESS);
  });

  it('SARIF: path, logical location and message masked, fingerprints raw, still valid for the schema and GitHub', () => {
    const findings = userFindings();
    const log = renderSarif(makeReport(findings));
    const text = JSON.stringify(log);
    expect(text).not.toContain(ADDRESS);
    expect(text).not.toContain(encodeURIComponent(ADDRESS));
    expect(text).not.toContain(OTHER_ADDRESS);
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(checkGithubSarif(log)).toEqual([]);
    const results = log.runs[0]!.results;
    const first = results[0]!;
    expect(first.locations[0].logicalLocations[0].fullyQualifiedName).toBe(`arn:aws:iam::123456789012:user/${MASKED}`);
    expect(first.locations[0].physicalLocation.artifactLocation.uri).toBe(`aws/123456789012/global/iam/user/${encodeURIComponent(MASKED)}`);
    expect(results.map((r) => r.partialFingerprints['tagaudit/v1'])).toEqual(findings.map((f) => f.fingerprint));
    // Off: the ARN as it is (the dictionary said so).
    expect(JSON.stringify(renderSarif(makeReport(findings), { arnMask: arnMasker(makePiiPolicy({ enabled: false })) }))).toContain(USER_ARN);
  });

  it('table: the resource header and messages masked; two users whose addresses mask alike stay two resources', () => {
    const text = renderTable(makeReport(userFindings()), { color: false, width: 200 });
    expect(text).not.toContain(ADDRESS);
    expect(text).not.toContain(OTHER_ADDRESS);
    const headers = text.split('\n').filter((l) => l.startsWith(`iam:user  ${MASKED} `));
    expect(headers, text).toHaveLength(2);
    expect(text).toContain(`parent arn:aws:iam::123456789012:user/${MASKED}`);
    expect(renderTable(makeReport(userFindings()), { color: false, width: 200, arnMask: arnMasker(makePiiPolicy({ enabled: false })) })).toContain(
      `iam:user  ${ADDRESS} `,
    );
  });

  it('scan gaps quoting an ARN are masked in every format', () => {
    const errors = [{ source: 'iam', accountId: '123456789012', message: `GetUser ${USER_ARN}: AccessDenied` }];
    const report = makeReport([], { errors, run: { ...makeReport().run, status: 'partial' } });
    expect(renderJson(report)).not.toContain(ADDRESS);
    expect(JSON.stringify(renderSarif(report))).not.toContain(ADDRESS);
    expect(renderTable(report, { color: false, width: 100 })).not.toContain(ADDRESS);
  });

  it('showFinding returns the finding itself when there is nothing to mask, and never touches the fingerprint', () => {
    const plain = finding('missing-mandatory-tag', 'error', TRAINING_JOB, 'x', { tag: { key: 'CostCenter' } });
    expect(showFinding(plain, mask)).toBe(plain);
    const [user] = userFindings();
    const shown = showFinding(user!, mask);
    expect(shown).not.toBe(user);
    expect(shown.fingerprint).toBe(user!.fingerprint);
    expect(user!.resource.arn).toBe(USER_ARN); // the input is not changed: the planner keeps the real ARN
  });
});
