import { describe, expect, it } from 'vitest';
import { PII_KINDS } from '../../../src/pii/kinds.js';
import { loadCorpus, precision, recall, score } from './corpus.js';

const corpus = loadCorpus();
const scored = score(corpus);

describe('PII corpus', () => {
  it('is large, balanced and covers every kind in keys and values', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(400);
    const positive = corpus.filter((e) => e.expect.length > 0).length / corpus.length;
    expect(positive).toBeGreaterThan(0.35);
    expect(positive).toBeLessThan(0.45);
    for (const kind of PII_KINDS) {
      expect(corpus.filter((e) => e.expect.some((x) => x.kind === kind)).length, kind).toBeGreaterThanOrEqual(8);
    }
    expect(corpus.some((e) => e.expect.some((x) => x.where === 'key'))).toBe(true);
    for (const e of corpus) for (const x of e.expect) expect(PII_KINDS).toContain(x.kind);
  });

  it('keeps overall precision ≥ 0.97 and recall ≥ 0.95', () => {
    const s = scored;
    const detail = s.errors.join('\n');
    expect(precision(s.overall), detail).toBeGreaterThanOrEqual(0.97);
    expect(recall(s.overall), detail).toBeGreaterThanOrEqual(0.95);
  });

  it.each(PII_KINDS)('keeps %s precision ≥ 0.9 and recall ≥ 0.85', (kind) => {
    const s = scored;
    const k = s.perKind.get(kind);
    expect(k).toBeDefined();
    if (k === undefined) return;
    const detail = s.errors.filter((e) => e.includes(kind)).join('\n');
    expect(precision(k), detail).toBeGreaterThanOrEqual(0.9);
    expect(recall(k), detail).toBeGreaterThanOrEqual(0.85);
  });
});
