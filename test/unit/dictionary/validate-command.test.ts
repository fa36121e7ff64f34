import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../support/cli.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = 'test/fixtures/dictionaries';
const BUNDLED_NOTE = 'tagaudit: no --dictionary and no ./tagaudit.yaml; using bundled dictionaries/anycompany.yaml\n';

let empty: string;
let project: string;
beforeAll(() => {
  empty = mkdtempSync(join(tmpdir(), 'tagaudit-validate-'));
  project = mkdtempSync(join(tmpdir(), 'tagaudit-project-'));
  copyFileSync(join(REPO, FIXTURES, 'valid-minimal.yaml'), join(project, 'tagaudit.yaml'));
  mkdirSync(join(project, 'sub'));
});
afterAll(() => {
  rmSync(empty, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

const noStackTrace = (text: string): void => {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/Error:/);
};

describe('tagaudit validate', () => {
  it('prints a short summary of a valid dictionary and exits 0', async () => {
    const r = await runCli(['validate', 'dictionaries/anycompany.yaml'], { cwd: REPO });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^dictionaries\/anycompany\.yaml: valid dictionary 'anycompany' \(sha256 [0-9a-f]{12}\)$/);
    expect(r.stdout).toContain('keys             12: 6 mandatory everywhere, 0 mandatory on some resource types, 6 optional');
    expect(r.stdout).toContain('cost allocation  5: anycompany:workload:application-id, ');
    expect(r.stdout).toContain('categories       workload 5, financial 3, security 1, automation 1, operations 1, regulatory 1');
    expect(r.stdout).toContain('PII              on: 12 detectors, severity error, 1 allow-list entry');
    expect(r.stdout).toContain('rule overrides   tag-limit warning, inherited-tag-drift warning');
  });

  it('lists resource-type mandatory keys', async () => {
    const r = await runCli(['validate', 'dictionaries/ml-lifecycle.yaml'], { cwd: REPO });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ML-Phase mandatory on sagemaker:processing-job, sagemaker:training-job');
  });

  it('prints every problem of a bad dictionary as file:line:col: path: message and exits 2', async () => {
    const r = await runCli(['validate', `${FIXTURES}/many-problems.yaml`], { cwd: REPO });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const f = `${FIXTURES}/many-problems.yaml`;
    expect(r.stderr.split('\n')).toEqual([
      `${f}:1:10: version: must be 1, got 2`,
      `${f}:4:12: conventions.keyCase: must be one of kebab, snake, camel, pascal, lower, any; got 'kebap' (did you mean 'kebab'?)`,
      `${f}:10:30: tags[0].mandatory[1]: must be a resource type such as sagemaker:training-job, a service wildcard such as sagemaker:*, or *; got 'bad type'`,
      `${f}:12:14: tags[0].pattern: invalid regular expression: Incomplete quantifier`,
      `${f}:13:5: tags[1]: missing required property 'purpose'`,
      `${f}:19:7: tags[1].valueAliases.production: 'production' is itself an allowed value; the alias would rewrite correct tags`,
      `tagaudit: 6 problems in ${f}`,
      '',
    ]);
    noStackTrace(r.stderr);
  });

  it('a syntax error: one line with its position, exit 2', async () => {
    const r = await runCli(['validate', `${FIXTURES}/syntax-error.yaml`], { cwd: REPO });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `${FIXTURES}/syntax-error.yaml:6:14: YAML syntax error: unclosed '[' (a list in brackets must end with ']'; if the '[' is part of the text, quote the value)\ntagaudit: 1 problem in ${FIXTURES}/syntax-error.yaml\n`,
    );
  });

  it('a missing file: one line, exit 2, no stack trace', async () => {
    const r = await runCli(['validate', 'nope/missing.yaml'], { cwd: REPO });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('nope/missing.yaml: dictionary not found\ntagaudit: 1 problem in nope/missing.yaml\n');
    noStackTrace(r.stderr);
  });

  it('prints warnings on stderr but still exits 0', async () => {
    const r = await runCli(['validate', `${FIXTURES}/valid-with-warning.yaml`], { cwd: REPO });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `${FIXTURES}/valid-with-warning.yaml:9:14: warning: tags[0].pattern: '[0-9]{4}' is not anchored; write ^...$ so it judges whole values (tagaudit adds nothing)\n`,
    );
    expect(r.stdout).toContain('warnings         1 (on stderr)');
  });

  it('a YAML warning (an unknown tag) is called a warning, not a syntax error; a default beside account defaults reads as a list', async () => {
    const file = join(empty, 'yaml-warning.yaml');
    writeFileSync(
      file,
      'version: 1\nname: !custom t\ntags:\n  - key: env\n    category: workload\n    purpose: p\n    mandatory: true\n    costAllocation: false\n' +
        "    default: dev\n    accountDefaults: { '111122223333': prod }\n",
    );
    const r = await runCli(['validate', file], { cwd: REPO });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`${file}:2:7: warning: YAML: unresolved tag: !custom\n`);
    expect(r.stdout).toContain("defaults         env default 'dev', 1 account default\n");
  });

  it('--format json: the summary as JSON', async () => {
    const r = await runCli(['validate', 'dictionaries/mlaas-tenant.yaml', '--format', 'json'], { cwd: REPO });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ valid: true, file: 'dictionaries/mlaas-tenant.yaml', name: 'mlaas-tenant', keys: 6, mandatory: 1 });
    expect((summary.mandatoryFor as Record<string, string[]>)['mlaas:isolation']).toEqual(['s3:bucket', 'iam:role']);
  });

  it('--format json: the problems as JSON, exit 2', async () => {
    const r = await runCli(['validate', `${FIXTURES}/bad-regex.yaml`, '--format', 'json'], { cwd: REPO });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      valid: false,
      file: `${FIXTURES}/bad-regex.yaml`,
      problems: [{ file: `${FIXTURES}/bad-regex.yaml`, line: 9, col: 14, path: 'tags[0].pattern', message: 'invalid regular expression: Unterminated group' }],
    });
  });

  it('rejects an unknown --format', async () => {
    const r = await runCli(['validate', '--format', 'yaml'], { cwd: REPO });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/option '--format <format>' argument 'yaml' is invalid/);
  });

  it('accepts --dictionary like the other commands, but not two different files', async () => {
    expect((await runCli(['validate', '--dictionary', 'dictionaries/anycompany.yaml'], { cwd: REPO })).code).toBe(0);
    const r = await runCli(['validate', 'a.yaml', '--dictionary', 'b.yaml'], { cwd: REPO });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tagaudit: validate takes one dictionary; got 'a.yaml' and --dictionary 'b.yaml'\n");
  });

  it('with no argument and no ./tagaudit.yaml: the bundled dictionary, announced on stderr', async () => {
    const r = await runCli(['validate'], { cwd: empty });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(BUNDLED_NOTE);
    expect(r.stdout).toContain("valid dictionary 'anycompany'");
  });

  it('with no argument: ./tagaudit.yaml when there is one, silently', async () => {
    const r = await runCli(['validate'], { cwd: project });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^tagaudit\.yaml: valid dictionary 'minimal'/);
  });

  it('a relative argument is resolved against the working directory', async () => {
    const r = await runCli(['validate', '../tagaudit.yaml'], { cwd: join(project, 'sub') });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\.\.\/tagaudit\.yaml: valid dictionary 'minimal'/);
  });
});
