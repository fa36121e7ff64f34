import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeInventoryJsonl } from '../../../src/inventory/jsonl-writer.js';
import type { Resource } from '../../../src/inventory/resource.js';
import { resourceFromRecord } from '../../../src/inventory/resource-from-json.js';

const job: Resource = {
  arn: 'arn:aws:sagemaker:eu-west-1:111122223333:training-job/t',
  accountId: '111122223333',
  region: 'eu-west-1',
  service: 'sagemaker',
  resourceType: 'sagemaker:training-job',
  tags: { team: 'ml', 'anycompany:cost-center': 'cc-1' },
  source: 'sagemaker',
  state: 'Completed',
  createdAt: '2024-05-01T00:00:00.000Z',
  parentArns: ['arn:aws:sagemaker:eu-west-1:111122223333:hyper-parameter-tuning-job/h'],
};
const bucket: Resource = {
  arn: 'arn:aws:s3:::b',
  accountId: '111122223333',
  region: 'global',
  service: 's3',
  resourceType: 's3:bucket',
  tags: {},
  source: 'config',
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-jsonl-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeInventoryJsonl', () => {
  it('writes one Resource per line, which the inventory reader turns back into the same Resource', async () => {
    const path = join(dir, 'inv.jsonl');
    const w = writeInventoryJsonl(path);
    await w.write(job);
    await w.write(bucket);
    expect(existsSync(path)).toBe(false); // not in place before close
    await w.close();
    expect(w.count).toBe(2);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => resourceFromRecord(JSON.parse(l)))).toEqual([job, bucket]);
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(['arn', 'accountId', 'region', 'service', 'resourceType', 'tags', 'source', 'state', 'createdAt', 'parentArns']);
  });

  it('leaves no file behind when aborted', async () => {
    const path = join(dir, 'inv.jsonl');
    const w = writeInventoryJsonl(path);
    await w.write(job);
    await w.abort();
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('fails, before anything is scanned, when the file cannot be created', () => {
    expect(() => writeInventoryJsonl(join(dir, 'missing-dir', 'inv.jsonl'))).toThrow(/ENOENT/);
  });
});
