import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
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
    // The typo is what went wrong, not the --journal the user may well have meant to give next.
    [['undo', '--bogus'], "tagaudit: unknown option '--bogus' (see 'tagaudit undo --help')"],
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
    [['scan', '--regions', 'us-eest-1'], 'us-eest-1'],
    [['fix', '--regions', 'eu-west-1,xx-east-1'], 'xx-east-1'],
  ])('%j', async (args, bad) => {
    const r = await runCli(args, { cwd: ROOT, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`tagaudit: --regions: unknown AWS region "${bad}" (no AWS partition has a region of that name; e.g. us-east-1, eu-west-1)\n`);
  });

  // Every client reads these: left to the first AWS call, they were a DNS or URL failure per call (exit 3, unnamed).
  it.each([
    [['scan'], { AWS_REGION: 'mars-1' }, 'AWS_REGION: unknown AWS region "mars-1" (no AWS partition has a region of that name; e.g. us-east-1, eu-west-1)'],
    [['fix', '--regions', 'us-east-1'], { AWS_DEFAULT_REGION: 'us-eest-1', AWS_REGION: '' }, 'AWS_DEFAULT_REGION: unknown AWS region "us-eest-1" (no AWS partition has a region of that name; e.g. us-east-1, eu-west-1)'],
    [['scan'], { AWS_ENDPOINT_URL: 'garbage' }, 'AWS_ENDPOINT_URL: "garbage" is not an http(s) URL (e.g. http://127.0.0.1:5000)'],
    [['undo', '--journal', 'j.jsonl'], { AWS_ENDPOINT_URL_STS: 'ftp://x' }, 'AWS_ENDPOINT_URL_STS: "ftp://x" is not an http(s) URL (e.g. http://127.0.0.1:5000)'],
  ])('%j with %j', async (args, bad, line) => {
    const r = await runCli(args, { cwd: ROOT, env: { ...env, ...bad } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`tagaudit: ${line}\n`);
  });

  it('ignores endpoint URLs the SDK is told to ignore, and an inventory scan reads no AWS setting', async () => {
    const { checkAwsEnvironment } = await import('../../../src/scan/known-regions.js');
    await expect(checkAwsEnvironment({ AWS_ENDPOINT_URL: 'garbage', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).resolves.toBeUndefined();
    await expect(checkAwsEnvironment({ AWS_ENDPOINT_URL: 'https://moto.internal:5000', AWS_REGION: 'cn-north-1' })).resolves.toBeUndefined();
    const offline = await runCli(['scan', '-i', 'examples/demo-estate.jsonl', '-q', '--fail-on', 'none'], { cwd: ROOT, env: { AWS_REGION: 'mars-1', AWS_ENDPOINT_URL: 'garbage' } });
    expect(offline.code).toBe(0);
  });

  it('accepts regions of every partition', async () => {
    const { checkRegionsKnown } = await import('../../../src/scan/known-regions.js');
    await expect(checkRegionsKnown(['eu-central-2', 'ap-southeast-5', 'cn-north-1', 'us-gov-west-1'])).resolves.toBeUndefined();
    await expect(checkRegionsKnown('all')).resolves.toBeUndefined();
  });

  // A region launched after the bundled SDK, as the inventory reader takes one: refusing it stopped every live command.
  it('accepts a region newer than the SDK, of the usual form, in --regions and the environment', async () => {
    const { checkAwsEnvironment, checkRegionsKnown } = await import('../../../src/scan/known-regions.js');
    await expect(checkRegionsKnown(['ap-southeast-9'])).resolves.toBeUndefined();
    await expect(checkAwsEnvironment({ AWS_REGION: 'ap-southeast-9' })).resolves.toBeUndefined();
  });

  it('judges only the region variable the clients read: AWS_DEFAULT_REGION when AWS_REGION is unset', async () => {
    const { checkAwsEnvironment } = await import('../../../src/scan/known-regions.js');
    await expect(checkAwsEnvironment({ AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'mars-1' })).resolves.toBeUndefined();
    await expect(checkAwsEnvironment({ AWS_DEFAULT_REGION: 'mars-1' })).rejects.toThrow('AWS_DEFAULT_REGION: unknown AWS region "mars-1"');
  });
});

describe('a profile the shared files do not define is a usage error, before any AWS call', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagaudit-profiles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'config'), '[profile audit]\nregion = eu-west-1\n');
  writeFileSync(join(dir, 'credentials'), '[audit]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = s3cret\n');
  // Reaching AWS would be a network error (exit 3): nothing listens on this endpoint.
  const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
  const files = `${env.AWS_CONFIG_FILE} or ${env.AWS_SHARED_CREDENTIALS_FILE}`;

  it.each([
    [['scan', '--profile', 'adit'], {}, '--profile: no profile "adit"'],
    [['scan'], { AWS_PROFILE: 'adit' }, 'AWS_PROFILE: no profile "adit"'],
    [['fix', '--profile', 'adit'], {}, '--profile: no profile "adit"'],
    [['fix', '-i', 'examples/demo-estate.jsonl', '--apply', '--yes', '--profile', 'adit'], {}, '--profile: no profile "adit"'],
    [['undo', '--journal', 'missing.jsonl', '--profile', 'adit'], {}, '--profile: no profile "adit"'],
    // Profile names are quoted back like any other input: masked.
    [['scan', '--profile', 'jane.doe@example.com'], {}, '--profile: no profile "j***@e*****e.com"'],
  ])('%j %j', async (args, extra, message) => {
    const r = await runCli(args, { cwd: ROOT, env: { ...env, ...extra } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`(^|\n)tagaudit: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} in ${files.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n$`));
    expect(r.stdout).toBe('');
  });

  it('a dry run of an inventory or a plan file, which never calls AWS, does not look at the profile', async () => {
    const r = await runCli(['fix', '-i', 'examples/demo-estate.jsonl', '--profile', 'adit', '--quiet'], { cwd: ROOT, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // a dry run with changes planned
  });

  it('a defined profile (a [profile x] section of the config file) passes', async () => {
    const { checkProfileDefined } = await import('../../../src/scan/credentials.js');
    await expect(checkProfileDefined(env, 'audit')).resolves.toBeUndefined();
    await expect(checkProfileDefined({ ...env, AWS_PROFILE: 'audit' })).resolves.toBeUndefined();
    await expect(checkProfileDefined(env)).resolves.toBeUndefined();
    // Left to the SDK's chain, which then goes on to web identity or the instance role.
    await expect(checkProfileDefined(env, 'default')).resolves.toBeUndefined();
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
