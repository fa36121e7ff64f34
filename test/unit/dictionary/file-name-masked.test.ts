import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

const DEMO = resolve(import.meta.dirname, '../../../examples/demo-estate.jsonl');

// A file name is shown like any other text: a card number or SSN in it is masked, in every message about the file.
describe('personal data in a dictionary file name is masked in its messages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagaudit-file-name-'));

  it('a dictionary that is not there', async () => {
    const r = await runCli(['scan', '-d', 'nope-4111111111111111.yaml', '-i', DEMO], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tagaudit: nope-**** **** **** 1111.yaml: dictionary not found\n');
  });

  it('a problem in it, and the count line', async () => {
    writeFileSync(join(dir, 'bad-078-05-1120.yaml'), 'version: 1\nname: x\ntags: [\n');
    const r = await runCli(['validate', 'bad-078-05-1120.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bad-\*\*\*-\*\*-1120\.yaml:3:7: YAML syntax error: unclosed '\['/);
    expect(r.stderr).not.toContain('078-05-1120');
  });

  it('a suppression that matched nothing', async () => {
    writeFileSync(
      join(dir, 'supp-078-05-1120.yaml'),
      [
        'version: 1',
        'name: x',
        'tags:',
        '  - key: team',
        '    category: business',
        '    purpose: p',
        '    mandatory: false',
        '    costAllocation: false',
        'suppressions:',
        '  - rules: [missing-tag]',
        '    resources: ["arn:aws:lambda:*:*:function:nothing-here"]',
        '    reason: test',
        '',
      ].join('\n'),
    );
    const r = await runCli(['scan', '-d', 'supp-078-05-1120.yaml', '-i', DEMO, '--fail-on', 'none', '-f', 'json'], { cwd: dir });
    expect(r.stderr).toContain('supp-***-**-1120.yaml:10: suppression (missing-tag) matched no finding');
    expect(r.stderr).not.toContain('078-05-1120');
  });
});
