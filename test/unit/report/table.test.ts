import { describe, it, expect } from 'vitest';
import { createTableSink, displayWidth, elideMiddle, fixHint, fixPreview, renderTable, scopeText, wrap } from '../../../src/report/table.js';
import { MESSAGES } from '../../../src/rules/messages.js';
import type { Finding } from '../../../src/rules/types.js';
import {
  ANSI,
  ENDPOINT,
  MASKED_EMAIL,
  RAW_EMAIL,
  finding,
  makeReport,
  memoryWriter,
  partialReport,
  ref,
  sampleFindings,
  stripAnsi,
} from './fixtures.js';

// Findings built to stress the layout: long keys, long ids, wide characters, hostile control characters.
function awkwardFindings(): Finding[] {
  const longKey = 'cost_center_allocation_identifier_for_the_finance_team_2024';
  return [
    ...sampleFindings(),
    finding(
      'miscased-key',
      'warning',
      ref('arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/quarterly-fraud-model-tuning-run-with-a-very-long-name-2024-xyz'),
      `Key "${longKey}" should be "CostCenter": the dictionary lists it as an alias of the canonical key.`,
      { tag: { key: longKey, value: 'x' }, fix: [{ op: 'rename', type: 'rename-key', from: longKey, to: 'CostCenter', expected: 'x', value: 'x' }] },
    ),
    finding('invalid-value', 'error', ref('arn:aws:sagemaker:ap-northeast-1:123456789012:model/推論モデル'), 'プロジェクト "値値値値値値値値値値値値値値値値値値値値値値値値値値値値値値" is not allowed', {
      tag: { key: 'プロジェクト', value: '値' },
    }),
    finding('organization-specific-rule-with-a-rather-long-identifier', 'note', ref('arn:aws:sns:us-east-1:123456789012:alerts'), 'Long rule ids wrap too.'),
    finding('invalid-value', 'error', ref(`arn:aws:s3:::bucket/${'deep/'.repeat(80)}object.parquet`), 'Value\u001b[2J\u001b[31m "x\ny" is not allowed', {
      tag: { key: 'Team\u0007', value: 'x' },
    }),
  ];
}

const widest = (text: string): number => Math.max(...stripAnsi(text).split('\n').map(displayWidth));

