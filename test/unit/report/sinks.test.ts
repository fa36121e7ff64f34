import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, expect } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { renderJson } from '../../../src/report/json.js';
import { renderSarif, SarifLimitError, SARIF_MAX_RESULTS } from '../../../src/report/sarif.js';
import { createSinks, terminalOptions } from '../../../src/report/sinks.js';
import { renderTable } from '../../../src/report/table.js';
import type { Report } from '../../../src/report/types.js';
import { checkGithubSarif } from '../../support/github-sarif-rules.js';
import { ANSI, finding, makeReport, partialReport, ref } from './fixtures.js';
import { reportSchemaErrors, sarifSchemaErrors } from './validators.js';

const dir = mkdtempSync(join(tmpdir(), 'tagaudit-sinks-'));
// createSinks fills SARIF's informationUri from package.json's homepage.
const HOMEPAGE = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { homepage?: string }).homepage;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function stdoutBuffer() {
  const chunks: string[] = [];
  return { write: (s: string) => void chunks.push(s), text: () => chunks.join('') };
}

/** What the scan command does: one createSinks call, add() per finding, finish() with the final report. */
async function runScan(report: Report, options: Omit<Parameters<typeof createSinks>[0], 'stdout'>) {
  const stdout = stdoutBuffer();
  const sinks = createSinks({ ...options, stdout });
  try {
    for (const f of report.findings) sinks.add(f);
    await sinks.finish({ ...report, findings: [] });
  } finally {
    await sinks.close();
  }
  return stdout.text();
}

