import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { noResourcesNote } from '../../../src/audit/scan-command.js';
import { runCli } from '../../support/cli.js';

// A scan of nothing passes (exit 0): an export from the wrong region would keep a nightly job green for ever, so
// stderr says that nothing was audited. The exit code stays 0: a note, not a failure.

const ROOT = resolve(import.meta.dirname, '../../..');
const DICT = join(ROOT, 'dictionaries/anycompany.yaml');
const dir = mkdtempSync(join(tmpdir(), 'tagaudit-empty-'));
const file = (name: string, content: string): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

const emptyExport = file('emptylist.json', '{"ResourceTagMappingList":[]}\n');
const oneResource = file('one.jsonl', `${JSON.stringify({ arn: 'arn:aws:s3:::ml-datasets', tags: {} })}\n`);
const scan = (args: string[]) => runCli(['scan', '-d', DICT, '--fail-on', 'none', ...args], { cwd: dir });

describe('a scan that audited 0 resources', () => {
  it('exits 0 as before, with a note on stderr naming the inventory', async () => {
    const r = await scan(['-i', 'emptylist.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No findings in 0 resources/);
    expect(r.stderr).toBe(
      'tagaudit: note: no resources were read from emptylist.json — nothing was audited; an export of the wrong region or account looks like this\n',
    );
  });

  it('keeps exit 0 under --fail-on error too (exit codes unchanged)', async () => {
    const r = await runCli(['scan', '-d', DICT, '-i', emptyExport], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('tagaudit: note: no resources were read from');
  });

  it('says nothing with -q', async () => {
    const r = await scan(['-i', 'emptylist.json', '-q']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('says nothing when a resource was audited', async () => {
    const r = await scan(['-i', oneResource]);
    expect(r.stderr).not.toContain('no resources were');
  });

  it('counts the files when there are several, and masks personal data in a file name', async () => {
    const named = file('jane.doe@example.com.json', '{"ResourceTagMappingList":[]}\n');
    const both = await scan(['-i', emptyExport, '-i', named]);
    expect(both.stderr).toContain('no resources were read from 2 inventory files —');
    const one = await scan(['-i', 'jane.doe@example.com.json']);
    expect(one.stderr).toContain('no resources were read from j***@');
    expect(one.stderr).not.toContain('jane.doe');
  });

  it('is not added to a partial run (exit 3 already says the scan is incomplete)', async () => {
    const bad = file('bad.jsonl', 'not json\n');
    const r = await scan(['-i', bad]);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain('no resources were');
  });

  it('words a live scan of nothing by its scope', () => {
    expect(noResourcesNote({ mode: 'live', accounts: ['111122223333'], regions: ['us-east-1', 'eu-west-1'] })).toBe(
      "tagaudit: note: no resources were found in 1 account × 2 regions — nothing was audited; check the credentials' account, --regions and --sources\n",
    );
  });
});
