import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

// A phone number after a token with digits glued to letters, and a name whose surname is a team word, as tag values.
// Each case lists what the scan must show (the masked hit) and the fragments that must not survive into any output.
const CASES: readonly { readonly label: string; readonly value: string; readonly shown: string; readonly secrets: readonly string[] }[] = [
  { label: "a phone number after '24x7'", value: 'ML Ops 24x7 206-555-0142', shown: '***-***-*142', secrets: ['206', '555-0142', '5550142'] },
  { label: "a spaced phone number after '24x7'", value: 'Support 24x7 206 555 0142', shown: '*** *** *142', secrets: ['206', '555 0142', '5550142'] },
  { label: "a surname that is a team word beside a phone number", value: 'Laura Field +44 20 7946 0958', shown: 'L*** F***', secrets: ['Laura', 'Field', '7946', '0958'] },
];

/** `fragment`, any case, not inside a longer word or number: "206" but not "12060", "Field" but not "Fields". */
function standalone(fragment: string): RegExp {
  const alnum = /[\p{L}\p{N}]/u;
  const before = alnum.test(fragment.slice(0, 1)) ? '(?<![\\p{L}\\p{N}])' : '';
  const after = alnum.test(fragment.slice(-1)) ? '(?![\\p{L}\\p{N}])' : '';
  return new RegExp(`${before}${fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${after}`, 'iu');
}

const dir = mkdtempSync(join(tmpdir(), 'tagaudit-pii-glued-'));
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

describe('numbers after glued tokens and team-word surnames, through scan', () => {
  let n = 0;
  for (const { label, value, shown, secrets } of CASES) {
    for (const key of ['Phone', 'Notes']) {
      for (const format of ['json', 'sarif', 'table'] as const) {
        it(`masks ${label} in a ${key} tag, --format ${format}`, async () => {
          const inventory = inventoryWith(key, value, n++);
          const r = await runCli(['scan', '--inventory', inventory, '--dictionary', 'dictionaries/anycompany.yaml', '--format', format, '--fail-on', 'none']);
          expect(r.code).toBe(0);
          // the scan did report the tag, masked
          expect(r.stdout).toContain(shown);
          const everything = r.stdout + r.stderr;
          for (const s of secrets) expect(everything, `"${s}" must not appear`).not.toMatch(standalone(s));
        });
      }
    }
  }
});
