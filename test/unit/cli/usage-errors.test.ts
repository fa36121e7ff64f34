import { resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { runCli } from '../../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const run = (args: string[]) => runCli(args, { cwd: ROOT });

// Every usage error is exactly one `tagaudit: …` line on stderr, exit 2, nothing on stdout.
describe('commander parse errors are one line naming the command', () => {
  it.each([
    [['scan', '--bogus'], "tagaudit: unknown option '--bogus' (see 'tagaudit scan --help')"],
    [['--bogus'], "tagaudit: unknown option '--bogus' (see 'tagaudit --help')"],
    [['bogus'], "tagaudit: unknown command 'bogus' (see 'tagaudit --help')"],
    [['undo'], "tagaudit: required option '--journal <file>' not specified (see 'tagaudit undo --help')"],
    [['rules', '--format', 'xml'], "tagaudit: option '--format <format>' argument 'xml' is invalid. Allowed choices are table, json. (see 'tagaudit rules --help')"],
    [['fix', '--fix-pii', 'bogus'], "tagaudit: option '--fix-pii <action>' argument 'bogus' is invalid. Allowed choices are remove, redact. (see 'tagaudit fix --help')"],
    [['validate', 'a.yaml', 'b.yaml'], "tagaudit: too many arguments for 'validate'. Expected 1 argument but got 2. (see 'tagaudit validate --help')"],
    // The argument is quoted back, so personal data pasted into the wrong flag is masked like in any other message.
    [['scan', '--fail-on', 'jane.doe@example.com'], "tagaudit: option '--fail-on <severity>' argument 'j***@e*****e.com' is invalid. Allowed choices are error, warning, note, none. (see 'tagaudit scan --help')"],
  ])('%j', async (args, line) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${line}\n`);
    expect(r.stdout).toBe('');
  });
});

describe('help of commands without --fail-on states their own exit codes', () => {
  it.each(['undo', 'validate', 'rules'])('%s --help does not mention --fail-on', async (command) => {
    const r = await run([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit codes:');
    expect(r.stdout).not.toContain('--fail-on');
  });
});

describe('--regions names no AWS partition has are usage errors, before any AWS call', () => {
  // An endpoint nothing listens on: reaching AWS would be a network error (exit 3), not the usage error (exit 2).
  const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1' };

  it.each([
    [['scan', '--regions', 'us-east-99'], 'us-east-99'],
    [['fix', '--regions', 'eu-west-1,xx-east-1'], 'xx-east-1'],
  ])('%j', async (args, bad) => {
    const r = await runCli(args, { cwd: ROOT, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`tagaudit: --regions: unknown AWS region "${bad}" (not in the AWS SDK's region list; e.g. us-east-1, eu-west-1)\n`);
  });

  it('accepts regions of every partition', async () => {
    const { checkRegionsKnown } = await import('../../../src/scan/known-regions.js');
    await expect(checkRegionsKnown(['eu-central-2', 'ap-southeast-5', 'cn-north-1', 'us-gov-west-1'])).resolves.toBeUndefined();
    await expect(checkRegionsKnown('all')).resolves.toBeUndefined();
  });
});

describe('standard input given twice as an inventory', () => {
  it('is a usage error before anything is read (the second read would find it empty)', async () => {
    const r = await run(['scan', '-i', '-', '-i', '-']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tagaudit: --inventory -: standard input can be read only once\n');
    expect(r.stdout).toBe('');
  });
});
