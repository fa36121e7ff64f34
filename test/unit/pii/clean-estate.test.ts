import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/pii/detect.js';

// Deterministic clean tags shaped like an ML-platform / FinOps estate (see bench/pii-speed.mjs for the full mix).
function cleanTags(n: number): [string, string][] {
  let seed = 1;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
  const hex = (len: number): string => Array.from({ length: len }, () => '0123456789abcdef'[int(0, 15)]).join('');
  const acct = (): string => String(int(100000000000, 999999999999));
  const slug = (): string => `${pick(['churn', 'fraud', 'ltv', 'nlp'])}-${pick(['model', 'etl', 'api'])}`;
  const date = (): string => `20${int(20, 25)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
  const gens: [string, () => string][] = [
    ['Name', () => `${slug()}-${pick(['prod', 'dev'])}-${int(1, 40)}`],
    ['Environment', () => pick(['prod', 'dev', 'staging'])],
    ['Owner', () => pick(['ml-platform', 'SecOps', 'Platform Engineering', 'Data Platform'])],
    ['CostCenter', () => pick([`CC-${int(1000, 99999)}`, String(int(1000, 9999)), `Sales-${int(1000, 9999)}`])],
    ['aws:cloudformation:stack-id', () => `arn:aws:cloudformation:us-east-1:${acct()}:stack/${slug()}/${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`],
    ['TrainingJob', () => `xgboost-${slug()}-${date()}-10-30-45-${int(100, 999)}`],
    ['CreatedDate', date],
    ['CreatedAt', () => `${date()}T10:30:00Z`],
    ['Version', () => `${int(0, 9)}.${int(0, 30)}.${int(0, 99)}`],
    ['GitCommit', () => hex(40)],
    ['ExecutionId', () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`],
    ['InstanceId', () => `i-0${hex(16)}`],
    ['SubnetCidr', () => `10.${int(0, 255)}.${int(0, 255)}.0/24`],
    ['PurchaseOrder', () => String(int(4500000000, 4509999999))],
    ['AccountId', acct],
    ['Schedule', () => pick(['cron(0 18 ? * MON-FRI *)', 'rate(1 hour)'])],
    ['S3Path', () => `s3://${slug()}-${acct()}/models/v${int(1, 9)}/`],
  ];
  return Array.from({ length: n }, () => {
    const [k, g] = pick(gens);
    return [k, g()];
  });
}

describe('detectPii on clean estate tags', () => {
  const tags = cleanTags(50_000);

  it('stays quiet on clean estate tags', () => {
    const noisy = tags.filter(([k, v]) => detectPii(k, v).length > 0);
    expect(noisy.map(([k]) => k)).toEqual([]);
  });
});
