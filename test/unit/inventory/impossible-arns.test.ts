import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { read, readError } from '../../support/read-inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'tagaudit-arns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(lines: readonly unknown[], ext = 'jsonl'): string {
  const p = join(dir, `inv-${++n}.${ext}`);
  writeFileSync(p, ext === 'jsonl' ? `${lines.map((l) => JSON.stringify(l)).join('\n')}\n` : JSON.stringify(lines[0], null, 2));
  return p;
}

// Acceptance s13 D6: the ARNs of arns2.jsonl were audited and planned (a Lambda with no region filed under global).
const ARNS2 = [
  'arn:awss:lambda:us-east-1:111122223333:function:p3',
  'arn:aws:lambda::111122223333:function:noregion',
  'arn:aws:lambda:us-eest-1:111122223333:function:badregion',
  'arn:aws:lambda:cn-north-1:111122223333:function:wrongpartition',
  'arn:aws:lambda:us-east-1::function:noacct',
];

describe('readInventory: ARNs of the right shape that cannot exist are bad lines (invalid-arn)', () => {
  it('says what is wrong with each, at file:line, and keeps the good lines', async () => {
    const ok = 'arn:aws:lambda:us-east-1:111122223333:function:ok';
    const p = file([...ARNS2, ok].map((arn) => ({ arn, tags: { env: 'prod' } })));
    const { resources, errors } = await read(p);
    expect(resources.map((r) => r.arn)).toEqual([ok]);
    expect(errors.map((e) => e.code)).toEqual(Array(5).fill('invalid-arn'));
    expect(errors.map((e) => e.message)).toEqual([
      `${p}:1: invalid ARN "${ARNS2[0]}": unknown partition "awss" (AWS has aws, aws-cn, aws-eusc, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-us-gov)`,
      `${p}:2: invalid ARN "${ARNS2[1]}": no region, which every lambda ARN has (arn:aws:lambda:REGION:ACCOUNT:…)`,
      `${p}:3: invalid ARN "${ARNS2[2]}": region "us-eest-1" is not an AWS region`,
      `${p}:4: invalid ARN "${ARNS2[3]}": region "cn-north-1" is a region of partition aws-cn, not of aws`,
      `${p}:5: invalid ARN "${ARNS2[4]}": no account, which every lambda ARN has (arn:aws:lambda:us-east-1:ACCOUNT:…)`,
    ]);
  });

  it('in a get-resources document too, and masked', async () => {
    const arn = 'arn:aws:sagemaker::111122223333:user-profile/d-1/jane.doe@example.com';
    const p = file([{ ResourceTagMappingList: [{ ResourceARN: arn, Tags: [] }] }], 'json');
    const { errors } = await read(p);
    expect(errors.map((e) => e.code)).toEqual(['invalid-arn']);
    expect(errors[0]!.message).toMatch(/^.*:3: ResourceTagMappingList\[0\]: invalid ARN ".*": no region, which every sagemaker ARN has/);
    expect(errors[0]!.message).not.toContain('jane.doe@example.com');
  });

  it('--strict-inventory: the first one ends the read', async () => {
    const err = await readError(file([{ arn: ARNS2[2] }]), { onBadLine: 'fail' });
    expect(err.toLine()).toMatch(/inv-\d+\.jsonl:1: invalid ARN ".*": region "us-eest-1" is not an AWS region$/);
  });

  it('a "region" given for an ARN without one must be a region of the ARN\'s partition', async () => {
    const p = file([
      { arn: 'arn:aws:s3:::b1', region: 'us-eest-1' },
      { arn: 'arn:aws:s3:::b2', region: 'cn-north-1' },
      { arn: 'arn:aws-cn:s3:::b3', region: 'cn-north-1' },
      { arn: 'arn:aws:s3:::b4', region: 'global' },
      { arn: 'arn:aws:s3:::b5', region: 'eu-west-1' },
    ]);
    const { resources, errors } = await read(p);
    expect(resources.map((r) => r.region)).toEqual(['cn-north-1', 'global', 'eu-west-1']);
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['bad-field', `${p}:1: "region" "us-eest-1" is not an AWS region name (e.g. us-east-1, or global)`],
      ['bad-field', `${p}:2: "region" "cn-north-1" is a region of partition aws-cn, not of the ARN's aws`],
    ]);
  });

  it('a recorded scan gap must name a known region', async () => {
    const p = file([
      { scanError: { source: 'sagemaker', message: 'denied', region: 'us-eest-1' } },
      { scanError: { source: 'sagemaker', message: 'denied', region: 'cn-north-1' } },
    ]);
    const { errors } = await read(p);
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['bad-scan-error', `${p}:1: "scanError.region" must be an AWS region name`],
      [undefined, `${p}:2: denied (a gap of the scan that wrote this inventory)`],
    ]);
  });
});
