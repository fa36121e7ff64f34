import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

// fix scans first and can write the scan's SARIF: a scan that read nothing must not pass for a clean, complete one
// here either (an upload of it would close every open alert), as with scan (test/unit/audit/no-resources-note.test.ts).

const DICT = resolve(import.meta.dirname, '../../../dictionaries/anycompany.yaml');
const dir = mkdtempSync(join(tmpdir(), 'tagaudit-fix-empty-'));
writeFileSync(join(dir, 'empty.json'), '{"ResourceTagMappingList": []}\n');
const fix = (args: string[]) => runCli(['fix', '-d', DICT, '-i', 'empty.json', ...args], { cwd: dir });

describe('fix over inventories that hold no resource', () => {
  it('is incomplete: exit 3, said even with -q, and the SARIF says the run did not succeed', async () => {
    const r = await fix(['-q', '--output-sarif', 'e.sarif', '--sarif-category', 'nightly']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'tagaudit: incomplete: no resources were read from empty.json — nothing was audited; an export of the wrong account or region looks like this (--allow-empty accepts an empty estate)\n',
    );
    const sarif = JSON.parse(readFileSync(join(dir, 'e.sarif'), 'utf8'));
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
  });

  it('--allow-empty accepts the empty estate: nothing to fix, exit 0', async () => {
    const r = await fix(['--allow-empty', '--output-json', 'a.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 resources to change');
    expect(JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')).run.status).toBe('complete');
  });
});
