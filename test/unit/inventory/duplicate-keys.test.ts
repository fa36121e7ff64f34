import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeDuplicate, duplicateKeys, mayHaveDuplicateKeys } from '../../../src/inventory/duplicate-keys.js';
import { read, readError } from '../../support/read-inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'tagaudit-dupkeys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: string, ext = 'jsonl'): string {
  const p = join(dir, `inv-${++n}.${ext}`);
  writeFileSync(p, content);
  return p;
}

const ARN = (name: string): string => `arn:aws:lambda:us-east-1:111122223333:function:${name}`;
const may = (text: string): boolean => mayHaveDuplicateKeys(text, JSON.parse(text));

describe('mayHaveDuplicateKeys: the cheap test', () => {
  it.each([
    '{"arn":"x","arn":"y"}',
    '{"a":{"b":1,"b":2}}',
    '{"a" : 1, "a" : 2}',
    '{\n  "a": 1,\n  "a": 2\n}',
    '[{"k":"a\\":b","k":1}]',
    '{"a":"\\u0041","b":[],"b":{}}',
  ])('says a repetition may be there: %s', (text) => {
    expect(may(text)).toBe(true);
    expect(duplicateKeys(text)).toHaveLength(1);
  });

  it.each([
    '{"arn":"x","tags":{"a":"1","b":"2"},"parentArns":["p"],"n":12.5,"t":true,"f":false,"z":null}',
    '{\n  "a": 1,\n  "b": {"c": [1, 2, {"d": "e"}]}\n}',
    '{"a" : "x", "b" :"y"}',
    '[]',
    '"plain"',
  ])('says none is there in: %s', (text) => {
    expect(may(text)).toBe(false);
  });

  it('may send a record without repetition to the full walk, which then finds nothing', () => {
    for (const text of ['{"v":"a\\":b"}', '{"v":"\\u00e9"}', '{"n":1.50}']) expect(duplicateKeys(text)).toEqual([]);
  });

  it('survives deep nesting without overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(() => may(deep)).not.toThrow();
    const deepObject = `{"a":1,"x":${'['.repeat(50_000)}{"b":1,"b":2}${']'.repeat(50_000)}}`;
    expect(may(deepObject)).toBe(true);
    expect(duplicateKeys(deepObject)).toEqual([]); // too deep to look at
  });
});

describe('duplicateKeys: where, and how messages name them', () => {
  it('finds each repeated name once per object, with the path to its object', () => {
    const text = '{"arn":"a","tags":{"env":"prod","env":"dev","env":"x"},"arn":"b","Tags":[{"Key":"k","Value":"1","Value":"2"}]}';
    const dups = duplicateKeys(text);
    expect(dups.map((d) => [d.key, d.path])).toEqual([
      ['env', ['tags']],
      ['arn', []],
      ['Value', ['Tags', 0]],
    ]);
    expect(text.slice(dups[0]!.offset, dups[0]!.offset + 5)).toBe('"env"');
    expect(dups.map((d) => describeDuplicate(d))).toEqual([
      'key "env" appears twice in "tags" (JSON would keep only the last)',
      'key "arn" appears twice (JSON would keep only the last)',
      'key "Value" appears twice in "Tags"[0] (JSON would keep only the last)',
    ]);
    expect(describeDuplicate(dups[2]!, 2)).toBe('key "Value" appears twice (JSON would keep only the last)');
  });

  it('masks a name that holds personal data', () => {
    const [dup] = duplicateKeys('{"tags":{"jane.doe@example.com":"a","jane.doe@example.com":"b"}}');
    const text = describeDuplicate(dup!);
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).toMatch(/^key "j\*+@e\*+e\.com" appears twice in "tags"/);
  });
});

