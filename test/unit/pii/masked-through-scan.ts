import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

/** A tag value, what a scan must show of it (the masked hit), and fragments that must appear in no output. */
export interface MaskCase {
  readonly label: string;
  readonly value: string;
  readonly shown: string;
  readonly secrets: readonly string[];
}

/** `fragment`, any case, not inside a longer word or number: "Mary" but not "summary", "206" but not "12060". */
function standalone(fragment: string): RegExp {
  const alnum = /[\p{L}\p{N}]/u;
  const before = alnum.test(fragment.slice(0, 1)) ? '(?<![\\p{L}\\p{N}])' : '';
  const after = alnum.test(fragment.slice(-1)) ? '(?![\\p{L}\\p{N}])' : '';
  return new RegExp(`${before}${fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${after}`, 'iu');
}

/**
 * One test per case × tag key × output format: `tagaudit scan` of a one-resource inventory holding the value under
 * the key shows the masked hit and none of the secrets, on stdout or stderr. Call inside a describe block.
 */
export function itMasksThroughScan(cases: readonly MaskCase[], keys: readonly string[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'tagaudit-pii-scan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  for (const { label, value, shown, secrets } of cases) {
    for (const key of keys) {
      for (const format of ['json', 'sarif', 'table'] as const) {
        it(`masks ${label} in a ${key} tag, --format ${format}`, async () => {
          const inventory = join(dir, `inv-${n++}.jsonl`);
          const resource = { arn: 'arn:aws:lambda:us-east-1:111122223333:function:scorer-2', tags: { [key]: value, 'anycompany:workload:environment': 'production' } };
          writeFileSync(inventory, `${JSON.stringify(resource)}\n`);
          const r = await runCli(['scan', '--inventory', inventory, '--dictionary', 'dictionaries/anycompany.yaml', '--format', format, '--fail-on', 'none']);
          expect(r.code).toBe(0);
          // the scan did report on the tag, masked
          expect(r.stdout).toContain(shown);
          const everything = r.stdout + r.stderr;
          for (const s of secrets) expect(everything, `"${s}" must not appear`).not.toMatch(standalone(s));
        });
      }
    }
  }
}
