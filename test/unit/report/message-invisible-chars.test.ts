import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

// Finding messages quote tag keys and values. JSON escapes C0 controls, but not a right-to-left override or a C1
// control (U+009B is a one-byte CSI): GitHub's alert view and a terminal reading the JSON got them raw (s13 input D8).

const DICT = resolve(import.meta.dirname, '../../../dictionaries/anycompany.yaml');
const RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

describe('finding messages in JSON and SARIF', () => {
  it('write bidirectional overrides, DEL and C1 controls of tag text as \\uNNNN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagaudit-invisible-'));
    const line = { arn: 'arn:aws:lambda:us-east-1:111122223333:function:b', tags: { CostCenter: '\u202eSales-5120', env: 'Prod\u009b2J', ['x\u2066y']: 'z\u007f' } };
    writeFileSync(join(dir, 'inv.jsonl'), `${JSON.stringify(line)}\n`);
    const r = await runCli(['scan', '-d', DICT, '-i', 'inv.jsonl', '--output-json', 'r.json', '--output-sarif', 'r.sarif', '--fail-on', 'none', '-q'], { cwd: dir });
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { findings: { message: string }[] };
    const sarif = JSON.parse(readFileSync(join(dir, 'r.sarif'), 'utf8')) as { runs: { results: { message: { text: string } }[] }[] };
    const messages = [...json.findings.map((f) => f.message), ...sarif.runs[0]!.results.map((x) => x.message.text)];
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(m).not.toMatch(RAW);
    expect(messages.join('\n')).toContain('"\\u202eSales-5120"');
    expect(messages.join('\n')).toContain('\\u009b2J');
  });
});
