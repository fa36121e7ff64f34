import { describe, it, expect } from 'vitest';
import { SeenArns } from '../../../src/audit/seen-arns.js';

describe('SeenArns', () => {
  it('reports the second sighting of an ARN, across table growth', () => {
    const seen = new SeenArns();
    const arns = Array.from({ length: 20_000 }, (_, i) => `arn:aws:sagemaker:us-east-1:111122223333:training-job/job-${i}`);
    for (const a of arns) expect(seen.add(a)).toBe(true);
    expect(seen.size).toBe(20_000);
    for (const a of arns) expect(seen.add(a)).toBe(false);
    expect(seen.size).toBe(20_000);
  });

  it('tells apart ARNs that differ in one character or only in case', () => {
    const seen = new SeenArns();
    const base = 'arn:aws:s3:::ml-datasets-prod';
    const variants = [base, `${base}1`, base.toUpperCase(), base.replace('prod', 'prdo'), `${base}/`, base.slice(0, -1)];
    expect(variants.map((v) => seen.add(v))).toEqual(variants.map(() => true));
  });
});