describe('createSinks', () => {
  it('prints the table and writes JSON and SARIF files in one run (the nightly job)', async () => {
    const report = partialReport();
    const json = join(dir, 'nightly.json');
    const sarif = join(dir, 'nightly.sarif');
    const printed = await runScan(report, { format: 'table', color: false, width: 100, outputJson: json, outputSarif: sarif });

    expect(printed).toBe(renderTable(report, { color: false, width: 100 }));
    expect(readFileSync(json, 'utf8')).toBe(renderJson(report));
    expect(reportSchemaErrors(JSON.parse(readFileSync(json, 'utf8')))).toEqual([]);
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(checkGithubSarif(log)).toEqual([]);
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(log).toEqual(JSON.parse(JSON.stringify(renderSarif(report, { informationUri: HOMEPAGE }))));
  });

  it('streams JSON or SARIF to stdout when asked', async () => {
    const report = makeReport();
    expect(await runScan(report, { format: 'json', color: true, width: 100 })).toBe(renderJson(report));
    const sarif = JSON.parse(await runScan(report, { format: 'sarif', color: true, width: 100 }));
    expect(checkGithubSarif(sarif)).toEqual([]);
  });

  it('passes SARIF options through (category, severity floor)', async () => {
    const path = join(dir, 'org.sarif');
    await runScan(makeReport(), { format: 'table', color: false, width: 100, outputSarif: path, sarif: { category: 'org', minSeverity: 'error' } });
    const log = JSON.parse(readFileSync(path, 'utf8'));
    expect(log.runs[0].automationDetails.id).toBe('tagaudit/org/');
    expect(log.runs[0].results.every((r: { level: string }) => r.level === 'error')).toBe(true);
  });

  it('rejects a bad output path before any work, naming the file', () => {
    const bad = join(dir, 'missing', 'report.json');
    for (const flag of ['outputJson', 'outputSarif'] as const) {
      let error: unknown;
      try {
        createSinks({ format: 'table', stdout: stdoutBuffer(), color: false, width: 100, [flag]: bad });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).toLine()).toMatch(new RegExp(`^${bad}: cannot write output file: directory .* does not exist`));
    }
  });

  it('rejects the same file for JSON and SARIF', () => {
    const same = join(dir, 'same.out');
    expect(() => createSinks({ format: 'table', stdout: stdoutBuffer(), color: false, width: 100, outputJson: same, outputSarif: `${dir}/./same.out` })).toThrow(
      /name the same file/,
    );
  });

  it('a SARIF over the limit fails the run but does not cost the JSON report or the table', async () => {
    const findings = Array.from({ length: SARIF_MAX_RESULTS + 1 }, (_, i) =>
      finding('missing-mandatory-tag', 'warning', ref(`arn:aws:sagemaker:us-east-1:123456789012:model/m-${i}`), 'Missing mandatory tag "Owner".', {
        tag: { key: 'Owner' },
      }),
    );
    const report = makeReport(findings);
    const json = join(dir, 'big.json');
    const sarif = join(dir, 'big.sarif');
    writeFileSync(sarif, 'last night\'s SARIF');
    const stdout = stdoutBuffer();
    const sinks = createSinks({ format: 'table', stdout, color: false, width: 100, outputJson: json, outputSarif: sarif });
    for (const f of findings) sinks.add(f);
    await expect(sinks.finish({ ...report, findings: [] })).rejects.toBeInstanceOf(SarifLimitError);
    await sinks.close();
    expect(JSON.parse(readFileSync(json, 'utf8')).findings).toHaveLength(SARIF_MAX_RESULTS + 1);
    expect(stdout.text()).toContain('25001 warnings in 310 resources');
    // The SARIF GitHub would reject is not written: the previous one stays, and no temporary file is left.
    expect(readFileSync(sarif, 'utf8')).toBe("last night's SARIF");
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('close() without finish() (an aborted scan) writes no report and keeps the previous files as they were', async () => {
    const previous = join(dir, 'aborted.json');
    const fresh = join(dir, 'aborted-new.sarif');
    writeFileSync(previous, 'the last complete report');
    const sinks = createSinks({ format: 'json', stdout: stdoutBuffer(), color: false, width: 100, outputJson: previous, outputSarif: fresh });
    for (let i = 0; i < 2000; i++) sinks.add(makeReport().findings[0]!); // past the 64 KiB flush: bytes were written
    await sinks.close();
    expect(readFileSync(previous, 'utf8')).toBe('the last complete report');
    expect(existsSync(fresh)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('without stdout (--quiet) builds no stdout report and still writes the files', async () => {
    const json = join(dir, 'quiet.json');
    const report = makeReport();
    const sinks = createSinks({ format: 'table', stdout: undefined, color: false, width: 100, outputJson: json });
    expect(sinks.sinks).toHaveLength(1);
    for (const f of report.findings) sinks.add(f);
    await sinks.finish({ ...report, findings: [] });
    expect(JSON.parse(readFileSync(json, 'utf8')).findings).toHaveLength(report.findings.length);
  });
});

describe('terminalOptions', () => {
  const tty = { write: () => true, isTTY: true, columns: 100 };
  const pipe = { write: () => true };

  it('colors a TTY unless NO_COLOR, --no-color or TERM=dumb', () => {
    expect(terminalOptions(tty, {}).color).toBe(true);
    expect(terminalOptions(tty, { NO_COLOR: '1' }).color).toBe(false);
    expect(terminalOptions(tty, { NO_COLOR: '' }).color).toBe(true);
    expect(terminalOptions(tty, {}, false).color).toBe(false);
    expect(terminalOptions(tty, { TERM: 'dumb' }).color).toBe(false);
    expect(terminalOptions(pipe, {}).color).toBe(false);
    expect(terminalOptions(pipe, { FORCE_COLOR: '1' }).color).toBe(true);
    expect(terminalOptions(pipe, { FORCE_COLOR: '0' }).color).toBe(false);
    expect(terminalOptions(tty, { FORCE_COLOR: '1', NO_COLOR: '1' }).color).toBe(false);
  });

  it('takes the terminal width, clamped to 40..120, and 100 when not a terminal', () => {
    expect(terminalOptions({ ...tty, columns: 87 }, {}).width).toBe(87);
    expect(terminalOptions({ ...tty, columns: 300 }, {}).width).toBe(120);
    expect(terminalOptions({ ...tty, columns: 20 }, {}).width).toBe(40);
    expect(terminalOptions(pipe, {}).width).toBe(100);
  });

  it('the table honors the decision: NO_COLOR output has no escapes', async () => {
    const options = terminalOptions(tty, { NO_COLOR: '1' });
    expect(await runScan(makeReport(), { format: 'table', ...options })).not.toMatch(ANSI);
    expect(await runScan(makeReport(), { format: 'table', ...terminalOptions(tty, {}) })).toMatch(ANSI);
  });
});
