import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../../../src/inventory/read-inventory.js';
import { read } from '../../support/read-inventory.js';

// Every skipped bad line carries its cause as errors[].code, so that the report's per-cause limit (the first error of
// each cause is listed even past the first 1,000) tells one kind of bad line from another.
const dir = mkdtempSync(join(tmpdir(), 'tagaudit-bad-codes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: string | Buffer, ext = 'jsonl'): string {
  const p = join(dir, `inv-${++n}.${ext}`);
  writeFileSync(p, content);
  return p;
}

const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:ok';
const ASG = 'arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:1a2b:autoScalingGroupName/web';
const line = (o: unknown): string => JSON.stringify(o);

describe('bad inventory lines: a cause code each', () => {
  it.each([
    ['invalid-json', 'garbage1'],
    ['not-an-object', line([1, 2])],
    ['missing-arn', line({ name: 'x' })],
    ['missing-arn', line({ arn: 42 })],
    ['invalid-arn', line({ arn: 'arn:aws:foo0' })],
    ['unknown-field', line({ arn: ARN, Tags: {} })],
    ['bad-tags', line({ arn: ARN, tags: { team: 7 } })],
    ['bad-tags', line({ arn: ARN, tags: ['team'] })],
    ['bad-tags', line({ ResourceARN: ARN, Tags: [{ Key: 'a', Value: 'b' }, { Key: 'a', Value: 'c' }] })],
    ['bad-field', line({ arn: ARN, state: 3 })],
    ['bad-field', line({ arn: ARN, parentArns: ['not-an-arn'] })],
    ['bad-field', line({ arn: 'arn:aws:s3:::bucket', region: 'moon-1' })],
    ['arn-mismatch', line({ arn: ARN, region: 'eu-west-1' })],
    ['tagless-auto-scaling-group', line({ ResourceARN: ASG, Tags: [] })],
    ['bad-scan-error', line({ scanError: { source: 'Tagging API', message: 'x' } })],
    ['invalid-arn', line({ ResourceTagMappingList: [{ ResourceARN: ARN, Tags: [] }, { ResourceARN: 'nope', Tags: [] }] })],
  ])('%s: %s', async (code, text) => {
    const { resources, errors } = await read(file(`${line({ arn: ARN })}\n${text}\n`));
    expect(resources.length).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([expect.objectContaining({ source: 'inventory', code })]);
    expect(errors[0]?.message).toMatch(/inv-\d+\.jsonl:2(:\d+)?: /);
  });

  it('not-utf8 and line-too-long', async () => {
    const bad8 = await read(file(Buffer.concat([Buffer.from(`${line({ arn: ARN })}\n{"arn":"${ARN}","tags":{"team":"Zo`), Buffer.from([0xeb]), Buffer.from('"}}\n')])));
    expect(bad8.errors.map((e) => e.code)).toEqual(['not-utf8']);
    const long = await read(file(`${line({ arn: ARN })}\n${line({ arn: ARN, tags: { note: 'x'.repeat(MAX_LINE_BYTES) } })}\n`));
    expect(long.errors.map((e) => e.code)).toEqual(['line-too-long']);
  });

  it('a recorded gap keeps the code the live scan gave it, or none', async () => {
    const gaps = [line({ scanError: { source: 'sagemaker', message: 'denied', code: 'AccessDeniedException' } }), line({ scanError: { source: 'config', message: 'throttled' } })];
    const { errors } = await read(file(`${line({ arn: ARN })}\n${gaps.join('\n')}\n`));
    expect(errors.map((e) => e.code)).toEqual(['AccessDeniedException', undefined]);
  });

  it('elements of a get-resources JSON document, and a truncated listing', async () => {
    const doc = JSON.stringify(
      { ResourceTagMappingList: [{ ResourceARN: ARN, Tags: [] }, { ResourceARN: 'nope', Tags: [] }, { ResourceARN: ASG, Tags: [] }, 5], PaginationToken: 'abc' },
      null,
      2,
    );
    const { resources, errors } = await read(file(doc, 'json'));
    expect(resources).toHaveLength(1);
    expect(errors.map((e) => e.code)).toEqual(['invalid-arn', 'tagless-auto-scaling-group', 'not-an-object', 'truncated-listing']);
    const single = await read(file(JSON.stringify({ name: 'x' }), 'json'));
    expect(single.errors.map((e) => e.code)).toEqual(['missing-arn']);
  });
});
