import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { detectPii } from '../../../src/pii/detect.js';
import { PII_KINDS, type PiiKind } from '../../../src/pii/kinds.js';

export interface CorpusEntry {
  readonly key: string;
  readonly value: string;
  readonly expect: readonly { readonly kind: PiiKind; readonly where: 'key' | 'value' }[];
  readonly note?: string;
  readonly line: number;
}

export const CORPUS_PATH = fileURLToPath(new URL('../../fixtures/pii-corpus.jsonl', import.meta.url));

export function loadCorpus(path = CORPUS_PATH): CorpusEntry[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((text, i) => ({ text, line: i + 1 }))
    .filter(({ text }) => text.trim() !== '')
    .map(({ text, line }) => ({ ...(JSON.parse(text) as Omit<CorpusEntry, 'line'>), line }));
}

export interface KindScore {
  tp: number;
  fp: number;
  fn: number;
}

export interface Score {
  readonly perKind: ReadonlyMap<PiiKind, KindScore>;
  readonly overall: KindScore;
  /** Lines with a wrong or missing label, for the failure message (kinds only, never values). */
  readonly errors: readonly string[];
}

export const precision = (s: KindScore): number => (s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp));
export const recall = (s: KindScore): number => (s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn));

/** Scores detectPii on the corpus: a (kind, where) pair per tag is one decision. */
export function score(entries: readonly CorpusEntry[]): Score {
  const perKind = new Map<PiiKind, KindScore>(PII_KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]));
  const overall: KindScore = { tp: 0, fp: 0, fn: 0 };
  const errors: string[] = [];
  for (const e of entries) {
    const want = new Set(e.expect.map((x) => `${x.kind}@${x.where}`));
    const got = new Set(detectPii(e.key, e.value).map((h) => `${h.kind}@${h.where}`));
    const wrong: string[] = [];
    for (const g of got) {
      const s = perKind.get(g.split('@')[0] as PiiKind) as KindScore;
      if (want.has(g)) {
        s.tp++;
        overall.tp++;
      } else {
        s.fp++;
        overall.fp++;
        wrong.push(`false ${g}`);
      }
    }
    for (const w of want) {
      if (got.has(w)) continue;
      (perKind.get(w.split('@')[0] as PiiKind) as KindScore).fn++;
      overall.fn++;
      wrong.push(`missed ${w}`);
    }
    if (wrong.length > 0) errors.push(`line ${e.line} (key ${JSON.stringify(e.key.replace(/[A-Za-z0-9]/g, '·'))}): ${wrong.join(', ')}`);
  }
  return { perKind, overall, errors };
}