// Acceptance s13 D3: a repeated name was last-wins, without a word: a resource vanished, a tag's value was replaced.
describe('readInventory: a record that repeats a name is a bad line', () => {
  it('JSON Lines: "arn" twice, a tag key twice (file:line:col), the other lines kept', async () => {
    const p = file(
      [
        `{"arn":"${ARN('b')}","arn":"${ARN('c')}","tags":{}}`,
        `{"arn":"${ARN('d')}","tags":{"env":"prod","env":"dev"}}`,
        `{"arn":"${ARN('e')}","tags":{"env":"prod"}}`,
        `  {"arn" : "${ARN('f')}", "tags" : {"env" : "a", "env" : "b"}}`,
      ].join('\n'),
    );
    const { resources, errors } = await read(p);
    expect(resources.map((r) => r.arn)).toEqual([ARN('e')]);
    const col2 = `{"arn":"${ARN('d')}","tags":{"env":"prod",`.length + 1;
    const col4 = `  {"arn" : "${ARN('f')}", "tags" : {"env" : "a", `.length + 1;
    expect(errors).toEqual([
      { source: 'inventory', code: 'duplicate-key', message: `${p}:1:${`{"arn":"${ARN('b')}",`.length + 1}: key "arn" appears twice (JSON would keep only the last)` },
      { source: 'inventory', code: 'duplicate-key', message: `${p}:2:${col2}: key "env" appears twice in "tags" (JSON would keep only the last)` },
      { source: 'inventory', code: 'duplicate-key', message: `${p}:4:${col4}: key "env" appears twice in "tags" (JSON would keep only the last)` },
    ]);
  });

  it('JSON Lines: a get-resources page skips only the elements that repeat a name', async () => {
    const page = `{"ResourceTagMappingList":[{"ResourceARN":"${ARN('x')}","Tags":[]},{"ResourceARN":"${ARN('y')}","Tags":[{"Key":"env","Value":"prod","Value":"dev"}]},{"ResourceARN":"${ARN('z')}","ResourceARN":"${ARN('w')}"}]}`;
    const { resources, errors } = await read(file(`${page}\n`));
    expect(resources.map((r) => r.arn)).toEqual([ARN('x')]);
    expect(errors.map((e) => [e.code, e.message.replace(/^.*?:1:\d+: /, '')])).toEqual([
      ['duplicate-key', 'ResourceTagMappingList[1]: key "Value" appears twice in "Tags"[0] (JSON would keep only the last)'],
      ['duplicate-key', 'ResourceTagMappingList[2]: key "ResourceARN" appears twice (JSON would keep only the last)'],
    ]);
    const twice = await read(file(`{"ResourceTagMappingList":[{"ResourceARN":"${ARN('x')}"}],"ResourceTagMappingList":[]}\n`));
    expect(twice.errors.map((e) => e.message.replace(/^.*?:1:\d+: /, ''))).toEqual(['key "ResourceTagMappingList" appears twice (JSON would keep only the last)']);
  });

  it('JSON Lines: a recorded scan gap that repeats a name is a bad line too', async () => {
    const { errors } = await read(file('{"scanError":{"source":"sagemaker","message":"a","message":"b"}}\n'));
    expect(errors.map((e) => e.code)).toEqual(['duplicate-key']);
  });

  it('a get-resources document, as the AWS CLI prints it: the element at the line of the repeated name', async () => {
    const doc = JSON.stringify(
      { ResourceTagMappingList: [{ ResourceARN: ARN('x'), Tags: [{ Key: 'env', Value: 'prod' }] }, { ResourceARN: ARN('y'), Tags: [{ Key: 'env', Value: 'prod' }] }] },
      null,
      4,
    ).replace('"Value": "prod"\n', '"Value": "prod",\n                    "Value": "dev"\n');
    const p = file(doc, 'json');
    const { resources, errors } = await read(p);
    expect(resources.map((r) => r.arn)).toEqual([ARN('y')]);
    const line = doc.split('\n').findIndex((l) => l.includes('"Value": "dev"')) + 1;
    expect(errors).toEqual([
      { source: 'inventory', code: 'duplicate-key', message: `${p}:${line}:21: ResourceTagMappingList[0]: key "Value" appears twice in "Tags"[0] (JSON would keep only the last)` },
    ]);
  });

  it('a document: "ResourceARN" twice skips that element; a page-level repetition skips the page', async () => {
    const p = file(`{"ResourceTagMappingList": [{"ResourceARN": "${ARN('x')}", "ResourceARN": "${ARN('y')}", "Tags": []}, {"ResourceARN": "${ARN('z')}"}]}`, 'json');
    const one = await read(p);
    expect(one.resources.map((r) => r.arn)).toEqual([ARN('z')]);
    expect(one.errors.map((e) => e.message.replace(/^.*?:1:\d+: /, ''))).toEqual(['ResourceTagMappingList[0]: key "ResourceARN" appears twice (JSON would keep only the last)']);
    const pages = file(`{"ResourceTagMappingList": [{"ResourceARN": "${ARN('a')}"}], "PaginationToken": "", "PaginationToken": ""}\n{"ResourceTagMappingList": [{"ResourceARN": "${ARN('b')}"}]}`, 'json');
    const two = await read(pages);
    expect(two.resources.map((r) => r.arn)).toEqual([ARN('b')]);
    expect(two.errors.map((e) => [e.code, e.message.replace(/^.*?\.json:/, '')])).toEqual([
      ['duplicate-key', `1:${`{"ResourceTagMappingList": [{"ResourceARN": "${ARN('a')}"}], "PaginationToken": "", `.length + 1}: key "PaginationToken" appears twice (JSON would keep only the last)`],
    ]);
  });

  it('--strict-inventory: the first repetition ends the read', async () => {
    const err = await readError(file(`{"arn":"${ARN('a')}","tags":{"a":"1","a":"2"}}\n`), { onBadLine: 'fail' });
    expect(err.toLine()).toMatch(/inv-\d+\.jsonl:1:\d+: key "a" appears twice in "tags" \(JSON would keep only the last\)$/);
  });
});