describe('renderTable', () => {
  it.each([100, 80, 60, 40])('no line is wider than %i columns, with or without color', (width) => {
    for (const report of [makeReport(awkwardFindings()), partialReport(awkwardFindings()), makeReport([])]) {
      expect(widest(renderTable(report, { color: false, width }))).toBeLessThanOrEqual(width);
      expect(widest(renderTable(report, { color: true, width }))).toBeLessThanOrEqual(width);
    }
  });

  it('says what a live scan covered: regions, the default one, or none (an IAM-only scan)', () => {
    expect(scopeText({ mode: 'live', accounts: ['111122223333'], regions: ['us-east-1', 'eu-west-1'] })).toBe('1 account × 2 regions');
    expect(scopeText({ mode: 'live' })).toBe('default account × default region');
    expect(scopeText({ mode: 'live', accounts: ['111122223333'], regions: [] })).toBe('1 account × no region');
  });

  it('names an Auto Scaling group by its name, not by the id AWS puts before it', () => {
    const arn = 'arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:2352895c-3150-4584-86c2-ea019bec0e1b:autoScalingGroupName/gpu-workers';
    const text = renderTable(makeReport([finding('missing-tag', 'error', ref(arn), 'missing "team"')]), { color: false, width: 100 });
    expect(text).toMatch(/autoscaling:autoScalingGroup {2}gpu-workers +123456789012 · eu-west-1/);
    expect(text).not.toContain('2352895c');
  });

  it('color:false has no ANSI escapes, color:true has them', () => {
    const report = partialReport(awkwardFindings());
    expect(renderTable(report, { color: false, width: 100 })).not.toMatch(ANSI);
    expect(renderTable(report, { color: true, width: 100 })).toMatch(ANSI);
  });

  it('never passes control characters from tag data to the terminal', () => {
    const text = renderTable(makeReport(awkwardFindings()), { color: false, width: 100 });
    // eslint-disable-next-line no-control-regex
    expect(text.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(text).toContain('Value\\x1b[2J\\x1b[31m "x\\x0ay"');
    expect(text).toContain('Team\\x07');
  });

  it('shows bidirectional overrides and line separators escaped: an ARN or value cannot read as another', () => {
    const tricky = finding('unknown-tag-key', 'warning', ref(`${ENDPOINT.arn}\u202egnp.exe`), 'tag "Team\u2066x\u2069" is not in the dictionary', {
      tag: { key: 'Team\u2066x\u2069', value: 'a\u2028b\u200f' },
    });
    const text = renderTable(makeReport([tricky]), { color: false, width: 200 });
    expect(text).not.toMatch(/[\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/u);
    expect(text).toContain('churn-prod\\u202egnp.exe');
    expect(text).toContain('Team\\u2066x\\u2069');
  });

  it('makes control characters visible in fix previews too (keys and values come from AWS)', () => {
    const hostile = finding('pii-in-tag', 'error', ENDPOINT, 'value of tag "own\\x1b[2Jer" contains personal data', {
      tag: { key: 'own\u001b[2Jer', value: MASKED_EMAIL },
      fix: [
        { op: 'remove', type: 'pii-remove', key: 'own\u001b[2Jer', expected: MASKED_EMAIL },
        { op: 'set', type: 'normalize-value', key: 'Env', expected: 'Prod\u001b[31m', value: 'production' },
      ],
    });
    for (const width of [100, 60]) {
      const text = renderTable(makeReport([hostile]), { color: false, width });
      // eslint-disable-next-line no-control-regex
      expect(text.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(text.replace(/\s+/g, '')).toContain('fix:−own\\x1b[2Jer,Env:Prod\\x1b[31m→production');
    }
  });

  it('summarizes by rule and severity, then groups findings under their resource', () => {
    const text = renderTable(makeReport(), { color: false, width: 100 });
    const lines = text.split('\n');
    const row = (rule: string) => lines.find((l) => l.startsWith(`│ ${rule} `))!.split('│').map((c) => c.trim());
    expect(lines.find((l) => l.startsWith('│ rule'))!.split('│').map((c) => c.trim())).toEqual(['', 'rule', 'error', 'warning', 'note', 'total', '']);
    expect(row('missing-mandatory-tag')).toEqual(['', 'missing-mandatory-tag', '2', '1', '0', '3', '']);
    expect(row('total')).toEqual(['', 'total', '4', '2', '1', '7', '']);

    const header = lines.findIndex((l) => l.startsWith('sagemaker:endpoint  churn-prod'));
    expect(lines[header]).toMatch(/123456789012 · us-east-1$/);
    expect(lines[header + 1]).toMatch(/^ {2}error {4}invalid-value +Environment +Environment "Prod" is not one of/);
    expect(text.indexOf('pii-in-tag')).toBeGreaterThan(-1);
    expect(lines.some((l) => /^s3:bucket {2}ml-datasets-prod +no account · global$/.test(l))).toBe(true);
    expect(lines.some((l) => /^iam:role {2}SageMakerExecution +210987654321 · global$/.test(l))).toBe(true);
  });

  it('orders resources by account, region, type and ARN, and findings by severity', () => {
    const text = renderTable(makeReport(), { color: false, width: 100 });
    const order = ['s3:bucket', 'sagemaker:endpoint', 'sagemaker:training-job', 'logs:log-group', 'iam:role'].map((t) =>
      text.indexOf(`\n${t}  `),
    );
    expect(order.every((pos) => pos > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const job = text.slice(text.indexOf('\nsagemaker:training-job'));
    expect(job.indexOf('missing-mandatory-tag')).toBeLessThan(job.indexOf('miscased-key'));
  });

  it('shows fix previews under the message', () => {
    const text = renderTable(makeReport(), { color: false, width: 100 });
    expect(text).toContain('fix: + CostCenter: 1234');
    expect(text).toContain('fix: env: prod → Environment: production');
    expect(text).toContain('fix: Environment: Prod → production');
    expect(text).toContain('fix: − Owner (PII fix: opt-in)');
  });

  it('prints masked PII as the finding carries it', () => {
    const text = renderTable(makeReport(), { color: false, width: 100 });
    expect(text).toContain(MASKED_EMAIL);
    expect(text).not.toContain(RAW_EMAIL);
  });

  it('ends with a one-line verdict', () => {
    const lines = renderTable(makeReport(), { color: false, width: 100 }).trimEnd().split('\n');
    expect(lines.at(-1)).toBe('4 errors, 2 warnings, 1 note in 310 resources (2 accounts × 2 regions)');
    expect(lines.at(-2)).toBe('4 findings can be fixed with tagaudit fix (1 of them with --fix-pii).');
    const clean = renderTable(makeReport([], {}, 12), { color: false, width: 100 }).trimEnd().split('\n');
    expect(clean.at(-1)).toBe('No findings in 12 resources (2 accounts × 2 regions)');
    const inventory = makeReport([], { run: { ...makeReport().run, scope: { mode: 'inventory', inventories: ['estate.jsonl'] } } }, 1);
    expect(renderTable(inventory, { color: false, width: 100 }).trimEnd().split('\n').at(-1)).toBe('No findings in 1 resource (inventory estate.jsonl)');
  });

  it('says INCOMPLETE loudly for a partial run and lists the scan gaps', () => {
    const text = renderTable(partialReport(), { color: false, width: 100 });
    const lines = text.trimEnd().split('\n');
    expect(lines[2]).toMatch(/^INCOMPLETE SCAN: 1 part of the scope could not be read/);
    expect(lines.at(-1)).toBe('INCOMPLETE: 4 errors, 2 warnings, 1 note in 310 resources (2 accounts × 2 regions); 1 scan gap');
    const gaps = text.slice(text.indexOf('Scan gaps (1)'));
    expect(gaps).toContain('✖ 210987654321 · eu-west-1 · tagging-api · AccessDeniedException');
    expect(gaps).toContain('User is not authorized to perform: tag:GetResources');
    // Even with no findings at all, a partial run never reads as clean.
    expect(renderTable(partialReport([]), { color: false, width: 100 }).trimEnd().split('\n').at(-1)).toMatch(/^INCOMPLETE: No findings/);
    expect(renderTable(partialReport(), { color: true, width: 100 })).toContain('\u001b[7m'); // inverse video
  });

  it('the sink renders what renderTable renders and closes its output', async () => {
    const report = partialReport();
    const out = memoryWriter();
    const sink = createTableSink(out, { color: false, width: 100 });
    for (const f of report.findings) sink.add(f);
    await sink.finish({ ...report, findings: [] });
    expect(out.text()).toBe(renderTable(report, { color: false, width: 100 }));
    expect(out.closed()).toBe(true);
  });

  it('renders a scan with 60,000 findings (several hundred thousand lines) without overflowing the stack', async () => {
    const findings = Array.from({ length: 60_000 }, (_, i) =>
      finding('missing-tag', 'error', ref(`arn:aws:lambda:us-east-1:123456789012:function:fn-${i}`), 'missing mandatory tag anycompany:finance:owner', {
        tag: { key: 'anycompany:finance:owner' },
      }),
    );
    const out = memoryWriter();
    const sink = createTableSink(out, { color: false, width: 100 });
    for (const f of findings) sink.add(f);
    await sink.finish({ ...makeReport(findings), findings: [] });
    const text = out.text();
    expect(text.split('\n').length).toBeGreaterThan(180_000);
    expect(text).toContain('fn-59999');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^60000 errors in /);
  });
});

describe('layout helpers', () => {
  it('wrap breaks on spaces and splits words longer than the width', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    expect(wrap('', 10)).toEqual(['']);
    expect(wrap('値値値値値', 4)).toEqual(['値値', '値値', '値']);
    // Namespaced keys and ARNs break after a separator, not mid-word.
    expect(wrap('anycompany:finance:cost-center', 22)).toEqual(['anycompany:finance:', 'cost-center']);
    expect(wrap('its parent arn:aws:sagemaker:eu-west-1:111122223333:model-package-group/fraud', 40)).toEqual([
      'its parent arn:aws:sagemaker:eu-west-1:',
      '111122223333:model-package-group/fraud',
    ]);
  });

  it('displayWidth counts wide characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('値a')).toBe(3);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it('elideMiddle keeps both ends', () => {
    expect(elideMiddle('training-job-2024-06-01-final', 15)).toBe('trainin…1-final');
    expect(displayWidth(elideMiddle('x'.repeat(50), 15))).toBe(15);
    expect(elideMiddle('short', 15)).toBe('short');
  });

  it('fixPreview reads like the change', () => {
    expect(fixPreview([{ op: 'rename', type: 'rename-key', from: 'Env', to: 'Environment', expected: 'prod', value: 'prod' }])).toBe('Env → Environment');
    expect(fixPreview([{ op: 'add', type: 'add-default', key: 'Team', value: 'ml platform' }])).toBe('+ Team: "ml platform"');
    expect(fixPreview([{ op: 'set', type: 'normalize-value', key: 'Env', expected: '', value: 'dev' }])).toBe('Env: "" → dev');
    expect(fixPreview(undefined)).toBe('');
  });
});

describe('fixHint: what tagaudit fix does with the fixes (9b, 5)', () => {
  const job = ref('arn:aws:sagemaker:us-east-1:123456789012:training-job/j-1');
  const finished = MESSAGES.finishedJob('Completed');
  const overwrite = (message: string): Finding =>
    finding('inherited-tag-drift', 'note', job, message, { fix: [{ op: 'set', type: 'inherit', key: 'CostCenter', expected: '1000', value: '2000' }] });
  const add = finding('missing-tag', 'note', job, `missing tag CostCenter${finished}`, { fix: [{ op: 'add', type: 'inherit', key: 'CostCenter', value: '2000' }] });
  const pii = (): Finding => sampleFindings().find((f) => f.ruleId === 'pii-in-tag')!;

  it('says how many need --fix-pii', () => {
    expect(fixHint([add, pii(), pii()])).toBe('3 findings can be fixed with tagaudit fix (2 of them with --fix-pii).');
    expect(fixHint([add])).toBe('1 finding can be fixed with tagaudit fix.');
    expect(fixHint([finding('x', 'note', job, 'm')])).toBeUndefined();
  });

  it("leaves out a parent's value over a finished job's own, as the planner does; a running job's or a fill is counted", () => {
    expect(fixHint([add, overwrite(`tag "CostCenter" is "1000"${finished}`)])).toBe(
      '1 finding can be fixed with tagaudit fix; 1 other would overwrite a value on a finished job and is left out.',
    );
    expect(fixHint([overwrite(`a${finished}`), overwrite(`b${finished}`)])).toBe(
      "2 findings' fixes would overwrite values on finished jobs: tagaudit fix leaves them out.",
    );
    expect(fixHint([overwrite('tag "CostCenter" is "1000" while its parent carries "2000"')])).toBe('1 finding can be fixed with tagaudit fix.');
  });
});
