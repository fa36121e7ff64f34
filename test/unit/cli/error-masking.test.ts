import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { bufferOut, runCli } from '../../support/cli.js';

const EMAIL = 'jane.doe@example.com';

describe('errors that reach the CLI', () => {
  it('mask personal data a runtime error quotes', async () => {
    const stderr = bufferOut();
    const stdout = {
      write(): boolean {
        throw new Error(`cannot write the report for ${EMAIL}`);
      },
    };
    const code = await main(['rules'], { stdout, stderr, env: {}, cwd: process.cwd(), now: () => new Date(), interactive: false });
    expect(code).toBe(3);
    // A failed write to stdout is named as such (see stdout-failure.test.ts), with the error it failed with.
    expect(stderr.text()).toMatch(/^tagaudit: error: cannot write stdout: cannot write the report for \S+\n$/);
    expect(stderr.text()).not.toContain(EMAIL);
  });

  it('mask personal data a usage error quotes (an invalid ARN holding an e-mail, under --strict-inventory)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagaudit-mask-'));
    const inventory = join(dir, 'inv.jsonl');
    writeFileSync(inventory, `${JSON.stringify({ arn: `not-an-arn-${EMAIL}`, tags: {} })}\n`);
    const r = await runCli(['scan', '--inventory', inventory, '--strict-inventory', '--dictionary', 'dictionaries/anycompany.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('inv.jsonl:1');
    expect(r.stderr).not.toContain(EMAIL);
  });
});
