import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFix, type FixOptions } from '../../../src/fix/fix-command.js';
import { NON_PII_FIX_TYPES } from '../../../src/fix/plan.js';
import type { CliDeps } from '../../../src/cli/deps.js';
import type { ClientFactory } from '../../../src/scan/clients.js';
import { bufferOut, runCli } from '../../support/cli.js';
import { MemoryCloud } from '../fix/memory-cloud.js';
import { tempDir } from '../fix/run.js';

// Acceptance s12 L1, L2 and L7 through the CLI: addresses with non-ASCII letters, internationalised domains and an
// '@' written another way are reported as pii-in-tag, quoted masked in every other finding (invalid-tag-value), and
// `fix --fix-pii redact` writes a value from which no part of the name can be read.
const DICT = resolve('dictionaries/anycompany.yaml');
const ENV = 'anycompany:workload:environment';
const VALUES = [
  'renée@example.fr',
  'jürgen.müller@example.de',
  'josé.garcía@example.com',
  'jane.do\u0435e@example.com',
  "o'brien@example.ie",
  'maria.garcia@bücher.de',
  'jane.doe@münchen.de',
  'jane@例え.jp',
  'иван.петров@пример.рф',
  '用户@例子.广告',
  'zoe.zero\u200b@example.com',
  'zoe.wide\uff20example.com',
  'jane.doe&#64;example.com',
  'jane.doe&commat;example.com',
  'jane.doe\\u0040example.com',
  'jane.doe%2540example.com',
  'bob.stone%40example.net',
];
/** Any readable part of the names and domains above, raw or as JSON or SARIF would escape it. */
const RAW = /ren[ée]e|j[üu]rgen|m[üu]l|jos[ée]|garc|jane|brien|b[üu]cher|m[üu]nchen|例え|иван|петров|пример|用户|例子|zoe\.|stone|u00e9|u00fc/i;

const arn = (i: number): string => `arn:aws:sagemaker:us-east-1:111122223333:endpoint/e-${i}`;
const COMPLIANT = {
  'anycompany:workload:application-id': 'app-1234',
  'anycompany:workload:name': 'scorer',
  'anycompany:finance:cost-center': 'CC-1234',
  'anycompany:finance:owner': 'ml-platform',
  'anycompany:workload:business-unit': 'research',
};

function inventory(tags: (value: string) => Record<string, string>): string {
  const path = join(tempDir(), 'estate.jsonl');
  writeFileSync(path, VALUES.map((v, i) => JSON.stringify({ arn: arn(i), tags: tags(v) })).join('\n') + '\n');
  return path;
}

interface JsonReport {
  findings: { ruleId: string; resource: { arn: string }; message: string }[];
}

describe('non-ASCII and encoded e-mail addresses through the CLI', () => {
  it('scan --format json reports each one as pii-in-tag and prints no part of any of them', async () => {
    const r = await runCli(['scan', '-d', DICT, '-i', inventory((v) => ({ [ENV]: v, contact: v })), '--format', 'json', '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(RAW);
    const findings = (JSON.parse(r.stdout) as JsonReport).findings;
    const flagged = new Set(findings.filter((f) => f.ruleId === 'pii-in-tag').map((f) => f.resource.arn));
    expect([...flagged].sort()).toEqual(VALUES.map((_, i) => arn(i)).sort());
    // the value quoted by another rule is masked whole, as the pii-in-tag finding shows it
    const invalid = findings.find((f) => f.ruleId === 'invalid-tag-value' && f.resource.arn === arn(1));
    expect(invalid?.message).toContain('value "j***@e*****e.de"');
  });

  it('--format sarif and table print no part of any of them', async () => {
    const inv = inventory((v) => ({ [ENV]: v, contact: v }));
    for (const format of ['sarif', 'table'] as const) {
      const r = await runCli(['scan', '-d', DICT, '-i', inv, '--format', format, '--fail-on', 'none', '--width', '200']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('pii-in-tag');
      expect(r.stdout + r.stderr, format).not.toMatch(RAW);
    }
  });

  it('fix --fix-pii redact writes the masked address, with no readable part of the name', async () => {
    const initial = Object.fromEntries(VALUES.map((v, i) => [arn(i), { ...COMPLIANT, [ENV]: 'production', contact: v }]));
    const inv = join(tempDir(), 'estate.jsonl');
    writeFileSync(inv, Object.entries(initial).map(([a, tags]) => JSON.stringify({ arn: a, tags })).join('\n') + '\n');
    const dir = tempDir();
    const made = await runCli(['fix', '-d', DICT, '-i', inv, '--fix-pii', 'redact', '--plan-out', 'plan.json'], { cwd: dir });
    expect(made.stdout + made.stderr).not.toMatch(RAW);
    const planText = readFileSync(join(dir, 'plan.json'), 'utf8');
    expect(planText).not.toMatch(RAW);
    const plan = JSON.parse(planText) as { resources: { arn: string; edits: { type: string; value?: string }[] }[] };
    const redactions = plan.resources.flatMap((res) => res.edits.filter((e) => e.type === 'pii-redact').map((e) => e.value));
    expect(redactions).toHaveLength(VALUES.length);
    expect(redactions).toContain('j___@e_____e.de');
    expect(redactions).toContain('m___@b____r.de');
    expect(redactions).toContain('____@__.广告');

    const cloud = new MemoryCloud(initial);
    const out = bufferOut();
    const err = bufferOut();
    const deps: CliDeps = { stdout: out, stderr: err, env: {}, cwd: dir, now: () => new Date('2024-06-01T12:00:00Z'), interactive: false };
    const options: FixOptions = {
      scan: { dictionary: DICT, inventories: [], strictInventory: false, format: 'table', failOn: 'error', colorFlag: false, quiet: false },
      apply: true,
      yes: true,
      planFile: 'plan.json',
      journal: 'j.jsonl',
      fixTypes: new Set([...NON_PII_FIX_TYPES, 'pii-redact']),
      fixTypesGiven: false,
      liveFlags: [],
    };
    const noClients = (): ClientFactory => {
      throw new Error('no AWS in this test');
    };
    await runFix(options, deps, { clients: noClients, backend: cloud.backend() });
    expect(out.text() + err.text()).not.toMatch(RAW);
    for (let i = 0; i < VALUES.length; i++) {
      const written = cloud.tags.get(arn(i))?.contact;
      expect(written, arn(i)).toMatch(/^[^@]{0,1}_{3}@[^@]*$/u);
      expect(written, arn(i)).not.toMatch(RAW);
    }
  });
});
