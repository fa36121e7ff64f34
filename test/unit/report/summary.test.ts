import { describe, it, expect } from 'vitest';
import { createSummaryCounter } from '../../../src/report/summary.js';
import { sampleFindings } from './fixtures.js';

describe('createSummaryCounter', () => {
  it('counts resources, findings, severities and rules', () => {
    const counter = createSummaryCounter();
    counter.countResource();
    counter.countResource(9);
    for (const f of sampleFindings()) counter.add(f);
    expect(counter.result()).toEqual({
      resources: 10,
      findings: 7,
      bySeverity: { error: 4, warning: 2, note: 1 },
      byRule: { 'inherited-tag-drift': 1, 'invalid-value': 1, 'missing-mandatory-tag': 3, 'miscased-key': 1, 'pii-in-tag': 1 },
      suppressed: 0,
    });
  });

  it('counts suppressed findings apart: not in findings, severities, rules nor atOrAbove', () => {
    const counter = createSummaryCounter();
    counter.add(sampleFindings()[0]!);
    counter.countSuppressed();
    counter.countSuppressed();
    expect(counter.result()).toMatchObject({ findings: 1, suppressed: 2 });
    expect(counter.atOrAbove('note')).toBe(1);
  });

  it('orders byRule keys regardless of arrival order', () => {
    const a = createSummaryCounter();
    const b = createSummaryCounter();
    const findings = sampleFindings();
    for (const f of findings) a.add(f);
    for (const f of [...findings].reverse()) b.add(f);
    expect(JSON.stringify(a.result())).toBe(JSON.stringify(b.result()));
  });

  it('atOrAbove counts what --fail-on compares against', () => {
    const counter = createSummaryCounter();
    expect(counter.atOrAbove('note')).toBe(0);
    for (const f of sampleFindings()) counter.add(f);
    expect(counter.atOrAbove('error')).toBe(4);
    expect(counter.atOrAbove('warning')).toBe(6);
    expect(counter.atOrAbove('note')).toBe(7);
  });

  it('result() is a snapshot, not a live view', () => {
    const counter = createSummaryCounter();
    const before = counter.result();
    for (const f of sampleFindings()) counter.add(f);
    expect(before.findings).toBe(0);
    expect(before.bySeverity.error).toBe(0);
  });
});
