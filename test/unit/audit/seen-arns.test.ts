import { describe, it, expect } from 'vitest';
import { SeenArns } from '../../../src/audit/seen-arns.js';

describe('SeenArns', () => {
  it.each([
    ['grown from the smallest table', 0],
    ['sized for fewer than come', 40_000],
    ['sized for more than come', 1_000_000],
  ])('reports the second sighting of an ARN, %s', (_label, expected) => {
    const seen = new SeenArns(expected);
    const n = 70_000; // past the smallest table's growth point (32 768) and the 40 000 guess's
    const arns = Array.from({ length: n }, (_, i) => `arn:aws:sagemaker:us-east-1:111122223333:training-job/job-${i}`);
    expect(arns.filter((a) => !seen.add(a))).toEqual([]);
    expect(seen.size).toBe(n);
    expect(arns.filter((a) => seen.add(a))).toEqual([]);
    expect(seen.size).toBe(n);
  });

  it('tells apart ARNs that differ in one character or only in case', () => {
    const seen = new SeenArns();
    const base = 'arn:aws:s3:::ml-datasets-prod';
    const variants = [base, `${base}1`, base.toUpperCase(), base.replace('prod', 'prdo'), `${base}/`, base.slice(0, -1)];
    expect(variants.map((v) => seen.add(v))).toEqual(variants.map(() => true));
  });
});
