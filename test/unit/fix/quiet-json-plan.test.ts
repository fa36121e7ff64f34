import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

// -q hides the plan that --format json prints: a dry run with nothing saved would write nothing at all (as scan refuses).

const DICT = resolve(import.meta.dirname, '../../../dictionaries/anycompany.yaml');
const dir = mkdtempSync(join(tmpdir(), 'tagaudit-fix-quiet-'));
const line = { arn: 'arn:aws:lambda:us-east-1:111122223333:function:f', tags: { Environment: 'prod' } };
writeFileSync(join(dir, 'inv.jsonl'), `${JSON.stringify(line)}\n`);
const fix = (args: string[]) => runCli(['fix', '-d', DICT, '-i', 'inv.jsonl', ...args], { cwd: dir });

describe('fix -q --format json', () => {
  it('is refused (exit 2, one line) when the dry run saves nothing', async () => {
    const r = await fix(['-q', '--format', 'json']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('tagaudit: -q prints no plan, so --format json writes nothing: add --plan-out FILE to save the plan, or drop -q\n');
  });

  it('runs when the plan or the audit is saved to a file, and plain -q still gives the exit code', async () => {
    expect((await fix(['-q', '--format', 'json', '--plan-out', 'plan.json'])).code).toBe(1);
    expect(existsSync(join(dir, 'plan.json'))).toBe(true);
    expect((await fix(['-q', '--format', 'json', '--output-json', 'audit.json'])).code).toBe(1);
    expect(existsSync(join(dir, 'audit.json'))).toBe(true);
    expect(await fix(['-q'])).toMatchObject({ code: 1, stdout: '', stderr: '' });
  });
});
