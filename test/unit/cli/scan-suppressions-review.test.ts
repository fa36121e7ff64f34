import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/rules/types.js';
import { runCli } from '../../support/cli.js';

// Suppressions and the fixes around them: what a suppressed finding must not take from the others.
const ROOT = resolve(import.meta.dirname, '../../..');
const BASE = readFileSync(join(ROOT, 'dictionaries/anycompany.yaml'), 'utf8');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-review-suppress-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const scanJson = async (inventory: string, dictionary: string): Promise<{ findings: Finding[]; summary: { suppressed: number } }> => {
  const r = await runCli(['scan', '-i', inventory, '-d', dictionary, '-f', 'json', '--fail-on', 'none'], { cwd: dir });
  return JSON.parse(r.stdout) as { findings: Finding[]; summary: { suppressed: number } };
};

describe('suppressions: review', () => {
  it('a suppressed rename does not take the last free tag slot from an unsuppressed add', async () => {
    // 49 user tags: 4 canonical, the deprecated CostCenter, 44 others; data-classification (default "internal") missing.
    const tags: Record<string, string> = {
      'anycompany:workload:application-id': 'app-0001',
      'anycompany:workload:environment': 'development',
      'anycompany:finance:owner': 'ml-platform',
      'anycompany:finance:business-unit': 'Shared',
      CostCenter: 'Sales-5045',
    };
    for (let i = 0; i < 44; i++) tags[`extra-${String(i).padStart(2, '0')}`] = 'x';
    const inventory = write('slot.jsonl', `${JSON.stringify({ arn: 'arn:aws:s3:::slot-bucket', accountId: '111122223333', tags })}\n`);
    const dictionary = write(
      'slot.yaml',
      `${BASE}\nsuppressions:\n  - rules: [deprecated-tag-key]\n    tags: [CostCenter]\n    reason: cost-center migration scheduled (FINOPS-77)\n`,
    );
    const report = await scanJson(inventory, dictionary);
    expect(report.summary.suppressed).toBe(1);
    const missing = report.findings.find((f) => f.ruleId === 'missing-tag' && f.tag?.key === 'anycompany:security:data-classification');
    expect(missing).toBeDefined();
    // The rename is suppressed, so nothing will write it: the 50th slot is free for the default.
    expect(missing!.message).not.toContain('no fix proposed');
    expect(missing!.fix).toEqual([{ op: 'add', type: 'add-default', key: 'anycompany:security:data-classification', value: 'internal' }]);

    const plan = await runCli(['fix', '-i', inventory, '-d', dictionary, '--plan-out', 'slot-plan.json'], { cwd: dir });
    expect(plan.stderr).toContain('plan saved to slot-plan.json');
    expect(readFileSync(join(dir, 'slot-plan.json'), 'utf8')).toContain('"add-default"');
  });

  it('tags: a canonical key also covers pii-in-tag on its deprecated spelling (docs/dictionary.md, Suppressions)', async () => {
    const inventory = write('alias.jsonl', `${JSON.stringify({ arn: 'arn:aws:s3:::alias-bucket', accountId: '111122223333', tags: { Owner: 'john.doe@example.com' } })}\n`);
    const dictionary = write(
      'alias.yaml',
      `${BASE}\nsuppressions:\n  - rules: [pii-in-tag, deprecated-tag-key, invalid-tag-value]\n    tags: ["anycompany:finance:owner"]\n    reason: owner tags are being migrated\n`,
    );
    const report = await scanJson(inventory, dictionary);
    // deprecated-tag-key and invalid-tag-value on Owner are covered (they carry dictionaryKey); pii-in-tag is not.
    expect(report.findings.filter((f) => f.tag?.key === 'Owner').map((f) => f.ruleId)).toEqual([]);
  });
});
