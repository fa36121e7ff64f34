import { describe, it, expect } from 'vitest';
import { createJsonSink, findingJson, renderJson } from '../../../src/report/json.js';
import type { Report } from '../../../src/report/types.js';
import { MASKED_EMAIL, RAW_EMAIL, finding, makeReport, memoryWriter, partialReport, sampleFindings, TRAINING_JOB } from './fixtures.js';
import { reportSchemaErrors } from './validators.js';
import { ALL_RULE_META } from '../../../src/rules/index.js';

async function streamed(report: Report): Promise<string> {
  const out = memoryWriter();
  const sink = createJsonSink(out);
  for (const f of report.findings) sink.add(f);
  await sink.finish({ ...report, findings: [] });
  expect(out.closed()).toBe(true);
  return out.text();
}

describe('JSON report', () => {
  it('carries a rule\'s severityNote (the real rule metadata) and stays valid against the schema', () => {
    const report = { ...makeReport(), rules: [...ALL_RULE_META] };
    const json = JSON.parse(renderJson(report));
    expect(reportSchemaErrors(json)).toEqual([]);
    const empty = json.rules.find((r: { id: string }) => r.id === 'empty-tag-value');
    expect(empty.severityNote).toMatch(/mandatory/);
    expect(json.rules.find((r: { id: string }) => r.id === 'miscased-tag-key')).not.toHaveProperty('severityNote');
  });

  it('validates against schema/report.schema.json, complete and partial, with and without findings', () => {
    for (const report of [makeReport(), partialReport(), makeReport([]), partialReport([])]) {
      expect(reportSchemaErrors(JSON.parse(renderJson(report)))).toEqual([]);
    }
  });

  it('carries every documented field', () => {
    const report = partialReport();
    const json = JSON.parse(renderJson(report));
    expect(json.schemaVersion).toBe(1);
    expect(json.tool).toEqual({ name: 'tagaudit', version: '0.1.0' });
    expect(json.run).toEqual(report.run);
    expect(json.summary).toEqual({
      resources: 310,
      findings: 7,
      bySeverity: { error: 4, warning: 2, note: 1 },
      byRule: { 'inherited-tag-drift': 1, 'invalid-value': 1, 'missing-mandatory-tag': 3, 'miscased-key': 1, 'pii-in-tag': 1 },
      suppressed: 0,
    });
    expect(json.errors).toEqual(report.errors);
    expect(json.rules.map((r: { id: string }) => r.id)).toEqual(report.rules.map((r) => r.id));
    expect(json.findings).toHaveLength(7);
    const first = json.findings[0];
    expect(first).toEqual({
      fingerprint: report.findings[0]!.fingerprint,
      ruleId: 'missing-mandatory-tag',
      severity: 'error',
      message: 'Missing mandatory tag "CostCenter".',
      resource: TRAINING_JOB,
      tag: { key: 'CostCenter' },
      fix: [{ op: 'add', type: 'inherit', key: 'CostCenter', value: '1234' }],
    });
  });

  it('the schema rejects what the format must not contain', () => {
    const json = JSON.parse(renderJson(makeReport()));
    const broken = [
      { ...json, findings: [{ ...json.findings[0], fingerprint: '' }] },
      { ...json, findings: [{ ...json.findings[0], severity: 'critical' }] },
      { ...json, findings: [{ ...json.findings[0], fix: [{ op: 'add', type: 'add-default', key: 'A' }] }] },
      { ...json, run: { ...json.run, status: 'done' } },
      { ...json, surprise: true },
    ];
    for (const b of broken) expect(reportSchemaErrors(b)).not.toEqual([]);
  });

  it('streaming writes exactly what renderJson returns', async () => {
    for (const report of [makeReport(), partialReport(), makeReport([])]) {
      expect(await streamed(report)).toBe(renderJson(report));
    }
  });

  it('streams each finding as it is added, before finish()', () => {
    const out = memoryWriter();
    const sink = createJsonSink(out);
    const [a, b] = sampleFindings();
    sink.add(a!);
    expect(out.text()).toContain(a!.fingerprint);
    sink.add(b!);
    expect(out.text()).toContain(b!.fingerprint);
    expect(out.text()).not.toContain('"summary"');
  });

  it('writes one finding per line', () => {
    const report = makeReport();
    const lines = renderJson(report).split('\n');
    for (const f of report.findings) expect(lines).toContain(`${findingJson(f)}${f === report.findings.at(-1) ? '' : ','}`);
  });

  it('fingerprints are identical across two renders', () => {
    const a = JSON.parse(renderJson(makeReport(sampleFindings())));
    const b = JSON.parse(renderJson(makeReport(sampleFindings())));
    expect(a.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual(b.findings.map((f: { fingerprint: string }) => f.fingerprint));
  });

  it('prints masked PII as it came and never anything else', () => {
    const text = renderJson(makeReport());
    expect(text).toContain(MASKED_EMAIL);
    expect(text).not.toContain(RAW_EMAIL);
  });

  it('leaves out the digests that identify PII-bearing tags (reversible for short values)', () => {
    const text = renderJson(makeReport());
    expect(text).toContain('"pii-remove"');
    expect(text).not.toContain('digest');
    expect(text).not.toContain('b'.repeat(64));
  });

  it('keeps awkward strings valid JSON', () => {
    const f = finding('invalid-value', 'error', TRAINING_JOB, 'line\nbreak "quoted" \u0000 \u2028 tab\t', { tag: { key: 'K\\ey', value: '值' } });
    const parsed = JSON.parse(renderJson(makeReport([f])));
    expect(parsed.findings[0].message).toBe(f.message);
    expect(parsed.findings[0].tag).toEqual({ key: 'K\\ey', value: '值' });
  });

  it('serializes each finding from its own data, whatever came before it', () => {
    const a = finding('invalid-value', 'error', TRAINING_JOB, 'm', { tag: { key: 'A' } });
    const sameArnOtherRegion = finding('invalid-value', 'error', { ...TRAINING_JOB, region: 'eu-west-1' }, 'm', { tag: { key: 'A' } });
    const mutable = { ...TRAINING_JOB };
    const first = finding('invalid-value', 'error', mutable, 'm');
    const before = JSON.parse(findingJson(first)).resource;
    Object.assign(mutable, { arn: 'arn:aws:sagemaker:us-east-1:123456789012:model/other' });
    const after = JSON.parse(findingJson(first)).resource;
    expect(JSON.parse(findingJson(a)).resource.region).toBe('us-east-1');
    expect(JSON.parse(findingJson(sameArnOtherRegion)).resource.region).toBe('eu-west-1');
    expect(JSON.parse(findingJson(a)).resource.region).toBe('us-east-1');
    expect(before.arn).toBe(TRAINING_JOB.arn);
    expect(after.arn).toBe('arn:aws:sagemaker:us-east-1:123456789012:model/other');
    const many = Array.from({ length: 12_000 }, (_, i) => finding('invalid-value', 'error', TRAINING_JOB, `message ${i}`, { tag: { key: `Key${i}` } }));
    const parsed = JSON.parse(renderJson(makeReport(many))).findings;
    expect(parsed.map((f: { message: string }) => f.message)).toEqual(many.map((f) => f.message));
    expect(parsed.map((f: { tag: { key: string } }) => f.tag.key)).toEqual(many.map((f) => f.tag!.key));
  });

  it('leaves out fields a shared type grows later', () => {
    const f = { ...sampleFindings()[0]!, internalRaw: RAW_EMAIL } as never;
    const rules = [{ ...makeReport().rules[0]!, secret: 1 }] as never;
    const text = renderJson(makeReport([f], { rules }));
    expect(text).not.toContain(RAW_EMAIL);
    expect(reportSchemaErrors(JSON.parse(text))).toEqual([]);
  });
});
