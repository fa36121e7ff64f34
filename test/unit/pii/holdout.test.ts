import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';
import { PII_KINDS } from '../../../src/pii/kinds.js';
import { loadCorpus, precision, recall, score } from './corpus.js';

// A second, independently written corpus (labelled before the detector was read; see the "note" fields for the
// tricky entries). It keeps the detector honest against overfitting to pii-corpus.jsonl.
const HOLDOUT_PATH = fileURLToPath(new URL('../../fixtures/pii-holdout.jsonl', import.meta.url));
const holdout = loadCorpus(HOLDOUT_PATH);
const scored = score(holdout);

describe('PII holdout corpus', () => {
  it('is large, about 40 % positive and covers every kind', () => {
    expect(holdout.length).toBeGreaterThanOrEqual(400);
    const positive = holdout.filter((e) => e.expect.length > 0).length / holdout.length;
    expect(positive).toBeGreaterThan(0.35);
    expect(positive).toBeLessThan(0.45);
    for (const kind of PII_KINDS) {
      expect(holdout.filter((e) => e.expect.some((x) => x.kind === kind)).length, kind).toBeGreaterThanOrEqual(6);
    }
    for (const e of holdout) for (const x of e.expect) expect(PII_KINDS).toContain(x.kind);
  });

  it('keeps overall precision ≥ 0.97 and recall ≥ 0.95', () => {
    const detail = scored.errors.join('\n');
    expect(precision(scored.overall), detail).toBeGreaterThanOrEqual(0.97);
    expect(recall(scored.overall), detail).toBeGreaterThanOrEqual(0.95);
  });

  it.each(PII_KINDS)('keeps %s precision ≥ 0.9 and recall ≥ 0.85', (kind) => {
    const k = scored.perKind.get(kind);
    expect(k).toBeDefined();
    if (k === undefined) return;
    const detail = scored.errors.filter((e) => e.includes(kind)).join('\n');
    expect(precision(k), detail).toBeGreaterThanOrEqual(0.9);
    expect(recall(k), detail).toBeGreaterThanOrEqual(0.85);
  });

  it('masks every hit: never the raw text, at most the last 4 digits of a card or SSN', () => {
    const leaks: string[] = [];
    let hits = 0;
    for (const e of holdout) {
      for (const h of detectPii(e.key, e.value)) {
        hits++;
        const where = `line ${e.line} ${h.kind}@${h.where}`;
        if (h.masked.toLowerCase().includes(h.match.toLowerCase())) leaks.push(`${where}: masked contains the raw match`);
        const source = h.where === 'key' ? e.key : e.value;
        if (source.length >= 6 && h.masked.includes(source)) leaks.push(`${where}: masked contains the whole ${h.where}`);
        if (h.kind === 'credit-card' || h.kind === 'ssn') {
          const shown = h.masked.replace(/\D/g, '');
          const last4 = h.match.replace(/\D/g, '').slice(-4);
          if (shown.length > 4 || !last4.endsWith(shown)) leaks.push(`${where}: shows digits other than the last 4`);
        }
      }
    }
    expect(hits).toBeGreaterThan(200);
    expect(leaks).toEqual([]);
  });
});
