import { describe, expect, it } from 'vitest';
import { runValidate } from '../../../src/dictionary/validate-command.js';
import { parseDictionary, STDIN_DISPLAY } from '../../../src/dictionary/load-dictionary.js';
import { formatSummary, summarizeDictionary } from '../../../src/dictionary/summary.js';
import { configuredSeverity } from '../../../src/rules/configured-severity.js';
import { ruleById } from '../../../src/rules/index.js';
import { ruleLevel } from '../../../src/rules/rule-levels.js';
import { unusedSuppressionNotes } from '../../../src/audit/unused-suppressions.js';
import { createSummaryCounter } from '../../../src/report/summary.js';
import type { RunInfo } from '../../../src/report/types.js';
import type { CliDeps } from '../../../src/cli/deps.js';
import { bufferOut } from '../../support/cli.js';

const MIN = [
  'version: 1',
  'name: minimal',
  'tags:',
  '  - key: team',
  '    category: financial',
  '    purpose: Team that owns the resource',
  '    mandatory: true',
  '    costAllocation: true',
  '',
].join('\n');

function deps(): CliDeps & { out: ReturnType<typeof bufferOut>; err: ReturnType<typeof bufferOut> } {
  const out = bufferOut();
  const err = bufferOut();
  return { out, err, stdout: out, stderr: err, env: {}, cwd: '/nonexistent', now: () => new Date('2024-06-01T12:00:00Z'), interactive: false };
}

/** Standard input as the loader reads it: chunks, or a stream that fails after its first chunk. */
async function* chunks(input: Uint8Array | string | Error): AsyncGenerator<Uint8Array> {
  if (input instanceof Error) {
    yield new TextEncoder().encode('version: 1\n');
    throw input;
  }
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  // In pieces, as a pipe delivers it.
  for (let at = 0; at < bytes.length; at += 64 << 10) yield bytes.subarray(at, at + (64 << 10));
}

async function validateStdin(input: Uint8Array | string | Error, format: 'text' | 'json' = 'text') {
  const d = deps();
  const code = await runValidate({ argument: '-', format, stdin: chunks(input) }, d);
  return { code, stdout: d.out.text(), stderr: d.err.text() };
}

describe('tagaudit validate - (standard input)', () => {
  it('validates a dictionary piped in, named <stdin>', async () => {
    const r = await validateStdin(MIN);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<stdin>: valid dictionary 'minimal' \(sha256 [0-9a-f]{12}\)\n/);
    expect(r.stderr).toBe('');
  });

  it('positions problems in the piped text, also with a byte-order mark and CRLF line endings', async () => {
    const bad = `${MIN}    bogus: 1\n`;
    for (const text of [bad, `\ufeff${bad}`, bad.replace(/\n/g, '\r\n'), `\ufeff${bad.replace(/\n/g, '\r\n')}`]) {
      const r = await validateStdin(text);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`${STDIN_DISPLAY}:9:5: tags[0]: unknown property 'bogus'\ntagaudit: 1 problem in <stdin>\n`);
    }
  });

  it('--dictionary - reads standard input too; --format json names it', async () => {
    const d = deps();
    const code = await runValidate({ dictionary: '-', format: 'json', stdin: chunks('') }, d);
    expect(code).toBe(2);
    expect(JSON.parse(d.out.text())).toEqual({ valid: false, file: '<stdin>', problems: [{ file: '<stdin>', message: 'dictionary is empty' }] });
  });

  it('a read failure or an oversized input: one line worded as for a file, exit 2, no stack trace', async () => {
    const failed = await validateStdin(Object.assign(new Error('read EIO'), { code: 'EIO' }));
    expect(failed.code).toBe(2);
    expect(failed.stderr).toBe('<stdin>: cannot read the dictionary (EIO)\ntagaudit: 1 problem in <stdin>\n');
    const huge = await validateStdin(new Uint8Array(10 * 1024 * 1024 + 1).fill(0x20));
    expect(huge.code).toBe(2);
    expect(huge.stderr).toBe('<stdin>: is larger than 10 MB; a dictionary is a small YAML file (is this the right file?)\ntagaudit: 1 problem in <stdin>\n');
  });

  it('stops reading standard input once it passes the limit', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled++;
        yield new Uint8Array(1 << 20).fill(0x20);
      }
    }
    const d = deps();
    expect(await runValidate({ argument: '-', format: 'text', stdin: endless() }, d)).toBe(2);
    expect(d.err.text()).toMatch(/^<stdin>: is larger than 10 MB/);
    expect(pulled).toBe(11);
  });
});

const COMPLETE_RUN: RunInfo = {
  status: 'complete',
  scope: { mode: 'inventory', inventories: ['x.jsonl'] },
  startedAt: '',
  finishedAt: '',
  dictionary: { path: 'd.yaml', sha256: '' },
};

