import { describe, it, expect } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import {
  SARIF_MAX_GZIP_BYTES,
  assertSarifSize,
  createSarifSink,
  renderSarif,
  sarifCategory,
  sarifUri,
  SarifLimitError,
  SARIF_MAX_RESULTS,
  type SarifLog,
} from '../../../src/report/sarif.js';
import type { Report } from '../../../src/report/types.js';
import { ALL_RULE_META } from '../../../src/rules/index.js';
import { checkGithubSarif } from '../../support/github-sarif-rules.js';
import {
  BUCKET,
  ENDPOINT,
  LOG_GROUP,
  MASKED_EMAIL,
  RAW_EMAIL,
  ROLE,
  TRAINING_JOB,
  finding,
  makeReport,
  memoryWriter,
  partialReport,
  ref,
  sampleFindings,
} from './fixtures.js';
import { sarifSchemaErrors } from './validators.js';

const run0 = (log: SarifLog) => log.runs[0]!;

function expectUploadable(log: unknown): void {
  expect(sarifSchemaErrors(log)).toEqual([]);
  expect(checkGithubSarif(log)).toEqual([]);
}

describe('SARIF', () => {
  it('is valid SARIF 2.1.0 that GitHub accepts, complete or partial, with or without results', () => {
    for (const report of [makeReport(), partialReport(), makeReport([])]) expectUploadable(renderSarif(report));
  });

  it('points each result at a scheme-less synthetic path and carries the ARN as a logical location', () => {
    const log = renderSarif(makeReport());
    for (const r of run0(log).results) {
      const loc = r.locations[0];
      expect(loc.physicalLocation.artifactLocation.uri).toMatch(/^aws\/[^:]+$/);
      expect(loc.physicalLocation.artifactLocation.uri).not.toContain('arn');
      expect(loc.physicalLocation.region).toEqual({ startLine: 1, startColumn: 1 });
      expect(loc.logicalLocations[0].kind).toBe('resource');
      expect(loc.logicalLocations[0].fullyQualifiedName).toMatch(/^arn:aws:/);
    }
  });

  it.each([
    [TRAINING_JOB, 'aws/123456789012/us-east-1/sagemaker/training-job/fraud-xgb-2024-06-01-12-00-00-000'],
    [BUCKET, 'aws/unknown-account/global/s3/bucket/ml-datasets-prod'],
    [{ ...BUCKET, region: '' }, 'aws/unknown-account/global/s3/bucket/ml-datasets-prod'],
    // A bucket's region is looked up by the scan: the path must not move when one night's lookup fails.
    [{ ...BUCKET, accountId: '123456789012', region: 'eu-west-1' }, 'aws/123456789012/global/s3/bucket/ml-datasets-prod'],
    [{ ...BUCKET, accountId: '123456789012', region: 'global' }, 'aws/123456789012/global/s3/bucket/ml-datasets-prod'],
    [ROLE, 'aws/210987654321/global/iam/role/SageMakerExecution'],
    [LOG_GROUP, 'aws/210987654321/eu-west-1/logs/log-group/%2Faws%2Fsagemaker%2FTrainingJobs'],
    [ref('arn:aws:lambda:us-west-2:210987654321:function:score-batch:prod'), 'aws/210987654321/us-west-2/lambda/function/score-batch%3Aprod'],
    [ref('arn:aws:s3:::bucket/..'), 'aws/unknown-account/global/s3/object/bucket%2F..'],
    [ref('arn:aws:sns:us-east-1:123456789012:..'), 'aws/123456789012/us-east-1/sns/topic/%2E%2E'],
    [ref('arn:aws:sagemaker:us-east-1:123456789012:model/ünïcode model'), 'aws/123456789012/us-east-1/sagemaker/model/%C3%BCn%C3%AFcode%20model'],
  ])('uri for %s', (resource, uri) => {
    expect(sarifUri(resource)).toBe(uri);
  });

  it('maps findings to results: rule, level, message, fingerprints, properties', () => {
    const report = makeReport();
    const run = run0(renderSarif(report));
    const rules = run.tool.driver.rules;
    expect(run.results).toHaveLength(report.findings.length);
    run.results.forEach((r, i) => {
      const f = report.findings[i]!;
      expect(r.ruleId).toBe(f.ruleId);
      expect(rules[r.ruleIndex]!.id).toBe(f.ruleId);
      expect(r.level).toBe(f.severity);
      expect(r.message.text).toBe(f.message);
      expect(r.partialFingerprints).toEqual({ primaryLocationLineHash: f.fingerprint, 'tagaudit/v1': f.fingerprint });
      expect(r.locations[0].logicalLocations[0].fullyQualifiedName).toBe(f.resource.arn);
      expect(r.properties).toEqual({
        accountId: f.resource.accountId,
        region: f.resource.region,
        resourceType: f.resource.resourceType,
        ...(f.tag ? { tagKey: f.tag.key } : {}),
      });
    });
  });

  it('describes every rule fully, from the report metadata', () => {
    const report = makeReport();
    const driver = run0(renderSarif(report, { informationUri: 'https://example.com/tagaudit' })).tool.driver;
    expect(driver).toMatchObject({ name: 'tagaudit', version: '0.1.0', informationUri: 'https://example.com/tagaudit' });
    expect(driver.rules.map((r) => r.id)).toEqual(report.rules.map((r) => r.id));
    const missing = driver.rules.find((r) => r.id === 'missing-mandatory-tag')!;
    const meta = report.rules[0]!;
    expect(missing).toMatchObject({
      name: 'MissingMandatoryTag',
      shortDescription: { text: meta.description },
      fullDescription: { text: meta.rationale },
      helpUri: meta.docsUrl,
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['tagging'], precision: 'very-high' },
    });
    expect(missing.help.text).toContain(meta.rationale);
    expect(missing.help.markdown).toContain(`[Documentation](${meta.docsUrl})`);
    expect(missing.properties['security-severity']).toBeUndefined();
  });

  it("says in the rule's help what else decides an alert's level (severityNote), as `tagaudit rules` does", () => {
    const report = makeReport(sampleFindings(), { rules: ALL_RULE_META });
    const log = renderSarif(report);
    const rules = run0(log).tool.driver.rules;
    const empty = rules.find((r) => r.id === 'empty-tag-value')!;
    const note = "Severity: warning; missing-tag's level (error) on a key mandatory for the resource type.";
    expect(empty.help.text).toContain(`\n\n${note}\n\n`);
    expect(empty.help.markdown).toContain(`\n\n**Severity:** warning; missing-tag's level (error) on a key mandatory for the resource type.\n\n`);
    // Every rule with a note shows it; a rule without one gets no severity line.
    for (const meta of ALL_RULE_META) {
      const rule = rules.find((r) => r.id === meta.id)!;
      if (meta.severityNote === undefined) expect(rule.help.text).not.toContain('Severity:');
      else expect(rule.help.text).toContain(`Severity: ${meta.defaultSeverity}; ${meta.severityNote}.`);
    }
    expect(ALL_RULE_META.some((m) => m.severityNote === undefined)).toBe(true);
    expectUploadable(log);
  });

  it('gives PII rules a numeric security-severity matching their default level', () => {
    const pii = run0(renderSarif(makeReport())).tool.driver.rules.find((r) => r.id === 'pii-in-tag')!;
    expect(pii.properties.tags).toEqual(expect.arrayContaining(['security', 'privacy']));
    expect(pii.properties['security-severity']).toBe('8.0');
    const asWarning = makeReport(undefined, { rules: [{ ...makeReport().rules[3]!, defaultSeverity: 'warning' }] });
    expect(run0(renderSarif(asWarning)).tool.driver.rules[0]!.properties['security-severity']).toBe('5.5');
  });

  it('clips descriptions at 1024 characters and never emits empty ones', () => {
    const long = 'x'.repeat(5000);
    const report = makeReport(sampleFindings(), { rules: [{ ...makeReport().rules[0]!, description: '', rationale: long, docsUrl: 'docs/rules/x.md' }] });
    const log = renderSarif(report);
    const rule = run0(log).tool.driver.rules[0]!;
    expect(rule.fullDescription.text.length).toBe(1024);
    expect(rule.shortDescription.text).not.toBe('');
    expect(rule.helpUri).toBeUndefined(); // a relative docs path is not a URI GitHub can link
    expectUploadable(log);
  });

  it('describes a rule the report does not list instead of pointing at nothing', () => {
    const odd = finding('rule-crashed', 'error', TRAINING_JOB, 'Rule miscased-key threw: boom');
    const log = renderSarif(makeReport([odd, ...sampleFindings()]));
    const result = run0(log).results[0]!;
    expect(run0(log).tool.driver.rules[result.ruleIndex]!.id).toBe('rule-crashed');
    expectUploadable(log);
  });

  it('replaces an empty message rather than emit one GitHub rejects', () => {
    const log = renderSarif(makeReport([finding('invalid-value', 'error', TRAINING_JOB, '')]));
    expect(run0(log).results[0]!.message.text).toContain(TRAINING_JOB.arn);
    expectUploadable(log);
  });

  it('refuses a finding without a fingerprint', () => {
    expect(() => renderSarif(makeReport([{ ...sampleFindings()[0]!, fingerprint: '' }]))).toThrow(/fingerprint/);
  });

  it('is identical across two renders of the same findings', () => {
    expect(JSON.stringify(renderSarif(makeReport(sampleFindings())))).toBe(JSON.stringify(renderSarif(makeReport(sampleFindings()))));
  });

  it('marks a partial run unsuccessful and lists every scan gap', () => {
    const report = partialReport();
    const run = run0(renderSarif(report));
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    expect(run.properties['tagaudit/status']).toBe('partial');
    const notes = run.invocations[0]!.toolExecutionNotifications;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: 'error', descriptor: { id: 'AccessDeniedException' } });
    expect(notes[0]!.message.text).toContain('210987654321/eu-west-1');
    expect(run0(renderSarif(makeReport())).invocations[0]!.executionSuccessful).toBe(true);
  });

  it('derives one stable category per scope', () => {
    const base = makeReport();
    expect(run0(renderSarif(base)).automationDetails.id).toBe('tagaudit/live/123456789012+210987654321/eu-west-1+us-east-1/');
    expect(sarifCategory({ mode: 'live', accounts: ['210987654321', '123456789012'], regions: ['us-east-1', 'eu-west-1'] })).toBe(
      sarifCategory({ mode: 'live', accounts: ['123456789012', '210987654321'], regions: ['eu-west-1', 'us-east-1'] }),
    );
    expect(sarifCategory({ mode: 'inventory', inventories: ['a.jsonl'] })).toBe('inventory');
    expect(sarifCategory({ mode: 'live' })).toBe('live/default-accounts/default-regions');
    // No region scanned (an IAM-only scan) is not the default region.
    expect(sarifCategory({ mode: 'live', accounts: ['111122223333'], regions: [] })).toBe('live/111122223333/no-regions');
    const many = Array.from({ length: 40 }, (_, i) => String(100000000000 + i));
    expect(sarifCategory({ mode: 'live', accounts: many, regions: ['us-east-1'] })).toMatch(/^live\/40-accounts-[0-9a-f]{10}\/us-east-1$/);
    expect(run0(renderSarif(base, { category: 'org-nightly' })).automationDetails.id).toBe('tagaudit/org-nightly/');
  });

  it('keeps only findings at or above minSeverity', () => {
    const run = run0(renderSarif(makeReport(), { minSeverity: 'error' }));
    expect(run.results.map((r) => r.level)).toEqual(['error', 'error', 'error', 'error']);
  });

  it('never prints more than the finding carries: masked PII stays masked', () => {
    const text = JSON.stringify(renderSarif(makeReport()));
    expect(text).toContain(MASKED_EMAIL);
    expect(text).not.toContain(RAW_EMAIL);
  });

  describe('limits', () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        finding('missing-mandatory-tag', 'warning', ref(`arn:aws:sagemaker:us-east-1:123456789012:model/m-${i}`), 'Missing mandatory tag "Owner".', {
          tag: { key: 'Owner' },
        }),
      );

    it('accepts exactly 25,000 results', () => {
      const log = renderSarif(makeReport(many(SARIF_MAX_RESULTS)));
      expect(run0(log).results).toHaveLength(SARIF_MAX_RESULTS);
      expect(checkGithubSarif(log)).toEqual([]);
    });

    it('fails loudly above 25,000 results, explaining how to split, and never truncates', () => {
      const report = makeReport(many(SARIF_MAX_RESULTS + 1));
      let error: unknown;
      try {
        renderSarif(report);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SarifLimitError);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(/25001 results.*at most 25000.*Split the scan by account or region/s);
      // A severity floor that brings it under the limit works.
      expect(run0(renderSarif(report, { minSeverity: 'error' })).results).toHaveLength(0);
    });

    it('the sink counts past the limit without holding the excess, then fails at finish and still closes its output', async () => {
      const out = memoryWriter();
      const sink = createSarifSink(out);
      for (const f of many(SARIF_MAX_RESULTS + 10)) sink.add(f);
      await expect(sink.finish(makeReport([]))).rejects.toBeInstanceOf(SarifLimitError);
      expect(out.text()).toBe('');
      expect(out.closed()).toBe(true);
    });
  });

  it('the sink writes the same log as renderSarif', async () => {
    const report: Report = partialReport();
    const out = memoryWriter();
    const sink = createSarifSink(out, { category: 'x' });
    for (const f of report.findings) sink.add(f);
    await sink.finish({ ...report, findings: [] });
    expect(JSON.parse(out.text())).toEqual(renderSarif(report, { category: 'x' }));
    expect(out.closed()).toBe(true);
  });

  it('results for the sample cover every resource kind', () => {
    const uris = run0(renderSarif(makeReport())).results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(new Set(uris)).toEqual(new Set([TRAINING_JOB, ENDPOINT, BUCKET, LOG_GROUP, ROLE].map(sarifUri)));
  });
});

describe('SARIF size limit', () => {
  it('measures bytes, not characters: 5 M CJK characters (15 MB, over 10 MB gzipped) are refused', async () => {
    const { randomBytes } = await import('node:crypto');
    const n = 5_000_000;
    const noise = randomBytes(n * 2);
    const units = new Uint16Array(n);
    for (let i = 0; i < n; i++) units[i] = 0x4e00 + (noise.readUInt16LE(i * 2) % 20000);
    const text = Buffer.from(units.buffer).toString('utf16le');
    expect(text.length).toBeLessThan(SARIF_MAX_GZIP_BYTES);
    expect(() => assertSarifSize(text)).toThrow(/MB gzipped; GitHub code scanning accepts at most 10 MB/);
  });
});
