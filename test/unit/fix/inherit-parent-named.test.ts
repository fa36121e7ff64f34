import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { COMPLIANT_TAGS, tagsWith } from '../../support/policies.js';

// An inherited value names the parent it comes from in the plan, also when the resource has several parents (an
// endpoint config with two models) and the edit comes from missing-tag or empty-tag-value, not inherited-tag-drift.

const DICT = resolve(import.meta.dirname, '../../../dictionaries/anycompany.yaml');
const P = 'arn:aws:sagemaker:us-east-1:111122223333:';
const TAGS = COMPLIANT_TAGS;
const MODELS = [`${P}model/a`, `${P}model/b`];
const WITHOUT_CC = tagsWith({ 'anycompany:finance:cost-center': undefined });

describe('fix: the parent of an inherited value, with several parents', () => {
  it.each([
    ['missing-tag', WITHOUT_CC],
    ['empty-tag-value', { ...WITHOUT_CC, 'anycompany:finance:cost-center': '' }],
  ])('%s: the edit names a parent that carries the value', async (_rule, configTags) => {
    const dir = mkdtempSync(join(tmpdir(), 'tagaudit-inherit-parent-'));
    const lines = [
      ...MODELS.map((arn) => ({ arn, tags: TAGS })),
      { arn: `${P}endpoint-config/cfg`, tags: configTags, parentArns: MODELS },
    ];
    writeFileSync(join(dir, 'inv.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = await runCli(['fix', '-d', DICT, '-i', 'inv.jsonl', '--format', 'json'], { cwd: dir });
    const plan = JSON.parse(r.stdout) as { resources: { arn: string; edits: { type: string; key?: string; parentArn?: string }[] }[] };
    const cfg = plan.resources.find((x) => x.arn.endsWith('endpoint-config/cfg'));
    const edit = cfg?.edits.find((e) => e.type === 'inherit');
    expect(edit).toMatchObject({ key: 'anycompany:finance:cost-center' });
    expect(MODELS).toContain(edit?.parentArn);
  });
});
