import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

// A person's name written next to a phone number or e-mail address, as tag values (acceptance finding 5).
// Each case lists the fragments that must not survive into any output, whatever the format.
const CASES: readonly { readonly label: string; readonly value: string; readonly secrets: readonly string[] }[] = [
  { label: 'name, then a phone number', value: 'Mary Major +1 (206) 555-0142', secrets: ['Mary', 'Major', '206', '555-0142', '5550142'] },
  { label: 'name <address>', value: 'Mary Major <mary@example.com>', secrets: ['Mary', 'Major', 'mary@'] },
  { label: 'name, then an address', value: 'Mary Major mary@example.com', secrets: ['Mary', 'Major', 'mary@'] },
  { label: 'phone number, then the name', value: '+1 206 555 0142 Mary Major', secrets: ['Mary', 'Major', '206', '555 0142', '5550142'] },
  { label: 'cue word, name, phone number', value: 'Owner: Mary Major (206) 555-0142', secrets: ['Mary', 'Major', '206', '555-0142', '5550142'] },
];

/** `fragment`, any case, not inside a longer word or number: "Mary" but not "summary", "206" but not "12060". */
function standalone(fragment: string): RegExp {
  const alnum = /[\p{L}\p{N}]/u;
  const before = alnum.test(fragment.slice(0, 1)) ? '(?<![\\p{L}\\p{N}])' : '';
  const after = alnum.test(fragment.slice(-1)) ? '(?![\\p{L}\\p{N}])' : '';
  return new RegExp(`${before}${fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${after}`, 'iu');
}

const dir = mkdtempSync(join(tmpdir(), 'tagaudit-pii-beside-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function inventoryWith(key: string, value: string, n: number): string {
  const file = join(dir, `inv-${n}.jsonl`);
  const resource = {
    arn: 'arn:aws:lambda:us-east-1:111122223333:function:scorer-2',
    tags: { [key]: value, 'anycompany:workload:environment': 'production' },
  };
  writeFileSync(file, `${JSON.stringify(resource)}\n`);
  return file;
}

describe('a name beside a phone number or e-mail address, through scan', () => {
  let n = 0;
  for (const { label, value, secrets } of CASES) {
    for (const key of ['Owner', 'Notes']) {
      for (const format of ['json', 'sarif', 'table'] as const) {
        it(`masks both in a ${key} tag holding ${label}, --format ${format}`, async () => {
          const inventory = inventoryWith(key, value, n++);
          const r = await runCli(['scan', '--inventory', inventory, '--dictionary', 'dictionaries/anycompany.yaml', '--format', format, '--fail-on', 'none']);
          expect(r.code).toBe(0);
          // the scan did report on the tag: the PII finding is there, masked
          expect(r.stdout).toContain('M*** M***');
          const everything = r.stdout + r.stderr;
          for (const s of secrets) expect(everything, `"${s}" must not appear`).not.toMatch(standalone(s));
        });
      }
    }
  }
});
