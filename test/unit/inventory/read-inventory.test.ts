import { mkdtempSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { read, readError } from '../../support/read-inventory.js';
import { MAX_LINE_BYTES } from '../../../src/inventory/read-inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'tagaudit-inv-'));
let n = 0;
function file(content: string, name = `inv-${++n}.jsonl`): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}


const TRAINING = 'arn:aws:sagemaker:us-east-1:111122223333:training-job/churn-xgb-001';
const line = (o: object): string => JSON.stringify(o);

describe('readInventory: JSON Lines', () => {
  it('reads Resources and fills account, region, service and type from the ARN', async () => {
    const p = file(
      [
        line({ arn: TRAINING, tags: { team: 'ml' }, state: 'Completed', createdAt: '2024-05-01T10:00:00Z', parentArns: ['arn:aws:sagemaker:us-east-1:111122223333:hyper-parameter-tuning-job/churn-hpo'] }),
        line({ arn: 'arn:aws:s3:::ml-datasets', tags: {} }),
        line({ arn: 'arn:aws:s3:::ml-logs', accountId: '111122223333', region: 'eu-west-1', tags: { a: 'b' }, source: 'tagging-api' }),
        line({ arn: 'arn:aws:iam::111122223333:role/SageMakerExec' }),
      ].join('\n'),
    );
    const { resources, errors } = await read(p);
    expect(errors).toEqual([]);
    expect(resources).toHaveLength(4);
    expect(resources[0]).toMatchObject({
      arn: TRAINING,
      accountId: '111122223333',
      region: 'us-east-1',
      service: 'sagemaker',
      resourceType: 'sagemaker:training-job',
      tags: { team: 'ml' },
      source: 'inventory',
      state: 'Completed',
      createdAt: '2024-05-01T10:00:00Z',
    });
    expect(resources[0]?.parentArns).toHaveLength(1);
    expect(resources[1]).toMatchObject({ accountId: '', region: 'global', resourceType: 's3:bucket', tags: {} });
    expect(resources[2]).toMatchObject({ accountId: '111122223333', region: 'eu-west-1', source: 'tagging-api' });
    expect(resources[3]).toMatchObject({ accountId: '111122223333', region: 'global', resourceType: 'iam:role', tags: {} });
  });

  it('accepts AWS tag mappings and get-resources pages as lines, CRLF, blank lines and a BOM', async () => {
    const p = file(
      '\uFEFF' +
        line({ ResourceARN: TRAINING, Tags: [{ Key: 'team', Value: 'ml' }] }) +
        '\r\n\r\n   \n' +
        line({ ResourceTagMappingList: [{ ResourceARN: 'arn:aws:lambda:eu-west-1:111122223333:function:score', Tags: [] }], PaginationToken: '' }) +
        '\r\n',
    );
    const { resources, errors } = await read(p);
    expect(errors).toEqual([]);
    expect(resources.map((r) => r.resourceType)).toEqual(['sagemaker:training-job', 'lambda:function']);
    expect(resources[0]?.tags).toEqual({ team: 'ml' });
  });

  it('skips bad lines by default, reporting each with file:line, and keeps the good ones', async () => {
    const p = file(
      [
        line({ arn: TRAINING, tags: {} }),
        '{"arn": "arn:aws:sagemaker:us-east-1:111122223333:model/m", "tags": {"owner": "jane.doe@example.com"',
        line({ arn: 'not-an-arn', tags: {} }),
        line({ arn: TRAINING.replace('001', '002'), tags: { owner: 42 } }),
        '[1, 2]',
        line({ name: 'x' }),
        line({ arn: TRAINING.replace('001', '003'), accountId: '999999999999' }),
        line({ arn: TRAINING.replace('001', '004'), parentArns: 'arn:x' }),
        line({ arn: TRAINING.replace('001', '005'), tags: { ok: 'yes' } }),
      ].join('\n') + '\n',
    );
    const { resources, errors } = await read(p);
    expect(resources.map((r) => r.arn)).toEqual([TRAINING, TRAINING.replace('001', '005')]);
    expect(errors.map((e) => e.source)).toEqual(Array(7).fill('inventory'));
    const messages = errors.map((e) => e.message);
    expect(messages[0]).toBe(`${p}:2:101: invalid JSON: Expected ',' or '}' after property value`);
    expect(messages[1]).toBe(`${p}:3: invalid ARN "not-an-arn"`);
    expect(messages[2]).toBe(`${p}:4: "tags" values must be strings (one is a number)`);
    expect(messages[3]).toBe(`${p}:5: expected a JSON object, got a list`);
    expect(messages[4]).toMatch(new RegExp(`^${p}:6: expected a resource with "arn"`));
    expect(messages[5]).toBe(`${p}:7: "accountId" "999999999999" does not match the ARN's account 111122223333`);
    expect(messages[6]).toBe(`${p}:8: "parentArns" must be a list of ARN strings`);
  });

  it('a resource line with a field it does not know is bad (a misspelt "Tags" would leave it audited as untagged)', async () => {
    const arn = 'arn:aws:lambda:us-east-1:111122223333:function:f';
    const p = file(
      [
        JSON.stringify({ arn, Tags: { team: 'x' } }),
        JSON.stringify({ arn: `${arn}2`, tgas: { team: 'x' } }),
        JSON.stringify({ arn: `${arn}3`, tags: { team: 'x' }, state: 'Completed', createdAt: '2024-01-01T00:00:00Z', source: 'x', accountId: '111122223333' }),
      ].join('\n'),
    );
    const { resources, errors } = await read(p);
    expect(resources.map((r) => r.arn)).toEqual([`${arn}3`]);
    expect(errors.map((e) => e.message)).toEqual([
      `${p}:1: unknown field "Tags" (did you mean "tags"?); a JSON Lines resource has arn, tags, accountId, region, service, resourceType, source, state, createdAt, parentArns`,
      `${p}:2: unknown field "tgas"; a JSON Lines resource has arn, tags, accountId, region, service, resourceType, source, state, createdAt, parentArns`,
    ]);
  });

  it('a resource type or service other than the ARN says is bad: it would match no mandatory pattern', async () => {
    const arn = 'arn:aws:sagemaker:us-east-1:111122223333:training-job/t';
    const p = file(
      [
        JSON.stringify({ arn, resourceType: 'AWS::SageMaker::TrainingJob', tags: {} }),
        JSON.stringify({ arn: `${arn}2`, service: 's3', tags: {} }),
        JSON.stringify({ arn: `${arn}3`, service: 'sagemaker', resourceType: 'sagemaker:training-job', tags: {} }),
      ].join('\n'),
    );
    const { resources, errors } = await read(p);
    expect(resources.map((r) => r.arn)).toEqual([`${arn}3`]);
    expect(errors.map((e) => e.message)).toEqual([
      `${p}:1: "resourceType" "AWS::SageMaker::TrainingJob" does not match the ARN's type sagemaker:training-job`,
      `${p}:2: "service" "s3" does not match the ARN's service sagemaker`,
    ]);
  });

  it('an account or region the ARN leaves out must be one AWS could have (the fixer calls AWS there)', async () => {
    const p = file(
      [
        JSON.stringify({ arn: 'arn:aws:s3:::b1', accountId: '12345', tags: {} }),
        JSON.stringify({ arn: 'arn:aws:s3:::b2', region: 'us-east-1 ', tags: {} }),
        JSON.stringify({ arn: 'arn:aws:s3:::b3', accountId: '111122223333', region: 'eu-west-1', tags: {} }),
        JSON.stringify({ arn: 'arn:aws:iam::111122223333:role/r', region: 'global', tags: {} }),
      ].join('\n'),
    );
    const { resources, errors } = await read(p);
    expect(resources.map((r) => `${r.arn} ${r.accountId} ${r.region}`)).toEqual(['arn:aws:s3:::b3 111122223333 eu-west-1', 'arn:aws:iam::111122223333:role/r 111122223333 global']);
    expect(errors.map((e) => e.message)).toEqual([
      `${p}:1: "accountId" "12345" is not a 12-digit AWS account id`,
      `${p}:2: "region" "us-east-1 " is not an AWS region name (e.g. us-east-1, or global)`,
    ]);
  });

  it('keeps a tag named __proto__ (a valid AWS key) from a tag mapping as from a resource line', async () => {
    const p = file(
      [
        JSON.stringify({ ResourceARN: TRAINING, Tags: [{ Key: '__proto__', Value: 'x' }, { Key: 'constructor', Value: 'y' }] }),
        '{"arn": "' + TRAINING.replace('001', '002') + '", "tags": {"__proto__": "x"}}',
      ].join('\n'),
    );
    const { resources, errors } = await read(p);
    expect(errors).toEqual([]);
    expect(resources.map((r) => Object.entries(r.tags))).toEqual([
      [
        ['__proto__', 'x'],
        ['constructor', 'y'],
      ],
      [['__proto__', 'x']],
    ]);
  });

  it('turns the gaps a partial live scan recorded ({"scanError": …}) into errors, not bad lines', async () => {
    const gap = { source: 'sagemaker', accountId: '111122223333', region: 'eu-west-1', message: 'AccessDenied: ListTrainingJobs', code: 'AccessDeniedException' };
    const p = file([line({ arn: TRAINING }), line({ scanError: gap })].join('\n'));
    const { resources, errors } = await read(p, { onBadLine: 'fail' });
    expect(resources).toHaveLength(1);
    expect(errors).toEqual([{ ...gap, message: `${p}:2: AccessDenied: ListTrainingJobs (a gap of the scan that wrote this inventory)` }]);
  });

  it('refuses a recorded gap whose fields are not what a scan writes, as a bad line naming the field', async () => {
    const gaps = [
      { source: 'jane.doe@example.com', message: 'x' },
      { source: 'tagging-api', message: 'x', accountId: 'jane.doe@example.com' },
      { source: 'tagging-api', message: 'x', region: '078-05-1120' },
      { source: 'tagging-api', message: 'x', code: 'call +1 415 555 0199 now!' },
      { source: 'tagging-api', message: 7 },
    ];
    const p = file([...gaps.map((g) => line({ scanError: g })), line({ scanError: 'x' })].join('\n'));
    const { resources, errors } = await read(p);
    expect(resources).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([
      `${p}:1: "scanError.source" must be a source name such as tagging-api`,
      `${p}:2: "scanError.accountId" must be a 12-digit AWS account id`,
      `${p}:3: "scanError.region" must be an AWS region name`,
      `${p}:4: "scanError.code" must be an AWS error code`,
      `${p}:5: "scanError.message" must be a string`,
      `${p}:6: "scanError" must be {source, message, accountId?, region?, code?}`,
    ]);
  });

  it('masks personal data in a quoted field before shortening it, so a cut card number or address never shows', async () => {
    const p = file(
      [
        line({ arn: 'arn:aws:s3:::b', region: `${'x'.repeat(40)} 4111 1111 1111 1111 tail tail` }),
        line({ arn: 'arn:aws:s3:::b', accountId: `${'y'.repeat(50)} jane.doe@example.com` }),
        line({ arn: 'arn:aws:s3:::b', ['jane.doe.with.a.long.name@example.com']: 'x' }),
        line({ arn: `arn:aws:lambda:us-east-1:1111:${'z'.repeat(155)} +1 415-555-2671` }),
      ].join('\n'),
    );
    const { errors } = await read(p);
    expect(errors).toHaveLength(4);
    const text = JSON.stringify(errors);
    for (const leak of ['4111 1111 1111 111', 'jane.doe', 'jane.doe.with', '415-555-267', '555-267']) expect(text).not.toContain(leak);
    expect(errors[0]!.message).toContain('**** **** *');
  });

  it('never quotes the text of a line that is not valid JSON (it may hold PII)', async () => {
    const p = file(`{"arn": "${TRAINING}", "tags": {"owner": jane.doe@example.com}}\n`);
    const { errors } = await read(p);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(new RegExp(`^${p}:1(:\\d+)?: invalid JSON: `));
    expect(errors[0]?.message).not.toContain('jane');
  });

  it('with onBadLine fail, throws a UsageError at the first bad line with file:line', async () => {
    const p = file([line({ arn: TRAINING }), line({ arn: 'arn:nope' }), '{'].join('\n'));
    const err = await readError(p, { onBadLine: 'fail' });
    expect(err.toLine()).toBe(`${p}:2: invalid ARN "arn:nope"`);
  });

  it('reports the column of a JSON syntax error when V8 gives one', async () => {
    const p = file(`${line({ arn: TRAINING })}\n{"arn": "${TRAINING}",}\n`);
    const err = await readError(p, { onBadLine: 'fail' });
    expect(err.toLine()).toBe(`${p}:2:${`{"arn": "${TRAINING}",`.length + 1}: invalid JSON: Expected double-quoted property name`);
  });

  it('counts the column from the start of the line as written, leading blanks and all', async () => {
    const p = file(`${line({ arn: TRAINING })}\n    {"arn": "${TRAINING}",}\n`);
    const err = await readError(p, { onBadLine: 'fail' });
    expect(err.toLine()).toBe(`${p}:2:${`    {"arn": "${TRAINING}",`.length + 1}: invalid JSON: Expected double-quoted property name`);
  });

  it('finds the column itself when V8 names none (an unexpected token)', async () => {
    const p = file(`${line({ arn: TRAINING })}\n{"arn": "${TRAINING}", "tags": {"a": tru}}\n`);
    const err = await readError(p, { onBadLine: 'fail' });
    expect(err.toLine()).toBe(`${p}:2:${`{"arn": "${TRAINING}", "tags": {"a": `.length + 1}: invalid JSON: Unexpected token "}"`);
  });

  it('reads a line longer than a read chunk', async () => {
    const tags: Record<string, string> = {};
    for (let i = 0; i < 8000; i++) tags[`k${i}`] = 'v'.repeat(250);
    const p = file(`${line({ arn: TRAINING, tags })}\n${line({ arn: TRAINING.replace('001', '002') })}\n`);
    const { resources, errors } = await read(p);
    expect(errors).toEqual([]);
    expect(resources).toHaveLength(2);
    expect(Object.keys(resources[0]?.tags ?? {})).toHaveLength(8000);
  });

  it('reports a line over the limit as bad without buffering it, and goes on', async () => {
    const huge = `{"arn": "${TRAINING}", "tags": {"x": "${'y'.repeat(MAX_LINE_BYTES * 2 + 5)}"}}`;
    const p = file(`${line({ arn: TRAINING.replace('001', '000') })}\n${huge}\n${line({ arn: TRAINING.replace('001', '002') })}`);
    const { resources, errors } = await read(p);
    expect(resources.map((r) => r.arn.slice(-3))).toEqual(['000', '002']);
    expect(errors.map((e) => e.message)).toEqual([`${p}:2: line longer than ${MAX_LINE_BYTES} bytes`]);
  });

  it('streams many lines in order with correct line numbers across chunks', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20000; i++) lines.push(i === 15000 ? 'garbage' : line({ arn: `${TRAINING}-${i}`, tags: { i: String(i) } }));
    const p = file(lines.join('\n'));
    const { resources, errors } = await read(p);
    expect(resources).toHaveLength(19999);
    expect(resources[14999]?.tags).toEqual({ i: '14999' });
    expect(resources[15000]?.tags).toEqual({ i: '15001' });
    expect(errors.map((e) => e.message)).toEqual([`${p}:15001:1: invalid JSON: Unexpected token "g"`]);
  });
});

describe('readInventory: AWS CLI get-resources JSON', () => {
  const pretty = (o: object): string => JSON.stringify(o, null, 4);
  const mapping = (arn: string, tags: Record<string, string>): object => ({
    ResourceARN: arn,
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
  });

  it('reads the pretty-printed document', async () => {
    const p = file(
      pretty({
        ResourceTagMappingList: [
          mapping(TRAINING, { CostCenter: 'cc-1234', env: 'Prod' }),
          mapping('arn:aws:s3:::ml-datasets', { team: 'ml' }),
        ],
      }),
      'get-resources.json',
    );
    const { resources, errors } = await read(p);
    expect(errors).toEqual([]);
    expect(resources).toHaveLength(2);
    expect(resources[0]).toMatchObject({ accountId: '111122223333', region: 'us-east-1', resourceType: 'sagemaker:training-job', tags: { CostCenter: 'cc-1234', env: 'Prod' }, source: 'inventory' });
    expect(resources[1]).toMatchObject({ resourceType: 's3:bucket', region: 'global' });
  });

  it('leaves out an Auto Scaling group an export lists without tags (GetResources leaves them out), as a reported gap', async () => {
    const ASG = 'arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:dbc33737-9848-497a-89f7-d8d6ba39e801:autoScalingGroupName/gpu';
    const p = file(pretty({ ResourceTagMappingList: [mapping(TRAINING, {}), mapping(ASG, {}), mapping(`${ASG}2`, { team: 'ml' })] }), 'asg.json');
    const { resources, errors } = await read(p);
    expect(resources.map((r) => r.arn)).toEqual([TRAINING, `${ASG}2`]);
    expect(errors.map((e) => e.message)).toEqual([
      `${p}:7: ResourceTagMappingList[1]: an Auto Scaling group without tags: GetResources leaves their tags out, so this export cannot tell them (a live scan reads them with DescribeAutoScalingGroups; audit its --save-inventory file instead)`,
    ]);
    // A tagaudit inventory (what --save-inventory writes) holds the group's real tags, empty or not.
    const saved = file(line({ arn: ASG, tags: {}, source: 'autoscaling' }));
    expect(await read(saved)).toMatchObject({ resources: [{ arn: ASG, tags: {} }], errors: [] });
  });

  it('reads concatenated pages, a compact document and a bare list', async () => {
    const pages = file(
      pretty({ ResourceTagMappingList: [mapping(TRAINING, {})], PaginationToken: 'abc' }) +
        '\n' +
        pretty({ ResourceTagMappingList: [mapping('arn:aws:s3:::b', {})], PaginationToken: '' }),
    );
    expect((await read(pages)).resources).toHaveLength(2);
    const compact = file(JSON.stringify({ ResourceTagMappingList: [mapping(TRAINING, { a: '1' })] }));
    expect((await read(compact)).resources[0]?.tags).toEqual({ a: '1' });
    const list = file(pretty([mapping(TRAINING, {}), { arn: 'arn:aws:s3:::b', tags: { x: 'y' } }]));
    expect((await read(list)).resources.map((r) => r.resourceType)).toEqual(['sagemaker:training-job', 's3:bucket']);
  });

  it('names the line of a bad element and keeps the others', async () => {
    const text = pretty({ ResourceTagMappingList: [mapping(TRAINING, {}), { ResourceARN: 'arn:bad', Tags: [] }, { ResourceARN: TRAINING, Tags: 'x' }] });
    const p = file(text);
    const { resources, errors } = await read(p);
    expect(resources).toHaveLength(1);
    const lineOf = (needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;
    expect(errors.map((e) => e.message)).toEqual([
      `${p}:${lineOf('"arn:bad"') - 1}: ResourceTagMappingList[1]: invalid ARN "arn:bad"`,
      `${p}:${lineOf('"Tags": "x"') - 2}: ResourceTagMappingList[2]: "Tags" must be a list of {Key, Value}, got a string`,
    ]);
  });

  it('a parent that is not an ARN makes the line bad (it could never be found)', async () => {
    const p = file(`${JSON.stringify({ arn: TRAINING, tags: {}, parentArns: [TRAINING, 'hpo-0'] })}\n`);
    const { resources, errors } = await read(p);
    expect(resources).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([`${p}:1: "parentArns"[1] is not an ARN`]);
  });

  it('names the element of a compact document, where several share a line', async () => {
    const p = file('[1,{"arn":"arn:aws:lambda:us-east-1:111122223333:function:f"},"x"]\n');
    const { resources, errors } = await read(p);
    expect(resources).toHaveLength(1);
    expect(errors.map((e) => e.message)).toEqual([`${p}:1: [0]: expected a JSON object, got a number`, `${p}:1: [2]: expected a JSON object, got a string`]);
  });

  it('reports a truncated listing (NextToken from --max-items) as missing data', async () => {
    const p = file(pretty({ ResourceTagMappingList: [mapping(TRAINING, {})], NextToken: 'eyJ9' }));
    const { resources, errors } = await read(p);
    expect(resources).toHaveLength(1);
    expect(errors[0]?.message).toMatch(new RegExp(`^${p}:1: the listing is truncated: its last page has a NextToken`));
  });

  it('sniffs the format after any amount of leading blank space', async () => {
    const doc = file(' '.repeat(70_000) + '\n' + pretty({ ResourceTagMappingList: [mapping(TRAINING, { a: '1' })] }));
    expect((await read(doc)).resources.map((r) => r.tags)).toEqual([{ a: '1' }]);
    const lines = file('\n'.repeat(5000) + ' '.repeat(3000) + line({ arn: TRAINING }) + '\n');
    const { resources, errors } = await read(lines);
    expect(errors).toEqual([]);
    expect(resources).toHaveLength(1);
  });

  it('a syntax error in a document is fatal with file:line:col, whatever the bad-line policy', async () => {
    const p = file('{\n  "ResourceTagMappingList": [\n    {"ResourceARN": "x",}\n  ]\n}\n');
    const err = await readError(p);
    expect(err.toLine()).toBe(`${p}:3:25: invalid JSON: Expected double-quoted property name`);
  });

  it('names the line and column of a syntax error V8 gives no position for (a trailing comma in a list)', async () => {
    const p = file('{\n  "ResourceTagMappingList": [\n    {"ResourceARN": "x", "Tags": []},\n  ]\n}\n');
    const err = await readError(p);
    expect(err.toLine()).toBe(`${p}:4:3: invalid JSON: Unexpected token "]"`);
  });
});

describe('readInventory: files that cannot be read', () => {
  it('a missing file is a UsageError naming it', async () => {
    const err = await readError(join(dir, 'nope.jsonl'));
    expect(err.toLine()).toBe(`${join(dir, 'nope.jsonl')}: cannot read inventory: no such file`);
  });

  it('resolves a relative path against cwd but names it as given', async () => {
    writeFileSync(join(dir, 'rel.jsonl'), line({ arn: TRAINING }));
    expect((await read('rel.jsonl', { cwd: dir })).resources).toHaveLength(1);
    const err = await readError('missing.jsonl', { cwd: dir });
    expect(err.toLine()).toBe('missing.jsonl: cannot read inventory: no such file');
  });

  it('a directory is a UsageError', async () => {
    const sub = join(dir, 'a-dir');
    mkdirSync(sub);
    expect((await readError(sub)).toLine()).toBe(`${sub}: cannot read inventory: is a directory, not a file`);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file is a UsageError', async () => {
    const p = file('{}');
    chmodSync(p, 0o000);
    expect((await readError(p)).toLine()).toBe(`${p}: cannot read inventory: permission denied`);
  });

  it('an empty or blank file is a UsageError, an empty listing is not', async () => {
    expect((await readError(file(''))).toLine()).toMatch(/: inventory file is empty$/);
    expect((await readError(file('\n  \n'))).toLine()).toMatch(/: inventory file is empty$/);
    expect(await read(file('{"ResourceTagMappingList": []}'))).toEqual({ resources: [], errors: [] });
  });
});
