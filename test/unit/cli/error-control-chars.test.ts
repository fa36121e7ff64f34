import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { runCli } from '../../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../../..');

// Error lines quote file names, flag values and environment variables: none may carry a raw terminal escape
// (acceptance s13 input D7). The table already shows such characters as \xNN; the error lines now do too.
const ESC = '\u001b]0;pwned\u0007\u001b[2J';
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('error lines on stderr', () => {
  it('show control characters of a file name as \\xNN, on one line', async () => {
    const r = await runCli(['scan', '-d', 'dictionaries/anycompany.yaml', '-i', `x${ESC}.jsonl`], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tagaudit: x\\x1b]0;pwned\\x07\\x1b[2J.jsonl: cannot read inventory: no such file\n');
  });

  it('show those of a flag value commander quotes, and bidirectional overrides', async () => {
    const r = await runCli(['scan', '--fail-on', `\u202e${ESC}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument '\\u202e\\x1b]0;pwned\\x07\\x1b[2J' is invalid");
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('notes on stderr', () => {
  it('show a file name with control characters made visible', async () => {
    const { displayPath } = await import('../../../src/report/display-path.js');
    expect(displayPath(`inv${ESC}.jsonl`)).toBe('inv\\x1b]0;pwned\\x07\\x1b[2J.jsonl');
  });
});