describe('validate summary: the levels the scan will actually use', () => {
  const summaryOf = async (extra: string) => {
    const { policy, warnings } = await parseDictionary(MIN + extra, 'd.yaml');
    return { policy, warnings, summary: summarizeDictionary(policy, warnings, '2024-06-01') };
  };

  it('rules: {pii-in-tag: off} turns PII findings off, and the summary says that detection and masking still run', async () => {
    const { summary } = await summaryOf('rules:\n  pii-in-tag: off\n');
    expect(summary.pii.enabled).toBe(false);
    expect(summary.pii.severity).toBe('off');
    expect(summary.pii.detection).toBe(true);
    expect(formatSummary(summary)).toContain('  PII              detection on (values masked): 12 detectors; pii-in-tag findings off\n');
  });

  it('pii.enabled: false turns detection off too, and the summary says values are not masked', async () => {
    const { summary } = await summaryOf('pii:\n  enabled: false\n  allow:\n    values: [team@example.com]\n');
    expect(summary.pii).toMatchObject({ enabled: false, severity: 'off', detection: false });
    expect(formatSummary(summary)).toContain('  PII              off (pii.enabled: false): no detection, no masking of tag values, no pii-in-tag findings\n');
  });

  it('allow-list entries are counted with the rule off, as with it on', async () => {
    const extra = "pii:\n  allow:\n    values: [team@example.com]\n    patterns: ['^ops-[a-z]+@example\\.com$']\n";
    expect(formatSummary((await summaryOf(`${extra}rules:\n  pii-in-tag: off\n`)).summary)).toContain(
      '  PII              detection on (values masked): 12 detectors, 2 allow-list entries; pii-in-tag findings off\n',
    );
    expect(formatSummary((await summaryOf(extra)).summary)).toContain('  PII              on: 12 detectors, severity error, 2 allow-list entries\n');
  });

  it('rules: {pii-in-tag: <level>} wins over pii.severity; rules: {unknown-tag-key: <level>} over conventions.unknownKeys', async () => {
    const { summary } = await summaryOf('rules:\n  pii-in-tag: note\n  unknown-tag-key: warning\npii:\n  severity: error\nconventions:\n  unknownKeys: off\n');
    expect(summary.pii).toMatchObject({ enabled: true, severity: 'note' });
    expect(summary.conventions.unknownKeys).toBe('warning');
  });

  it('agrees with the engine for every combination', async () => {
    const levels = ['', 'off', 'note', 'error'];
    for (const enabled of ['', 'true', 'false'])
      for (const piiRule of levels)
        for (const unknownRule of levels) {
          const rules = [piiRule && `  pii-in-tag: ${piiRule}`, unknownRule && `  unknown-tag-key: ${unknownRule}`].filter(Boolean);
          const extra = `pii:\n  severity: warning${enabled ? `\n  enabled: ${enabled}` : ''}\nconventions:\n  unknownKeys: note\n${rules.length ? `rules:\n${rules.join('\n')}\n` : ''}`;
          const { policy, summary } = await summaryOf(extra);
          const pii = configuredSeverity(ruleById('pii-in-tag')!.meta, policy);
          expect(summary.pii.severity, extra).toBe(pii);
          expect(summary.pii.enabled, extra).toBe(pii !== 'off');
          expect(summary.pii.detection, extra).toBe(policy.pii.enabled);
          expect(summary.conventions.unknownKeys, extra).toBe(configuredSeverity(ruleById('unknown-tag-key')!.meta, policy));
        }
  });

  it('lists a suppression that can never apply because its rules are off, including unknown-tag-key left off by default', async () => {
    const sup = [
      'suppressions:',
      '  - rules: [unknown-tag-key]',
      '    tags: [Name]',
      '    reason: console names',
      '  - rules: [missing-tag]',
      '    accounts: ["111122223333"]',
      '    reason: migration',
      '',
    ].join('\n');
    const d = deps();
    const file = `${MIN}${sup}`;
    const code = await runValidate({ argument: '-', format: 'text', stdin: [new TextEncoder().encode(file)] }, d);
    expect(code).toBe(0);
    // Said once: the loader's warning, positioned, on stderr; the summary only counts it among the warnings.
    expect(d.err.text()).toBe('<stdin>:10:12: warning: suppressions[0].rules: every rule it names is off (unknown-tag-key), so it never applies\n');
    expect(d.out.text()).toContain('  suppressions     2\n');
    expect(d.out.text()).toContain('  warnings         1 (on stderr)\n');
    expect(`${d.out.text()}${d.err.text()}`.match(/never applies/g)).toHaveLength(1);

    const off = await summaryOf(sup);
    expect(off.summary.suppressions.inactive).toEqual([{ line: 10, rules: ['unknown-tag-key'] }]);
    expect(off.warnings.map((w) => w.path)).toEqual(['suppressions[0].rules']);
    const on = await summaryOf(`conventions:\n  unknownKeys: warning\n${sup}`);
    expect(on.summary.suppressions.inactive).toEqual([]);
    expect(on.warnings).toEqual([]);
  });

  it('the loader warning, the summary and the scan note judge "off" alike, on the levels the scan runs at (not rules: alone)', async () => {
    const cases = [
      ['unknown-tag-key', ''],
      ['unknown-tag-key', 'conventions:\n  unknownKeys: note\n'],
      ['unknown-tag-key', 'conventions:\n  unknownKeys: note\nrules:\n  unknown-tag-key: off\n'],
      ['pii-in-tag', 'pii:\n  enabled: false\n'],
      ['pii-in-tag', 'pii:\n  enabled: false\nrules:\n  pii-in-tag: error\n'],
      ['pii-in-tag', 'rules:\n  pii-in-tag: off\n'],
      ['tag-limit', 'rules:\n  tag-limit: off\n'],
      ['tag-limit', ''],
    ] as const;
    for (const [rule, settings] of cases) {
      const { policy, warnings, summary } = await summaryOf(`${settings}suppressions:\n  - rules: [${rule}]\n    tags: [Name]\n    reason: x\n`);
      const off = ruleLevel(policy, rule) === 'off';
      expect(warnings.some((w) => w.message.includes('never applies')), `${rule} ${settings}`).toBe(off);
      expect(summary.suppressions.inactive.length, `${rule} ${settings}`).toBe(off ? 1 : 0);
      const note = unusedSuppressionNotes(policy, { summary: createSummaryCounter(), report: { run: COMPLETE_RUN } }, '2024-06-01');
      expect(note[0]?.includes('every rule it names is off'), `${rule} ${settings}`).toBe(off);
    }
  });
});
