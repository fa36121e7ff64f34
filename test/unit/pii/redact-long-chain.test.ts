import { describe, expect, it } from 'vitest';
import { redactText } from '../../../src/pii/redact.js';
import { runCli } from '../../support/cli.js';

// Thousands of addresses run together are one e-mail span tens of kilobytes long; a regex built from it is too large
// for V8 to run. Such text (an error message, a file name) is masked whole instead of crashing the masking with the
// addresses quoted in the crash message.
const chain = 'jane@b.co'.repeat(4000);

describe('masking a very long run of addresses', () => {
  it('masks it without throwing', () => {
    const out = redactText(`cannot read ${chain}`);
    expect(out).not.toContain('jane@b');
    expect(out).not.toContain('jane%40b');
  });

  it('as a file name: exit 2, one line, nothing quoted', async () => {
    const r = await runCli(['scan', '-i', chain]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/jane(@|%40)b/);
    expect(r.stderr).not.toContain('Invalid regular expression');
  });
});
