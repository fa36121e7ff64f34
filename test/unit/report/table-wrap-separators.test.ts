import { describe, it, expect } from 'vitest';
import { displayWidth, elideMiddle, renderTable, wrap } from '../../../src/report/table.js';
import type { Finding } from '../../../src/rules/types.js';
import { finding, makeReport, ref, stripAnsi } from './fixtures.js';

// A key, value or ARN copied off the table must come out whole: a long one breaks after a separator when the column
// has one, so neither line reads as a key of its own ("acme:data-classificati" / "on").

const KEY = 'acme:data-classification';
const MODEL = ref('arn:aws:sagemaker:us-east-1:123456789012:model/churn');

function keyFinding(key = KEY): Finding {
  return finding('missing-mandatory-tag', 'error', MODEL, `missing mandatory tag ${key}`, {
    tag: { key },
    fix: [{ op: 'add', type: 'add-default', key, value: 'internal' }],
  });
}

const lines = (text: string): string[] => stripAnsi(text).split('\n');

describe('wrap: long identifiers break at separators', () => {
  it('breaks a namespaced key after the "-" inside its last segment rather than mid-word', () => {
    expect(wrap(KEY, 22)).toEqual(['acme:data-', 'classification']);
  });

  it.each([
    ['cost_center_allocation_identifier', 22, ['cost_center_', 'allocation_identifier']],
    ['team.platform.ml-observability', 22, ['team.platform.ml-', 'observability']],
    ['anycompany:finance:cost-center', 22, ['anycompany:finance:', 'cost-center']],
    ['s3/ml-datasets/Shards00123456789', 20, ['s3/ml-datasets/', 'Shards00123456789']],
  ])('%s at %i columns', (text, width, expected) => {
    expect(wrap(text, width)).toEqual(expected);
  });

  it('prefers ":" or "/" that leaves at least half a line over a later "-"', () => {
    expect(wrap('sagemaker:eu-west-1:111122223333:model-package-group/fraud-models', 41)).toEqual([
      'sagemaker:eu-west-1:111122223333:',
      'model-package-group/fraud-models',
    ]);
  });

  it('still breaks a word with no separator at the width (the fallback)', () => {
    expect(wrap('abcdefghijklmnopqrstuvwxyz', 10)).toEqual(['abcdefghij', 'klmnopqrst', 'uvwxyz']);
    // A separator only as the first character does not count: "-" alone on a line helps nobody.
    expect(wrap('-abcdefghijklmnopqrstuvwxyz', 10)).toEqual(['-abcdefghi', 'jklmnopqrs', 'tuvwxyz']);
  });

  it('never returns a line wider than asked, whatever the separators', () => {
    const texts = [KEY, 'a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t', 'x_'.repeat(40), 'arn:aws:s3:::bucket/' + 'deep.dir/'.repeat(20), 'word '.repeat(10) + KEY.repeat(3)];
    for (const text of texts) for (const width of [8, 13, 22, 31, 40]) for (const line of wrap(text, width)) expect(displayWidth(line)).toBeLessThanOrEqual(width);
  });

  it('loses no character: the lines joined give the text back', () => {
    for (const text of [KEY, 'cost_center_allocation_identifier_for_the_finance_team_2024', 'arn:aws:s3:::bucket/deep.dir/object-name.parquet'])
      for (const width of [9, 14, 22]) expect(wrap(text, width).join('')).toBe(text);
  });

  it('elideMiddle still fits the width', () => {
    for (const width of [10, 15, 24]) expect(displayWidth(elideMiddle(`${KEY}/${KEY}/${KEY}`, width))).toBeLessThanOrEqual(width);
  });
});

describe('renderTable: keys, fix previews and resource names at separators', () => {
  it('shows acme:data-classification in the key column as "acme:data-" / "classification" at width 100', () => {
    const text = renderTable(makeReport([keyFinding()]), { color: false, width: 100 });
    const all = lines(text);
    const first = all.findIndex((l) => l.includes('missing-mandatory-tag') && l.includes('acme:data-'));
    expect(first).toBeGreaterThan(-1);
    expect(all[first]).not.toContain('acme:data-classificati ');
    // The continuation sits in the same column on the next line.
    const column = all[first]!.indexOf('acme:data-');
    expect(all[first + 1]!.slice(column, column + 'classification'.length)).toBe('classification');
    for (const l of all) expect(displayWidth(l)).toBeLessThanOrEqual(100);
  });

  it('breaks a long resource name and a fix preview at separators too', () => {
    const name = 'fraud-detection-xgboost-candidate-with-a-long-name-2024-06-01';
    const f = finding('missing-mandatory-tag', 'error', ref(`arn:aws:sagemaker:us-east-1:123456789012:model/${name}`), 'missing', {
      tag: { key: 'k' },
      fix: [{ op: 'add', type: 'add-default', key: 'anycompany:security:data-classification-level-for-regulators', value: 'internal' }],
    });
    const all = lines(renderTable(makeReport([f]), { color: false, width: 60 })).map((l) => l.trim());
    for (const l of all) expect(displayWidth(l)).toBeLessThanOrEqual(60);
    expect(all).toContain('sagemaker:model fraud-detection-xgboost-candidate-with-a-');
    expect(all).toContain('long-name-2024-06-01');
    expect(all).toContain('fix: + anycompany:security:');
    expect(all).toContain('data-classification-level-for-regulators: internal');
  });
});
