import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const DEMO = join(ROOT, 'examples/demo-estate.jsonl');
const DASH_FILE = "give a file name, or ./- for a file named '-'";
const JOURNAL = '(a journal must be a file: it is locked and appended to)';
// Live flags are checked before any AWS call: an endpoint nothing listens on proves none is made.
const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1' };

/** One option's entry in --help (its description wraps over several lines), on one line. */
const optionHelp = (help: string, flag: string): string => {
  const entries = help.split(/\n(?= {2}-)/);
  const entry = entries.find((e) => new RegExp(`^ {2}(-\\w, )?${flag} `).test(e));
  return (entry ?? '').split('\n\n')[0]!.replace(/\s+/g, ' ');
};

const run = async (args: string[]) => {
  const cwd = mkdtempSync(join(tmpdir(), 'tagaudit-file-flags-'));
  return { ...(await runCli(args, { cwd, env })), cwd };
};

describe("'-' where a flag neither reads standard input nor writes standard output is refused, naming what to do (exit 2)", () => {
  it.each([
    [['scan', '-i', DEMO, '--output-json', '-'], `--output-json -: standard output is not supported here (--format json prints the report there); ${DASH_FILE}`],
    [['scan', '-i', DEMO, '--output-sarif', '-'], `--output-sarif -: standard output is not supported here (--format sarif prints the SARIF log there); ${DASH_FILE}`],
    [['scan', '--regions', 'us-east-1', '--save-inventory', '-'], `--save-inventory -: standard output is not supported here; ${DASH_FILE}`],
    [['fix', '-i', DEMO, '--output-json', '-'], `--output-json -: standard output is not supported here; ${DASH_FILE}`],
    [['fix', '-i', DEMO, '--plan-out', '-'], `--plan-out -: standard output is not supported here (--format json prints the plan there, for review); ${DASH_FILE}`],
    [['fix', '--plan', '-'], `--plan -: standard input is not supported here; ${DASH_FILE}`],
    [['fix', '--plan', 'plan.json', '--apply', '--yes', '--journal', '-'], `--journal -: standard output is not supported here ${JOURNAL}; ${DASH_FILE}`],
    [['fix', '--resume', '-', '--apply', '--yes'], `--resume -: standard input is not supported here ${JOURNAL}; ${DASH_FILE}`],
    [['undo', '--journal', '-'], `--journal -: standard input is not supported here ${JOURNAL}; ${DASH_FILE}`],
    [['undo', '--journal', 'j.jsonl', '--undo-journal', '-'], `--undo-journal -: standard output is not supported here ${JOURNAL}; ${DASH_FILE}`],
  ])('%j', async (args, message) => {
    const r = await run(args);
    expect(r.stderr).toBe(`tagaudit: ${message}\n`);
    expect(r.code).toBe(2);
    expect(readdirSync(r.cwd)).toEqual([]);
  });

  it('./- still names a file called -', async () => {
    const r = await run(['scan', '-i', DEMO, '--output-json', './-', '-q', '--fail-on', 'none']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(r.cwd, '-'))).toBe(true);
  });
});

describe('a blank file name is refused as such, not as "is a directory" (exit 2)', () => {
  it.each([
    [['fix', '-i', DEMO, '--plan-out', ''], '--plan-out needs a file name'],
    [['fix', '-i', DEMO, '--plan-out', '  '], '--plan-out needs a file name'],
    [['fix', '--plan', ''], '--plan needs a file name'],
    [['fix', '--plan', 'plan.json', '--apply', '--yes', '--journal', ''], '--journal needs a file name'],
    [['fix', '--resume', '', '--apply', '--yes'], '--resume needs a file name'],
    [['undo', '--journal', ''], '--journal needs a file name'],
    [['undo', '--journal', 'j.jsonl', '--apply', '--yes', '--undo-journal', ''], '--undo-journal needs a file name'],
    [['scan', '--regions', 'us-east-1', '--save-inventory', ''], '--save-inventory needs a file name'],
    [['scan', '-i', DEMO, '--output-sarif', ''], '--output-sarif needs a file name'],
  ])('%j', async (args, message) => {
    const r = await run(args);
    expect(r.stderr).toBe(`tagaudit: ${message}\n`);
    expect(r.code).toBe(2);
  });
});

describe('each file flag says in its help that - is not standard input or output', () => {
  it.each([
    ['scan', ['--output-json', '--output-sarif', '--save-inventory']],
    ['fix', ['--output-json', '--output-sarif', '--plan', '--plan-out', '--journal', '--resume', '--save-inventory']],
    ['undo', ['--journal', '--undo-journal']],
  ])('%s --help', async (command, flags) => {
    const help = (await runCli([command, '--help'], { cwd: ROOT })).stdout;
    for (const flag of flags) expect(optionHelp(help, flag)).toMatch(/\(.*a file: - is (not stdin|not stdout|refused)/);
  });
});
