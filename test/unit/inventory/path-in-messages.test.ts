import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { badLineError, recordedGapError } from '../../../src/inventory/read-inventory.js';
import { read, readError } from '../../support/read-inventory.js';

// Every message naming an inventory shows its path as reports show a user-given path: personal data masked.

const dir = mkdtempSync(join(tmpdir(), 'tagaudit-inv-names-'));
const put = (name: string, content: string): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const GOOD = `${JSON.stringify({ arn: 'arn:aws:s3:::ml-datasets', tags: {} })}\n`;

describe('inventory messages name the file masked', () => {
  it('a skipped bad line and a recorded gap', () => {
    expect(badLineError('inv/078-05-1120.jsonl', 'invalid-json', 'invalid JSON', 3, 7)).toEqual({
      source: 'inventory',
      message: 'inv/***-**-1120.jsonl:3:7: invalid JSON',
      code: 'invalid-json',
    });
    const gap = recordedGapError('inv/jane.doe@example.com.jsonl', { source: 'sagemaker', message: 'throttled' }, 9);
    expect(gap.message).toBe('inv/j***@*******.c*m.jsonl:9: throttled (a gap of the scan that wrote this inventory)');
  });

  it('bad lines met while reading', async () => {
    const p = put('bad-4111111111111111.jsonl', `${GOOD}{"arn": oops}\n`);
    const { errors } = await read(p);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('bad-**** **** **** 1111.jsonl:2:');
    expect(errors[0]!.message).not.toContain('4111111111111111');
  });

  it.each([
    ['a bad line under --strict-inventory', 'strict-078-05-1120.jsonl', `${GOOD}{"arn": oops}\n`, { onBadLine: 'fail' as const }],
    ['an empty file', 'empty-078-05-1120.jsonl', '', {}],
    ['a UTF-16 file', 'utf16-078-05-1120.json', '\uFEFF{}', { utf16: true }],
    ['a broken JSON document', 'doc-078-05-1120.json', '{\n "ResourceTagMappingList": [\n  {"ResourceARN": 1,}\n ]\n}\n', {}],
    ['a missing file', 'missing-078-05-1120.jsonl', undefined, {}],
  ])('%s', async (_label, name, content, options) => {
    const path = content === undefined ? join(dir, name) : put(name, content);
    if (content !== undefined && 'utf16' in options) writeFileSync(path, Buffer.from(`\uFEFF${GOOD}`, 'utf16le'));
    const err = await readError(path, 'onBadLine' in options ? { onBadLine: options.onBadLine } : {});
    expect(err.toLine()).toContain('-***-**-1120.json');
    expect(err.toLine()).not.toContain('078-05-1120');
  });
});
