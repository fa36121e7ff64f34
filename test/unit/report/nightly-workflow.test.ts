import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';

// The shipped nightly workflow is what keeps partial scans out of code scanning: its gates are tested, and the
// copy printed in docs/output-formats.md must be the same workflow.

const root = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  if?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

const workflow = parse(read('examples/github-actions/nightly-tagaudit.yml')) as Workflow;
const steps = Object.values(workflow.jobs)[0]!.steps;
const step = (uses: string): Step => {
  const found = steps.find((s) => s.uses?.startsWith(uses));
  if (!found) throw new Error(`no step uses ${uses}`);
  return found;
};
const scan = steps.find((s) => s.id === 'scan')!;

describe('examples/github-actions/nightly-tagaudit.yml', () => {
  it('runs on a schedule with exactly the permissions it needs', () => {
    expect(workflow.on.schedule).toEqual([{ cron: expect.any(String) }]);
    expect(workflow.permissions).toEqual({ contents: 'read', 'security-events': 'write', 'id-token': 'write' });
  });

  it('gets AWS credentials through OIDC, not stored keys', () => {
    const creds = step('aws-actions/configure-aws-credentials@');
    expect(creds.with?.['role-to-assume']).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(JSON.stringify(creds.with)).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
  });

  it('writes both reports in one scan and records the exit code without failing the step', () => {
    expect(scan.run).toMatch(/--output-json tagaudit-report\.json/);
    expect(scan.run).toMatch(/--output-sarif tagaudit\.sarif/);
    expect(scan.run).toMatch(/echo "exit-code=\$\{code\}" >> "\$GITHUB_OUTPUT"/);
    expect(scan.run).toMatch(/set \+e/);
  });

  it.each([
    ['tagaudit ran and found something', 'echo {} > tagaudit.sarif; exit 1', '1'],
    ['tagaudit ran clean', 'echo {} > tagaudit.sarif; exit 0', '0'],
    ['npx could not fetch or start tagaudit (it exits 1 too)', 'echo "npm error 404" >&2; exit 1', 'not-run'],
    ['the scan was incomplete', 'exit 3', '3'],
  ])('records the exit code for the later steps when %s', (_what, fakeNpx, recorded) => {
    const dir = mkdtempSync(join(tmpdir(), 'tagaudit-workflow-'));
    writeFileSync(join(dir, 'npx'), `#!/bin/sh\n${fakeNpx}\n`);
    chmodSync(join(dir, 'npx'), 0o755);
    const output = join(dir, 'github-output');
    execFileSync('bash', ['-e', '-c', scan.run!], { cwd: dir, env: { PATH: `${dir}:${process.env.PATH}`, GITHUB_OUTPUT: output, TAGAUDIT_VERSION: '0.1.0' }, stdio: 'pipe' });
    expect(readFileSync(output, 'utf8')).toBe(`exit-code=${recorded}\n`);
  });

  it('gives its SARIF a fixed category, so an account joining the organization does not reopen every alert', () => {
    expect(scan.run).toMatch(/--org/);
    expect(scan.run).toMatch(/--sarif-category [a-z0-9-]+ /);
  });

  it('uploads SARIF with upload-sarif v4 only on exit 0 or 1, never on 2 or 3', () => {
    const upload = step('github/codeql-action/upload-sarif@');
    expect(upload.uses).toBe('github/codeql-action/upload-sarif@v4');
    expect(upload.with?.sarif_file).toBe('tagaudit.sarif');
    expect(upload.if).toBe("steps.scan.outputs.exit-code == '0' || steps.scan.outputs.exit-code == '1'");
  });

  it('always keeps the JSON report as an artifact', () => {
    const artifact = step('actions/upload-artifact@');
    expect(artifact.if).toBe('always()');
    expect(artifact.with?.path).toBe('tagaudit-report.json');
  });

  it('is the workflow printed in docs/output-formats.md', () => {
    const doc = read('docs/output-formats.md');
    const block = /```yaml\n(name: tagaudit nightly\n[\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    expect(parse(block!)).toEqual(workflow);
  });
});
