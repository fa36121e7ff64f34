#!/usr/bin/env node
// Precision / recall of the PII detector on a labelled corpus, per kind and overall.
//   npm run build && node bench/pii-accuracy.mjs [--corpus file.jsonl] [--errors] [--raw]
// Without --corpus it scores both test/fixtures/pii-corpus.jsonl (the tuning corpus) and
// test/fixtures/pii-holdout.jsonl (written blind, before the detector was read).
// Corpus lines: {"key":…, "value":…, "expect": [{"kind":…, "where":"key"|"value"}], "note"?: …}
// --errors lists misclassified lines (values masked unless --raw; the corpus is synthetic, --raw is for tuning).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectPii } from '../dist/pii/detect.js';
import { PII_KINDS } from '../dist/pii/kinds.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const corpusPaths = opt('--corpus')
  ? [resolve(opt('--corpus'))]
  : [resolve(here, '../test/fixtures/pii-corpus.jsonl'), resolve(here, '../test/fixtures/pii-holdout.jsonl')];
const showErrors = args.includes('--errors') || args.includes('--raw');
const raw = args.includes('--raw');

for (const corpusPath of corpusPaths) {
  const entries = readFileSync(corpusPath, 'utf8')
    .split('\n')
    .map((l, i) => ({ l, line: i + 1 }))
    .filter(({ l }) => l.trim() !== '')
    .map(({ l, line }) => ({ ...JSON.parse(l), line }));

  const stats = new Map(PII_KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]));
  const errors = [];
  const t0 = process.hrtime.bigint();
  for (const e of entries) {
    const want = new Set(e.expect.map((x) => `${x.kind}@${x.where}`));
    const got = new Set(detectPii(e.key, e.value).map((h) => `${h.kind}@${h.where}`));
    for (const g of got) {
      const s = stats.get(g.split('@')[0]);
      if (want.has(g)) s.tp++;
      else s.fp++;
    }
    for (const w of want) if (!got.has(w)) stats.get(w.split('@')[0]).fn++;
    const fp = [...got].filter((g) => !want.has(g));
    const fn = [...want].filter((w) => !got.has(w));
    if (fp.length || fn.length) errors.push({ e, fp, fn });
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;

  const ratio = (a, b) => (b === 0 ? 1 : a / b);
  const fmt = (x) => x.toFixed(3);
  const rows = [];
  let TP = 0, FP = 0, FN = 0;
  for (const [kind, s] of stats) {
    TP += s.tp; FP += s.fp; FN += s.fn;
    rows.push([kind, s.tp, s.fp, s.fn, fmt(ratio(s.tp, s.tp + s.fp)), fmt(ratio(s.tp, s.tp + s.fn))]);
  }
  rows.push(['overall', TP, FP, FN, fmt(ratio(TP, TP + FP)), fmt(ratio(TP, TP + FN))]);
  const positives = entries.filter((e) => e.expect.length > 0).length;
  console.log(`corpus ${corpusPath}: ${entries.length} tags, ${positives} positive (${((100 * positives) / entries.length).toFixed(1)} %), scored in ${ms.toFixed(0)} ms`);
  const head = ['kind', 'TP', 'FP', 'FN', 'precision', 'recall'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));

  if (showErrors) {
    const shown = (s) => (raw ? s : s.replace(/[A-Za-z0-9]/g, (c, i) => (i < 2 ? c : '·')));
    console.log(`\n${errors.length} misclassified tags:`);
    for (const { e, fp, fn } of errors) {
      const masked = raw ? `${JSON.stringify(e.key)} = ${JSON.stringify(e.value)}` : `${shown(e.key)} = ${shown(e.value)}`;
      console.log(`  line ${e.line}: ${masked}${fp.length ? `  false+ ${fp.join(',')}` : ''}${fn.length ? `  missed ${fn.join(',')}` : ''}`);
    }
  }
  console.log('');
}
