import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { tempDir } from './run.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const DICTIONARY = join(ROOT, 'dictionaries/anycompany.yaml');
const EMAIL = 'alice.w@corp.example.com';

describe('fix dry run: skipped fixes name their tag', () => {
  it('names each skipped tag by its masked key, never the raw one', async () => {
    const dir = tempDir();
    const inventory = join(dir, 'inv.jsonl');
    const arn = 'arn:aws:lambda:us-east-1:111122223333:function:f3';
    writeFileSync(inventory, `${JSON.stringify({ arn, tags: { [EMAIL]: 'yes', oncall: '+1-202-555-0199' } })}\n`);
    const r = await runCli(['fix', '-d', DICTIONARY, '-i', inventory], { cwd: dir });
    const skipped = r.stdout.slice(r.stdout.indexOf('Skipped:')).split('\n').filter((l) => l.includes(arn));
    expect(skipped).toHaveLength(2);
    expect(skipped.some((l) => l.includes('pii-in-tag "oncall": '))).toBe(true);
    expect(skipped.some((l) => /pii-in-tag "a\*+@[^"]*": /.test(l))).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(EMAIL);
    expect(r.stdout + r.stderr).not.toContain('555-0199');
  });
});
