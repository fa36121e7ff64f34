import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PII_KINDS } from '../../../src/pii/kinds.js';
import { SEVERITIES } from '../../../src/rules/types.js';
import { runCli } from '../../support/cli.js';
import { reportSchemaErrors } from './validators.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const DEMO = join(ROOT, 'examples/demo-estate.jsonl');
const DICT = join(ROOT, 'dictionaries/anycompany.yaml');
const schema = JSON.parse(readFileSync(join(ROOT, 'schema/report.schema.json'), 'utf8')) as { $defs: Record<string, { enum?: unknown[] }> };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let dir: string;
let demo: Json;
let partial: Json;

const scan = async (args: string[]): Promise<{ code: number; report: Json }> => {
  const r = await runCli(['scan', '-d', DICT, '-f', 'json', '--fail-on', 'none', ...args], { cwd: dir });
  return { code: r.code, report: JSON.parse(r.stdout) as Json };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tagaudit-report-schema-'));
  demo = (await scan(['-i', DEMO])).report;
  // Three good lines and one that is not JSON: a partial run with one inventory gap.
  const lines = readFileSync(DEMO, 'utf8').split('\n').slice(0, 3);
  writeFileSync(join(dir, 'part.jsonl'), `${lines.join('\n')}\nnot json\n`);
  const run = await scan(['-i', 'part.jsonl']);
  expect(run.code).toBe(3);
  partial = run.report;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clone = (o: Json): Json => JSON.parse(JSON.stringify(o)) as Json;
const firstOf = (report: Json, ruleId: string): Json => {
  const f = (report.findings as Json[]).find((x) => x.ruleId === ruleId);
  expect(f, ruleId).toBeDefined();
  return f!;
};

describe('schema/report.schema.json against real scans', () => {
  it('accepts the demo scan and a partial scan as tagaudit writes them', () => {
    expect(demo.findings.length).toBeGreaterThan(100);
    expect(reportSchemaErrors(demo)).toEqual([]);
    expect(partial.run.status).toBe('partial');
    expect(partial.errors.length).toBeGreaterThan(0);
    expect(reportSchemaErrors(partial)).toEqual([]);
  });

  it('rejects a report whose status contradicts its errors', () => {
    const completeWithGaps = clone(partial);
    completeWithGaps.run.status = 'complete';
    expect(reportSchemaErrors(completeWithGaps)).not.toEqual([]);
    const partialWithoutGaps = clone(demo);
    partialWithoutGaps.run.status = 'partial';
    expect(reportSchemaErrors(partialWithoutGaps)).not.toEqual([]);
  });

  it('rejects a fix edit carrying the digests reports must never hold (docs/output-formats.md)', () => {
    const leaked = clone(demo);
    const pii = firstOf(leaked, 'pii-in-tag');
    expect(pii.fix[0].op).toBe('remove');
    pii.fix[0].digest = { keySha256: 'a'.repeat(64), valueSha256: 'b'.repeat(64) };
    expect(reportSchemaErrors(leaked)).not.toEqual([]);
  });

  it('rejects pii-in-tag data holding anything but masked text (a raw match, an unknown kind)', () => {
    const raw = clone(demo);
    firstOf(raw, 'pii-in-tag').data.hits[0].match = 'jane.doe@example.com';
    expect(reportSchemaErrors(raw)).not.toEqual([]);
    const extra = clone(demo);
    firstOf(extra, 'pii-in-tag').data.rawValue = 'jane.doe@example.com';
    expect(reportSchemaErrors(extra)).not.toEqual([]);
    const kind = clone(demo);
    firstOf(kind, 'pii-in-tag').data.piiKind = 'shoe-size';
    expect(reportSchemaErrors(kind)).not.toEqual([]);
    // Other rules' data stays open: it is rule-specific.
    const other = clone(demo);
    firstOf(other, 'missing-tag').data.anything = 1;
    expect(reportSchemaErrors(other)).toEqual([]);
  });

  it('rejects a scope that does not fit its mode', () => {
    const noInventories = clone(demo);
    delete noInventories.run.scope.inventories;
    const inventoryWithAccounts = clone(demo);
    inventoryWithAccounts.run.scope.accounts = ['123456789012'];
    const liveWithInventories = clone(demo);
    liveWithInventories.run.scope.mode = 'live';
    for (const bad of [noInventories, inventoryWithAccounts, liveWithInventories]) expect(reportSchemaErrors(bad)).not.toEqual([]);
    const live = clone(demo);
    live.run.scope = { mode: 'live', accounts: ['123456789012'], regions: ['us-east-1'] };
    expect(reportSchemaErrors(live)).toEqual([]);
    // A live scan that failed before resolving its accounts and regions.
    const early = clone(partial);
    early.run.scope = { mode: 'live' };
    expect(reportSchemaErrors(early)).toEqual([]);
  });

  it('lists exactly the PII kinds and severities the code has', () => {
    expect(schema.$defs.piiKind!.enum).toEqual([...PII_KINDS]);
    expect(schema.$defs.severity!.enum).toEqual([...SEVERITIES]);
  });
});
