import { describe, it, expect } from 'vitest';
import { canonicalArn } from '../../../src/audit/parent-key.js';
import { SeenArns, hashArn, hashCanonicalArn } from '../../../src/audit/seen-arns.js';

const hashWith = (hash: typeof hashArn, text: string): number[] => {
  const out = new Uint32Array(2);
  hash(text, out, 0);
  return [...out];
};

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

  it('takes one SageMaker resource listed under two spellings (case-insensitive names) for one, and only SageMaker', () => {
    const seen = new SeenArns();
    expect(seen.add('arn:aws:sagemaker:us-east-1:111122223333:model/Never-Tagged')).toBe(true);
    expect(seen.add('arn:aws:sagemaker:us-east-1:111122223333:model/never-tagged')).toBe(false);
    expect(seen.add('arn:aws:sagemaker:us-east-1:111122223333:model/NEVER-TAGGED')).toBe(false);
    expect(seen.add('arn:aws-cn:sagemaker:cn-north-1:111122223333:endpoint/Churn')).toBe(true);
    expect(seen.add('arn:aws-cn:sagemaker:cn-north-1:111122223333:endpoint/churn')).toBe(false);
    expect(seen.add('arn:aws:lambda:us-east-1:111122223333:function:Billing')).toBe(true);
    expect(seen.add('arn:aws:lambda:us-east-1:111122223333:function:billing')).toBe(true);
    expect(seen.size).toBe(4);
  });

  it('addHash with hashCanonicalArn (what worker threads send) agrees with add', () => {
    const seen = new SeenArns();
    expect(seen.addHash(...(hashWith(hashCanonicalArn, 'arn:aws:sagemaker:us-east-1:111122223333:training-job/Job-1') as [number, number]))).toBe(true);
    expect(seen.add('arn:aws:sagemaker:us-east-1:111122223333:training-job/job-1')).toBe(false);
  });
});

describe('hashCanonicalArn', () => {
  it('is hashArn of the canonical ARN: the parent key’s hash for SageMaker, the ARN’s own for every other', () => {
    for (const arn of [
      'arn:aws:sagemaker:us-east-1:111122223333:model/Never-Tagged',
      'arn:aws:sagemaker:us-east-1:111122223333:training-job/src-Ü', // non-ASCII lower-cased as toLowerCase does
      'arn:aws:sagemaker:us-east-1:111122223333:model/lower-already',
      'arn:aws:lambda:us-east-1:111122223333:function:Billing',
      'arn:aws:s3:::Bucket-SageMaker',
    ]) {
      expect(hashWith(hashCanonicalArn, arn), arn).toEqual(hashWith(hashArn, canonicalArn(arn)));
    }
    expect(hashWith(hashCanonicalArn, 'arn:aws:lambda:us-east-1:111122223333:function:Billing')).not.toEqual(
      hashWith(hashCanonicalArn, 'arn:aws:lambda:us-east-1:111122223333:function:billing'),
    );
  });
});
